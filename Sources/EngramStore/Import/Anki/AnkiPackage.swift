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
  /// Media files in the package (numbered entries).
  let mediaFiles: Int
  private let archive: Archive
  private let entries: [String: Entry]
  /// Package format 3 (Anki 2.1.50+ "latest"): the media map and each media file are zstd.
  private let compressedMedia: Bool

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
    self.archive = archive
    self.entries = entries
    // `meta` is a PackageMetadata message: field 1, the version (3 = latest, zstd media).
    var meta: [UInt8] = []
    if let entry = entries["meta"], entry.uncompressedSize < 1024 {
      _ = try? archive.extract(entry, skipCRC32: false) { meta.append(contentsOf: $0) }
    }
    compressedMedia = Protobuf(meta).varint(1) == 3
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

  deinit { dropCollection() }

  /// Deletes the expanded collection file once it has been read.
  func dropCollection() { if case .file(let path) = storage { unlink(path) } }

  /// The media map: file name → zip entry. A JSON object `{"0": "name"}` in older packages; in
  /// format 3 a zstd-compressed MediaEntries message (entry i is the zip entry named "i").
  func mediaMap() -> [String: String] {
    guard let entry = entries["media"], entry.uncompressedSize < 64 << 20 else { return [:] }
    var bytes: [UInt8] = []
    do { _ = try archive.extract(entry, skipCRC32: false) { bytes.append(contentsOf: $0) } } catch { return [:] }
    var map: [String: String] = [:]
    if compressedMedia {
      var plain: [UInt8] = []
      do {
        try Zstd.decompress(bytes, limit: 64 << 20) { plain.append(contentsOf: $0) }
      } catch {
        return [:]
      }
      for (index, message) in Protobuf.repeated(plain, field: 1).enumerated() {
        let fields = Protobuf(message)
        guard let name = fields.string(1) else { continue }
        map[name] = fields.varint(255).map { String($0) } ?? String(index)
      }
    } else if let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] {
      for (key, value) in object { if let name = value as? String { map[name] = key } }
    }
    return map
  }

  /// A media name that is safe as a file name in `media/`: no path, no hidden file, no control
  /// characters.
  static func isSafeMediaName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 255 && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\")
      && !name.unicodeScalars.contains { $0.value < 32 || $0.value == 127 }
  }

  /// Writes the media files named in `names` that the package has into `folder` as
  /// `media-N` (created with `O_EXCL|O_NOFOLLOW`, fsync'd); returns each staged file with its
  /// name. Names that are unsafe or missing from the package are left out.
  func stageMedia(_ names: Set<String>, into folder: String, limit: Int = AnkiPackage.expansionLimit) throws(Problem)
    -> [(staged: String, name: String)]
  {
    let map = mediaMap()
    var staged: [(String, String)] = []
    for name in names.sorted() where AnkiPackage.isSafeMediaName(name) {
      guard let entryName = map[name], let entry = entries[entryName] else { continue }
      if entry.uncompressedSize > UInt64(limit) { throw .tooLarge(file: file, entry: entryName, limit: limit) }
      var bytes: [UInt8] = []
      try AnkiPackage.expand(entry, of: archive, zstd: compressedMedia, limit: limit, file: file) {
        bytes.append(contentsOf: $0)
      }
      let stagedName = "media-\(staged.count)"
      do { try ImportTransaction.createSynced(folder + "/" + stagedName, bytes) } catch {
        throw .unreadable(file: file, entry: entryName, reason: error.description)
      }
      staged.append((stagedName, name))
    }
    return staged
  }

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
