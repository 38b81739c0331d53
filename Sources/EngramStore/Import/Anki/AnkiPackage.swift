import Foundation
import ZIPFoundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What is wrong with a package, in words that say what to do.
public enum PackageProblem: Error, Equatable, CustomStringConvertible {
  case notAZip(file: String)
  case unsafePath(file: String, entry: String)
  case tooLarge(file: String, entry: String, limit: Int)
  case noCollection(file: String)
  case unreadable(file: String, entry: String, reason: String)
  case corrupt(file: String, reason: String)
  case corruptCompression(file: String, reason: String)
  case unknownSchema(file: String, version: Int)

  public var description: String {
    switch self {
    case .notAZip(let file):
      "\(file): not a zip archive, or a damaged one; an Anki package (.apkg) is a zip file: export it from Anki again"
    case .unsafePath(let file, let entry):
      "\(file): refusing a package with the unsafe entry path '\(entry)' (absolute or containing '..')"
    case .tooLarge(let file, let entry, let limit):
      "\(file): entry '\(entry)' expands to more than "
        + (limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes") + "; refusing it as a possible zip bomb"
    case .noCollection(let file):
      "\(file): no Anki collection inside (expected collection.anki21b, collection.anki21 or collection.anki2)"
    case .unreadable(let file, let entry, let reason):
      "\(file): cannot read '\(entry)': \(reason)"
    case .corrupt(let file, let reason):
      "\(file): the collection is not a readable SQLite database (\(reason)); the package is damaged or truncated"
    case .corruptCompression(let file, let reason):
      "\(file): the compressed collection is damaged (\(reason)); the package is damaged or truncated"
    case .unknownSchema(let file, let version):
      "\(file): unknown Anki collection schema version \(version); Engram reads schema 11 (legacy) and 15 to 18 (current)"
    }
  }
}

/// An Anki package (`.apkg`) opened safely: the zip is checked before anything is read, and its
/// collection is expanded (from zstd when needed) either into a file in the import's staging
/// folder under `$ENGRAM_HOME` (created with `O_EXCL|O_NOFOLLOW`, removed with the package, and
/// cleared by the next start if the process is killed) or, with no folder (a dry run), into
/// memory, so nothing at all is written.
final class AnkiPackage {
  typealias Problem = PackageProblem

  /// The most a collection may expand to. Real collections stay far below; a bomb does not.
  static let expansionLimit = 512 * 1024 * 1024

  /// Entry names, newest format first: a newer package also carries a placeholder `anki2`.
  static let collectionNames = ["collection.anki21b", "collection.anki21", "collection.anki2"]

  /// Where the expanded collection is.
  enum Storage {
    case file(String)
    case memory([UInt8])
  }

  let file: String
  let storage: Storage
  /// Media files in the package (numbered entries); Engram shows text only.
  let mediaFiles: Int

  /// - Parameter folder: a private folder to expand the collection into; nil keeps it in memory.
  init(path: String, limit: Int = AnkiPackage.expansionLimit, folder: String? = nil) throws(Problem) {
    file = path
    let archive: Archive
    do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
      throw .notAZip(file: path)
    }
    var entries: [String: Entry] = [:]
    var media = 0
    for entry in archive {
      let name = entry.path
      if AnkiPackage.isUnsafe(name) { throw .unsafePath(file: path, entry: name) }
      entries[name] = entry
      if !name.isEmpty && name.allSatisfy(\.isASCII) && name.allSatisfy(\.isNumber) { media += 1 }
    }
    guard let name = AnkiPackage.collectionNames.first(where: { entries[$0] != nil }), let entry = entries[name] else {
      throw .noCollection(file: path)
    }
    if entry.uncompressedSize > UInt64(limit) { throw .tooLarge(file: path, entry: name, limit: limit) }
    mediaFiles = media
    let zstd = name.hasSuffix("21b")
    guard let folder else {
      var bytes: [UInt8] = []
      try AnkiPackage.expand(entry, of: archive, zstd: zstd, limit: limit, file: path) { bytes.append(contentsOf: $0) }
      storage = .memory(bytes)
      return
    }
    let target = folder + "/collection.sqlite"
    let fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw .unreadable(file: path, entry: name, reason: "cannot write a temporary file: \(FileError.reason())")
    }
    defer { close(fd) }
    do {
      try AnkiPackage.expand(entry, of: archive, zstd: zstd, limit: limit, file: path) { chunk in
        var offset = 0
        while offset < chunk.count {
          // Swift's arrays and the buffers handed here always have a base address when non-empty.
          guard let base = chunk.baseAddress else { return }
          let count = write(fd, base + offset, chunk.count - offset)
          if count < 0 && errno == EINTR { continue }
          guard count > 0 else { throw Problem.unreadable(file: path, entry: name, reason: FileError.reason()) }
          offset += count
        }
      }
    } catch {
      unlink(target)
      throw error
    }
    storage = .file(target)
  }

  deinit { if case .file(let path) = storage { unlink(path) } }

  /// Opens the expanded collection read-only.
  func database() throws(SQLiteDatabase.Failure) -> SQLiteDatabase {
    switch storage {
    case .file(let path): try SQLiteDatabase(path: path)
    case .memory(let bytes): try SQLiteDatabase(bytes: bytes)
    }
  }

  /// The expanded collection's bytes (tests).
  var collectionBytes: [UInt8] {
    switch storage {
    case .file(let path): (try? ImportTransaction.readFile(path)) ?? []
    case .memory(let bytes): bytes
    }
  }

  /// An entry name that could escape a directory it was extracted into.
  static func isUnsafe(_ name: String) -> Bool {
    if name.hasPrefix("/") || name.hasPrefix("\\") { return true }
    if name.count >= 2, name.dropFirst().first == ":" { return true }  // C:\...
    return name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..")
  }

  private static func expand(
    _ entry: Entry, of archive: Archive, zstd: Bool, limit: Int, file: String,
    emit: (UnsafeRawBufferPointer) throws -> Void
  ) throws(Problem) {
    var compressed: [UInt8] = []
    var expanded = 0
    do {
      // The declared size can lie: count what actually comes out.
      _ = try archive.extract(entry, skipCRC32: false) { data in
        expanded += data.count
        if expanded > limit { throw Problem.tooLarge(file: file, entry: entry.path, limit: limit) }
        if zstd {
          compressed.append(contentsOf: data)
        } else {
          try data.withUnsafeBytes { try emit($0) }
        }
      }
      if zstd { try Zstd.decompress(compressed, limit: limit, write: emit) }
    } catch let problem as Problem {
      throw problem
    } catch Zstd.Failure.tooLarge {
      throw .tooLarge(file: file, entry: entry.path, limit: limit)
    } catch Zstd.Failure.corrupt(let reason) {
      throw .corruptCompression(file: file, reason: "zstd: \(reason)")
    } catch {
      throw .unreadable(file: file, entry: entry.path, reason: "the zip entry is damaged (\(error))")
    }
  }
}
