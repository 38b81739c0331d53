import EngramCore
import Foundation
import ZIPFoundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes decks with their history as an Anki package that Anki 2.1.50+ and 26.x import: a
/// zip with a schema-11 `collection.anki21` and an empty `media` map.
///
/// Note types: Basic (`Front`, `Back`, `Why`), Basic (and reversed card) for a card whose
/// `-2` sibling is its exact reverse (as an import of such a note made them), and Cloze
/// (`Text`, `Back Extra` = the explanation; unnumbered blanks become `c1`, `c2`… by position).
/// Each card carries Engram's schedule (new, learning, review with FSRS stability and
/// difficulty, suspended), and every review not undone becomes a revlog row, so Anki's FSRS
/// continues where Engram stopped. Note GUIDs are Engram's card ids, so importing the package
/// back into Engram gives the same ids.
public enum AnkiPackageWriter {
  /// What was written.
  public struct Counts: Sendable, Equatable {
    public var decks = 0
    public var notes = 0
    public var cards = 0
    public var reviews = 0
  }

  public enum Failure: Error, Equatable, CustomStringConvertible {
    case cannotWrite(file: String, reason: String)

    public var description: String {
      switch self {
      case .cannotWrite(let file, let reason): "cannot write \(file): \(reason)"
      }
    }
  }

  static let basicID: Int64 = 1_720_000_000_101
  static let reversedID: Int64 = 1_720_000_000_102
  static let clozeID: Int64 = 1_720_000_000_103

