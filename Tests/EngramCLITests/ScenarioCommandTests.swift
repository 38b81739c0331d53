import EngramCLI
import EngramCore
import EngramStore
import EngramTestSupport
import Foundation
import Testing

/// Output with line breaks and runs of spaces folded, so checks do not depend on where the
/// terminal width wrapped the text.
func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

/// `scenario list` and `scenario play` as real processes with piped input, and `lint` on
/// scenario files.
@Suite struct ScenarioCommandTests {
  let home = TemporaryDirectory()
  let library = ScenarioLibrary.shipped()

  func logLines() -> [[String]] {
    (home.read("reviews/test.tsv") ?? "").split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("time") }
      .map { $0.split(separator: "\t").map(String.init) }
  }

  /// Every play of a scenario as letters, walking `ScenarioPlay` depth first.
  func plays(_ scenario: Scenario) -> [[Character]] {
    guard let start = ScenarioPlay(scenario) else { return [] }
    var result: [[Character]] = []
    var stack: [(ScenarioPlay, [Character])] = [(start, [])]
    while let (play, letters) = stack.popLast() {
      if play.isOver {
        result.append(letters)
        continue
      }
      for option in play.node.options {
        var next = play
        if next.choose(option.letter) != nil { stack.append((next, letters + [option.letter])) }
      }
    }
    return result
  }

  @Test func `list --json gives every shipped scenario with its decision points and endings`() throws {
    let result = try runEngram(["scenario", "list", "--json"], home: home.path)
    #expect(result.status == 0)
    let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(items.count >= 12)
    for item in items {
      #expect(Set(item.keys) == ["id", "title", "decision_points", "endings"])
      #expect((item["decision_points"] as? Int ?? 0) >= 3)
      #expect((item["endings"] as? Int ?? 0) >= 2)
    }
    let plain = try runEngram(["scenario"], home: home.path)
    #expect(plain.status == 0 && plain.stdout.contains("sponsor-accuracy") && plain.stdout.contains("scenario play"))
  }

  /// Plays `letters` from a pipe and checks the debrief and the log.
  func play(_ scenario: Scenario, _ letters: [Character]) throws {
    let run = TemporaryDirectory()
    let input = letters.map { "\($0)\n" }.joined()
    let result = try runEngram(["scenario", "play", scenario.id], home: run.path, input: input)
    #expect(result.status == 0, "\(scenario.id) \(String(letters)): \(result.stderr)")
    #expect(result.stdout.contains("Debrief"), "\(scenario.id) \(String(letters)) did not reach the debrief")
    guard var expected = ScenarioPlay(scenario) else { return }
    for letter in letters { _ = expected.choose(letter) }
    #expect(flat(result.stdout).contains(flat("Ending: \(expected.node.endingTitle ?? "?")")))
    let lines = (run.read("reviews/test.tsv") ?? "").split(separator: "\n").map { $0.split(separator: "\t") }
      .filter { $0.count >= 5 && $0[4] == "scenario" }
    #expect(lines.count == letters.count + 1, "\(scenario.id): one event per choice and one for the ending")
    #expect(lines.last.map { String($0[1]) } == "\(scenario.id)/\(expected.node.id)")
  }

  @Test func `every path of two scenarios plays to its debrief from a pipe`() throws {
    let smallest = library.scenarios.sorted { plays($0).count < plays($1).count }.prefix(2)
    #expect(smallest.count == 2)
    for scenario in smallest {
      for letters in plays(scenario) { try play(scenario, letters) }
    }
  }

  @Test func `every scenario plays through choosing the first option throughout, and the last`() throws {
    for scenario in library.scenarios {
      for pickLast in [false, true] {
        guard var walk = ScenarioPlay(scenario) else { continue }
        var letters: [Character] = []
        while !walk.isOver {
          guard let option = pickLast ? walk.node.options.last : walk.node.options.first else { break }
          letters.append(option.letter)
          _ = walk.choose(option.letter)
        }
        try play(scenario, letters)
      }
    }
  }

  @Test func `choices are logged, poor ones mark their cards weak, and stats count the play`() throws {
    let scenario = try #require(library.scenario(id: "sponsor-accuracy"))
    // The first poor option at the start, then the first option at every later point.
    let poor = try #require(scenario.nodes[0].options.first { $0.verdict == .poor })
    guard var walk = ScenarioPlay(scenario) else { return }
    var letters = [poor.letter]
    _ = walk.choose(poor.letter)
    while !walk.isOver, let option = walk.node.options.first {
      letters.append(option.letter)
      _ = walk.choose(option.letter)
    }
    let result = try runEngram(
      ["scenario", "play", "sponsor-accuracy"], home: home.path,
      input: letters.map { "\(String($0).lowercased())\n" }.joined())
    #expect(result.status == 0)
    #expect(result.stdout.contains("✗ poor choice"))
    // The header's starting values (trust 5, risk 3, schedule 5), each on the 0–10 scale.
    #expect(result.stdout.contains("trust 5/10 · risk 3/10 · schedule 5/10"))
    let lines = logLines()
    let first = try #require(lines.first)
    #expect(first[1] == "sponsor-accuracy/\(scenario.nodes[0].id)/\(String(poor.letter).lowercased())")
    #expect(first[2] == "1" && first[4] == "scenario")
    let weak = Set(lines.filter { $0[4] == "weak" }.map { $0[1].split(separator: "#")[0] })
    #expect(weak.isSuperset(of: poor.cards.map { Substring($0) }))
    // Scenario events make no card state; weak marks never schedule.
    let state = try runEngram(["state", "--json"], home: home.path)
    let objects = try #require(try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [[String: Any]])
    #expect(objects.allSatisfy { ($0["card"] as? String).map { !$0.hasPrefix("sponsor-accuracy/") } ?? false })
    #expect(objects.allSatisfy { $0["state"] as? String == "new" })
    // A quiz on the deck of a weak card asks it first.
    let weakKey = try #require(lines.first { $0[4] == "weak" }?[1])
    let deck = String(weakKey.split(separator: "/")[0])
    let quiz = try runEngram(
      ["quiz", deck, "-n", "1", "--mode", "flip", "--seed", "5"], home: home.path, input: "\ny\n")
    let weakFronts = lines.filter { $0[4] == "weak" && $0[1].hasPrefix(deck + "/") }.map(\.[1])
    let decks = DeckLibrary.shipped()
    let fronts = decks.cards.filter { weakFronts.contains($0.key) }.map { flat($0.front) }
    let asked = flat(quiz.stdout)
    #expect(fronts.contains { asked.contains("Q: " + $0) }, "asked \(asked), weak: \(weakFronts)")
    let stats = try runEngram(["stats", "--json"], home: home.path)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
    let scenarios = try #require(json["scenarios"] as? [String: Any])
    #expect(scenarios["plays"] as? Int == 1)
    #expect((scenarios["choices"] as? [String: Int])?["poor"] ?? 0 >= 1)
  }

  @Test func `a stopped play says how to restart and an unknown id names the nearest`() throws {
    let stopped = try runEngram(["scenario", "play", "drift-incident"], home: home.path, input: "x\nq\n")
    #expect(stopped.status == 0)
    #expect(flat(stopped.stdout).contains("Type a letter A–"))
    #expect(flat(stopped.stdout).contains("'scenario play drift-incident' starts it again"))
    let unknown = try runEngram(["scenario", "play", "drift-incidnet"], home: home.path)
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("did you mean 'drift-incident'"))
  }

  @Test func `lint reports scenario errors with path and line, and user scenarios load`() throws {
    let good = try #require(shippedText("sponsor-accuracy.md"))
    home.write("scenarios/mine.md", good.replacingOccurrences(of: "id: sponsor-accuracy", with: "id: my-sponsor"))
    let ok = try runEngram(["lint"], home: home.path)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(flat(ok.stdout).contains("/scenarios/mine.md: ok (scenario"))
    let listed = try runEngram(["scenario", "list", "--json"], home: home.path)
    #expect(listed.stdout.contains("\"my-sponsor\""))
    let dangling = home.write(
      "scenarios/dangling.md",
      good.replacingOccurrences(of: "id: sponsor-accuracy", with: "id: dangling")
        .replacingOccurrences(of: "Cards: ", with: "Cards: nowhere/nothing, "))
    let bad = try runEngram(["lint", dangling], home: home.path)
    #expect(bad.status == 1)
    #expect(flat(bad.stderr).contains(dangling + ":"))
    #expect(flat(bad.stderr).contains("card 'nowhere/nothing' is not in any loaded deck"))
    // A scenario that cannot be played is left out with a warning; the others still load.
    home.write(
      "scenarios/broken.md",
      good.replacingOccurrences(of: "id: sponsor-accuracy", with: "id: broken")
        .replacingOccurrences(of: "Verdict:", with: "Verdikt:"))
    let list = try runEngram(["scenario", "list"], home: home.path)
    #expect(list.status == 0)
    #expect(!list.stdout.contains("broken"))
    #expect(list.stdout.contains("my-sponsor"))
    #expect(list.stderr.contains("warning: ") && flat(list.stderr).contains("/scenarios/broken.md:"))
    // Playing it by id names its file and its problems, not "no scenario".
    let played = try runEngram(["scenario", "play", "broken"], home: home.path)
    #expect(played.status == 1)
    #expect(
      flat(played.stderr).contains("scenario 'broken' (\(home.path)/scenarios/broken.md) has problems and was left out")
    )
  }

  @Test func `a word that is no scenario command is said plainly, with exit status 2`() throws {
    let result = try runEngram(["scenario", "sponsor-accuracy"], home: home.path)
    #expect(result.status == 2)
    #expect(
      flat(result.stderr)
        == "error: 'sponsor-accuracy' is not a scenario command; use 'scenario list', or 'scenario play sponsor-accuracy' to play a drill by id"
    )
  }

  @Test func `an unknown id far from every drill gets no suggestions, a near one gets the nearest`() throws {
    let far = try runEngram(["scenario", "play", "nope"], home: home.path)
    #expect(far.status == 1)
    #expect(far.stderr == "error: no scenario 'nope'; 'scenario list' shows them all\n")
    let near = try runEngram(["scenario", "play", "drift"], home: home.path)
    #expect(near.stderr.contains("did you mean 'drift-incident'?"))
  }

  @Test(arguments: [60, 80, 120])
  func `the list keeps titles beside or under their ids at every width`(columns: Int) throws {
    let result = try runEngram(["scenario", "list"], home: home.path, environment: ["COLUMNS": String(columns)])
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.allSatisfy { TextLayoutWidth.of($0) <= columns })
    // Every line is an id, or continues its title indented (never from the first column).
    let ids = Set(try ScenarioListing.ids(home: home.path))
    for line in lines where !line.hasPrefix(" ") && !line.hasPrefix("Play one") {
      #expect(ids.contains(String(line.prefix { $0 != " " })), "\(line)")
    }
    #expect(flat(result.stdout).contains("drift-incident The fraud model goes quiet · 5 decision points · 4 endings"))
  }

  func shippedText(_ name: String) -> String? {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appending(path: "Scenarios/" + name)
    return (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) }
  }
}

