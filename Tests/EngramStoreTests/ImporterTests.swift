import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

@Suite struct ImporterTests {
  let home = TemporaryDirectory()
  var directory: DataDirectory { DataDirectory(path: home.path + "/data") }

  init() throws { try DataDirectory(path: home.path + "/data").create() }

  func importing(
    _ name: String, _ text: String, deck: String? = nil, policy: Importer.DuplicatePolicy = .skip, dryRun: Bool = false
  ) throws -> Importer.Summary {
    let path = home.write(name, text)
    return try Importer(directory: directory).importFile(path, deckName: deck, onDuplicate: policy, dryRun: dryRun)
  }

  func deck(_ id: String) throws -> Deck {
    try DeckParser.parse(try #require(home.read("data/decks/\(id).md")), file: id)
  }

  /// Every file under the data directory with its bytes, to prove nothing changed.
  func snapshot() -> [String: Data] { home.snapshot("data") }

  @Test func `anki text headers choose separator, html, tags, deck, guid and note type`() throws {
    let summary = try importing(
      "words.csv",
      "#separator:Semicolon\n#html:true\n#tags:lang vocab\n#guid column:1\n#deck column:2\n#tags column:5\n"
        + "g1;Spanish::Basics;hola;\"hello<br>hi &amp; bye\";greeting\n"
        + "g2;Spanish::Basics;\"adi&oacute;s; amigo\";\"bye \"\"friend\"\"\";\n"
        + "# a comment line\n"
        + "g3;Spanish::Verbs;comer;to eat;verb extra-column;ignored\n")
    #expect(summary.decks == ["spanish-basics", "spanish-verbs"])
    #expect(summary.added == 3)
    let basics = try deck("spanish-basics")
    #expect(basics.title == "Spanish / Basics")
    #expect(basics.notes.map(\.id) == ["g1", "g2"])
    #expect(basics.notes[0].content == .basic(question: "hola", answer: "hello\n\nhi & bye"))
    #expect(basics.notes[0].tags == ["lang", "vocab", "greeting"])
    #expect(basics.notes[1].content == .basic(question: "adiós; amigo", answer: "bye \"friend\""))
    #expect(try deck("spanish-verbs").notes[0].tags == ["lang", "vocab", "verb", "extra-column"])
  }

  @Test func `windows line endings and a separator outside ascii are read like any other file`() throws {
    _ = try importing("crlf.csv", "#separator:Semicolon\r\n#deck:Windows\r\nuno;one\r\n\"dos\r\nlines\";two\r\n")
    #expect(
      try deck("windows").notes.map(\.content) == [
        .basic(question: "uno", answer: "one"), .basic(question: "dos\n\nlines", answer: "two"),
      ])
    _ = try importing("section.txt", "#separator:§\n#html:false\nhola§hello\n", deck: "Section")
    #expect(try deck("section").notes.map(\.content) == [.basic(question: "hola", answer: "hello")])
  }

