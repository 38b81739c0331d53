import CSQLite
import Foundation

/// A small wrapper over the system SQLite, enough to read an Anki collection (and, in tests, to
/// write one). Kept to the few calls Engram needs rather than pulling in a database framework.
final class SQLiteDatabase {
  /// What SQLite reported, with its result code; `isCorrupt` tells a damaged file from misuse.
  struct Failure: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var isCorrupt: Bool { code & 0xff == SQLITE_CORRUPT || code & 0xff == SQLITE_NOTADB }
    var description: String { message }
  }

  private var handle: OpaquePointer?

  /// Opens `path` read-only, or read-write (created if missing) when `writable`.
  init(path: String, writable: Bool = false) throws(Failure) {
    let flags = writable ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY
    let code = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
    guard code == SQLITE_OK else {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
      sqlite3_close(handle)
      handle = nil
      throw Failure(code: code, message: message)
    }
    // Anki's current schema indexes names with its own case-insensitive `unicase` collation;
    // without it SQLite cannot check or use those indexes.
    sqlite3_create_collation_v2(handle, "unicase", SQLITE_UTF8, nil, unicaseCompare, nil)
  }

  /// Opens a read-only database held in memory: a copy of `bytes` (a dry run writes no file).
  init(bytes: [UInt8]) throws(Failure) {
    var code = sqlite3_open_v2(":memory:", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
    guard code == SQLITE_OK, let handle else {
      sqlite3_close(handle)
      handle = nil
      throw Failure(code: code, message: "cannot open an in-memory database")
    }
    let size = max(bytes.count, 1)
    guard let buffer = sqlite3_malloc64(sqlite3_uint64(size)) else {
      throw Failure(code: SQLITE_NOMEM, message: "out of memory for a \(bytes.count)-byte collection")
    }
    bytes.withUnsafeBytes { source in
      if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: bytes.count) }
    }
    // A collection saved in WAL mode (header bytes 18 and 19 are 2) cannot be opened from
    // memory; as a read-only copy it reads the same in rollback-journal mode (1).
    if bytes.count >= 100 {
      let header = buffer.assumingMemoryBound(to: UInt8.self)
      if header[18] == 2 { header[18] = 1 }
      if header[19] == 2 { header[19] = 1 }
    }
    // SQLite owns the buffer from here and frees it on close.
    code = sqlite3_deserialize(
      handle, "main", buffer.assumingMemoryBound(to: UInt8.self), sqlite3_int64(bytes.count), sqlite3_int64(size),
      UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY))
    guard code == SQLITE_OK else { throw failure(code) }
    sqlite3_create_collation_v2(handle, "unicase", SQLITE_UTF8, nil, unicaseCompare, nil)
  }

  deinit { sqlite3_close(handle) }

  /// One result row; columns are read by index.
  struct Row {
    fileprivate let statement: OpaquePointer

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func text(_ column: Int32) -> String {
      guard let pointer = sqlite3_column_text(statement, column) else { return "" }
      let count = Int(sqlite3_column_bytes(statement, column))
      let bytes = UnsafeBufferPointer(start: pointer, count: count)
      return String(decoding: bytes, as: UTF8.self)
    }

    func blob(_ column: Int32) -> [UInt8] {
      let count = Int(sqlite3_column_bytes(statement, column))
      guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
      return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
  }

  /// Runs `sql`, calling `body` for each row.
  func forEachRow(_ sql: String, _ body: (Row) throws -> Void) throws {
    var statement: OpaquePointer?
    var code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
    guard code == SQLITE_OK, let statement else { throw failure(code) }
    defer { sqlite3_finalize(statement) }
    while true {
      code = sqlite3_step(statement)
      if code == SQLITE_DONE { return }
      guard code == SQLITE_ROW else { throw failure(code) }
      try body(Row(statement: statement))
    }
  }

  /// Every row of `sql`, mapped.
  func rows<T>(_ sql: String, _ transform: (Row) throws -> T) throws -> [T] {
    var result: [T] = []
    try forEachRow(sql) { result.append(try transform($0)) }
    return result
  }

  /// Runs statements that return no rows.
  func execute(_ sql: String) throws(Failure) {
    let code = sqlite3_exec(handle, sql, nil, nil, nil)
    guard code == SQLITE_OK else { throw failure(code) }
  }

  /// A value bound to a statement's parameter.
  enum Value {
    case int(Int64)
    case text(String)
  }

  /// A statement prepared once and run many times (an export inserts a million rows: parsing
  /// each as its own SQL text cost most of the export's time).
  final class Statement {
    private let statement: OpaquePointer
    private unowned let database: SQLiteDatabase

    fileprivate init(_ statement: OpaquePointer, database: SQLiteDatabase) {
      self.statement = statement
      self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds `values` to the parameters in order, runs the statement and resets it.
    func run(_ values: Value...) throws(Failure) {
      // SQLITE_TRANSIENT: SQLite copies the text before the call returns.
      let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
      for (index, value) in values.enumerated() {
        let parameter = Int32(index + 1)
        let code: Int32
        switch value {
        case .int(let number): code = sqlite3_bind_int64(statement, parameter, number)
        case .text(let text): code = sqlite3_bind_text(statement, parameter, text, -1, transient)
        }
        guard code == SQLITE_OK else { throw database.failure(code) }
      }
      let code = sqlite3_step(statement)
      sqlite3_reset(statement)
      guard code == SQLITE_DONE else { throw database.failure(code) }
    }
  }

  /// Prepares `sql` (one statement, `?` for each parameter).
  func prepare(_ sql: String) throws(Failure) -> Statement {
    var statement: OpaquePointer?
    let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
    guard code == SQLITE_OK, let statement else { throw failure(code) }
    return Statement(statement, database: self)
  }

  /// Names of the tables in the database.
  func tableNames() throws -> Set<String> {
    Set(try rows("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.text(0) })
  }

  fileprivate func failure(_ code: Int32) -> Failure {
    Failure(code: code, message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(code)")
  }
}

/// Case-insensitive comparison by Unicode case folding, as Rust's `unicase` (Anki's collation).
private func unicaseCompare(
  _ context: UnsafeMutableRawPointer?, _ leftCount: Int32, _ left: UnsafeRawPointer?, _ rightCount: Int32,
  _ right: UnsafeRawPointer?
) -> Int32 {
  func folded(_ pointer: UnsafeRawPointer?, _ count: Int32) -> String {
    guard let pointer, count > 0 else { return "" }
    let bytes = UnsafeRawBufferPointer(start: pointer, count: Int(count))
    return String(decoding: bytes, as: UTF8.self).folding(options: .caseInsensitive, locale: nil)
  }
  let a = folded(left, leftCount).unicodeScalars
  let b = folded(right, rightCount).unicodeScalars
  for (x, y) in zip(a, b) where x != y { return x.value < y.value ? -1 : 1 }
  return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}
