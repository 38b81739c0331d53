import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// Anki packages: the fixtures in `../shared/fixtures/` were written by Anki 26.9.3 and genanki,
/// and the expected counts come from their README and `anki_history_manifest.json`.
@Suite struct AnkiPackageTests {
  let home = TemporaryDirectory()
  var directory: DataDirectory { DataDirectory(path: home.path + "/data") }

  init() throws { try DataDirectory(path: home.path + "/data").create() }

  static func fixture(_ name: String) -> String {
    sharedDirectory().appending(path: "fixtures/\(name)").path
  }

  func importing(
    _ path: String, deck: String? = nil, policy: Importer.DuplicatePolicy = .skip, dryRun: Bool = false,
    now: Timestamp = Timestamp(milliseconds: 1_800_000_000_000)
  ) throws -> Importer.Summary {
    try Importer(directory: directory).importFile(path, deckName: deck, onDuplicate: policy, dryRun: dryRun, now: now)
  }

  func deck(_ id: String) throws -> Deck {
    try DeckParser.parse(try #require(home.read("data/decks/\(id).md")), file: id)
  }

  /// This device's log file, where imports append.
  var ownLog: String { directory.path + "/reviews/local.tsv" }

  func logEvents() throws -> [ReviewEvent] {
    try HistoryLog(directory: directory, device: nil).read().events
  }

  /// Every file under the data directory with its bytes, to prove nothing changed.
  func snapshot() -> [String: Data] { home.snapshot("data") }

  func write(_ name: String, _ bytes: [UInt8]) -> String {
    let path = home.path + "/" + name
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }

  // MARK: fixtures made by Anki and genanki

  /// README: 50 notes in Fixture::Alpha and Fixture::Beta, 40 Basic (every fifth with HTML),
  /// 10 Cloze with c1 and c2.
  @Test(arguments: [
    "genanki_basic_cloze.apkg", "anki_export_legacy.apkg", "anki_export_modern.apkg", "anki_export_modern_sched.apkg",
  ])
  func `every fixture package imports its notes, decks, cloze and html`(name: String) throws {
    let summary = try importing(Self.fixture(name))
    #expect(summary.decks.sorted() == ["fixture-alpha", "fixture-beta"])
    // Counted in cards: 40 basic notes of one card and 10 cloze notes of two blanks each.
    #expect(summary.added == 40 + 10 * 2)
    #expect(summary.skipped == 0)
    #expect(summary.historyAdded == 0)
    let notes = try deck("fixture-alpha").notes + deck("fixture-beta").notes
    #expect(try deck("fixture-alpha").title == "Fixture / Alpha")
    let basics = notes.filter { if case .basic = $0.content { true } else { false } }
    let clozes = notes.compactMap { if case .cloze(let text) = $0.content { text } else { nil } }
    #expect(basics.count == 40)
    #expect(clozes.count == 10)
    // Anki's numbers are kept (c1, c2); no HTML is left.
    #expect(clozes.allSatisfy { Cloze.parse($0).map(\.number) == [1, 2] && !$0.contains("<") })
    // No HTML tag or entity is left in any text.
    for note in basics {
      guard case .basic(let question, let answer) = note.content else { continue }
      for text in [question, answer] {
        #expect(!text.contains("<") && !text.contains("&amp;"), "\(note.id): \(text)")
      }
    }
    // The HTML note: `<b>Bold</b> question 00 &amp; <i>italic</i>`, a list, a styled span.
    let html = try #require(
      basics.first { if case .basic(let q, _) = $0.content { q.contains("question 00") } else { false } })
    #expect(html.content == .basic(question: "Bold question 00 & italic", answer: "• item 0\n\n• second\n\nred"))
    #expect(html.tags == ["tag0"])
  }