  /// Anki's own "Notes in Plain Text" exports (`Fixtures/make_anki_text_fixtures.py`): formulas
  /// and furigana read as in a package, with or without HTML.
  @Test(arguments: ["anki_notes_html_true.txt", "anki_notes_html_false.txt"])
  func `formulas and furigana in an anki text export read as in a package`(name: String) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/\(name)").path
    let summary = try Importer(directory: directory).importFile(path)
    let html = name.contains("true")
    #expect(summary.decks == ["maths-greek"])
    #expect(summary.added == 5)
    let notes = try deck("maths-greek").notes
    // \pi is π and r^2 is r² (a superscript digit); \frac{1}{2} is 1/2.
    #expect(notes[0].content == .basic(question: "Area of a circle of radius r", answer: "π r²"))
    #expect(notes[0].tags == ["geometry"])
    #expect(notes[1].content == .basic(question: "α + β", answer: "1/2"))
    // The space before 勉強 only marks where its base starts; Japanese precedes it, so it goes.
    #expect(
      notes[2].content
        == .basic(
          question: "日本語(にほんご)を勉強(べんきょう)する",
          answer: html ? "to study Japanese\n\na second line" : "to study Japanese a second line"))
    // The blank keeps its number and hint; the formula in it and in the extra are converted.
    #expect(notes[3].content == .cloze("{{c1::√x::root}} of x"))
    #expect(notes[3].why == "∑ᵢ xᵢ")
    // Without HTML, Anki's exporter drops media references; with it they become placeholders.
    #expect(
      notes[4].content
        == (html
          ? .basic(question: "dog [image: dog.jpg]", answer: "perro [audio: perro.mp3]")
          : .basic(question: "dog", answer: "perro")))
    let mediaWarning = summary.warnings.first { $0.contains("image and sound files") }
    #expect((mediaWarning != nil) == html)
    if html {
      #expect(
        mediaWarning?.contains("2 image and sound files") == true
          && mediaWarning?.contains("carries no media files") == true)
    }
    #expect(!summary.warnings.contains { $0.contains("[math:") })
  }

  @Test func `the fuzz target's text reader gives the decks an import writes, and its errors`() throws {
    let text = "#separator:tab\n#deck:Reader\nuno\tone\ndos\ttwo\n"
    let decks = try Importer.readTextExport(Array(text.utf8), file: "reader.tsv")
    _ = try importing("reader.tsv", text)
    #expect(decks.map(\.id) == ["reader"])
    #expect(decks.first?.notes.map(\.content) == (try deck("reader")).notes.map(\.content))
    // Errors as an import gives them: text that is not UTF-8, a quote never closed.
    let notUTF8 = #expect(throws: Importer.Failure.self) {
      try Importer.readTextExport([0x66, 0xFF, 0x09, 0x61, 0x0A], file: "bad.tsv")
    }
    if case .badText = notUTF8 {} else { Issue.record("expected badText, got \(String(describing: notUTF8))") }
    let open = #expect(throws: Importer.Failure.self) {
      try Importer.readTextExport(Array("a\t\"b\n".utf8), file: "quote.tsv")
    }
    #expect(open?.description.hasPrefix("quote.tsv:1: a quoted field is never closed") == true)
  }

  @Test func `a formula a text file uses that is not converted is kept and counted once`() throws {
    let summary = try importing(
      "math.tsv", "#html:true\n\\(\\begin{matrix} a \\end{matrix}\\)\tmatrix\n[$]\\weird[/$] \\(\\alpha\\)\tboth\n",
      deck: "Math")
    let notes = try deck("math").notes
    #expect(notes[0].content == .basic(question: "[math: \\begin{matrix} a \\end{matrix}]", answer: "matrix"))
    #expect(notes[1].content == .basic(question: "[math: \\weird] α", answer: "both"))
    #expect(
      summary.warnings.filter { $0.contains("formulas use LaTeX") } == [
        "\(home.path)/math.tsv: 2 formulas use LaTeX Engram does not convert; they are kept as written between [math: …]"
      ])
  }

  @Test func `html false keeps text as written and a literal separator works`() throws {
    _ = try importing("raw.txt", "#separator:|\n#html:false\nQ <b>one</b>|A one\n", deck: "Raw")
    #expect(try deck("raw").notes[0].content == .basic(question: "Q <b>one</b>", answer: "A one"))
  }

  @Test func `without headers the separator is guessed and the file name names the deck`() throws {
    _ = try importing("capitals.txt", "France\tParis\nItaly\tRome\n")
    let capitals = try deck("capitals")
    #expect(capitals.notes.map(\.id) == ["france", "italy"])
    _ = try importing("semi.csv", "a;b\nc;d\n")
    #expect(try deck("semi").notes.count == 2)
  }

  @Test func `cloze note types become cloze cards with their extra as the explanation`() throws {
    _ = try importing(
      "cloze.tsv", "#notetype:Cloze\n{{c1::Paris::city}} is the capital of {{c2::France}}\tSince 987.\n", deck: "Geo")
    let note = try deck("geo").notes[0]
    #expect(note.content == .cloze("{{c1::Paris::city}} is the capital of {{c2::France}}"))
    #expect(
      note.cards(deckID: "geo").map(\.front) == ["[city] is the capital of France", "Paris is the capital of [...]"])
    #expect(note.why == "Since 987.")
  }

  @Test func `a row without a back is skipped with a warning naming its line`() throws {
    let summary = try importing("ragged.tsv", "one\tuno\ntwo\n", deck: "Ragged")
    #expect(summary.added == 1)
    #expect(summary.skipped == 1)
    #expect(summary.warnings.contains { $0.contains("ragged.tsv:2:") })
  }

  @Test func `re-importing an edited file updates cards in place and their history still applies`() throws {
    _ = try importing("v.csv", "#guid column:1\nid-1,hola,hello\nid-2,gato,cat\n", deck: "Vocab")
    try ReviewLog(path: directory.logPath).append([
      ReviewEvent(time: ISO8601.parse("2026-01-01T10:00:00Z")!, card: "vocab/id-1", action: .review(.easy))
    ])
    let summary = try importing("v.csv", "#guid column:1\nid-1,hola,hello (informal)\n", deck: "Vocab")
    #expect(summary.updated == 1)
    #expect(summary.notInSource == ["vocab/id-2"])
    let updated = try deck("vocab")
    #expect(updated.notes.map(\.id) == ["id-1", "id-2"])  // nothing deleted silently
    #expect(updated.notes[0].content == .basic(question: "hola", answer: "hello (informal)"))
    let workspace = try Workspace(
      directory: directory, now: ISO8601.parse("2026-01-02T10:00:00Z")!, timeZone: TimeZoneSource(identifier: "UTC"))
    #expect(workspace.records["vocab/id-1"]?.schedule?.phase == .review)
    #expect(workspace.card("vocab/id-1")?.back == "hello (informal)")
  }

  @Test(arguments: [(Importer.DuplicatePolicy.skip, 1, "cat"), (.update, 1, "kitty"), (.keepBoth, 2, "cat")])
  func `a card with the same front as another is skipped, updated or kept beside it`(
    policy: Importer.DuplicatePolicy, count: Int, firstAnswer: String
  ) throws {
    _ = try importing("a.csv", "#guid column:1\nx,gato,cat\n", deck: "Dup")
    _ = try importing("b.csv", "#guid column:1\ny,Gato!,kitty\n", deck: "Dup", policy: policy)
    let notes = try deck("dup").notes
    #expect(notes.count == count)
    #expect(notes[0].content == .basic(question: policy == .update ? "Gato!" : "gato", answer: firstAnswer))
  }

  @Test func `a dry run reports and writes nothing`() throws {
    let before = snapshot()
    let summary = try importing("d.csv", "a,b\n", deck: "Dry", dryRun: true)
    #expect(summary.added == 1)
    #expect(snapshot() == before)
  }

  @Test func `an unterminated quote names its line and leaves the data directory unchanged`() throws {
    _ = try importing("ok.csv", "a,b\n", deck: "Keep")
    let before = snapshot()
    #expect(throws: Importer.Failure.text(.unterminatedQuote(file: home.path + "/bad.csv", line: 3))) {
      _ = try importing("bad.csv", "#separator:Comma\nx,y\n\"open,never closed\nz,w\n", deck: "Keep")
    }
    #expect(snapshot() == before)
  }

  @Test func `text that is not UTF-8 is refused with the message lint gives`() throws {
    let path = home.path + "/latin.txt"
    let bytes: [UInt8] = [0x63, 0x61, 0x66, 0xE9, 0x09, 0x63, 0x6F, 0x66, 0x66, 0x65, 0x65, 0x0A]
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let before = snapshot()
    // "caf\xE9": line 1, the fourth byte.
    #expect(throws: Importer.Failure.badText(.notUTF8(file: path, line: 1, column: 4))) {
      _ = try Importer(directory: directory).importFile(path, deckName: "Latin")
    }
    #expect(snapshot() == before)
    // The same bytes in a deck file: lint and start-up read them through the same decoder.
    #expect(throws: DeckProblems(errors: [.badText(.notUTF8(file: path, line: 1, column: 4))])) {
      _ = try DeckParser.parse(bytes: bytes, file: path)
    }
  }

  @Test(arguments: ["nul.md", "nul.csv"])
  func `a NUL byte is refused by import as by lint`(name: String) throws {
    let path = home.path + "/" + name
    let bytes = Array("# T\nid: t\n\n## a\nQ: q\u{0}\nA: a\n".utf8)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(throws: Importer.Failure.badText(.nulByte(file: path, line: 5, column: 5))) {
      _ = try Importer(directory: directory).importFile(path)
    }
    #expect(throws: DeckProblems(errors: [.badText(.nulByte(file: path, line: 5, column: 5))])) {
      _ = try DeckParser.parse(bytes: bytes, file: path)
    }
  }

  @Test func `a byte order mark is dropped by import as by lint`() throws {
    let path = home.path + "/bom.csv"
    try Data([0xEF, 0xBB, 0xBF] + Array("hola\thello\n".utf8)).write(to: URL(fileURLWithPath: path))
    _ = try Importer(directory: directory).importFile(path, deckName: "Bom")
    #expect(try deck("bom").notes.map(\.content) == [.basic(question: "hola", answer: "hello")])
  }

  @Test func `a deck id another user deck file holds is refused before anything is written`() throws {
    home.write("data/decks/mine.md", "# Mine\nid: words\n\n## a\nQ: q\nA: a\n")
    let before = snapshot()
    let path = home.write("words.csv", "uno\tone\n")
    #expect(throws: Importer.Failure.deckIDTaken(file: path, id: "words", otherFile: home.path + "/data/decks/mine.md"))
    {
      _ = try Importer(directory: directory).importFile(path)
    }
    #expect(throws: Importer.Failure.self) { _ = try Importer(directory: directory).importFile(path, dryRun: true) }
    #expect(snapshot() == before)
    #expect(!FileManager.default.fileExists(atPath: home.path + "/data/.staging"))
  }

  @Test func `a file named for a deck but holding another id is refused`() throws {
    home.write("data/decks/words.md", "# Other\nid: other\n\n## a\nQ: q\nA: a\n")
    let path = home.write("words.csv", "uno\tone\n")
    #expect(throws: Importer.Failure.self) { _ = try Importer(directory: directory).importFile(path) }
  }

  @Test func `a cloze with more blanks than the limit is refused and names the note`() throws {
    let blanks = (1...(ImportLimits.blanksPerNote + 1)).map { "{{c\($0)::w\($0)}}" }.joined(separator: " ")
    let before = snapshot()
    do {
      _ = try importing("many.csv", "#notetype:Cloze\n\"Many \(blanks)\"\textra\n", deck: "Many")
      Issue.record("expected a limit error")
    } catch {
      #expect("\(error)".contains("note 'Many"))
      #expect(
        "\(error)".contains("\(ImportLimits.blanksPerNote + 1) cloze blanks; at most \(ImportLimits.blanksPerNote)"))
    }
    #expect(snapshot() == before)
  }

  @Test func `a field over the size limit is refused`() throws {
    let big = String(repeating: "x", count: ImportLimits.fieldBytes + 1)
    #expect(
      throws: Importer.Failure.overLimit(
        file: home.path + "/big.csv", note: "front",
        problem: "a field of \(ImportLimits.fieldBytes + 1) bytes; at most 1 MiB per field")
    ) {
      _ = try importing("big.csv", "front\t\(big)\n", deck: "Big")
    }
  }

  @Test func `a row with more columns than the field limit is refused`() throws {
    let row = (0...ImportLimits.fieldsPerNote).map { "c\($0)" }.joined(separator: "\t")
    #expect(throws: Importer.Failure.self) { _ = try importing("wide.tsv", row + "\n", deck: "Wide") }
  }

  @Test func `a dry run leaves a torn log line where it is`() throws {
    home.write("data/reviews.tsv", ReviewLog.header + "2026-01-01T00:00:00.000Z\tx/y\t3\t0\treview\n2026-01-01T00:0")
    let before = snapshot()
    let summary = try importing("dry.csv", "a\tb\n", deck: "Dry", dryRun: true)
    #expect(summary.added == 1)
    #expect(snapshot() == before)
  }

  @Test func `staging folders of an import that died are cleared by the next import`() throws {
    home.write("data/.staging/2147483646-abcdef/deck-0.md", "left by a killed import")
    home.write("data/.staging/\(getpid())-ghijkl/deck-0.md", "ours, in use")
    _ = try importing("ok.csv", "a,b\n", deck: "Clean")
    #expect(home.read("data/.staging/2147483646-abcdef/deck-0.md") == nil)
    #expect(home.read("data/.staging/\(getpid())-ghijkl/deck-0.md") != nil)
  }

  @Test func `markdown imports report parse errors by line and refuse shipped deck ids`() throws {
    let before = snapshot()
    #expect(throws: Importer.Failure.self) { _ = try importing("bad.md", "# T\nid: t\n\n## c\nQ: no answer\n") }
    do {
      _ = try importing("bad.md", "# T\nid: t\n\n## c\nQ: no answer\n")
    } catch {
      #expect("\(error)".contains("bad.md:4: card 'c': missing answer"))
    }
    // Only an edited Markdown copy may take a shipped deck's id; a text file may not.
    #expect(throws: Importer.Failure.shippedDeck(file: home.path + "/ml.tsv", id: "ml-fundamentals")) {
      _ = try importing("ml.tsv", "#deck:ml-fundamentals\na\tb\n")
    }
    #expect(snapshot() == before)
    let summary = try importing("mine.md", "# Mine\nid: mine\n\n## c\nQ: a\nA: b\nWhy: w\n")
    #expect(summary.added == 1)
    #expect(try deck("mine").notes[0].why == "w")
  }

  @Test func `unsupported and empty files are refused`() throws {
    #expect(throws: Importer.Failure.unsupported(file: home.path + "/deck.xlsx")) {
      _ = try importing("deck.xlsx", "PK")
    }
    #expect(throws: Importer.Failure.empty(file: home.path + "/empty.csv")) {
      _ = try importing("empty.csv", "# only\n")
    }
  }

  @Test func `a text file whose only row is column names says so and changes nothing`() throws {
    let before = snapshot()
    #expect(throws: Importer.Failure.onlyColumnNames(file: home.path + "/bom.tsv", names: ["front", "back"])) {
      _ = try importing("bom.tsv", "\u{FEFF}front\tback\n")
    }
    #expect(snapshot() == before)
  }

  @Test func `a Tags column goes to Tags: without a warning; other extra columns are named`() throws {
    let tagged = try importing("words.tsv", "front\tback\tTags\nperro\tdog\tanimal\n")
    #expect(!tagged.warnings.contains { $0.contains("columns beyond") })
    #expect(try deck("words").notes[0].tags == ["animal"])
    let sourced = try importing("more.tsv", "front\tback\tTags\tSource\ngato\tcat\tanimal\tbook 2\n")
    #expect(
      sourced.warnings.contains(
        home.path + "/more.tsv: columns beyond the front and back (Source) were kept in each card's Why:"))
    #expect(try deck("more").notes[0].why == "Source: book 2")
  }

  @Test(arguments: [1, 2, 3])
  func `an import asked to stop at any of its checks stops with nothing changed`(stopAt: Int) throws {
    home.write("data/decks/mine.md", "# Mine\nid: mine\n\n## a\nQ: q\nA: a\n")
    let before = snapshot()
    let path = home.write("words.tsv", "perro\tdog\ngato\tcat\n")
    var asked = 0
    #expect(throws: Importer.Failure.stopped) {
      _ = try Importer(directory: directory).importFile(
        path,
        shouldStop: {
          asked += 1
          return asked == stopAt
        })
    }
    #expect(asked == stopAt)
    #expect(snapshot() == before)
    #expect(!FileManager.default.fileExists(atPath: home.path + "/data/.staging"))
    // Not asked to stop: the same import goes through, having asked three times.
    asked = 0
    let summary = try Importer(directory: directory).importFile(
      path,
      shouldStop: {
        asked += 1
        return false
      })
    #expect(summary.added == 2 && asked == 3)
  }

  @Test func `slugs make readable ids`() {
    #expect(Importer.slug("Parent::Child Deck") == "parent-child-deck")
    #expect(Importer.slug("Café au lait!") == "cafe-au-lait")
  }

  @Test(arguments: ["agile-scrum", "ml-fundamentals"])
  func `a shipped deck exported to TSV and imported again gives the same cards`(id: String) throws {
    let original = try #require(DeckLibrary.shipped().deck(id: id))
    let path = home.write("\(id).tsv", DeckExporter.tsv(original))
    // The shipped id is taken, so import under another deck name.
    let summary = try Importer(directory: directory).importFile(path, deckName: "copy")
    #expect(summary.added == original.cards.count)  // counted in cards, a cloze blank each
    #expect(summary.skipped == 0)
    let copy = try deck(summary.decks[0])
    let ids = { (deck: Deck) in deck.cards.map { String($0.key.split(separator: "/").last ?? "") } }
    #expect(ids(copy) == ids(original))
    #expect(copy.cards.map(\.front) == original.cards.map(\.front))
    #expect(copy.cards.map(\.back) == original.cards.map(\.back))
    #expect(copy.notes.map(\.tags) == original.notes.map(\.tags))
  }

  // MARK: text files: header rows, extra columns, ids

  @Test func `a header row names the columns and is not a card; extra columns go to Why and Tags`() throws {
    let summary = try importing(
      "vocab.tsv",
      "Word\tReading\tMeaning\tExample\tTags\n向量\tこうりょう\tvector\t向量を足す\tmath noun\n猫\tねこ\tcat\t\tanimal\n",
      deck: "Vocab")
    let notes = try deck("vocab").notes
    #expect(notes.count == 2)
    #expect(notes[0].content == .basic(question: "向量", answer: "vector"))
    #expect(notes[0].why == "Reading: こうりょう\n\nExample: 向量を足す")
    #expect(notes[0].tags == ["math", "noun"])
    #expect(notes[1].why == "Reading: ねこ")
    #expect(
      summary.warnings.contains {
        $0.contains("the first row was read as column names (Word, Reading, Meaning, Example, Tags)")
      })
    #expect(summary.warnings.contains { $0.contains("(Example, Reading) were kept") })
  }

  @Test func `columns named in a columns header are mapped by name`() throws {
    _ = try importing("named.csv", "#separator:Comma\n#columns:Back,Notes,Front\nperro,a pet,dog\n", deck: "Named")
    let note = try deck("named").notes[0]
    #expect(note.content == .basic(question: "dog", answer: "perro"))
    #expect(note.why == "a pet")
  }

  @Test func `fronts in other scripts get stable hash ids, not row numbers`() throws {
    _ = try importing("one.tsv", "向量\tvector\n行列\tmatrix\n", deck: "One")
    _ = try importing("two.tsv", "行列\tmatrix\n向量\tvector\n", deck: "Two")
    let one = try deck("one").notes
    let two = try deck("two").notes
    #expect(one.allSatisfy { $0.id.hasPrefix("t") && $0.id != "card" })
    #expect(Set(one.map(\.id)).count == 2)
    #expect(one[0].id == two[1].id)
    #expect(one[1].id == two[0].id)
    // Accented Latin still reads as a slug.
    _ = try importing("latin.tsv", "Café au lait\tcoffee\n", deck: "Latin")
    #expect(try deck("latin").notes[0].id == "cafe-au-lait")
  }

  // MARK: overriding a shipped deck

  @Test func `an edited markdown copy of a shipped deck overrides it and keeps every card's history`() throws {
    let shipped = try #require(DeckLibrary.shipped().deck(id: "ml-fundamentals"))
    let first = shipped.notes[0]
    guard case .basic(_, let answer) = first.content else {
      Issue.record("expected a basic card")
      return
    }
    // The learner reviewed the card, then fixes a typo in its question.
    let key = "ml-fundamentals/\(first.id)"
    try ReviewLog(path: directory.logPath).append([
      ReviewEvent(time: Timestamp(milliseconds: 1_767_225_600_000), card: key, action: .review(.good))
    ])
    var edited = shipped
    edited.notes = [first]
    edited.notes[0].content = .basic(question: "Fixed: which learning uses labelled examples?", answer: answer)
    let summary = try importing("ml.md", DeckWriter.markdown(edited))
    #expect(summary.updated == 1)
    #expect(summary.warnings.contains { $0.contains("now overrides it, and the history of its cards is kept") })
    // The other shipped cards are kept in the copy, listed as not in the file.
    #expect(summary.notInSource.count == shipped.notes.count - 1)
    let library = DeckLibrary.load(userDecks: directory.decksPath)
    #expect(library.problems.isEmpty)
    #expect(library.overrides["ml-fundamentals"] == directory.decksPath + "/ml-fundamentals.md")
    #expect(library.deck(id: "ml-fundamentals")?.cards.first?.front == "Fixed: which learning uses labelled examples?")
    #expect(library.deck(id: "ml-fundamentals")?.notes.count == shipped.notes.count)
    // Only the edited card differs from the shipped copy.
    #expect(library.shippedDifferences(of: "ml-fundamentals") == [first.id])
    let workspace = try Workspace(directory: directory, now: Timestamp(milliseconds: 1_800_000_000_000))
    #expect(workspace.records[key]?.reviewCount == 1)
    #expect(workspace.library.deck(id: "ml-fundamentals")?.source.hasSuffix("decks/ml-fundamentals.md") == true)
  }

  @Test func `inserting a numbered blank before the others moves no history`() throws {
    home.write("data/decks/geo.md", "# Geo\nid: geo\n\n## capital\nC: {{c1::Paris}} is the capital of {{c2::France}}\n")
    try ReviewLog(path: directory.logPath).append([
      ReviewEvent(time: Timestamp(milliseconds: 1_767_225_600_000), card: "geo/capital#1", action: .review(.good)),
      ReviewEvent(time: Timestamp(milliseconds: 1_767_225_700_000), card: "geo/capital#2", action: .review(.again)),
    ])
    let now = Timestamp(milliseconds: 1_800_000_000_000)
    let before = try Workspace(directory: directory, now: now).records
    home.write(
      "data/decks/geo.md",
      "# Geo\nid: geo\n\n## capital\nC: Since {{c3::987}}, {{c1::Paris}} is the capital of {{c2::France}}\n")
    let workspace = try Workspace(directory: directory, now: now)
    let cards = try #require(workspace.library.deck(id: "geo")).cards
    #expect(cards.map(\.key) == ["geo/capital#1", "geo/capital#2", "geo/capital#3"])
    #expect(cards.map(\.back) == ["Paris", "France", "987"])
    #expect(workspace.records["geo/capital#1"] == before["geo/capital#1"])
    #expect(workspace.records["geo/capital#2"] == before["geo/capital#2"])
    #expect(workspace.records["geo/capital#3"] == nil)
  }
}