/// Follow-up questions after a miss.
@Suite struct FollowUpCommandTests {
  let home = TemporaryDirectory()

  init() {
    home.write(
      "decks/metrics.md",
      """
      # Metrics
      id: metrics
      topics: metrics

      ## precision
      Q: Of the items a model flagged, the share that were truly positive is called?
      A: precision
      Why: Precision looks at the flagged items only.
      See: metrics/recall
      Tags: evaluation

      ## recall
      Q: Of the truly positive items, the share the model flagged is called?
      A: recall
      Why: Recall looks at all real positives.
      Tags: evaluation

      """)
  }

  @Test func `a wrong answer in a piped quiz is followed by one question from a linked card`() throws {
    let result = try runEngram(
      ["quiz", "metrics", "-n", "1", "--mode", "typed", "--seed", "1"], home: home.path, input: "accuracy\nrecall\n",
      environment: [:])
    #expect(result.status == 0)
    let questions = result.stdout.split(separator: "\n").filter { $0.hasPrefix("Q: ") }
    #expect(questions.count == 2)
    #expect(flat(result.stdout).contains("Follow-up · metrics"))
    let log = (home.read("reviews/test.tsv") ?? "").split(separator: "\n").filter { $0.contains("\tquiz\t") }
    #expect(log.count == 2)
  }

