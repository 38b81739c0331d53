import EngramCore
import EngramStore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramCLI

/// Review sessions run as real processes with piped input: what is typed, what is logged, what
/// is shown.
@Suite struct ReviewSessionTests {
  let home = TemporaryDirectory()
  /// A pinned clock, so that "today" is the same in every run of a test.
  let day1 = ["ENGRAM_NOW": "2026-03-02T10:00:00Z"]
  let day2 = ["ENGRAM_NOW": "2026-03-03T10:00:00Z"]

  /// The log's events as `card rating kind`.
  func events() -> [String] {
    (home.read("reviews/test.tsv") ?? "").split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("time") }
      .map {
        let fields = $0.split(separator: "\t").map(String.init)
        return "\(fields[1]) \(fields[2]) \(fields[4])"
      }
  }

  func state(_ card: String) throws -> [String: Any]? {
    let result = try runEngram(["state", "--json"], home: home.path, environment: day1)
    let objects = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
    return objects?.first { $0["card"] as? String == card }
  }

  @Test func `answers s, b, q, u and e typed at the answer prompt are graded as answers, never commands`() throws {
    let letters = ["s", "b", "q", "u", "e"]
    home.write(
      "decks/letters.md",
      "# Letters\nid: letters\n\n"
        + letters.map {
          "## \($0)\nQ: Which letter is number \($0.unicodeScalars.first!.value - 96) in the alphabet?\nA: \($0)\n"
        }
        .joined(separator: "\n"))
    // No learning steps: Good graduates a card, so each is seen once.
    home.write("config.toml", "learning_steps = []\n")
    let input = letters.map { "\($0)\n3\n" }.joined()
    let result = try runEngram(["review", "letters"], home: home.path, input: input, environment: day1)
    #expect(result.status == 0)
    for letter in letters { #expect(result.stdout.contains("you: \(letter) ✓"), "\(letter) graded") }
    #expect(events().sorted() == letters.map { "letters/\($0) 3 review" }.sorted())
    #expect(result.stdout.contains("Session done: 5 reviewed"))
  }

  @Test func `u after s at the rating prompt restores the suspended card, and the message names it`() throws {
    home.write(
      "decks/two.md",
      "# Two\nid: two\n\n## second\nQ: What is the SI symbol for the second?\nA: s\n\n## metre\nQ: And for the metre?\nA: m\n"
    )
    home.write("config.toml", "learning_steps = []\n")
    // First card: reveal, suspend at the rating prompt. Second card: :u at its answer prompt
    // takes the suspend back and the first card returns at once; both are then rated Good.
    let input = "\ns\n:u\n\n3\n\n3\n"
    let result = try runEngram(["review", "two"], home: home.path, input: input, environment: day1)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Suspended \"What is the SI symbol for the second?\" (two/second)"))
    #expect(result.stdout.contains("'unsuspend two/second'"))
    // The next prompt is an answer prompt, where only the colon form is a command.
    #expect(flat(result.stdout).contains(":u undoes this."))
    #expect(
      events() == ["two/second 0 suspend", "two/second 0 unsuspend", "two/second 3 review", "two/metre 3 review"])
    #expect(try state("two/second")?["suspended"] as? Bool == false)
  }

  @Test func `a learning card shown before its time says so`() throws {
    home.write("decks/one.md", "# One\nid: one\n\n## a\nQ: 1+1?\nA: 2\n")
    home.write("config.toml", "learning_steps = [\"1m\", \"10m\"]\nfollow_ups = false\n")
    // Good on a new card moves it to the 10-minute step: due in 10 minutes, within the 20 minutes a
    // learning card may be shown early when nothing else is left.
    let result = try runEngram(["review", "one"], home: home.path, input: "\n3\n:q\n", environment: day1)
    #expect(result.status == 0)
    let text = flat(result.stdout)
    #expect(text.contains("Recorded good · next in 10m"))
    #expect(text.contains("Shown early: nothing else is left, and it was due at"))
    #expect(text.contains("(in 10m)."))
  }

  @Test func `u after b takes the bury back with an unbury event`() throws {
    home.write("decks/two.md", "# Two\nid: two\n\n## a\nQ: 1+1?\nA: 2\n\n## b\nQ: 2+2?\nA: 4\n")
    home.write("config.toml", "learning_steps = []\n")
    // First card: reveal, bury. Second card: :u brings the first back at once.
    let result = try runEngram(["review", "two"], home: home.path, input: "\nb\n:u\n\n3\n\n3\n", environment: day1)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Buried \"1+1?\" until the next study day"))
    #expect(events() == ["two/a 0 bury", "two/a 0 unbury", "two/a 3 review", "two/b 3 review"])
  }

  @Test func `the end of input ends a session like q, with its summary`() throws {
    home.write("decks/two.md", "# Two\nid: two\n\n## a\nQ: 1+1?\nA: 2\n\n## b\nQ: 2+2?\nA: 4\n")
    let result = try runEngram(["review", "two"], home: home.path, input: "\n3\n", environment: day1)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Session done: 1 reviewed"))
  }

  @Test func `on a multiple-choice card a letter picks an option and :b still buries`() throws {
    home.write(
      "decks/mc.md",
      "# MC\nid: mc\n\n## pick\nQ: Which of these is a fruit?\nA: Apple\nChoices:\n- Carrot\n- Leek\n\n## other\nQ: Which of these is a colour?\nA: Red\nChoices:\n- Loud\n- Soft\n"
    )
    let options = ReviewSession.options(
      for: Card(
        key: "mc/pick", deckID: "mc", noteID: "pick", front: "", back: "Apple",
        note: Note(id: "pick", content: .basic(question: "", answer: "Apple"), choices: ["Carrot", "Leek"])))
    let letter = ReviewSession.letters[try #require(options.firstIndex(of: "Apple"))]
    let result = try runEngram(
      ["review", "mc"], home: home.path, input: "\(letter.lowercased())\n3\n:b\n", environment: day1)
    #expect(result.stdout.contains("you: \(letter)) Apple ✓"))
    #expect(events() == ["mc/pick 3 review", "mc/other 0 bury"])
  }

  @Test func `a cloze reveal shows the whole sentence with the blank filled in`() throws {
    home.write("decks/c.md", "# C\nid: c\n\n## boil\nC: Water boils at {{100}} degrees at {{sea level}}.\n")
    let result = try runEngram(["review", "c"], home: home.path, input: "\n", environment: day1)
    #expect(result.stdout.contains("Q: Water boils at [...] degrees at sea level."))
    #expect(result.stdout.contains("A: Water boils at 100 degrees at sea level."))
  }

  @Test func `a cloze in a typed quiz is answered with its whole sentence too`() throws {
    home.write("decks/c.md", "# C\nid: c\n\n## boil\nC: Water boils at {{100}} degrees at sea level.\n")
    let result = try runEngram(
      ["quiz", "c", "-n", "1", "--mode", "typed"], home: home.path, input: "90\n", environment: day1)
    #expect(result.stdout.contains("A: Water boils at 100 degrees at sea level."))
  }

  @Test func `one sibling per note is reviewed a day: a three-blank cloze and a reversed pair`() throws {
    home.write(
      "decks/sib.md",
      """
      # Siblings
      id: sib

      ## boil
      C: Water boils at {{100}} degrees at {{sea level}}, under {{1 atm}}.

      ## dog
      Q: dog in French?
      A: chien

      ## chien
      Q: chien in English?
      A: dog
      Sibling: dog
      """)
    home.write("config.toml", "learning_steps = []\n")
    let rateAll = String(repeating: "\n3\n", count: 10)
    _ = try runEngram(["review", "sib"], home: home.path, input: rateAll, environment: day1)
    let first = events()
    #expect(first == ["sib/boil#1 3 review", "sib/dog 3 review"])
    // Again the same day (from the cache now): nothing more of those notes.
    let again = try runEngram(["review", "sib"], home: home.path, input: rateAll, environment: day1)
    #expect(again.stdout.contains("Nothing due"))
    #expect(events() == first)
    // The next day: the next sibling of each note.
    _ = try runEngram(["review", "sib"], home: home.path, input: rateAll, environment: day2)
    #expect(events().dropFirst(2) == ["sib/boil#2 3 review", "sib/chien 3 review"])
  }

  @Test func `a fresh data directory offers twenty new cards in all, and the first ten span the decks`() throws {
    let due = try runEngram(["due", "--json"], home: home.path, environment: day1)
    let decks = try #require(try JSONSerialization.jsonObject(with: Data(due.stdout.utf8)) as? [[String: Any]])
    #expect(decks.compactMap { $0["new"] as? Int }.reduce(0, +) == 20)
    let input = String(repeating: "\n3\n", count: 10) + "q\n"
    _ = try runEngram(["review"], home: home.path, input: input, environment: day1)
    let reviewed = events().filter { $0.hasSuffix(" review") }
    #expect(reviewed.count == 10)
    let deckIDs = Set(reviewed.map { $0.prefix { $0 != "/" } })
    #expect(deckIDs.count >= 3, "\(reviewed)")
  }

  @Test(arguments: [1, 2, 3, 4, 5])
  func `a quiz never asks two siblings of one note`(seed: Int) throws {
    home.write(
      "decks/sib.md",
      "# Siblings\nid: sib\n\n## boil\nC: Water boils at {{100}} degrees at {{sea level}}, under {{1 atm}}.\n\n"
        + "## dog\nQ: dog in French?\nA: chien\n\n## chien\nQ: chien in English?\nA: dog\nSibling: dog\n\n"
        + "## cat\nQ: cat in French?\nA: chat\n")
    let result = try runEngram(
      ["quiz", "sib", "-n", "5", "--seed", "\(seed)", "--mode", "typed"], home: home.path,
      input: String(repeating: "x\n", count: 5), environment: day1)
    #expect(result.status == 0)
    let asked = events().filter { $0.hasSuffix(" quiz") }.map { String($0.prefix { $0 != " " }) }
    // Three notes: boil, dog/chien, cat.
    #expect(asked.count == 3)
    let notes = asked.map { $0.hasPrefix("sib/boil") ? "boil" : $0 == "sib/chien" ? "dog" : String($0.dropFirst(4)) }
    #expect(Set(notes).count == asked.count, "\(asked)")
  }

  /// The log's review lines as `time card rating duration`.
  func reviewLines(_ directory: TemporaryDirectory) -> [String] {
    (directory.read("reviews/test.tsv") ?? "").split(separator: "\n").filter { $0.contains("\treview\t") }.map {
      $0.split(separator: "\t").prefix(4).joined(separator: " ")
    }
  }

  @Test(arguments: [
    // Across UTC midnight (which reseeds fuzz) and across day_starts_at (04:00 here).
    ("2026-03-12T23:58:30Z", "2026-03-12T23:59:30.000Z"), ("2026-03-13T03:58:30Z", "2026-03-13T03:59:30.000Z"),
  ])
  func `a rating prompt left open across a day boundary logs the state previewed`(start: String, answerShown: String)
    throws
  {
    // Two data directories with the same history: in one the clock moves a minute with every
    // line typed (the answer is shown a minute after the question, and rated a minute later,
    // past the boundary); in the other the answer is shown and rated at the same instant.
    let open = TemporaryDirectory()
    let instant = TemporaryDirectory()
    for directory in [open, instant] {
      directory.write("decks/one.md", "# One\nid: one\n\n## c\nQ: 2+2?\nA: 4\n")
      directory.write("config.toml", "learning_steps = []\n")
      // Learned with Easy ten days before: in review, with an interval fuzz applies to.
      _ = try runEngram(
        ["review", "one"], home: directory.path, input: "\n4\n", environment: ["ENGRAM_NOW": "2026-03-02T10:00:00Z"])
    }
    let moving = try runEngram(
      ["review", "one"], home: open.path, input: "\n3\n",
      environment: ["ENGRAM_NOW": start, "ENGRAM_NOW_STEP_SECONDS": "60"])
    let pinned = try runEngram(
      ["review", "one"], home: instant.path, input: "\n3\n", environment: ["ENGRAM_NOW": answerShown])
    #expect(moving.status == 0)
    let preview = { (output: String) in output.split(separator: "\n").first { $0.contains("1 again") }.map(String.init)
    }
    #expect(preview(moving.stdout) != nil)
    #expect(preview(moving.stdout) == preview(pinned.stdout))
    // Logged at the moment the answer was shown, with the time to the rating as its duration.
    #expect(reviewLines(open).last == "\(answerShown) one/c 3 120000")
    #expect(reviewLines(instant).last == "\(answerShown) one/c 3 0")
    // Replay gives the very state previewed.
    let later = ["ENGRAM_NOW": "2026-03-20T00:00:00Z"]
    let replayedOpen = try runEngram(["state", "--json"], home: open.path, environment: later).stdout
    let replayedInstant = try runEngram(["state", "--json"], home: instant.path, environment: later).stdout
    #expect(replayedOpen.contains("\"last_review\": \"\(answerShown)\""))
    #expect(replayedOpen == replayedInstant)
  }
}
