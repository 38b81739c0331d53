import EngramTestSupport
import Foundation
import Testing

/// `export … FILE.apkg`: read back by Anki's own library (`bench/check_apkg_in_anki.py` in the
/// venv `make bench` creates, or `$ENGRAM_ANKI_PYTHON`) and by Engram's importer. Expected
/// counts come from the fixtures' references: `anki_features.colpkg` (its script: perro
/// reviewed Good, Again, Good; the Spain cloze card Easy; vivir's reverse Good then Forget) and
/// `anki_history_manifest.json` (4,912 rated reviews, 5 suspended).
@Suite(.serialized) struct AnkiExportTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let features = root.appending(path: "Tests/EngramStoreTests/Fixtures/anki_features.colpkg").path
  static let history = sharedDirectory().appending(path: "fixtures/anki_history_legacy.apkg").path

  static var ankiPython: String? {
    let path =
      ProcessInfo.processInfo.environment["ENGRAM_ANKI_PYTHON"]
      ?? root.appending(path: "bench-data/anki-venv/bin/python").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
  }

  /// What Anki's importer sees in `file`.
  func ankiImport(_ file: String) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(Self.ankiPython))
    process.arguments = [Self.root.appending(path: "bench/check_apkg_in_anki.py").path, file]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  func home() throws -> (TemporaryDirectory, String) {
    let scratch = TemporaryDirectory()
    let home = scratch.path + "/home"
    #expect(try runEngram(["import", Self.features], home: home).status == 0)
    #expect(try runEngram(["import", Self.history], home: home).status == 0)
    return (scratch, home)
  }

  @Test(.enabled(if: AnkiExportTests.ankiPython != nil, "needs Anki's Python package: run make bench once"))
  func `Anki imports an exported deck with every note, card and review`() throws {
    let (scratch, home) = try home()
    let file = scratch.path + "/spanish.apkg"
    let run = try runEngram(["export", "lang-spanish", file], home: home)
    #expect(run.status == 0, "\(run.stderr)")
    let seen = try ankiImport(file)
    // perro (Basic and reversed: 2 cards), gato, the Madrid/Spain cloze (2 cards).
    #expect(seen["notes"] as? Int == 3)
    #expect(seen["cards"] as? Int == 5)
    #expect(seen["revlog"] as? Int == 4)
    #expect(seen["suspended"] as? Int == 1)
    let perCard = try #require(seen["per_card"] as? [String: Int])
    #expect(perCard.values.sorted() == [0, 0, 0, 1, 3])
  }

  @Test(.enabled(if: AnkiExportTests.ankiPython != nil, "needs Anki's Python package: run make bench once"))
  func `Anki imports everything exported with all reviews, suspensions and review cards`() throws {
    let (scratch, home) = try home()
    let file = scratch.path + "/all.apkg"
    let run = try runEngram(["export", "--all", file], home: home)
    #expect(run.status == 0, "\(run.stderr)")
    let seen = try ankiImport(file)
    // 4,912 + 5 rated reviews (perro 3, Spain 1, vivir reversed 1; its Forget is no review); 5 + 1 suspended.
    #expect(seen["revlog"] as? Int == 4917)
    #expect(seen["suspended"] as? Int == 6)
    #expect(try #require(seen["review_cards"] as? Int) > 0)
    let wrote = run.stdout
    #expect(
      wrote.contains("\(seen["notes"] as? Int ?? -1) notes, \(seen["cards"] as? Int ?? -1) cards and 4917 reviews"))
    #expect((seen["decks"] as? [String])?.contains("Bench::Deck00") == true)
  }

  @Test func `an exported package imports back into Engram with the same cards and history`() throws {
    let (scratch, home) = try home()
    let file = scratch.path + "/spanish.apkg"
    #expect(try runEngram(["export", "lang-spanish", file], home: home).status == 0)
    let other = scratch.path + "/other"
    let run = try runEngram(["import", file], home: other)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Package: 5 cards: 5 imported, 0 left out · 4 review-log rows: 4 imported"))
    let deck = { (path: String) in
      (try? String(contentsOfFile: path + "/decks/lang-spanish.md", encoding: .utf8)) ?? ""
    }
    #expect(!deck(home).isEmpty)
    #expect(deck(other) == deck(home))
    let reviews = { (path: String) -> [String] in
      // Every device's file, each line without its id: the same history wherever it was logged.
      let files = ((try? FileManager.default.contentsOfDirectory(atPath: path + "/reviews")) ?? []).map {
        "reviews/" + $0
      }
      return (["reviews.tsv"] + files).flatMap { name in
        ((try? String(contentsOfFile: path + "/" + name, encoding: .utf8)) ?? "").split(separator: "\n")
      }
      .map { $0.split(separator: "\t", omittingEmptySubsequences: false).prefix(5).joined(separator: "\t") }
      .filter { $0.hasSuffix("\treview") && $0.contains("lang-spanish/") }.sorted()
    }
    #expect(reviews(other).count == 4)
    #expect(reviews(other) == reviews(home))
  }

  @Test func `an exported package keeps another device's review that one device's undo left standing`() throws {
    let scratch = TemporaryDirectory()
    scratch.write("home/decks/d.md", "# D\nid: d\n\n## a\nQ: qa\nA: aa\n")
    // The laptop rated Again at 10:00 and undid it at 10:30; the desk rated Good at 10:20.
    scratch.write(
      "home/reviews/laptop.tsv",
      "2026-01-01T10:00:00.000Z\td/a\t1\t1000\treview\tlaptop.1\n2026-01-01T10:30:00.000Z\td/a\t0\t0\tundo\tlaptop.2\tlaptop.1\n"
    )
    scratch.write("home/reviews/desk.tsv", "2026-01-01T10:20:00.000Z\td/a\t3\t2000\treview\tdesk.1\n")
    let file = scratch.path + "/d.apkg"
    let run = try runEngram(["export", "d", file], home: scratch.path + "/home")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("1 review"))
    let imported = try runEngram(["import", file], home: scratch.path + "/other")
    #expect(imported.status == 0, "\(imported.stderr)")
    let log = scratch.read("other/reviews/test.tsv") ?? ""
    #expect(log.contains("2026-01-01T10:20:00.000Z\td/a\t3\t2000\treview\t"))
    #expect(!log.contains("\td/a\t1\t"))
  }

  @Test func `export arguments are checked`() throws {
    let scratch = TemporaryDirectory()
    #expect(try runEngram(["export", "--all", "x.md"], home: scratch.path).status == 2)
    #expect(try runEngram(["export", "x.apkg"], home: scratch.path).status == 2)
    #expect(try runEngram(["export", "no-such-deck", scratch.path + "/x.apkg"], home: scratch.path).status == 1)
  }
}

