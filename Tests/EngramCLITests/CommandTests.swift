import EngramCore
import EngramTestSupport
import Foundation
import Testing

/// The subcommands, run as real processes with piped input.
@Suite struct CommandTests {
  let home = TemporaryDirectory()

  @Test func `state --json derives a card's state from the log`() throws {
    home.write(
      "reviews.tsv",
      "# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n"
        + "2026-01-01T10:00:00.000Z\tml-fundamentals/overfitting\t3\t4000\treview\n")
    let result = try runEngram(["state", "--json", "--at", "2026-01-01T10:05:00Z"], home: home.path)
    #expect(result.status == 0)
    let objects = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(objects.count == 1)
    let card = objects[0]
    #expect(card["card"] as? String == "ml-fundamentals/overfitting")
    #expect(card["state"] as? String == "learning")
    #expect(card["step"] as? Int == 1)
    // A first Good: S = w2 and D = w4 - e^(2 w5) + 1 with FSRS-6's default weights.
    #expect(card["stability"] as? Double == 2.3065)
    let difficulty = try #require(card["difficulty"] as? Double)
    #expect(abs(difficulty - (6.4133 - exp(0.8334 * 2) + 1)) < 1e-12)
    #expect(card["due"] as? String == "2026-01-01T10:10:00.000Z")
    #expect(card["last_review"] as? String == "2026-01-01T10:00:00.000Z")
    #expect(card["retrievability"] as? Double == 1.0)
    #expect(card["suspended"] as? Bool == false)
  }

