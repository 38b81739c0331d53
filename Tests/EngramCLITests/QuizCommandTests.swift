import EngramTestSupport
import Foundation
import Testing

@testable import EngramCLI

/// `quiz` and `cram` as real processes with piped input.
@Suite struct QuizCommandTests {
  let home = TemporaryDirectory()

  init() {
    // Three cards with the same answer, so a piped quiz's verdicts do not depend on the order
    // the seed picks.
    home.write(
      "decks/capitals.md",
      """
      # Capitals
      id: capitals
      topics: geography

      ## france
      Q: Capital of France?
      A: Paris
      Why: Seat of government since the 10th century.
      Tags: europe

      ## texas
      Q: A city in Texas that shares its name with a European capital?
      A: Paris
      Why: Paris, Texas, is in Lamar County.
      Tags: america

      ## tennessee
      Q: A town in Tennessee named after a European capital?
      A: Paris
      Why: Paris, Tennessee, is in Henry County.
      Tags: america

      """)
  }

  func logLines() -> [[String]] {
    (home.read("reviews/test.tsv") ?? "").split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("time") }
      .map { $0.split(separator: "\t").map(String.init) }
  }

  @Test func `a piped typed quiz grades every answer, sums up and logs quiz events`() throws {
    let result = try runEngram(
      ["quiz", "capitals", "-n", "3", "--mode", "typed", "--seed", "1"], home: home.path,
      input: "Paris\nparis!\nPariss\n")
    #expect(result.status == 0)
    // Two right and one close: 2 + ½ = 2.5 points of 3, 83% (rounded down).
    #expect(result.stdout.contains("Score: 2.5/3 (83%) · 2 correct · 1 close · 0 wrong"))
    #expect(result.stdout.contains("yours: Pariss"))
    #expect(result.stdout.contains("Why: "))
    #expect(result.stdout.contains("By tag: "))
    let lines = logLines()
    #expect(lines.count == 3)
    #expect(lines.allSatisfy { $0[4] == "quiz" })
    #expect(lines.map { $0[2] }.sorted() == ["2", "3", "3"])
    let state = try runEngram(["state", "--json"], home: home.path)
    let objects = try #require(try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [[String: Any]])
    #expect(objects.map { $0["quiz_total"] as? Int } == [1, 1, 1])
    #expect(objects.allSatisfy { $0["state"] as? String == "new" })
  }

  @Test func `the same seed asks the same questions in the same order`() throws {
    home.write("config.toml", "follow_ups = false\n")  // only the seeded questions
    let first = try runEngram(
      ["quiz", "capitals", "-n", "2", "--mode", "typed", "--seed", "9"], home: home.path, input: "x\nx\n")
    let second = try runEngram(
      ["quiz", "capitals", "-n", "2", "--mode", "typed", "--seed", "9"], home: home.path, input: "x\nx\n")
    let questions = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("Q: ") } }
    #expect(questions(first.stdout) == questions(second.stdout))
    #expect(questions(first.stdout).count == 2)
  }

  @Test func `ending input early still prints the summary of what was answered`() throws {
    let result = try runEngram(["quiz", "capitals", "-n", "3", "--mode", "typed"], home: home.path, input: "Lyon\n")
    #expect(result.stdout.contains("Score: 0/1 (0%)"))
    #expect(result.stdout.contains("stopped after 1 of 3"))
    #expect(result.stdout.contains("Missed:"))
    #expect(result.stdout.contains("Next: quiz "))
  }

  /// The commands after "Next:" and "or:" in a quiz summary.
  func suggestedCommands(_ output: String) throws -> [[String]] {
    try output.split(separator: "\n").compactMap { line -> [String]? in
      for prefix in ["Next: ", "  or: "] where line.hasPrefix(prefix) {
        return try ShellWords.split(String(line.dropFirst(prefix.count)))
      }
      return nil
    }
  }

  @Test(arguments: [
    (["capitals"], "Lyon\nRome\nMadrid\n"), (["capitals"], "Paris\nParis\nParis\n"),
    (["capitals"], "Paris\nPariss\nLyon\n"), (["european", "capital"], "Paris\nParis\nParis\n"),
    (["european", "capital"], "Rome\nParis\nParis\n"), (["america"], "x\nx\n"),
  ])
  func `every command the summary suggests runs as printed`(topic: [String], answers: String) throws {
    let result = try runEngram(
      ["quiz"] + topic + ["-n", "3", "--mode", "typed", "--seed", "4"], home: home.path, input: answers)
    #expect(result.status == 0)
    let commands = try suggestedCommands(result.stdout)
    #expect(!commands.isEmpty)
    for command in commands {
      let run = try runEngram(command, home: home.path, input: "")
      #expect(run.status == 0, "\(command): \(run.stderr)")
    }
  }

  @Test func `the summary's fraction, percentage and next step agree`() throws {
    // Right, close, wrong: 1 + ½ = 1.5 of 3, 50%: not everything right, so something to practise.
    let mixed = try runEngram(
      ["quiz", "capitals", "-n", "3", "--mode", "typed", "--seed", "4"], home: home.path, input: "Paris\nPariss\nLyon\n"
    )
    #expect(mixed.stdout.contains("Score: 1.5/3 (50%) · 1 correct · 1 close · 1 wrong"))
    #expect(!mixed.stdout.contains("Everything right"))
    #expect(mixed.stdout.contains("Next: quiz "))
    let perfect = try runEngram(
      ["quiz", "capitals", "-n", "3", "--mode", "typed", "--seed", "4"], home: home.path, input: "Paris\nParis\nParis\n"
    )
    #expect(perfect.stdout.contains("Score: 3/3 (100%)"))
    #expect(perfect.stdout.contains("Everything right."))
  }

  @Test func `a typed quiz asks a multiple-choice card for typed text and takes a letter too`() throws {
    home.write(
      "decks/germany.md",
      "# Germany\nid: germany\n\n## capital\nQ: Which of these is the capital of Germany?\nA: Berlin\nChoices:\n- Bonn\n- Munich\n- Hamburg\n"
    )
    let typed = try runEngram(["quiz", "germany", "-n", "1", "--mode", "typed"], home: home.path, input: "berlin\n")
    #expect(!typed.stdout.contains("Answer with a letter"))
    #expect(typed.stdout.contains("✓ correct"))
    let wrongOption = try runEngram(
      ["quiz", "germany", "-n", "1", "--mode", "typed"], home: home.path, input: "Bonn\n")
    #expect(wrongOption.stdout.contains("✗ not quite"))
    let typo = try runEngram(["quiz", "germany", "-n", "1", "--mode", "typed"], home: home.path, input: "Berlinn\n")
    #expect(typo.stdout.contains("≈ close"))
    // The letter shown beside Berlin picks it.
    let line = try #require(typed.stdout.split(separator: "\n").first { $0.hasSuffix(") Berlin") })
    let letter = String(line.trimmingCharacters(in: .whitespaces).prefix(1))
    let byLetter = try runEngram(
      ["quiz", "germany", "-n", "1", "--mode", "typed"], home: home.path, input: letter.lowercased() + "\n")
    #expect(byLetter.stdout.contains("✓ correct"))
    #expect(logLines().map { $0[2] } == ["3", "1", "2", "3"])
  }

  @Test func `a seed repeats a quiz over the same history at any time`() throws {
    home.write(
      "reviews.tsv",
      "# engram review log v1\n2026-01-01T10:00:00.000Z\tcapitals/france\t1\t0\treview\n2026-01-01T10:00:00.000Z\tcapitals/texas\t4\t0\treview\n"
    )
    func questions(at now: String) throws -> [Substring] {
      let other = TemporaryDirectory()
      other.write("decks/capitals.md", home.read("decks/capitals.md") ?? "")
      other.write("reviews.tsv", home.read("reviews.tsv") ?? "")
      let result = try runEngram(
        ["quiz", "capitals", "-n", "3", "--mode", "typed", "--seed", "11"], home: other.path, input: "",
        environment: ["ENGRAM_NOW": now])
      return result.stdout.split(separator: "\n").filter { $0.hasPrefix("Q: ") }
    }
    let january = try questions(at: "2026-01-02T10:00:00Z")
    #expect(!january.isEmpty)
    #expect(try questions(at: "2026-07-30T18:00:00Z") == january)
    let help = try runEngram(["quiz", "--help"], home: home.path)
    #expect(help.stdout.contains("same history"))
  }

  @Test func `a name that only a broken deck has is reported with the nearest names`() throws {
    home.write("decks/si-units.md", "# SI units\nid: si-units\n\n## second\nQ: What is the SI symbol for the second?\n")
    // A card of another deck whose words contain "si" must not be chosen instead.
    home.write("decks/agile.md", "# Agile\nid: agile\n\n## sit\nQ: Where do they sit?\nA: Together\n")
    for command in [["review", "si-units"], ["quiz", "si-units"]] {
      let result = try runEngram(command, home: home.path, input: "\n3\n")
      #expect(result.status == 1)
      #expect(result.stderr.contains("deck 'si-units' did not load"))
      #expect(result.stderr.contains("missing answer"))
      #expect(!result.stdout.contains("Where do they sit?"))
    }
    let unknown = try runEngram(["review", "capitls"], home: home.path, input: "\n3\n")
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("did you mean: capitals"))
  }

  @Test func `multiple choice is answered by letter or number`() throws {
    home.write(
      "decks/germany.md",
      "# Germany\nid: germany\n\n## capital\nQ: Capital of Germany?\nA: Berlin\nChoices:\n- Bonn\n- Munich\n- Hamburg\nWhy: Since 1990.\n"
    )
    let result = try runEngram(
      ["quiz", "germany", "-n", "1", "--mode", "choice", "--seed", "2"], home: home.path, input: "9\nzz\n1\n")
    #expect(result.stdout.contains("Answer with a letter A-D, a number 1-4 or the start of an option's text."))
    for option in ["Berlin", "Bonn", "Munich", "Hamburg"] { #expect(result.stdout.contains(") \(option)")) }
    let lines = logLines()
    #expect(lines.count == 1)
    // Option 1 was chosen: correct exactly when Berlin was listed first.
    let berlinFirst = result.stdout.contains("A) Berlin")
    #expect(lines[0][2] == (berlinFirst ? "3" : "1"))
  }

  @Test func `study mode logs reviews that FSRS schedules`() throws {
    _ = try runEngram(["quiz", "capitals", "-n", "1", "--mode", "typed", "--study"], home: home.path, input: "Paris\n")
    let lines = logLines()
    #expect(lines.count == 1)
    #expect(lines[0][4] == "review")
    #expect(lines[0][2] == "3")
  }

  @Test func `an unknown topic names the nearest matches and exits 1`() throws {
    let result = try runEngram(["quiz", "capitls"], home: home.path)
    #expect(result.status == 1)
    #expect(result.stderr.contains("did you mean: capitals"))
  }

  @Test func `an ambiguous topic asks which one`() throws {
    home.write(
      "decks/alpha.md",
      "# Letters\nid: letters\n\n## one\nQ: First letter?\nA: Paris\nTags: alpha-one\n\n## two\nQ: Second letter?\nA: Paris\nTags: alpha-two\n"
    )
    let result = try runEngram(["quiz", "alpha", "-n", "1", "--mode", "typed"], home: home.path, input: "1\nParis\n")
    #expect(result.stdout.contains("1) alpha-one (tag, 1 card)"))
    #expect(result.stdout.contains("matches several topics"))
    #expect(result.stdout.contains("Score: 1/1"))
  }

  @Test func `Weakest names every tag tied at the lowest share and then suggests the topic, not one of them`() throws {
    home.write("config.toml", "follow_ups = false\n")
    home.write(
      "decks/letters.md",
      "# Letters\nid: letters\n\n## one\nQ: First letter?\nA: Alpha\nTags: early\n\n"
        + "## two\nQ: Second letter?\nA: Bravo\nTags: early\n\n## three\nQ: Third letter?\nA: Charlie\nTags: late\n")
    let tied = try runEngram(
      ["quiz", "letters", "-n", "3", "--mode", "typed"], home: home.path, input: "zzz\nzzz\nzzz\n")
    #expect(tied.status == 0, "\(tied.stderr)")
    // Both at 0%: the one asked twice first; neither is picked for the next quiz.
    #expect(tied.stdout.contains("Weakest: early (0/2), late (0/1)."))
    #expect(tied.stdout.contains("Next: quiz letters"))
    // Charlie right: only 'early' is at the bottom, and it is suggested.
    let answers = ["First letter?": "zzz", "Second letter?": "zzz", "Third letter?": "Charlie"]
    var input = ""
    let seeded = try runEngram(
      ["quiz", "letters", "-n", "3", "--mode", "typed", "--seed", "7"], home: home.path, input: "\n\n\n")
    for line in seeded.stdout.split(separator: "\n") {
      if let question = answers.keys.first(where: { line.contains($0) }) { input += answers[question]! + "\n" }
    }
    let one = try runEngram(
      ["quiz", "letters", "-n", "3", "--mode", "typed", "--seed", "7"], home: home.path, input: input)
    #expect(one.stdout.contains("Weakest: early (0/2)."))
    #expect(one.stdout.contains("Next: quiz early"))
  }

  @Test func `a quiz asks at most one follow-up per three questions`() throws {
    var deck = "# Nine\nid: nine\n"
    for n in 1...9 { deck += "\n## c\(n)\nQ: Question number \(n) about rivers?\nA: Answer \(n)\nTags: rivers\n" }
    home.write("decks/nine.md", deck)
    let run = try runEngram(
      ["quiz", "nine", "-n", "6", "--mode", "typed"], home: home.path,
      input: String(repeating: "zzz\n", count: 12))
    #expect(run.status == 0, "\(run.stderr)")
    // Six misses, every one with related cards left to ask: two follow-ups, then none.
    #expect(run.stdout.components(separatedBy: "Follow-up · ").count - 1 == 2)
    #expect(run.stdout.contains("Follow-ups: 0 of 2 right"))
    #expect(run.stdout.contains("Score: 0/6"))
  }

  @Test func `cram reviews cards ahead of their due date as early reviews`() throws {
    home.write(
      "reviews.tsv",
      "# engram review log v1\n2026-01-01T10:00:00.000Z\tcapitals/france\t4\t0\treview\n")
    let now = ["ENGRAM_NOW": "2026-01-02T10:00:00Z"]
    let nothingDue = try runEngram(["review", "capitals"], home: home.path, input: "q\n", environment: now)
    #expect(!nothingDue.stdout.contains("Capital of France?"))
    let result = try runEngram(["cram", "capitals"], home: home.path, input: "\n3\n", environment: now)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Q: Capital of France?"))
    // Not due: the header counts it as ahead of schedule, never as due.
    #expect(result.stdout.contains("Cramming capitals · 1 card ahead of schedule"))
    #expect(!result.stdout.contains("due ·"))
    let lines = logLines()  // this device's file; the earlier review is in reviews.tsv
    #expect(lines.count == 1)
    #expect(lines.first?[1] == "capitals/france" && lines.first?[4] == "review")
    let none = try runEngram(["cram", "capitals", "--days", "1"], home: home.path, environment: now)
    #expect(none.stdout.contains("No cards in capitals can be reviewed ahead within 1 day"))
  }

  @Test func `a card written as multiple choice shows its options in review and in a typed quiz`() throws {
    home.write(
      "decks/metrics.md",
      "# Metrics\nid: metrics\n\n## business\nQ: Which of these is the business metric?\nA: Monthly churn rate\n"
        + "Choices:\n- AUC on held-out data\n- Log loss\nWhy: The outcome the business pays for.\n")
    let review = try runEngram(["review", "metrics"], home: home.path, input: "q\n")
    for option in ["Monthly churn rate", "AUC on held-out data", "Log loss"] {
      #expect(review.stdout.contains(") \(option)"), "\(option) listed")
    }
    // The options' order is fixed by the card, so the letter of the answer can be found and typed.
    let line = try #require(review.stdout.split(separator: "\n").first { $0.hasSuffix(") Monthly churn rate") })
    let letter = String(line.trimmingCharacters(in: .whitespaces).prefix(1))
    let answered = try runEngram(["review", "metrics"], home: home.path, input: "\(letter)\nq\n")
    #expect(answered.stdout.contains("you: \(letter)) Monthly churn rate ✓"))
    // Option letters are answers, not commands: "b" picks option B instead of burying the card.
    let picked = try runEngram(["review", "metrics"], home: home.path, input: "b\nq\n")
    #expect(picked.stdout.contains("you: B) "))
    #expect(!picked.stdout.contains("Buried"))
    let quiz = try runEngram(["quiz", "metrics", "-n", "1", "--mode", "typed"], home: home.path, input: "\(letter)\n")
    #expect(quiz.stdout.contains("A) ") && quiz.stdout.contains("Log loss"))
  }

  /// A multiple-choice card whose answer carries another name in parentheses.
  func writeDriftDeck() {
    home.write(
      "decks/drift.md",
      """
      # Drift
      id: drift

      ## covariate
      Q: Applicants under 25 rose from 10% to 40% of traffic; how age relates to default is unchanged. What is this?
      A: Data drift (covariate shift)
      Choices:
      - Concept drift
      - Label noise
      - Training-serving skew
      Why: The inputs moved; the relationship did not.

      """)
  }

  @Test func `an answer is right typed without its parenthesis, or by the other name inside it, in quiz and review`()
    throws
  {
    writeDriftDeck()
    home.write("config.toml", "follow_ups = false\n")
    let quiz = try runEngram(["quiz", "drift", "-n", "1", "--mode", "typed"], home: home.path, input: "data drift\n")
    #expect(quiz.stdout.contains("✓ correct"))
    let review = try runEngram(["review", "drift"], home: home.path, input: "covariate shift\nq\n")
    #expect(flat(review.stdout).contains("you: covariate shift ✓"))
    #expect(logLines().map { $0[2] } == ["3"])  // the quiz's; the review was not rated
  }

  @Test func `review takes an option's number or the start of its text, as quiz does`() throws {
    writeDriftDeck()
    home.write("config.toml", "follow_ups = false\n")
    // The options' order is fixed per card: find the answer's letter, and so its number.
    let shown = try runEngram(["review", "drift"], home: home.path, input: ":q\n")
    let line = try #require(
      shown.stdout.split(separator: "\n").first { $0.hasSuffix(") Data drift (covariate shift)") })
    let letter = try #require(line.trimmingCharacters(in: .whitespaces).first)
    let number = Int(letter.asciiValue! - Character("A").asciiValue!) + 1
    let byNumber = try runEngram(["review", "drift"], home: home.path, input: "\(number)\n:q\n")
    #expect(flat(byNumber.stdout).contains("you: \(letter)) Data drift (covariate shift) ✓"))
    let byStart = try runEngram(["review", "drift"], home: home.path, input: "concept\n:q\n")
    #expect(flat(byStart.stdout).contains(") Concept drift ✗"))
    let choice = try runEngram(
      ["quiz", "drift", "-n", "1", "--mode", "choice"], home: home.path, input: "data drift\n")
    #expect(choice.stdout.contains("✓ correct"))
    #expect(!choice.stdout.contains("Answer with a letter"))
  }

  @Test func `a card without three fitting options is typed in choice mode, not offered odd options`() throws {
    // Yes/no answers: other cards' "Yes; …" sentences would be the only options.
    home.write(
      "decks/yesno.md",
      """
      # Yes or no
      id: yesno

      ## a
      Q: Does a model card replace a datasheet for the dataset?
      A: No; they document different things.

      ## b
      Q: Is a harmful output an incident even if the system works as designed?
      A: Yes; harm to people is what counts.

      ## c
      Q: Can consent be the lawful basis for training on employee data?
      A: Rarely; consent at work is seldom freely given.

      ## d
      Q: Is pseudonymised data still personal data under the GDPR?
      A: Yes; it can be linked back to a person.

      """)
    home.write("config.toml", "follow_ups = false\n")
    let result = try runEngram(
      ["quiz", "yesno", "-n", "4", "--mode", "choice", "--seed", "3"], home: home.path, input: "no\nyes\nno\nyes\n")
    #expect(result.status == 0)
    #expect(!result.stdout.contains("A) ") && !result.stdout.contains("B) "))
    #expect(result.stdout.contains("yours: "))  // graded as typed answers
  }
}