  /// Writes `decks` to the package at `path`, through a scratch file in the data directory's
  /// staging area (removed on every exit path, and by the next start after a kill).
  ///
  /// - Parameter progress: told each stage (`building` with cards done of all, `writing`,
  ///   `compressing`), for a progress line.
  public static func write(
    _ decks: [Deck], records: [String: CardRecord], events: [ReviewEvent], to path: String, directory: DataDirectory,
    now: Timestamp, progress: Importer.Progress = { _, _, _ in }
  ) throws(Failure) -> Counts {
    let staging: ImportTransaction
    do { staging = try ImportTransaction.begin(in: directory) } catch {
      throw .cannotWrite(file: path, reason: error.description)
    }
    defer { staging.discard() }
    let database = staging.path + "/collection.anki21"
    let counts: Counts
    do {
      counts = try writeCollection(decks, records: records, events: events, to: database, now: now, progress: progress)
    } catch {
      throw .cannotWrite(file: path, reason: "\(error)")
    }
    let zip = staging.path + "/package.apkg"
    progress("compressing", 0, 0)
    do {
      let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .create)
      try archive.addEntry(
        with: "collection.anki21", fileURL: URL(fileURLWithPath: database), compressionMethod: .deflate)
      let media = Data("{}".utf8)
      try archive.addEntry(
        with: "media", type: .file, uncompressedSize: Int64(media.count), compressionMethod: .none
      ) { position, size in media.subdata(in: Int(position)..<Int(position) + size) }
    } catch {
      throw .cannotWrite(file: path, reason: "cannot build the zip: \(error)")
    }
    // Into place by rename when on the same file system, else by copy and rename beside it.
    if rename(zip, path) != 0 {
      let partial = path + ".partial"
      unlink(partial)
      do {
        try FileManager.default.copyItem(atPath: zip, toPath: partial)
      } catch {
        throw .cannotWrite(file: path, reason: "\(error)")
      }
      guard rename(partial, path) == 0 else {
        let reason = FileError.reason()
        unlink(partial)
        throw .cannotWrite(file: path, reason: reason)
      }
    }
    return counts
  }

  /// One Anki note to write: its type, fields, tags and cards (ordinal and Engram key).
  struct ExportNote {
    var guid: String
    var model: Int64
    var fields: [String]
    var tags: [String]
    var cards: [(ordinal: Int, key: String)]
  }

  /// The notes of a deck, pairing each card with its exact reverse (`id` and `id-2`).
  static func notes(of deck: Deck) -> [ExportNote] {
    var byID: [String: Note] = [:]
    for note in deck.notes { byID[note.id] = note }
    var paired = Set<String>()
    var result: [ExportNote] = []
    for note in deck.notes where !paired.contains(note.id) {
      let key = "\(deck.id)/\(note.id)"
      switch note.content {
      case .basic(let question, let answer):
        if let reverse = byID[note.id + "-2"], reverse.content == .basic(question: answer, answer: question),
          reverse.why == note.why
        {
          paired.insert(reverse.id)
          result.append(
            ExportNote(
              guid: note.id, model: reversedID, fields: [html(question), html(answer), html(note.why)], tags: note.tags,
              cards: [(0, key), (1, "\(deck.id)/\(reverse.id)")]))
        } else {
          result.append(
            ExportNote(
              guid: note.id, model: basicID, fields: [html(question), html(answer), html(note.why)], tags: note.tags,
              cards: [(0, key)]))
        }
      case .cloze(let text):
        let anki = html(DeckExporter.ankiCloze(text))
        let cards = Cloze.cards(in: text).map { (ordinal: $0.number - 1, key: "\(key)#\($0.number)") }
        result.append(
          ExportNote(guid: note.id, model: clozeID, fields: [anki, html(note.why)], tags: note.tags, cards: cards))
      }
    }
    return result
  }

  /// Plain text as field HTML: special characters escaped, line breaks as `<br>`.
  static func html(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\n": out += "<br>"
      default: out.append(character)
      }
    }
    return out
  }

  static func writeCollection(
    _ decks: [Deck], records: [String: CardRecord], events: [ReviewEvent], to path: String, now: Timestamp,
    progress: Importer.Progress = { _, _, _ in }
  ) throws -> Counts {
    let allCards = decks.reduce(0) { $0 + $1.cards.count }
    progress("building", 0, allCards)
    let database = try SQLiteDatabase(path: path, writable: true)
    let nowSeconds = now.milliseconds / 1000
    let crt = nowSeconds - nowSeconds % 86_400
    var counts = Counts()
    // A staging file: the package is renamed into place only when whole, so the database
    // needs no rollback journal or syncs of its own.
    try database.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
    try database.execute(schema)
    try database.execute("BEGIN;")
    let insertNote = try database.prepare("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')")
    let insertCard = try database.prepare(
      "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?)")
    let insertReview = try database.prepare("INSERT INTO revlog VALUES (?, ?, -1, ?, 0, 0, 2500, ?, ?)")
    var deckJSON: [String: Any] = ["1": deckObject(id: 1, name: "Default", now: 0)]
    // Reviews per card key still standing, in replay order: undos applied as replay applies them
    // (each to the event it names, so one device's undo never removes another's review).
    typealias Review = (time: Timestamp, rating: Rating, durationMilliseconds: Int64)
    var reviews: [String: [Review]] = [:]
    for (card, cardEvents) in Dictionary(grouping: events, by: \.card) {
      let kept = Replayer.standing(cardEvents).compactMap { event -> Review? in
        guard case .review(let rating) = event.action else { return nil }
        return (event.time, rating, event.durationMilliseconds)
      }
      if !kept.isEmpty { reviews[card] = kept }
    }
    var noteID = now.milliseconds
    var cardID = now.milliseconds
    var revlogIDs = Set<Int64>()
    var position = 0
    for (deckIndex, deck) in decks.enumerated() {
      let did = now.milliseconds + Int64(deckIndex) + 1
      let name = deck.title.replacingOccurrences(of: " / ", with: "::")
      deckJSON[String(did)] = deckObject(id: did, name: name, now: nowSeconds)
      counts.decks += 1
      for note in notes(of: deck) {
        noteID += 1
        counts.notes += 1
        let sortField = HTMLText.plain(note.fields[0])
        let digest = SHA1.digest(Array(sortField.utf8))
        let checksum = Int64(digest[0]) << 24 | Int64(digest[1]) << 16 | Int64(digest[2]) << 8 | Int64(digest[3])
        let tags = note.tags.isEmpty ? "" : " " + note.tags.joined(separator: " ") + " "
        try insertNote.run(
          .int(noteID), .text(note.guid), .int(note.model), .int(nowSeconds), .text(tags),
          .text(note.fields.joined(separator: "\u{1f}")), .text(sortField), .int(checksum))
        for card in note.cards {
          cardID += 1
          position += 1
          counts.cards += 1
          if counts.cards % 1_000 == 0 { progress("building", counts.cards, allCards) }
          let record = records[card.key]
          var type = 0
          var queue = 0
          var due = Int64(position)
          var interval: Int64 = 0
          var data = "{}"
          if let schedule = record?.schedule {
            let dueSeconds = schedule.due.milliseconds / 1000
            data = "{\"s\":\(schedule.stability),\"d\":\(schedule.difficulty),\"dr\":0.9}"
            switch schedule.phase {
            case .review:
              type = 2
              queue = 2
              due = (dueSeconds - crt) / 86_400
              interval = max(1, (schedule.due.milliseconds - schedule.lastReview.milliseconds) / 86_400_000)
            case .learning, .relearning:
              type = schedule.phase == .learning ? 1 : 3
              queue = 1
              due = dueSeconds
            }
          }
          if record?.suspended == true { queue = -1 }
          let cardReviews = reviews[card.key] ?? []
          try insertCard.run(
            .int(cardID), .int(noteID), .int(did), .int(Int64(card.ordinal)), .int(nowSeconds), .int(Int64(type)),
            .int(Int64(queue)), .int(due), .int(interval), .int(type == 0 ? 0 : 2500), .int(Int64(cardReviews.count)),
            .int(Int64(record?.lapses ?? 0)), .text(data))
          for (index, review) in cardReviews.enumerated() {
            var id = review.time.milliseconds
            while !revlogIDs.insert(id).inserted { id += 1 }
            let duration = min(max(0, review.durationMilliseconds), 3_600_000)
            try insertReview.run(
              .int(id), .int(cardID), .int(Int64(review.rating.rawValue)), .int(Int64(duration)),
              .int(index == 0 ? 0 : 1))
            counts.reviews += 1
          }
        }
      }
    }
    let conf: [String: Any] = [
      "activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200, "timeLim": 0, "estTimes": true,
      "dueCounts": true, "curModel": basicID, "nextPos": position + 1, "sortType": "noteFld", "sortBackwards": false,
      "addToCur": true, "dayLearnFirst": false, "schedVer": 2, "sched2021": true, "creationOffset": 0,
    ]
    let models: [String: Any] = [
      String(basicID): model(
        id: basicID, name: "Basic (Engram)", cloze: false, fields: ["Front", "Back", "Why"],
        templates: [
          ("Card 1", "{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}{{#Why}}<br><br>{{Why}}{{/Why}}")
        ]),
      String(reversedID): model(
        id: reversedID, name: "Basic (and reversed card) (Engram)", cloze: false, fields: ["Front", "Back", "Why"],
        templates: [
          ("Card 1", "{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}{{#Why}}<br><br>{{Why}}{{/Why}}"),
          ("Card 2", "{{Back}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}{{#Why}}<br><br>{{Why}}{{/Why}}"),
        ]),
      String(clozeID): model(
        id: clozeID, name: "Cloze (Engram)", cloze: true, fields: ["Text", "Back Extra"],
        templates: [
          ("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}")
        ]),
    ]
    func json(_ object: Any) throws -> String {
      String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
    progress("writing", 0, 0)
    try database.prepare("INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')").run(
      .int(crt), .int(now.milliseconds), .int(now.milliseconds), .text(try json(conf)), .text(try json(models)),
      .text(try json(deckJSON)), .text(dconf))
    try database.execute("COMMIT;")
    return counts
  }

  static func deckObject(id: Int64, name: String, now: Int64) -> [String: Any] {
    [
      "id": id, "mod": now, "name": name, "usn": -1, "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0],
      "timeToday": [0, 0], "collapsed": false, "browserCollapsed": false, "desc": "", "dyn": 0, "conf": 1,
      "extendNew": 0, "extendRev": 0,
    ]
  }

  static func model(id: Int64, name: String, cloze: Bool, fields: [String], templates: [(String, String, String)])
    -> [String: Any]
  {
    [
      "id": id, "name": name, "type": cloze ? 1 : 0, "mod": 0, "usn": -1, "sortf": 0, "did": NSNull(),
      "tmpls": templates.enumerated().map { index, template in
        [
          "name": template.0, "ord": index, "qfmt": template.1, "afmt": template.2, "bqfmt": "", "bafmt": "",
          "did": NSNull(), "bfont": "", "bsize": 0,
        ] as [String: Any]
      },
      "flds": fields.enumerated().map { index, field in
        [
          "name": field, "ord": index, "sticky": false, "rtl": false, "font": "Arial", "size": 20, "description": "",
          "plainText": false, "collapsed": false, "excludeFromSearch": false, "media": [String](),
        ] as [String: Any]
      },
      "css":
        ".card {\n    font-family: arial;\n    font-size: 20px;\n    text-align: center;\n    color: black;\n    background-color: white;\n}\n",
      "latexPre":
        "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
      "latexPost": "\\end{document}", "latexsvg": false,
      "req": cloze ? [[0, "any", [0]]] : templates.indices.map { [$0, "any", [$0 == 0 ? 0 : 1]] as [Any] },
      "tags": [String](), "vers": [Int](),
    ]
  }

  static let dconf = """
    {"1":{"id":1,"mod":0,"name":"Default","usn":0,"maxTaken":60,"autoplay":true,"timer":0,"replayq":true,"new":{"bury":false,"delays":[1.0,10.0],"initialFactor":2500,"ints":[1,4,0],"order":1,"perDay":20},"rev":{"bury":false,"ease4":1.3,"ivlFct":1.0,"maxIvl":36500,"perDay":200,"hardFactor":1.2},"lapse":{"delays":[10.0],"leechAction":1,"leechFails":8,"minInt":1,"mult":0.0},"dyn":false,"newMix":0,"newPerDayMinimum":0,"interdayLearningMix":0,"reviewOrder":0,"newSortOrder":0,"newGatherPriority":0,"buryInterdayLearning":false,"desiredRetention":0.9}}
    """

  static let schema = """
    CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);
    CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
    CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
    CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
    CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
    CREATE INDEX ix_notes_usn ON notes (usn);
    CREATE INDEX ix_cards_usn ON cards (usn);
    CREATE INDEX ix_revlog_usn ON revlog (usn);
    CREATE INDEX ix_cards_nid ON cards (nid);
    CREATE INDEX ix_cards_sched ON cards (did, queue, due);
    CREATE INDEX ix_revlog_cid ON revlog (cid);
    CREATE INDEX ix_notes_csum ON notes (csum);

    """
}