  /// `Fixtures/anki_features.colpkg`, written by Anki from the notes in `make_anki_fixtures.py`.
  @Test func `a collection package maps reversed, optional reversed, type-in and cloze notes with their history`()
    throws
  {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(
      path: "Fixtures/anki_features.colpkg"
    ).path
    let summary = try importing(path)
    #expect(Set(summary.decks) == ["lang-spanish", "lang-spanish-verbs"])
    // Seven notes, counted in cards: the cloze note has two blanks.
    #expect(summary.added == 6 + 2)
    let nouns = try deck("lang-spanish")
    #expect(nouns.title == "Lang / Spanish")
    let contents = nouns.notes.map(\.content)
    // The script's fields: Back "dog <img src="dog.jpg">", the cloze with Madrid's hint "city".
    #expect(contents.contains(.basic(question: "perro", answer: "dog [image: dog.jpg]")))
    #expect(contents.contains(.basic(question: "dog [image: dog.jpg]", answer: "perro")))
    #expect(contents.contains(.basic(question: "gato", answer: "cat")))
    #expect(contents.contains(.cloze("{{c1::Madrid::city}} is the capital of {{c2::Spain}}")))
    let perro = try #require(
      nouns.notes.first { $0.content == .basic(question: "perro", answer: "dog [image: dog.jpg]") })
    #expect(
      nouns.notes.contains {
        $0.id == perro.id + "-2" && $0.content == .basic(question: "dog [image: dog.jpg]", answer: "perro")
      })
    // The reversed card is a sibling of the forward one: one note, studied once a day.
    #expect(nouns.notes.first { $0.id == perro.id + "-2" }?.sibling == perro.id)
    #expect(perro.sibling == nil)
    #expect(perro.tags == ["animals"])
    let capital = try #require(nouns.notes.first { if case .cloze = $0.content { true } else { false } })
    #expect(capital.why == "Since 1561.")
    #expect(capital.tags == ["geo-capitals"])
    // The optional reverse exists only where "Add Reverse" was filled in.
    let verbs = try deck("lang-spanish-verbs")
    #expect(
      verbs.notes.map(\.content).sorted { "\($0)" < "\($1)" }
        == [
          .basic(question: "comer", answer: "to eat"), .basic(question: "to live", answer: "vivir"),
          .basic(question: "vivir", answer: "to live"),
        ].sorted { "\($0)" < "\($1)" })
    let vivirReverse = try #require(verbs.notes.first { $0.content == .basic(question: "to live", answer: "vivir") })

    // Reviews: perro Good, Again, Good; the Spain blank (c2, the second blank) Easy; the vivir
    // reverse Good, then Forget, a manual row that is not a review.
    let reviews = try logEvents().filter { $0.kind == .review }
    #expect(summary.historyAdded == 5)
    #expect(summary.warnings.contains { $0.contains("1 review-log row was left out") })
    // Every imported key is a CardKey's text: a template card is its own note, a cloze card a blank.
    #expect(reviews.allSatisfy { CardKey($0.card)?.description == $0.card })
    let reverseKey = CardKey(deckID: "lang-spanish-verbs", noteID: vivirReverse.id)
    #expect(reviews.contains { $0.card == reverseKey.description })
    #expect(reviews.contains { CardKey($0.card)?.blank == 2 })
    #expect(
      reviews.filter { $0.card == "lang-spanish/\(perro.id)" }.map(\.action) == [
        .review(.good), .review(.again), .review(.good),
      ])
    #expect(reviews.filter { $0.card == "lang-spanish/\(capital.id)#2" }.map(\.action) == [.review(.easy)])
    #expect(reviews.filter { $0.card == "lang-spanish-verbs/\(vivirReverse.id)" }.map(\.action) == [.review(.good)])
    // The Madrid blank (c1) is suspended.
    #expect(try logEvents().filter { $0.kind == .suspend }.map(\.card) == ["lang-spanish/\(capital.id)#1"])
    // The image file is kept (the script wrote these bytes as dog.jpg).
    #expect(summary.mediaKept == 1)
    #expect(
      FileManager.default.contents(atPath: directory.mediaPath + "/dog.jpg")
        == Data([0xff, 0xd8, 0xff, 0xe0] + Array(" not really a jpeg".utf8)))
    // One image reference; the hint shows while Madrid is hidden.
    #expect(summary.warnings.contains { $0.contains("1 image and sound file the cards refer to is shown") })
    #expect(capital.cards(deckID: "d")[0].front == "[city] is the capital of Spain")
  }

  @Test func `legacy and current packages of the same notes give identical decks`() throws {
    let other = TemporaryDirectory()
    let otherDirectory = DataDirectory(path: other.path + "/data")
    try otherDirectory.create()
    _ = try importing(Self.fixture("anki_export_legacy.apkg"))
    _ = try Importer(directory: otherDirectory).importFile(Self.fixture("anki_export_modern.apkg"))
    for id in ["fixture-alpha", "fixture-beta"] {
      #expect(home.read("data/decks/\(id).md") == other.read("data/decks/\(id).md"))
    }
  }

  /// Manifest: deck Bench::Deck00, 500 notes and cards, 4,912 rated revlog rows, 5 suspended,
  /// and the first suspended card's fields.
  @Test(arguments: ["anki_history_modern.apkg", "anki_history_legacy.apkg"])
  func `a package with scheduling brings its review history and suspensions`(name: String) throws {
    let manifest =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: Self.fixture("anki_history_manifest.json")))) as? [String: Any]
    let rated = try #require(manifest?["revlog_rated"] as? Int)
    let suspendedCount = try #require(manifest?["suspended"] as? Int)
    let cards = try #require(manifest?["cards"] as? Int)
    let firstCard = try #require(manifest?["first_card"] as? [String])

    let summary = try importing(Self.fixture(name))
    #expect(summary.decks == ["bench-deck00"])
    #expect(summary.added == cards)
    #expect(summary.historyAdded == rated)
    #expect(summary.suspended == suspendedCount)
    let bench = try deck("bench-deck00")
    #expect(bench.title == "Bench / Deck00")
    #expect(bench.notes.count == cards)

    let events = try logEvents()
    let reviews = events.filter { $0.kind == .review }
    #expect(reviews.count == rated)
    #expect(reviews.allSatisfy { $0.card.hasPrefix("bench-deck00/") })
    #expect(zip(reviews, reviews.dropFirst()).allSatisfy { $0.time <= $1.time }, "history is appended in time order")
    #expect(events.filter { $0.kind == .suspend }.count == suspendedCount)

    // The first suspended card, by its text, is suspended after replay.
    let note = try #require(bench.notes.first { $0.content == .basic(question: firstCard[0], answer: firstCard[1]) })
    let workspace = try Workspace(directory: directory, now: Timestamp(milliseconds: 1_800_000_000_000))
    #expect(workspace.records["bench-deck00/\(note.id)"]?.suspended == true)
    #expect(workspace.records.values.filter(\.suspended).count == suspendedCount)
  }

  @Test func `importing the same package again adds no history and changes no card`() throws {
    _ = try importing(Self.fixture("anki_history_modern.apkg"))
    let log = try #require(FileManager.default.contents(atPath: ownLog))
    let again = try importing(Self.fixture("anki_history_legacy.apkg"))
    #expect(again.added == 0)
    #expect(again.unchanged == 500)
    #expect(again.historyAdded == 0)
    #expect(again.historyPresent == 4912)
    #expect(again.suspended == 0)
    #expect(FileManager.default.contents(atPath: ownLog) == log)
  }

  @Test func `a dry run of a package reports its history and writes nothing`() throws {
    let before = snapshot()
    let summary = try importing(Self.fixture("anki_history_modern.apkg"), dryRun: true)
    #expect(summary.added == 500)
    #expect(summary.historyAdded == 4912)
    #expect(snapshot() == before)
  }

  @Test func `media is found by bytes in any case and after accented text`() {
    #expect(
      AnkiConverter.withMediaPlaceholders("é <IMG SRC=\"a.png\"> b [sound:x.mp3]c") == (
        "é [image: a.png] b [audio: x.mp3]c", ["a.png", "x.mp3"]
      ))
    #expect(
      AnkiConverter.withMediaPlaceholders("<img src='my&amp;pic.jpg' alt=x>") == ("[image: my&pic.jpg]", ["my&pic.jpg"])
    )
    #expect(
      AnkiConverter.withMediaPlaceholders("<im no image [sound: unclosed") == ("<im no image [sound: unclosed", []))
    let text = "déjà {{c1::vu}}"
    #expect(text.firstRange(ofASCII: "{{c").map { text[$0.upperBound...] } == "1::vu}}")
    #expect("\u{1c}IMG".firstRange(ofASCII: "<img", ignoringCase: true) == nil)
  }

  @Test func `media names that could leave the media folder or hide are never written`() {
    #expect(AnkiPackage.isSafeMediaName("cat 1.jpg"))
    #expect(AnkiPackage.isSafeMediaName("猫.png"))
    for name in ["../evil.png", "a/b.png", ".hidden", "", "tab\there", "back\\slash"] {
      #expect(!AnkiPackage.isSafeMediaName(name), "\(name)")
    }
  }

  @Test func `an Anki card id is its guid when that is already a valid id, else a stable hash`() {
    #expect(AnkiConverter.noteID(guid: "bench280") == "bench280")
    #expect(AnkiConverter.noteID(guid: "v!M/h#T0Od") == AnkiConverter.noteID(guid: "v!M/h#T0Od"))
    #expect(AnkiConverter.noteID(guid: "AbC") != AnkiConverter.noteID(guid: "abc"))
    #expect(AnkiConverter.noteID(guid: "v!M/h#T0Od").allSatisfy { $0.isLowercase || $0.isNumber })
  }

  // MARK: note types, subdecks, media and revlog rules, on a collection built here

  /// A schema-11 collection with the tables and columns an import reads.
  func legacyCollection(
    models: String, decks: String, notes: [(Int64, String, Int64, String, [String])],
    cards: [(id: Int64, note: Int64, deck: Int64, ord: Int, queue: Int)],
    revlog: [(id: Int64, card: Int64, ease: Int, type: Int, factor: Int)] = [], version: Int = 11
  ) throws -> [UInt8] {
    let path = home.path + "/built-\(UUID().uuidString).anki2"
    let database = try SQLiteDatabase(path: path, writable: true)
    func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
    var sql = """
      CREATE TABLE col (id INTEGER PRIMARY KEY, ver INTEGER, models TEXT, decks TEXT);
      CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, tags TEXT, flds TEXT);
      CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, odid INTEGER, ord INTEGER, queue INTEGER);
      CREATE TABLE revlog (id INTEGER PRIMARY KEY, cid INTEGER, ease INTEGER, time INTEGER, type INTEGER, factor INTEGER);
      INSERT INTO col VALUES (1, \(version), \(quoted(models)), \(quoted(decks)));

      """
    for note in notes {
      sql +=
        "INSERT INTO notes VALUES (\(note.0), \(quoted(note.1)), \(note.2), \(quoted(note.3)), \(quoted(note.4.joined(separator: "\u{1f}"))));\n"
    }
    for card in cards {
      sql += "INSERT INTO cards VALUES (\(card.id), \(card.note), \(card.deck), 0, \(card.ord), \(card.queue));\n"
    }
    for row in revlog {
      sql += "INSERT INTO revlog VALUES (\(row.id), \(row.card), \(row.ease), 4000, \(row.type), \(row.factor));\n"
    }
    try database.execute(sql)
    return try #require(FileManager.default.contents(atPath: path)).map { $0 }
  }

  static let models = """
    {"1": {"name": "Basic (and reversed card)", "type": 0, "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
           "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"},
                     {"name": "Card 2", "ord": 1, "qfmt": "{{Back}}", "afmt": "{{FrontSide}}<hr id=answer>{{Front}}"}]},
     "2": {"name": "Cloze", "type": 1, "flds": [{"name": "Text", "ord": 0}, {"name": "Back Extra", "ord": 1}],
           "tmpls": [{"name": "Cloze", "ord": 0, "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br>{{Back Extra}}"}]},
     "3": {"name": "Vocab", "type": 0, "flds": [{"name": "Word", "ord": 0}, {"name": "Meaning", "ord": 1}, {"name": "Example", "ord": 2}],
           "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Word}}<br>{{Example}}", "afmt": "{{FrontSide}}<hr>{{Meaning}}"}]},
     "4": {"name": "Basic (type in the answer)", "type": 0, "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
           "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}} {{type:Back}}", "afmt": "{{Front}}<hr id=answer>{{type:Back}}"}]}}
    """
  static let decks = """
    {"1": {"name": "Default"}, "10": {"name": "Lang::Spanish"}, "11": {"name": "Lang::Spanish::Verbs"}}
    """

  func builtPackage() throws -> String {
    let collection = try legacyCollection(
      models: Self.models, decks: Self.decks,
      notes: [
        (100, "rev1", 1, " verbs ", ["comer", "to eat"]),
        (101, "Cl/oze", 2, " lang::grammar ", ["{{c2::Madrid}} is the capital of {{c1::Spain}}", "Since 1561."]),
        (102, "voc", 3, "", ["perro", "dog", "El perro ladra."]),
        (103, "typed", 4, "", ["gato <img src=\"cat.jpg\">", "cat [sound:cat.mp3]"]),
        (104, "onlymedia", 1, "", ["<img src=\"x.png\">", "x"]),
      ],
      cards: [
        (1000, 100, 11, 0, 0), (1001, 100, 11, 1, -1),
        (1010, 101, 10, 0, 0), (1011, 101, 10, 1, -1),
        (1020, 102, 10, 0, 0), (1030, 103, 10, 0, 0), (1040, 104, 10, 0, 0),
      ],
      revlog: [
        (1_700_000_000_000, 1000, 3, 0, 0),
        (1_700_000_100_000, 1011, 1, 0, 0),  // the card of c2 = the first blank
        (1_700_000_200_000, 1000, 0, 4, 0),  // manual (Forget): not a review
        (1_700_000_300_000, 1010, 4, 3, 0),  // filtered deck, no rescheduling: ignored
        (1_700_000_400_000, 1010, 3, 3, 2500),  // filtered deck that rescheduled: kept
        (1_700_000_050_000, 1020, 2, 1, 2500),
      ])
    // Media as genanki and Anki's legacy export write it: a JSON map and numbered entries;
    // "../evil.png" is never written outside media/.
    return write(
      "built.apkg",
      ZipWriter.archive([
        ZipWriter.Entry(name: "collection.anki2", data: collection),
        ZipWriter.Entry(name: "media", data: Array(#"{"0": "cat.jpg", "1": "cat.mp3", "2": "../evil.png"}"#.utf8)),
        ZipWriter.Entry(name: "0", data: Array("jpeg bytes".utf8)),
        ZipWriter.Entry(name: "1", data: Array("mp3 bytes".utf8)),
        ZipWriter.Entry(name: "2", data: Array("evil".utf8)),
      ]))
  }

  @Test func `note types map to questions, reversed cards and cloze blanks; subdecks become decks`() throws {
    let summary = try importing(try builtPackage())
    #expect(Set(summary.decks) == ["lang-spanish-verbs", "lang-spanish"])
    let verbs = try deck("lang-spanish-verbs")
    #expect(verbs.title == "Lang / Spanish / Verbs")
    #expect(verbs.notes.map(\.id) == ["rev1", "rev1-2"])
    #expect(verbs.notes.map(\.sibling) == [nil, "rev1"])
    #expect(
      verbs.notes.map(\.content) == [
        .basic(question: "comer", answer: "to eat"), .basic(question: "to eat", answer: "comer"),
      ])
    #expect(verbs.notes[0].tags == ["verbs"])
    let spanish = try deck("lang-spanish")
    let cloze = try #require(spanish.notes.first { if case .cloze = $0.content { true } else { false } })
    #expect(cloze.content == .cloze("{{c2::Madrid}} is the capital of {{c1::Spain}}"))
    #expect(cloze.why == "Since 1561.")
    #expect(cloze.tags == ["lang-grammar"])
    #expect(cloze.id == AnkiConverter.noteID(guid: "Cl/oze"))
    // A type-in note reads like Basic; its media become placeholders.
    #expect(
      spanish.notes.contains {
        $0.id == "typed" && $0.content == .basic(question: "gato [image: cat.jpg]", answer: "cat [audio: cat.mp3]")
      })
    // A custom note type is rendered through its template: the front shows Word and Example,
    // the back (after the repeated front and <hr>) adds Meaning.
    #expect(
      spanish.notes.contains {
        $0.id == "voc" && $0.content == .basic(question: "perro\n\nEl perro ladra.", answer: "dog")
      })
    #expect(!summary.warnings.contains { $0.contains("'Vocab'") })
    // A side with only an image shows its placeholder; media is summed up in one warning.
    #expect(summary.skipped == 0)
    #expect(
      spanish.notes.contains { $0.id == "onlymedia" && $0.content == .basic(question: "[image: x.png]", answer: "x") })
    #expect(summary.warnings.filter { $0.contains("image and sound file") }.count == 1)
    #expect(summary.warnings.contains { $0.contains("3 image and sound files the cards refer to are shown") })
    // The referenced files the package has are kept; x.png is not in it.
    #expect(summary.mediaKept == 2)
    #expect(home.read("data/media/cat.jpg") == "jpeg bytes")
    #expect(home.read("data/media/cat.mp3") == "mp3 bytes")
    #expect(
      (try FileManager.default.contentsOfDirectory(atPath: directory.mediaPath)).sorted() == ["cat.jpg", "cat.mp3"])
  }

  @Test func `revlog rows become reviews of the right card; manual and non-rescheduling rows are skipped`() throws {
    let summary = try importing(try builtPackage())
    #expect(summary.historyAdded == 4)
    #expect(summary.warnings.contains { $0.contains("2 review-log rows were left out") })
    let events = try logEvents()
    let clozeKey = "lang-spanish/" + AnkiConverter.noteID(guid: "Cl/oze")
    let reviews = events.filter { $0.kind == .review }
    #expect(
      reviews.map { "\($0.time.milliseconds) \($0.card) \($0.durationMilliseconds)" } == [
        "1700000000000 lang-spanish-verbs/rev1 4000",
        "1700000050000 lang-spanish/voc 4000",
        "1700000100000 \(clozeKey)#2 4000",
        "1700000400000 \(clozeKey)#1 4000",
      ])
    #expect(reviews.map(\.action) == [.review(.good), .review(.hard), .review(.again), .review(.good)])
    // Suspended in Anki: the reversed card and the c2 card (ord 1), keyed by its number.
    #expect(Set(events.filter { $0.kind == .suspend }.map(\.card)) == ["lang-spanish-verbs/rev1-2", "\(clozeKey)#2"])
    #expect(events.filter { $0.kind == .suspend }.allSatisfy { $0.time == Timestamp(milliseconds: 1_800_000_000_000) })
  }

  @Test func `two notes of a package with the same front are both kept`() throws {
    let collection = try legacyCollection(
      models: Self.models, decks: Self.decks,
      notes: [(1, "a1", 1, "", ["same", "one"]), (2, "a2", 1, "", ["same", "two"])],
      cards: [(10, 1, 10, 0, 0), (20, 2, 10, 0, 0)])
    let path = write("same.apkg", ZipWriter.archive([ZipWriter.Entry(name: "collection.anki2", data: collection)]))
    #expect(try importing(path).added == 2)
  }

  @Test func `a cloze number used for two blanks is one card, as in Anki`() throws {
    let collection = try legacyCollection(
      models: Self.models, decks: Self.decks,
      notes: [(1, "twice", 2, "", ["{{c1::red}} and {{c1::blue}} and {{c2::green}}", ""])],
      cards: [(10, 1, 10, 0, 0), (11, 1, 10, 1, 0)],
      revlog: [(1_700_000_000_000, 10, 3, 0, 0), (1_700_000_000_001, 11, 2, 0, 0)])
    let path = write("twice.apkg", ZipWriter.archive([ZipWriter.Entry(name: "collection.anki2", data: collection)]))
    let summary = try importing(path)
    let note = try #require(try deck("lang-spanish").notes.first)
    #expect(note.content == .cloze("{{c1::red}} and {{c1::blue}} and {{c2::green}}"))
    #expect(note.cards(deckID: "d").map(\.front) == ["[...] and [...] and green", "red and blue and [...]"])
    #expect(note.cards(deckID: "d").map(\.back) == ["red, blue", "green"])
    #expect(summary.warnings.isEmpty)
    #expect(try logEvents().map(\.card) == ["lang-spanish/twice#1", "lang-spanish/twice#2"])
  }

  @Test func `a card edited in Anki keeps its id and history on re-import`() throws {
    func package(answer: String) throws -> String {
      let collection = try legacyCollection(
        models: Self.models, decks: Self.decks, notes: [(1, "keep", 1, "", ["question", answer])],
        cards: [(10, 1, 10, 0, 0)], revlog: [(1_700_000_000_000, 10, 3, 0, 0)])
      return write(
        "edit-\(answer).apkg", ZipWriter.archive([ZipWriter.Entry(name: "collection.anki2", data: collection)]))
    }
    _ = try importing(try package(answer: "old"))
    let summary = try importing(try package(answer: "new"))
    #expect(summary.updated == 1)
    #expect(summary.historyPresent == 1)
    #expect(try deck("lang-spanish").notes.map(\.content) == [.basic(question: "question", answer: "new")])
    let workspace = try Workspace(directory: directory, now: Timestamp(milliseconds: 1_800_000_000_000))
    #expect(workspace.records["lang-spanish/keep"]?.reviewCount == 1)
  }

  // MARK: bad packages: each is refused and the data directory stays byte for byte the same

  /// Imports `path` over a data directory that already holds a deck and history, expects
  /// `message` in the error, and checks that nothing changed.
  func expectRefused(_ path: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if !FileManager.default.fileExists(atPath: ownLog) {
      _ = try importing(try builtPackage())
    }
    let before = snapshot()
    #expect(before.keys.contains("reviews/local.tsv"), sourceLocation: sourceLocation)
    do {
      _ = try importing(path)
      Issue.record("the import of \(path) should fail", sourceLocation: sourceLocation)
    } catch {
      let text = String(describing: error)
      #expect(text.contains(message), "\(text)", sourceLocation: sourceLocation)
      #expect(text.hasPrefix(path), sourceLocation: sourceLocation)
    }
    #expect(snapshot() == before, sourceLocation: sourceLocation)
  }

  func realCollection() throws -> [UInt8] {
    let package = try AnkiPackage(path: Self.fixture("anki_export_legacy.apkg"))
    return package.collectionBytes
  }

  @Test func `a file that is not a zip is refused`() throws {
    try expectRefused(write("notzip.apkg", Array("just some text\n".utf8)), "not a zip archive")
  }

  @Test func `a damaged zip is refused`() throws {
    let bytes = try #require(FileManager.default.contents(atPath: Self.fixture("anki_export_legacy.apkg"))).map { $0 }
    try expectRefused(write("cut.apkg", Array(bytes.prefix(bytes.count / 2))), "not a zip archive")
  }

  @Test func `a zip without a collection is refused`() throws {
    let path = write("empty.apkg", ZipWriter.archive([ZipWriter.Entry(name: "media", data: Array("{}".utf8))]))
    try expectRefused(path, "no Anki collection inside")
  }

  @Test(arguments: ["../evil", "/etc/evil", "media/../../evil", "C:\\evil"])
  func `entries with absolute or parent paths are refused`(entry: String) throws {
    let path = write(
      "slip.apkg",
      ZipWriter.archive([
        ZipWriter.Entry(name: "collection.anki2", data: try realCollection()),
        ZipWriter.Entry(name: entry, data: Array("x".utf8)),
      ]))
    try expectRefused(path, "unsafe entry path '\(entry)'")
  }

  @Test func `a collection declaring 1 GB is refused as a zip bomb`() throws {
    let path = write(
      "bomb.apkg",
      ZipWriter.archive([ZipWriter.Entry(name: "collection.anki21", data: try realCollection(), declaredSize: 1 << 30)])
    )
    try expectRefused(path, "possible zip bomb")
  }

  @Test func `a zstd collection that expands past the limit is stopped while expanding`() throws {
    // The modern fixture's collection.anki21b is 9,001 bytes of zstd that expand far beyond 20,000.
    let path = Self.fixture("anki_export_modern.apkg")
    #expect(throws: AnkiPackage.Problem.tooLarge(file: path, entry: "collection.anki21b", limit: 20_000)) {
      _ = try AnkiPackage(path: path, limit: 20_000)
    }
  }

  @Test func `a truncated SQLite collection is refused as corrupt`() throws {
    let collection = try realCollection()
    let path = write(
      "truncated.apkg",
      ZipWriter.archive([
        ZipWriter.Entry(name: "collection.anki21", data: Array(collection.prefix(collection.count / 2)))
      ]))
    try expectRefused(path, "not a readable SQLite database")
  }

  @Test func `a collection that is not SQLite at all is refused as corrupt`() throws {
    let path = write(
      "garbage.apkg",
      ZipWriter.archive([ZipWriter.Entry(name: "collection.anki21", data: Array(repeating: 0x42, count: 8192))]))
    try expectRefused(path, "not a readable SQLite database")
  }

  @Test func `damaged zstd data is refused as corrupt`() throws {
    let package = try #require(FileManager.default.contents(atPath: Self.fixture("anki_export_modern.apkg"))).map { $0 }
    // Pull the stored collection.anki21b out of the real package and cut it short.
    let compressed = try #require(Self.storedEntry("collection.anki21b", in: package))
    let size = compressed.count
    let path = write(
      "zstd.apkg",
      ZipWriter.archive([ZipWriter.Entry(name: "collection.anki21b", data: Array(compressed.prefix(size / 2)))]))
    try expectRefused(path, "zstd")
  }

  /// The bytes of a stored (uncompressed) zip entry, found by its local header.
  static func storedEntry(_ entryName: String, in zip: [UInt8]) -> [UInt8]? {
    let name: [UInt8] = Array(entryName.utf8)
    let signature: [UInt8] = [0x50, 0x4b, 0x03, 0x04]
    var index = 0
    while index + 30 + name.count <= zip.count {
      let nameStart = index + 30
      if Array(zip[index..<index + 4]) == signature, Array(zip[nameStart..<nameStart + name.count]) == name {
        let size =
          Int(zip[index + 18]) | Int(zip[index + 19]) << 8 | Int(zip[index + 20]) << 16 | Int(zip[index + 21]) << 24
        let extra = Int(zip[index + 28]) | Int(zip[index + 29]) << 8
        let start = nameStart + name.count + extra
        return Array(zip[start..<start + size])
      }
      index += 1
    }
    return nil
  }

  /// Damaged packages (bytes changed or cut short, a fixed set drawn from a seed) either import
  /// or fail with a package error; none crashes, and a failure changes nothing.
  @Test(arguments: ["anki_export_legacy.apkg", "anki_export_modern.apkg"])
  func `randomly damaged packages fail cleanly or import`(name: String) throws {
    let original = try #require(FileManager.default.contents(atPath: Self.fixture(name))).map { $0 }
    _ = try importing(try builtPackage())
    var random = SeededRandom(seed: 2026)
    var failures = 0
    for round in 0..<30 {
      var bytes = original
      for _ in 0..<Int.random(in: 1...12, using: &random) {
        bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
      }
      if round % 5 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random))) }
      let path = write("damaged-\(round).apkg", bytes)
      let before = snapshot()
      do {
        _ = try importing(path)
      } catch {
        failures += 1
        #expect(String(describing: error).hasPrefix(path), "\(error)")
        #expect(snapshot() == before, "round \(round) changed the data directory")
      }
    }
    #expect(failures > 0)
  }

  @Test func `an unknown schema version is refused`() throws {
    let collection = try legacyCollection(
      models: Self.models, decks: Self.decks, notes: [(1, "x", 1, "", ["a", "b"])], cards: [(10, 1, 10, 0, 0)],
      version: 99)
    let path = write("future.apkg", ZipWriter.archive([ZipWriter.Entry(name: "collection.anki2", data: collection)]))
    try expectRefused(path, "unknown Anki collection schema version 99")
  }

  @Test func `a failure while moving decks into place takes the appended history back out`() throws {
    _ = try importing(try builtPackage())
    let log = ReviewLog(path: ownLog)
    let before = try #require(FileManager.default.contents(atPath: log.path))
    let event = ReviewEvent(time: Timestamp(milliseconds: 1), card: "x/y", action: .review(.good))
    #expect(throws: FileError.self) {
      try log.append([event]) { () throws(FileError) in throw FileError.cannotWrite(path: "deck", reason: "test") }
    }
    #expect(FileManager.default.contents(atPath: log.path) == before)
    // With no log before, none is left behind.
    let fresh = ReviewLog(path: home.path + "/fresh.tsv")
    #expect(throws: FileError.self) {
      try fresh.append([event]) { () throws(FileError) in throw FileError.cannotWrite(path: "deck", reason: "test") }
    }
    #expect(!FileManager.default.fileExists(atPath: fresh.path))
  }

  // MARK: hostile packages: extreme numbers, limits, linear conversion

  func hostilePackage(
    _ name: String, notes: [(Int64, String, Int64, String, [String])] = [(1, "h1", 1, "", ["front", "back"])],
    cards: [(id: Int64, note: Int64, deck: Int64, ord: Int, queue: Int)] = [(10, 1, 10, 0, -1)],
    revlog: [(id: Int64, card: Int64, ease: Int, type: Int, factor: Int)]
  ) throws -> String {
    let collection = try legacyCollection(
      models: Self.models, decks: Self.decks, notes: notes, cards: cards, revlog: revlog)
    return write(name, ZipWriter.archive([ZipWriter.Entry(name: "collection.anki2", data: collection)]))
  }

  @Test(arguments: [Int64.max, Int64.min, -62_167_219_200_001, 253_402_300_800_000])
  func `a review time the log cannot hold is left out with a warning, in a dry run and an import`(time: Int64) throws {
    // -62167219200000 is 0000-01-01T00:00:00Z and 253402300800000 is 10000-01-01T00:00:00Z
    // (proleptic Gregorian, seconds × 1000): the first is just outside, as is the second.
    let path = try hostilePackage("time.apkg", revlog: [(time, 10, 3, 1, 2500), (1_700_000_000_000, 10, 3, 1, 2500)])
    for dryRun in [true, false] {
      let summary = try importing(path, dryRun: dryRun)
      #expect(summary.historyAdded == 1)
      #expect(
        summary.warnings.contains {
          $0.contains("1 review-log row was left out: their times fall outside the years 0000–9999")
        })
    }
    #expect(try logEvents().filter { $0.kind == .review }.map(\.time.milliseconds) == [1_700_000_000_000])
    // The suspension is logged after the last review, and the log reads back whole.
    #expect(try ReviewLog(path: ownLog).read().warnings.isEmpty)
  }

  @Test func `the first and last millisecond the log can hold are imported and read back`() throws {
    let first: Int64 = -62_167_219_200_000
    let last: Int64 = 253_402_300_799_999
    let path = try hostilePackage(
      "edge.apkg", cards: [(10, 1, 10, 0, 0)], revlog: [(first, 10, 3, 1, 2500), (last, 10, 3, 1, 2500)])
    _ = try importing(path)
    let contents = try ReviewLog(path: ownLog).read()
    #expect(contents.warnings.isEmpty)
    #expect(contents.events.map(\.time.milliseconds) == [first, last])
    #expect(
      String(decoding: try #require(FileManager.default.contents(atPath: ownLog)), as: UTF8.self)
        .contains("0000-01-01T00:00:00.000Z\tlang-spanish/h1"))
  }

  @Test(arguments: [Int.max, Int.min, 10_001, -1])
  func `a card ordinal no template can have is left out with a warning, in a dry run and an import`(ord: Int) throws {
    let path = try hostilePackage(
      "ord.apkg", notes: [(1, "h1", 2, "", ["{{c1::a}} {{c2::b}}", ""])],
      cards: [(10, 1, 10, ord, 0), (11, 1, 10, 1, 0)],
      revlog: [(1_700_000_000_000, 10, 3, 1, 2500), (1_700_000_000_001, 11, 3, 1, 2500)])
    for dryRun in [true, false] {
      let summary = try importing(path, dryRun: dryRun)
      #expect(summary.historyAdded == 1)
      #expect(
        summary.warnings.contains {
          $0.contains(
            "1 card with a template number outside 0–10000 (a damaged package) was left out; 1 review-log row of it not imported"
          )
        })
      #expect(summary.account?.cardsLeftOut == 1)
    }
  }

  @Test func `a revlog id and card id of the largest integer import`() throws {
    let path = try hostilePackage(
      "ids.apkg", notes: [(Int64.max, "h1", 1, "", ["front", "back"])], cards: [(Int64.max, Int64.max, 10, 0, 0)],
      revlog: [(1_700_000_000_000, Int64.max, 3, 1, 2500)])
    #expect(try importing(path, dryRun: true).historyAdded == 1)
    #expect(try importing(path).historyAdded == 1)
  }

  @Test func `a note with more fields than the limit is refused, naming it by its front`() throws {
    let fields = ["the front"] + (1...ImportLimits.fieldsPerNote).map { "f\($0)" }
    let path = try hostilePackage("wide.apkg", notes: [(1, "h1", 1, "", fields)], revlog: [])
    try expectRefused(path, "note 'the front': \(fields.count) fields; at most \(ImportLimits.fieldsPerNote) per note")
  }

  @Test func `a field over the size limit is refused before it is converted`() throws {
    let path = try hostilePackage(
      "huge.apkg", notes: [(1, "h1", 1, "", ["front", String(repeating: "<", count: ImportLimits.fieldBytes + 1)])],
      revlog: [])
    try expectRefused(path, "note 'front': a field of \(ImportLimits.fieldBytes + 1) bytes")
  }

  @Test func `a cloze with more blanks than the limit is refused`() throws {
    let text = (1...(ImportLimits.blanksPerNote + 1)).map { "{{c1::w\($0)}}" }.joined(separator: " ")
    let path = try hostilePackage("blanks.apkg", notes: [(1, "h1", 2, "", [text, ""])], revlog: [])
    try expectRefused(
      path, "\(ImportLimits.blanksPerNote + 1) cloze blanks; at most \(ImportLimits.blanksPerNote) per note")
  }

  /// Inputs that made the old scanners quadratic (10^10 steps, minutes, at full size): a
  /// prefix, a unit repeated (12,500 times per scale step: 100,000 at scale 8) and a suffix.
  struct HostileText {
    var prefix = ""
    var unit: String
    var count = 12_500
    var suffix = ""
    func text(scale: Int) -> String { prefix + String(repeating: unit, count: count * scale) + suffix }
  }

  static let hostileTexts: [HostileText] = [
    HostileText(unit: "<"), HostileText(unit: "<a"), HostileText(unit: "&amp"), HostileText(unit: "<!--"),
    HostileText(unit: "{{c"), HostileText(unit: "{{c1::"), HostileText(unit: "[sound:"),
    HostileText(unit: "<img"), HostileText(unit: "<img>", count: 6_250, suffix: "[sound:"),
    HostileText(prefix: "<script>", unit: "<"), HostileText(unit: "\\("),
    HostileText(prefix: "\\(", unit: "{", suffix: "\\)"), HostileText(unit: "\\(x\\)", count: 6_250),
    HostileText(unit: "漢["), HostileText(unit: "漢[か]", count: 6_250),
  ]

  static let converters: [(String, @Sendable (String) -> Void)] = [
    ("html", { _ = HTMLText.plain($0) }), ("media", { _ = AnkiConverter.withMediaPlaceholders($0) }),
    ("cloze", { _ = AnkiConverter.cloze($0) }),
    (
      "latex",
      {
        var unconverted = 0
        _ = LaTeXText.readable($0, unconverted: &unconverted)
      }
    ),
    ("furigana", { _ = Furigana.readable($0) }),
  ]

  /// Linear, not quadratic, judged by growth rather than by a wall-clock limit: each hostile
  /// text at 1/8 and at full size, timed by this thread's CPU time (a loaded machine preempts
  /// a long run more often than a short one, which skews wall-clock ratios: at load 12 they
  /// reached 44 for a linear converter), the least of seven runs each. Eight times the input
  /// takes about 8 times as long when linear (5 to 12 measured) and 64 times when quadratic,
  /// which at full size is 10^10 steps (seconds to minutes): under 50 ms at full size is
  /// linear whatever the ratio.
  @Test(.serialized, arguments: 0..<5)
  func `conversion is linear on hostile text`(converter: Int) {
    let (name, convert) = Self.converters[converter]
    func cpuTime(_ work: () -> Void) -> Duration {
      var start = timespec()
      var end = timespec()
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
      work()
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
      return .seconds(end.tv_sec - start.tv_sec) + .nanoseconds(end.tv_nsec - start.tv_nsec)
    }
    for (number, hostile) in Self.hostileTexts.enumerated() {
      let texts = (small: hostile.text(scale: 1), large: hostile.text(scale: 8))
      var small = Duration.seconds(3600)
      var large = Duration.seconds(3600)
      for _ in 0..<7 {
        small = min(small, cpuTime { convert(texts.small) })
        large = min(large, cpuTime { convert(texts.large) })
      }
      let ratio = large / max(small, .microseconds(1))
      #expect(large < .milliseconds(50) || ratio < 24, "\(name) on text \(number): \(small) then \(large)")
    }
  }

  @Test func `a field of 100,000 less-than signs is kept as text`() {
    #expect(HTMLText.plain(String(repeating: "<", count: 100_000)) == String(repeating: "<", count: 100_000))
    #expect(HTMLText.plain("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2")
  }

  @Test func `a killed import's expanded collection is cleared by the next import`() throws {
    let stale = home.path + "/data/.staging/2147483646-abcdef"
    try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: stale + "/collection.sqlite", contents: Data(count: 4096))
    _ = try importing(try builtPackage())
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(!FileManager.default.fileExists(atPath: home.path + "/data/.staging"))
  }

  // MARK: accounting: every card and review-log row imported or named as left out

  @Test func `the summary accounts for every card and review-log row, with reasons`() throws {
    // Cards: rev1 ×2 and typed/voc/onlymedia, the cloze's c1 and c2, plus a card of a
    // missing note type, a card of a note not in the package, and a cloze card (c3) whose
    // number has no blank: 10 cards. Reviews: the 6 of builtPackage's history, one of the
    // missing-type card and one of the c3 card: 8 rows.
    let collection = try legacyCollection(
      models: Self.models, decks: Self.decks,
      notes: [
        (100, "rev1", 1, "", ["comer", "to eat"]),
        (101, "Cl/oze", 2, "", ["{{c2::Madrid}} is the capital of {{c1::Spain}}", ""]),
        (102, "voc", 3, "", ["perro", "dog", "El perro ladra."]), (103, "typed", 4, "", ["gato", "cat"]),
        (104, "onlymedia", 1, "", ["<img src=\"x.png\">", "x"]), (105, "lost", 99, "", ["no type", "x"]),
      ],
      cards: [
        (1000, 100, 11, 0, 0), (1001, 100, 11, 1, 0), (1010, 101, 10, 0, 0), (1011, 101, 10, 1, 0),
        (1012, 101, 10, 2, 0),
        (1020, 102, 10, 0, 0), (1030, 103, 10, 0, 0), (1040, 104, 10, 0, 0), (1050, 105, 10, 0, 0),
        (1060, 999, 10, 0, 0),
      ],
      revlog: [
        (1_700_000_000_000, 1000, 3, 0, 0), (1_700_000_100_000, 1011, 1, 0, 0), (1_700_000_200_000, 1000, 0, 4, 0),
        (1_700_000_300_000, 1010, 4, 3, 0), (1_700_000_400_000, 1010, 3, 3, 2500),
        (1_700_000_050_000, 1020, 2, 1, 2500),
        (1_700_000_500_000, 1050, 3, 1, 2500), (1_700_000_600_000, 1012, 3, 1, 2500),
      ])
    let path = write("account.apkg", ZipWriter.archive([ZipWriter.Entry(name: "collection.anki2", data: collection)]))
    let summary = try importing(path)
    let account = try #require(summary.account)
    #expect(account == Importer.Account(cards: 10, cardsImported: 7, reviews: 8, reviewsImported: 4, reviewsPresent: 0))
    #expect(account.cardsLeftOut == 3)
    #expect(account.reviewsLeftOut == 4)
    let reasons = summary.warnings.joined(separator: "\n")
    #expect(
      reasons.contains(
        "1 card whose note type is missing from the package was left out; 1 review-log row of it not imported")
    )
    #expect(
      reasons.contains(
        "1 card of cloze numbers no blank of their note has any more was left out; 1 review-log row of it not imported"
      ))
    #expect(
      reasons.contains(
        "1 card whose note is missing from the package was left out; 0 review-log rows of it not imported"))
    #expect(reasons.contains("2 review-log rows were left out: manual entries"))
    #expect(reasons.contains("note 'no type' uses a note type missing"))
    // Imported again: every review is already there.
    let again = try #require(try importing(path).account)
    #expect(again.reviewsPresent == 4)
    #expect(again.reviewsImported == 0)
  }

  @Test func `an import reports its stages with their counts, and a dry run stops before writing`() throws {
    nonisolated(unsafe) var reports: [(stage: String, done: Int, total: Int)] = []
    let path = Self.fixture("anki_history_legacy.apkg")
    /// The stages in order, each once.
    func stages() -> [String] {
      reports.map(\.stage).reduce(into: []) { names, stage in if names.last != stage { names.append(stage) } }
    }
    _ = try Importer(directory: directory).importFile(path, dryRun: true) { reports.append(($0, $1, $2)) }
    // Manifest: 500 cards and notes in one deck, 4,912 rated reviews; 5 suspensions are logged too.
    #expect(stages() == ["reading", "converting", "merging"])
    #expect(reports.filter { $0.stage == "converting" }.map(\.total) == [500])
    #expect(reports.filter { $0.stage == "merging" }.map { "\($0.done)/\($0.total)" } == ["0/1", "1/1"])
    // Each stage's count never goes back.
    for stage in stages() {
      let done = reports.filter { $0.stage == stage }.map(\.done)
      #expect(done == done.sorted())
    }
    reports = []
    _ = try Importer(directory: directory).importFile(path) { reports.append(($0, $1, $2)) }
    #expect(stages() == ["reading", "converting", "merging", "writing"])
    #expect(reports.last.map { "\($0.stage) \($0.total)" } == "writing 4917")
  }
}