  @Test func `follow_ups = false turns them off`() throws {
    home.write("config.toml", "follow_ups = false\n")
    let result = try runEngram(
      ["quiz", "metrics", "-n", "1", "--mode", "typed", "--seed", "1"], home: home.path, input: "accuracy\nrecall\n")
    #expect(!result.stdout.contains("Follow-up"))
    #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("Q: ") }.count == 1)
  }

  @Test func `':u' at a follow-up in review takes back the Again and skips the follow-up`() throws {
    let result = try runEngram(["review", "metrics"], home: home.path, input: "\n1\n:u\n:q\n")
    #expect(result.status == 0)
    #expect(flat(result.stdout).contains("Follow-up · metrics"))
    let rows: [[Substring]] = (home.read("reviews/test.tsv") ?? "").split(separator: "\n").map {
      $0.split(separator: "\t")
    }
    let events = rows.filter { row in row.count >= 5 && !row[0].hasPrefix("#") && row[0] != "time" }
    let kinds: [String] = events.map { row in String(row[4]) }
    #expect(kinds == ["review", "undo"])
    #expect(!result.stdout.contains("yours: :u"))
  }

  @Test func `in a quiz ':q' stops without an answer and other colon commands are explained, not graded`() throws {
    let result = try runEngram(
      ["quiz", "metrics", "-n", "2", "--mode", "typed", "--seed", "1"], home: home.path, input: ":s\n:q\n")
    #expect(result.status == 0)
    #expect(flat(result.stdout).contains("In a quiz ':q' stops; anything else is your answer"))
    #expect(!result.stdout.contains("yours: :s"))
    #expect(!(home.read("reviews/test.tsv") ?? "").contains("\tquiz"))
  }