/// `lint` on decks with history.
@Suite struct LintHistoryTests {
  @Test func `lint warns about unnumbered blanks of a card with history, and passes numbered ones`() throws {
    let scratch = TemporaryDirectory()
    let home = scratch.path + "/home"
    scratch.write(
      "home/decks/mine.md", "# Mine\nid: mine\n\n## c\nC: {{a}} and {{b}}\n\n## n\nC: {{c1::a}} and {{c2::b}}\n")
    scratch.write(
      "home/reviews.tsv",
      "# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n2026-01-01T00:00:00.000Z\tmine/c#1\t3\t0\treview\n2026-01-01T00:00:00.000Z\tmine/n#1\t3\t0\treview\n"
    )
    let run = try runEngram(["lint"], home: home)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("mine.md:4: warning: card 'c' has history and unnumbered blanks"))
    #expect(!run.stderr.contains("card 'n'"))
  }

  @Test func `lint names a shipped deck a user file overrides and the cards that differ`() throws {
    let scratch = TemporaryDirectory()
    let home = scratch.path + "/home"
    // The shipped deck's own file with one question changed.
    let source = AnkiExportTests.root.appending(path: "Decks/agile-scrum.md").path
    var lines = try String(contentsOfFile: source, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false)
    let question = try #require(lines.firstIndex { $0.hasPrefix("Q: ") })
    let card = try #require(lines[..<question].last { $0.hasPrefix("## ") }).dropFirst(3)
    lines[question] = "Q: A fixed question?"
    scratch.write("home/decks/agile.md", lines.joined(separator: "\n"))
    let run = try runEngram(["lint"], home: home)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      flat(run.stdout).contains(
        "agile.md: overrides the shipped deck 'agile-scrum' (history kept); 1 card differs from the shipped copy: \(card)"
      ))
  }
}
