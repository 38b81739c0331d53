import Foundation

/// The parts of an Anki collection an import needs, read from either schema: 11 (note types and
/// decks as JSON in `col`) or 15–18 (separate `notetypes`, `fields`, `templates`, `decks`
/// tables with protobuf configs). Plain values, so conversion can be tested without SQLite.
struct AnkiCollection: Sendable, Equatable {
  struct Template: Sendable, Equatable {
    var ordinal: Int
    var name: String
    var question: String
    var answer: String
  }

  struct NoteType: Sendable, Equatable {
    var id: Int64
    var name: String
    var isCloze: Bool
    var fields: [String]
    var templates: [Template]
  }

  struct Note: Sendable, Equatable {
    var id: Int64
    var guid: String
    var noteType: Int64
    var tags: [String]
    var fields: [String]
  }

  struct Card: Sendable, Equatable {
    var id: Int64
    var note: Int64
    /// The card's home deck (its original deck when it sits in a filtered deck).
    var deck: Int64
    var ordinal: Int
    /// Anki's queue: -1 suspended, -2/-3 buried, else a study queue.
    var queue: Int
  }

  struct Review: Sendable, Equatable {
    /// Epoch milliseconds (the revlog row id).
    var time: Int64
    var card: Int64
    /// 1–4; 0 for manual entries such as Forget or Set Due Date.
    var ease: Int
    var milliseconds: Int64
    /// 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled.
    var type: Int
    /// The ease factor written with the review; 0 for a filtered review that did not reschedule.
    var factor: Int
  }

  var schema: Int
  var noteTypes: [Int64: NoteType]
  /// Full deck names with `::` between levels.
  var decks: [Int64: String]
  var notes: [Note]
  var cards: [Card]
  var reviews: [Review]
}

extension AnkiCollection {
  /// Reads the collection of an opened package, telling `progress` the table being read and
  /// its rows so far (every 10,000).
  static func read(
    _ package: AnkiPackage, progress: (_ table: String, _ rows: Int) -> Void = { _, _ in }
  ) throws(AnkiPackage.Problem) -> AnkiCollection {
    let file = package.file
    do {
      // No integrity check first: it read every page, indexes included (0.8 s of a 100,000-note
      // import), while a damaged page of the tables read here fails that read, which is refused
      // as corrupt like the check's failure was, before anything is written.
      let database = try package.database()
      let tables = try database.tableNames()
      guard tables.isSuperset(of: ["col", "notes", "cards", "revlog"]) else {
        throw AnkiPackage.Problem.corrupt(file: file, reason: "it has no Anki tables")
      }
      let version = Int(try database.rows("SELECT ver FROM col") { $0.int(0) }.first ?? -1)
      var collection = AnkiCollection(schema: version, noteTypes: [:], decks: [:], notes: [], cards: [], reviews: [])
      switch version {
      case 11:
        try readLegacyModels(database, into: &collection, file: file)
      case 15...18 where tables.isSuperset(of: ["notetypes", "fields", "templates", "decks"]):
        try readModernModels(database, into: &collection)
      default:
        throw AnkiPackage.Problem.unknownSchema(file: file, version: version)
      }
      var rows = 0
      /// Counts a row of `table`, reporting every 10,000th.
      func counted<T>(_ table: String, _ value: T) -> T {
        rows += 1
        if rows % 10_000 == 0 { progress(table, rows) }
        return value
      }
      collection.notes = try database.rows("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id") { row in
        counted(
          "notes",
          Note(
            id: row.int(0), guid: row.text(1), noteType: row.int(2),
            tags: row.text(3).split(separator: " ").map(String.init),
            fields: row.text(4).split(separator: "\u{1f}", omittingEmptySubsequences: false).map(String.init)))
      }
      rows = 0
      // Read in table order and sorted here: ORDER BY nid, ord made SQLite walk the nid index
      // into the table and sort again (0.6 s against 0.35 s for 100,000 cards).
      collection.cards = try database.rows("SELECT id, nid, did, odid, ord, queue FROM cards") { row in
        counted(
          "cards",
          Card(
            id: row.int(0), note: row.int(1), deck: row.int(3) != 0 ? row.int(3) : row.int(2),
            ordinal: Int(row.int(4)), queue: Int(row.int(5))))
      }
      collection.cards.sort { ($0.note, $0.ordinal, $0.id) < ($1.note, $1.ordinal, $1.id) }
      rows = 0
      collection.reviews = try database.rows("SELECT id, cid, ease, time, type, factor FROM revlog ORDER BY id") {
        row in
        counted(
          "review log",
          Review(
            time: row.int(0), card: row.int(1), ease: Int(row.int(2)), milliseconds: row.int(3),
            type: Int(row.int(4)), factor: Int(row.int(5))))
      }
      return collection
    } catch let problem as AnkiPackage.Problem {
      throw problem
    } catch let failure as SQLiteDatabase.Failure {
      throw .corrupt(file: file, reason: failure.message)
    } catch {
      throw .corrupt(file: file, reason: "\(error)")
    }
  }

