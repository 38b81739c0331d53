#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Replaces a file whole or not at all: the bytes go to a new temporary file beside it, which
/// is fsync'd and renamed over the target, and the directory is fsync'd so the rename lasts.
///
/// The temporary file has a unique name (process id and random bits) and is created with
/// `O_EXCL | O_NOFOLLOW`, so a planted symlink or a file left by another process is never
/// followed or overwritten. A process killed between create and rename leaves it behind; the
/// next start removes such leftovers once their process is gone (`clearLeftovers`).
public enum AtomicFile {
  /// Part of every temporary name: `.<file>.engram-tmp-<pid>-<random>`.
  static let marker = ".engram-tmp-"

  /// Writes `parts` (concatenated) as the new content of `path`.
  ///
  /// - Parameters:
  ///   - mode: the mode of a new file; a file being replaced keeps its own mode.
  ///   - durable: fsync the file and its directory before returning; off only for files that
  ///     are mere accelerators (the snapshot cache).
  public static func write(
    _ parts: [[UInt8]], to path: String, mode: mode_t = 0o644, durable: Bool = true
  ) throws(FileError) {
    let (directory, name) = split(path)
    var existing = stat()
    let keptMode = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : mode
    var temporary = ""
    var fd: Int32 = -1
    for _ in 0..<8 where fd < 0 {
      temporary =
        directory + "/." + name + marker + "\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
      fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, keptMode)
      if fd < 0 && errno != EEXIST { break }
    }
    guard fd >= 0 else { throw .cannotWrite(path: path, reason: FileError.reason()) }
    do {
      // The mode given to open is filtered by the umask; the file's own mode is kept exactly.
      _ = fchmod(fd, keptMode)
      for part in parts { try POSIXFile.writeAll(fd: fd, bytes: part, path: temporary) }
      if durable { try POSIXFile.sync(fd: fd, path: temporary) }
    } catch {
      close(fd)
      unlink(temporary)
      throw error
    }
    close(fd)
    guard rename(temporary, path) == 0 else {
      let reason = FileError.reason()
      unlink(temporary)
      throw .cannotWrite(path: path, reason: reason)
    }
    if durable { POSIXFile.syncDirectory(directory) }
  }

  /// Removes temporary files in `directory` left by processes that no longer run.
  public static func clearLeftovers(in directory: String) {
    guard let dir = opendir(directory) else { return }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name.hasPrefix("."), name.contains(marker) { names.append(name) }
    }
    for name in names {
      guard let range = name.range(of: marker),
        let pid = Int32(name[range.upperBound...].prefix { $0 != "-" })
      else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
    }
  }

  private static func split(_ path: String) -> (directory: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let directory = slash == path.startIndex ? "/" : String(path[..<slash])
    return (directory, String(path[path.index(after: slash)...]))
  }
}
