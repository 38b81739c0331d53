#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Errors from the file layer, with the path and the system's reason.
public enum FileError: Error, Equatable, CustomStringConvertible {
  case cannotOpen(path: String, reason: String)
  case cannotRead(path: String, reason: String)
  case cannotWrite(path: String, reason: String)
  case cannotLock(path: String, reason: String)
  case cannotCreateDirectory(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
    case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
    case .cannotWrite(let path, let reason): "cannot write \(path): \(reason) (nothing was recorded)"
    case .cannotLock(let path, let reason): "cannot lock \(path): \(reason)"
    case .cannotCreateDirectory(let path, let reason): "cannot create directory \(path): \(reason)"
    }
  }

  /// The system's reason alone, for messages that say the rest in their own words.
  public var reason: String {
    switch self {
    case .cannotOpen(_, let reason), .cannotRead(_, let reason), .cannotWrite(_, let reason),
      .cannotLock(_, let reason), .cannotCreateDirectory(_, let reason):
      reason
    }
  }

  static func reason() -> String { String(cString: strerror(errno)) }
}

/// Low-level file helpers over POSIX calls: Foundation hides fsync, O_APPEND and flock, which
/// are exactly what the review log's durability depends on.
enum POSIXFile {
  /// Reads the file at `fd` from byte `start` to its end.
  static func readAll(fd: Int32, path: String, from start: Int = 0) throws(FileError) -> [UInt8] {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, reason: FileError.reason()) }
    let size = max(0, Int(info.st_size) - start)
    var bytes = [UInt8](repeating: 0, count: size)
    var offset = 0
    while offset < size {
      let count = bytes.withUnsafeMutableBytes { buffer in
        pread(fd, buffer.baseAddress! + offset, size - offset, off_t(start + offset))
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw .cannotRead(path: path, reason: FileError.reason())
      }
      if count == 0 { break }
      offset += count
    }
    if offset < size { bytes.removeLast(size - offset) }
    return bytes
  }

  /// The file's size in bytes.
  static func size(fd: Int32, path: String) throws(FileError) -> Int {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, reason: FileError.reason()) }
    return Int(info.st_size)
  }

  /// The byte at `offset`.
  static func byte(fd: Int32, at offset: Int, path: String) throws(FileError) -> UInt8 {
    var byte: UInt8 = 0
    while true {
      let count = pread(fd, &byte, 1, off_t(offset))
      if count == 1 { return byte }
      if count < 0 && errno == EINTR { continue }
      throw .cannotRead(path: path, reason: count == 0 ? "the file ended early" : FileError.reason())
    }
  }

  /// Appends `count` bytes read from `offset` to `bytes` (fewer if the file ends first).
  static func read(fd: Int32, from offset: Int, count: Int, into bytes: inout [UInt8], path: String) throws(FileError) {
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: count))
    var done = 0
    while done < count {
      let got = bytes.withUnsafeMutableBytes { buffer in
        pread(fd, buffer.baseAddress! + start + done, count - done, off_t(offset + done))
      }
      if got < 0 {
        if errno == EINTR { continue }
        throw .cannotRead(path: path, reason: FileError.reason())
      }
      if got == 0 { break }
      done += got
    }
    bytes.removeLast(count - done)
  }

  /// Writes all of `bytes`, retrying short writes.
  static func writeAll(fd: Int32, bytes: [UInt8], path: String) throws(FileError) {
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeBytes { buffer in
        write(fd, buffer.baseAddress! + offset, bytes.count - offset)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw .cannotWrite(path: path, reason: FileError.reason())
      }
      offset += count
    }
  }

  /// Takes an flock, retrying on EINTR.
  static func lock(fd: Int32, exclusive: Bool, path: String) throws(FileError) {
    while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
      if errno == EINTR { continue }
      throw .cannotLock(path: path, reason: FileError.reason())
    }
  }

  static func unlock(fd: Int32) { _ = flock(fd, LOCK_UN) }

  /// Flushes the file's data to stable storage.
  static func sync(fd: Int32, path: String) throws(FileError) {
    guard fsync(fd) == 0 else { throw .cannotWrite(path: path, reason: FileError.reason()) }
  }

  /// Creates a directory and its parents (mode 0700 for privacy: a learner's history).
  static func makeDirectories(_ path: String) throws(FileError) {
    var current = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      current += "/" + component
      if mkdir(current, 0o700) != 0 && errno != EEXIST {
        throw .cannotCreateDirectory(path: current, reason: FileError.reason())
      }
    }
  }

  /// Fsyncs a directory so that a file created or renamed in it survives a crash.
  static func syncDirectory(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
  }
}