  /// Schema 11: `col.models` and `col.decks` are JSON objects keyed by id.
  private static func readLegacyModels(
    _ database: SQLiteDatabase, into collection: inout AnkiCollection, file: String
  ) throws {
    guard let row = try database.rows("SELECT models, decks FROM col", { ($0.text(0), $0.text(1)) }).first,
      let models = try? JSONSerialization.jsonObject(with: Data(row.0.utf8)) as? [String: Any],
      let decks = try? JSONSerialization.jsonObject(with: Data(row.1.utf8)) as? [String: Any]
    else {
      throw AnkiPackage.Problem.corrupt(file: file, reason: "its note types or decks are not valid JSON")
    }
    for (key, value) in models {
      guard let model = value as? [String: Any], let id = Int64(key) else { continue }
      let fields = (model["flds"] as? [[String: Any]] ?? [])
        .sorted { ($0["ord"] as? Int ?? 0) < ($1["ord"] as? Int ?? 0) }
        .map { $0["name"] as? String ?? "" }
      let templates = (model["tmpls"] as? [[String: Any]] ?? []).enumerated().map { index, template in
        Template(
          ordinal: template["ord"] as? Int ?? index, name: template["name"] as? String ?? "",
          question: template["qfmt"] as? String ?? "", answer: template["afmt"] as? String ?? "")
      }
      collection.noteTypes[id] = NoteType(
        id: id, name: model["name"] as? String ?? "", isCloze: (model["type"] as? Int) == 1, fields: fields,
        templates: templates)
    }
    for (key, value) in decks {
      guard let deck = value as? [String: Any], let id = Int64(key), let name = deck["name"] as? String else {
        continue
      }
      collection.decks[id] = name
    }
  }

  /// Schema 15–18: tables, with protobuf blobs for the note type kind and template formats.
  private static func readModernModels(_ database: SQLiteDatabase, into collection: inout AnkiCollection) throws {
    var fields: [Int64: [(Int, String)]] = [:]
    try database.forEachRow("SELECT ntid, ord, name FROM fields") { row in
      fields[row.int(0), default: []].append((Int(row.int(1)), row.text(2)))
    }
    var templates: [Int64: [Template]] = [:]
    try database.forEachRow("SELECT ntid, ord, name, config FROM templates") { row in
      let config = Protobuf(row.blob(3))
      templates[row.int(0), default: []].append(
        Template(
          ordinal: Int(row.int(1)), name: row.text(2), question: config.string(1) ?? "",
          answer: config.string(2) ?? ""))
    }
    try database.forEachRow("SELECT id, name, config FROM notetypes") { row in
      let id = row.int(0)
      // NotetypeConfig.kind (field 1): 0 normal, 1 cloze.
      let kind = Protobuf(row.blob(2)).varint(1) ?? 0
      collection.noteTypes[id] = NoteType(
        id: id, name: row.text(1), isCloze: kind == 1,
        fields: (fields[id] ?? []).sorted { $0.0 < $1.0 }.map(\.1),
        templates: (templates[id] ?? []).sorted { $0.ordinal < $1.ordinal })
    }
    try database.forEachRow("SELECT id, name FROM decks") { row in
      collection.decks[row.int(0)] = row.text(1).replacingOccurrences(of: "\u{1f}", with: "::")
    }
  }
}

/// Reads top-level fields of a protobuf message: enough for the few config values needed,
/// without generated code. Unknown or malformed data yields nil, never a crash.
struct Protobuf {
  private var fields: [Int: [UInt8]] = [:]
  private var varints: [Int: UInt64] = [:]

  init(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { raw in
      // Protobuf varints are the same LEB128 the state cache uses.
      var reader = BinaryReader(raw)
      while reader.offset < raw.count {
        guard let key = reader.varint() else { return }
        let number = Int(key >> 3)
        switch key & 7 {
        case 0:
          guard let value = reader.varint() else { return }
          if varints[number] == nil { varints[number] = value }
        case 1:
          reader.offset += 8
        case 2:
          guard let length = reader.varint(), length <= UInt64(raw.count - reader.offset) else { return }
          if fields[number] == nil { fields[number] = Array(raw[reader.offset..<reader.offset + Int(length)]) }
          reader.offset += Int(length)
        case 5:
          reader.offset += 4
        default:
          return
        }
      }
    }
  }

  func varint(_ number: Int) -> UInt64? { varints[number] }

  /// Every length-delimited value of field `number` (a repeated message or string), in order.
  static func repeated(_ bytes: [UInt8], field number: Int) -> [[UInt8]] {
    var values: [[UInt8]] = []
    bytes.withUnsafeBytes { raw in
      var reader = BinaryReader(raw)
      while reader.offset < raw.count {
        guard let key = reader.varint() else { return }
        switch key & 7 {
        case 0: guard reader.varint() != nil else { return }
        case 1: reader.offset += 8
        case 2:
          guard let length = reader.varint(), length <= UInt64(raw.count - reader.offset) else { return }
          if Int(key >> 3) == number { values.append(Array(raw[reader.offset..<reader.offset + Int(length)])) }
          reader.offset += Int(length)
        case 5: reader.offset += 4
        default: return
        }
      }
    }
    return values
  }
  func string(_ number: Int) -> String? { fields[number].map { String(decoding: $0, as: UTF8.self) } }
}