  @Test func `an unreadable first line before another card's line is a warning, never a crash`() throws {
    // Session 4's reader numbered cards per file and trapped (exit 132) on exactly this log.
    home.write(
      "reviews.tsv",
      "# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n"
        + "2026-01-01T00:00:00.000Z\tagile-scrum/x\t9\t0\treview\n"
        + "2026-01-02T00:00:00.000Z\tagile-scrum/y\t3\t0\treview\n")
    let result = try runEngram(["state", "--json", "--at", "2026-01-03T00:00:00Z"], home: home.path)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains("reviews.tsv:3: unreadable line ignored (rating 9 is not allowed for 'review' (1 to 4))"))
    // Only y has history: one Good on a new card, FSRS-6's default initial stability for Good.
    #expect(result.stdout.contains("\"card\": \"agile-scrum/y\", \"state\": \"learning\""))
    #expect(result.stdout.contains("\"stability\": 2.3065,"))
    #expect(!result.stdout.contains("agile-scrum/x"))
  }

  @Test func `state --json lists only cards with history, sorted, and an empty log gives an empty array`() throws {
    let empty = try runEngram(["state", "--json"], home: home.path)
    #expect(empty.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    home.write(
      "reviews.tsv",
      "# engram review log v1\n"
        + "2026-01-01T10:00:00.000Z\tz/b\t3\t0\treview\n2026-01-01T10:00:00.000Z\ta/a\t0\t0\tsuspend\n")
    let result = try runEngram(["state", "--json"], home: home.path)
    let objects = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(objects.map { $0["card"] as? String } == ["a/a", "z/b"])
    #expect(objects[0]["state"] as? String == "new")
    #expect(objects[0]["suspended"] as? Bool == true)
    #expect(objects[0]["stability"] is NSNull)
  }

  @Test func `due --json counts each deck's cards available today`() throws {
    // Three per deck is fifteen in all, within the collection-wide twenty.
    home.write("config.toml", "new_cards_per_day = 3\n")
    let result = try runEngram(["due", "--json"], home: home.path)
    #expect(result.status == 0)
    let decks = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(decks.count == 6)
    for deck in decks {
      #expect(deck["new"] as? Int == 3)
      #expect(deck["due"] as? Int == 0)
      #expect(deck["learning"] as? Int == 0)
    }
  }

  @Test func `a long import and export into a pipe print their results and nothing else`() throws {
    let file = TerminalEndToEndTests.largeTextFile(in: home)
    let start = Date()
    let imported = try runEngram(["import", file], home: home.path + "/data")
    // Long enough that a terminal would have shown the progress line.
    #expect(Date().timeIntervalSince(start) > 1)
    #expect(imported.status == 0)
    #expect(imported.stderr.isEmpty, "\(imported.stderr)")
    #expect(flat(imported.stdout) == "Imported into large: 40000 cards added · 0 updated · 0 unchanged · 0 skipped")
    let exported = try runEngram(["export", "--all", home.path + "/all.apkg"], home: home.path + "/data")
    #expect(exported.status == 0)
    #expect(exported.stderr.isEmpty, "\(exported.stderr)")
    #expect(
      !exported.stdout.contains("\r") && !exported.stdout.contains("\u{1B}") && !exported.stdout.contains("export: "))
    #expect(exported.stdout.hasPrefix("Wrote "))
  }

  @Test func `lint reports path, line and card and exits 1`() throws {
    let bad = home.write("bad.md", "# Bad\nid: bad\n\n## no-answer\nQ: where?\n")
    let result = try runEngram(["lint", bad], home: home.path)
    #expect(result.status == 1)
    #expect(result.stderr.contains("\(bad):4: card 'no-answer': missing answer"))
  }

  @Test func `lint accepts a good deck and reports a duplicate deck id naming both files`() throws {
    let good = home.write("good.md", "# Good\nid: good\n\n## c\nQ: a\nA: b\n")
    #expect(try runEngram(["lint", good], home: home.path).status == 0)
    let clash = home.write("clash.md", "# Clash\nid: good\n\n## c\nQ: a\nA: b\n")
    let result = try runEngram(["lint", good, clash], home: home.path)
    #expect(result.status == 1)
    #expect(result.stderr.contains("\(clash):1: deck id 'good' is already used by \(good)"))
    // A user file with a shipped deck's id overrides that deck instead (issue 11).
    let override = home.write("override.md", "# Mine\nid: agile-scrum\n\n## c\nQ: a\nA: b\n")
    let overriding = try runEngram(["lint", override], home: home.path)
    #expect(flat(overriding.stdout).contains("\(override): overrides the shipped deck 'agile-scrum' (history kept)"))
    #expect(flat(overriding.stdout).contains("\(override): ok (1 card)"))
  }

  @Test func `lint checks a shipped deck's own source in place of the embedded copy`() throws {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appending(path: "Decks/agile-scrum.md").path
    let result = try runEngram(["lint", source], home: home.path)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("agile-scrum.md: ok"))
    // A copy elsewhere overrides the shipped deck (issue 11), and nothing in it differs.
    let copy = home.write("agile-copy.md", try String(contentsOfFile: source, encoding: .utf8))
    let overriding = try runEngram(["lint", copy], home: home.path)
    #expect(overriding.status == 0, "\(overriding.stderr)")
    #expect(
      flat(overriding.stdout).contains(
        "overrides the shipped deck 'agile-scrum' (history kept); no card differs from the shipped copy"))
  }

  @Test func `a broken user deck is reported but the other decks still load`() throws {
    home.write("decks/broken.md", "# Broken\nid: broken\n\n## x\nQ: only a question\n")
    let result = try runEngram(["decks"], home: home.path)
    #expect(result.status == 0)
    #expect(result.stderr.contains("broken.md:4: card 'x': missing answer"))
    #expect(result.stdout.contains("agile-scrum"))
  }

  @Test func `bad usage exits 2 and a bad config exits 1 naming the key`() throws {
    #expect(try runEngram(["no-such-command"], home: home.path).status == 2)
    #expect(try runEngram(["state", "--at", "soon"], home: home.path).status == 2)
    home.write("config.toml", "desired_retention = 2\n")
    let result = try runEngram(["decks"], home: home.path)
    #expect(result.status == 1)
    #expect(result.stderr.contains("config.toml:1: 'desired_retention' = 2.0 is out of range; allowed: 0.5 to 0.99"))
  }

  @Test func `a piped review session rates, undoes and suspends through the log`() throws {
    home.write(
      "decks/mini.md", "# Mini\nid: mini\n\n## one\nQ: 1+1?\nA: 2\nWhy: Arithmetic.\n\n## two\nQ: 2+2?\nA: 4\n")
    // Follow-up questions after an Again have their own tests (FollowUpCommandTests).
    home.write("config.toml", "follow_ups = false\n")
    // At the answer prompt commands take a colon (:u, :s); typed text there is an answer.
    let input = "2\n3\n\n1\n:u\n\n4\n:s\n"
    // A fixed midday: between 03:50 and 04:00 (the day starts at 4:00) card one's 10-minute
    // step falls in tomorrow and it is not shown early, so ':s' would find no card.
    let result = try runEngram(
      ["review", "mini"], home: home.path, input: input, environment: ["ENGRAM_NOW": "2026-03-02T12:00:00Z"])
    #expect(result.status == 0)
    #expect(!result.stdout.contains("\u{1B}["), "no escape codes when piped")
    #expect(!result.stdout.contains("engram>"))
    #expect(result.stdout.contains("you: 2 ✓"), "a typed answer gets the grader's verdict as a hint")
    let log = try #require(home.read("reviews/test.tsv"))
    let kinds = log.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("time") }.map {
      $0.split(separator: "\t").map(String.init)
    }.map { "\($0[1]) \($0[2]) \($0[4])" }
    #expect(
      kinds == ["mini/one 3 review", "mini/two 1 review", "mini/two 0 undo", "mini/two 4 review", "mini/one 0 suspend"])
  }

  @Test func `review takes a tag or words from the cards, like quiz, and names what matched`() throws {
    home.write(
      "decks/mini.md",
      "# Mini\nid: mini\n\n## one\nQ: Which model organism is a small striped fish?\nA: The zebrafish\nTags: scrum\n\n## two\nQ: 2+2?\nA: 4\nTags: sums\n"
    )
    let byTag = try runEngram(["review", "sums"], home: home.path, input: "q\n")
    #expect(byTag.status == 0)
    #expect(byTag.stdout.contains("2+2?"))
    #expect(!byTag.stdout.contains("striped fish"))
    let byWords = try runEngram(["review", "striped", "fish"], home: home.path, input: "q\n")
    #expect(byWords.stdout.contains("Which model organism is a small striped fish?"))
    let unknown = try runEngram(["review", "zzzqqq"], home: home.path)
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("nothing matches 'zzzqqq'"))
  }

  @Test func `with nothing due the session says when the next card is due`() throws {
    home.write("decks/mini.md", "# Mini\nid: mini\n\n## one\nQ: 1+1?\nA: 2\n")
    home.write(
      "reviews.tsv",
      "# engram review log v1\n2026-01-01T10:00:00.000Z\tmini/one\t4\t0\treview\n")
    let result = try runEngram(
      ["review", "mini"], home: home.path, environment: ["ENGRAM_NOW": "2026-01-02T10:00:00Z"])
    #expect(result.stdout.contains("Nothing due for mini today. Next card due 2026-01-"))
  }

  @Test func `with new cards turned off the session says how to turn them on, not that they resume`() throws {
    home.write("decks/mini.md", "# Mini\nid: mini\n\n## one\nQ: 1+1?\nA: 2\n")
    home.write("config.toml", "new_cards_per_day = 0\n")
    let result = try runEngram(["review"], home: home.path)
    let text = result.stdout.split(separator: "\n").joined(separator: " ")
    #expect(text.contains("Nothing due today in any deck."))
    #expect(text.contains("New cards are off (new_cards_per_day = 0 in config.toml)"))
    #expect(!text.contains("resume tomorrow"))
  }

  @Test func `unsuspend lists suspended cards and brings them back`() throws {
    home.write("decks/mini.md", "# Mini\nid: mini\n\n## one\nQ: 1+1?\nA: 2\n\n## two\nQ: 2+2?\nA: 4\n")
    home.write(
      "reviews.tsv",
      "# engram review log v1\n2026-01-01T10:00:00.000Z\tmini/one\t0\t0\tsuspend\n"
        + "2026-01-01T10:00:00.000Z\tmini/two\t0\t0\tsuspend\n")
    let listed = try runEngram(["unsuspend"], home: home.path)
    #expect(listed.stdout.contains("mini/one\nmini/two\n"))
    #expect(try runEngram(["unsuspend", "nope"], home: home.path).status == 1)
    let done = try runEngram(["unsuspend", "mini"], home: home.path)
    #expect(done.stdout.contains("Unsuspended 2 cards."))
    #expect(try runEngram(["unsuspend"], home: home.path).stdout.contains("No suspended cards."))
    let log = try #require(home.read("reviews/test.tsv"))
    #expect(log.components(separatedBy: "\tunsuspend\t").count == 3)
  }

  @Test func `stats counts a streak longer than a year`() throws {
    // A review every day from 2024-12-28 to 2026-01-31: 400 study days in a row.
    let first = try #require(ISO8601.parse("2024-12-28T10:00:00Z"))
    var log = "# engram review log v1\n"
    for day in 0..<400 {
      log += ISO8601.format(first + .days(Int64(day))) + "\tml-fundamentals/overfitting\t3\t1000\treview\n"
    }
    home.write("reviews.tsv", log)
    let json = try runEngram(["stats", "--json"], home: home.path, environment: ["ENGRAM_NOW": "2026-01-31T12:00:00Z"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let streak = try #require(object["streak"] as? [String: Any])
    #expect(streak["current"] as? Int == 400)
    #expect(streak["longest"] as? Int == 400)
  }

  @Test func `stats prints plain charts when piped and JSON on request`() throws {
    home.write(
      "reviews.tsv",
      "# engram review log v1\n"
        + "2026-01-30T10:00:00.000Z\tml-fundamentals/overfitting\t3\t4000\treview\n"
        + "2026-01-31T05:00:00.000Z\tml-fundamentals/overfitting\t1\t6000\treview\n"
        + "2026-01-31T05:01:00.000Z\tml-fundamentals/overfitting\t3\t1000\tquiz\n")
    let env = ["ENGRAM_NOW": "2026-01-31T12:00:00Z", "COLUMNS": "60"]
    let text = try runEngram(["stats"], home: home.path, environment: env)
    #expect(text.status == 0)
    #expect(!text.stdout.contains("\u{1B}["))
    #expect(flat(text.stdout).contains("Today 1 reviewed · 1 again (0% passed) · 6s answering · 0 new"))
    #expect(text.stdout.contains("Streak 2 days (longest 2)"))
    let json = try runEngram(["stats", "--json"], home: home.path, environment: env)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let today = try #require(object["today"] as? [String: Any])
    #expect(today["reviewed"] as? Int == 1)
    #expect(today["again"] as? Int == 1)
    let perDay = try #require(object["reviews_per_day"] as? [String: Any])
    let counts = try #require(perDay["counts"] as? [Int])
    #expect(Array(counts.suffix(2)) == [1, 1])
    let scoped = try runEngram(["stats", "agile-scrum", "--json"], home: home.path, environment: env)
    let scopedObject = try #require(try JSONSerialization.jsonObject(with: Data(scoped.stdout.utf8)) as? [String: Any])
    #expect((scopedObject["today"] as? [String: Any])?["reviewed"] as? Int == 0)
  }

  @Test func `export-log writes standing reviews with the state before each, for FSRS tools`() throws {
    home.write(
      "reviews.tsv",
      "# engram review log v1\n"
        + "2026-01-01T10:00:00.000Z\td/a\t3\t4000\treview\n"
        + "2026-01-01T10:10:00.000Z\td/a\t3\t2000\treview\n"
        + "2026-01-05T10:00:00.000Z\td/a\t1\t3000\treview\n"
        + "2026-01-05T10:00:01.000Z\td/a\t0\t0\tundo\n"
        + "2026-01-05T10:00:02.000Z\td/a\t2\t3500\treview\n"
        + "2026-01-06T10:00:00.000Z\td/b\t4\t1000\tquiz\n")
    let out = home.path + "/log.csv"
    let result = try runEngram(["export-log", "--format", "fsrs", out], home: home.path)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Wrote 3 reviews"))
    // 2026-01-01T10:00Z = 1767261600 s. States before: new, learning (step 1), review.
    #expect(
      home.read("log.csv")
        == "card_id,review_time,review_rating,review_state,review_duration\n"
        + "d/a,1767261600000,3,0,4000\nd/a,1767262200000,3,1,2000\nd/a,1767607202000,2,2,3500\n")
    #expect(try runEngram(["export-log", "--format", "anki", out], home: home.path).status == 2)
    #expect(try runEngram(["export-log", "/nonexistent-dir/x.csv"], home: home.path).status == 1)
  }

  @Test func `import reports its summary, refuses bad input with exit 1, and the deck is studyable`() throws {
    let csv = home.write("capitals.csv", "#separator:Comma\nFrance,Paris\nItaly,Rome\n")
    let dry = try runEngram(["import", csv, "--dry-run"], home: home.path)
    #expect(dry.stdout.contains("Would import into capitals: 2 cards added"))
    #expect(home.read("decks/capitals.md") == nil)
    let result = try runEngram(["import", csv], home: home.path)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Imported into capitals: 2 cards added · 0 updated · 0 unchanged · 0 skipped"))
    #expect(
      try runEngram(["due", "--json"], home: home.path).stdout.contains(
        "\"deck\": \"capitals\", \"due\": 0, \"learning\": 0, \"new\": 2"))
    let bad = home.write("bad.csv", "a,\"open\n")
    let failed = try runEngram(["import", bad], home: home.path)
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("bad.csv:1: a quoted field is never closed"))
    #expect(try runEngram(["import", csv, "--on-duplicate", "maybe"], home: home.path).status == 2)
  }

  /// Expected figures from `../shared/fixtures/anki_history_manifest.json` (made by Anki).
  @Test func `importing an Anki package prints decks, history and suspensions, and due counts follow`() throws {
    let package = sharedDirectory().appending(path: "fixtures/anki_history_modern.apkg").path
    let dry = try runEngram(["import", package, "--dry-run"], home: home.path)
    #expect(dry.status == 0)
    #expect(dry.stdout.contains("Would import into bench-deck00: 500 cards added"))
    #expect(dry.stdout.contains("History: 4912 reviews to add · 5 cards to suspend as in Anki"))
    #expect(dry.stdout.contains("Dry run: nothing was written."))
    let result = try runEngram(["import", package], home: home.path)
    #expect(result.status == 0)
    #expect(result.stdout.contains("History: 4912 reviews added · 5 cards suspended as in Anki"))
    let state = try runEngram(["state", "--json"], home: home.path)
    let cards = try #require(try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [[String: Any]])
    #expect(cards.filter { $0["suspended"] as? Bool == true }.count == 5)
    #expect(cards.allSatisfy { ($0["card"] as? String)?.hasPrefix("bench-deck00/") == true })
    let again = try runEngram(["import", package], home: home.path)
    #expect(again.stdout.contains("History: 0 reviews added · 4912 already in your log"))
    // A failed import into a data directory that does not exist yet does not create it.
    let fresh = home.path + "/never-made"
    #expect(try runEngram(["import", home.write("empty.csv", "\n")], home: fresh).status == 1)
    #expect(!FileManager.default.fileExists(atPath: fresh))
    let bad = home.write("bad.apkg", "PK not really")
    let failed = try runEngram(["import", bad], home: home.path)
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("bad.apkg: not a zip archive"))
  }
}