  @Test func `a flip miss is followed without a left-out hint, since nothing was typed`() throws {
    home.write(
      "decks/stall.md",
      """
      # Stall
      id: stall

      ## value
      Q: The churn model improved but retention did not. Why might that be?
      A: Better predictions are not turned into effective retention offers that staff actually use.
      See: metrics/recall

      """)
    let result = try runEngram(["quiz", "stall", "-n", "1", "--mode", "flip"], home: home.path, input: "\nn\n\ny\n")
    #expect(result.status == 0)
    #expect(flat(result.stdout).contains("Follow-up · metrics · related to what you just missed"))
    #expect(!result.stdout.contains("Hint:"))
  }

  @Test func `a close answer's follow-up does not call it a miss`() throws {
    home.write(
      "decks/single.md",
      "# Single\nid: single\n\n## share\nQ: The share of flagged items that were truly positive?\nA: precision\nSee: metrics/recall\n"
    )
    let result = try runEngram(
      ["quiz", "single", "-n", "1", "--mode", "typed"], home: home.path, input: "precison\nrecall\n")
    #expect(result.stdout.contains("≈ close"))
    #expect(flat(result.stdout).contains("Follow-up · metrics · related to your last answer"))
    #expect(!result.stdout.contains("what you just missed"))
  }

  @Test func `an Again in a review session is followed by a linked card`() throws {
    let result = try runEngram(["review", "metrics"], home: home.path, input: "\n1\nprecision\nq\n")
    #expect(result.status == 0)
    #expect(flat(result.stdout).contains("Follow-up · metrics"))
    let lines = (home.read("reviews/test.tsv") ?? "").split(separator: "\n").map { $0.split(separator: "\t") }
    #expect(lines.contains { $0.count >= 5 && $0[4] == "review" && $0[2] == "1" })
    #expect(lines.contains { $0.count >= 5 && $0[4] == "quiz" })
  }
}

/// Display width of plain (uncoloured) output lines in these tests.
enum TextLayoutWidth {
  static func of(_ line: Substring) -> Int { TextLayout.width(line) }
}

enum ScenarioListing {
  static func ids(home: String) throws -> [String] {
    let result = try runEngram(["scenario", "list", "--json"], home: home)
    let items = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    return items.compactMap { $0["id"] as? String }
  }
}