/// A negative number is a value out of range, not a missing one.
@Suite struct NegativeNumberTests {
  let home = TemporaryDirectory()

  @Test(arguments: [
    (["quiz", "agile", "-n", "-3"], "error: -n must be between 1 and 500"),
    (["postpone", "--days", "-2"], "error: --days must be from 1 to 36500"),
    (["simulate", "--deck-size", "-5"], "error: --deck-size must be from 1 to 1000000"),
    (["cram", "agile", "--days", "-1"], "error: --days must be at least 1"),
  ])
  func `negative values get the range message`(arguments: [String], message: String) throws {
    let result = try runEngram(arguments, home: home.path)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix(message))
  }
}

@Suite struct PinnedClockTests {
  let home = TemporaryDirectory()

  @Test(arguments: ["tomorrow", "2026-12-16"])
  func `an ENGRAM_NOW that is not a time is reported once and the real clock is used`(value: String) throws {
    let result = try runEngram(["decks"], home: home.path, environment: ["ENGRAM_NOW": value])
    #expect(result.status == 0)
    let warnings = result.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ENGRAM_NOW='\(value)'") }
    #expect(warnings.count == 1)
    #expect(result.stderr.contains("using the real clock"))
  }
}

@Suite struct ImportDeckNameTests {
  let home = TemporaryDirectory()

  init() { home.write("plain.tsv", "front\tback\nhola\thello\n") }

  @Test func `an empty --deck is bad usage that says what to give`() throws {
    let result = try runEngram(["import", home.path + "/plain.tsv", "--deck", " "], home: home.path)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("error: --deck needs a name"))
  }

  @Test func `a deck name a slug cannot spell gets a stable id and keeps its title`() throws {
    let first = try runEngram(["import", home.path + "/plain.tsv", "--deck", "日本語"], home: home.path)
    #expect(first.status == 0, "\(first.stderr)")
    let decks = try FileManager.default.contentsOfDirectory(atPath: home.path + "/decks").filter { $0.hasSuffix(".md") }
    #expect(decks.count == 1)
    let id = try #require(decks.first).dropLast(3)
    #expect(id.hasPrefix("d") && id.allSatisfy { $0.isLowercase || $0.isNumber })
    #expect(home.read("decks/\(id).md")?.hasPrefix("# 日本語\n") == true)
    // Imported again under the same name, the cards land in the same deck.
    let again = try runEngram(["import", home.path + "/plain.tsv", "--deck", "日本語"], home: home.path)
    #expect(again.status == 0)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: home.path + "/decks").filter { $0.hasSuffix(".md") } == decks)
  }
}
