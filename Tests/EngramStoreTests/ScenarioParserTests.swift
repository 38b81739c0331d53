import EngramCore
import Testing

@testable import EngramStore

/// The scenario format of docs/scenarios.md, through the real parser.
@Suite struct ScenarioParserTests {
  /// A valid scenario: three decision points in a row, two endings chosen by trust.
  static let valid = """
    # Test drill
    id: test-drill
    summary: A drill for tests.
    measures: trust 5, risk 3

    ## start
    The sponsor asks for a date.

    ### A: Promise a date
    Verdict: poor
    Effects: trust +1, risk +3
    Feedback: A date without evidence is a guess.
    Cards: d/a
    Next: second

    ### B: Offer a range
    Verdict: good
    Effects: trust +2
    Feedback: A range is honest
    about uncertainty.
    Cards: d/b, d/c
    Next: second

    ### C: Say nothing
    Verdict: mixed
    Feedback: Silence leaves a vacuum.
    Cards: d/a
    Next: second

    ## second
    The team is worried.

    ### A: Listen
    Verdict: good
    Feedback: Listening first.
    Cards: d/b
    Next: third
    ### B: Push
    Verdict: poor
    Effects: trust -4
    Feedback: Pushing harder.
    Cards: d/a
    Next: third
    ### C: Wait
    Verdict: mixed
    Feedback: Waiting.
    Cards: d/a
    Next: third

    ## third
    The deadline comes.

    ### A: Ship
    Verdict: good
    Feedback: Shipping.
    Cards: d/b
    Next: good-end if trust >= 6; bad-end
    ### B: Slip
    Verdict: mixed
    Feedback: Slipping.
    Cards: d/a
    Next: bad-end
    ### C: Hide
    Verdict: poor
    Feedback: Hiding.
    Cards: d/a
    Next: bad-end

    ## good-end
    Ending: Trusted
    It went well.

    ## bad-end
    Ending: Doubted
    It did not.
    """

  func problems(_ text: String) -> [ScenarioError] {
    do {
      _ = try ScenarioParser.parse(text, file: "s.md")
      return []
    } catch {
      return error.errors
    }
  }

  func replacing(_ old: String, with new: String) -> String {
    precondition(ScenarioParserTests.valid.contains(old), old)
    return ScenarioParserTests.valid.replacingOccurrences(of: old, with: new)
  }

  @Test func `a valid scenario parses with its measures, options, routes and endings`() throws {
    let scenario = try ScenarioParser.parse(ScenarioParserTests.valid, file: "s.md")
    #expect(scenario.id == "test-drill" && scenario.title == "Test drill" && scenario.summary == "A drill for tests.")
    #expect(scenario.measures == [.init(name: "trust", start: 5), .init(name: "risk", start: 3)])
    #expect(scenario.decisionPoints == 3 && scenario.endings == 2)
    let b = scenario.nodes[0].options[1]
    #expect(b.letter == "B" && b.text == "Offer a range" && b.verdict == .good)
    #expect(b.feedback == "A range is honest about uncertainty.")
    #expect(b.cards == ["d/b", "d/c"] && b.effects == [.init(measure: "trust", delta: 2)])
    let ship = scenario.nodes[2].options[0]
    #expect(
      ship.next == [
        .init(target: "good-end", condition: .init(measure: "trust", comparison: .atLeast, value: 6)),
        .init(target: "bad-end"),
      ])
    #expect(scenario.node("good-end")?.endingTitle == "Trusted")
    #expect(scenario.node("good-end")?.text == "It went well.")
  }

  @Test func `every error names the file and line`() {
    let cases: [(text: String, expected: ScenarioError)] = [
      ("id: x\n", .missingTitle(file: "s.md", line: 1)),
      (replacing("id: test-drill\n", with: ""), .missingHeaderKey(file: "s.md", key: "id")),
      (replacing("id: test-drill", with: "id: Test Drill"), .badID(file: "s.md", line: 2, id: "Test Drill")),
      (
        replacing("summary: A drill for tests.", with: "owner: me\nsummary: A drill for tests."),
        .unknownHeaderKey(file: "s.md", line: 3, key: "owner")
      ),
      (
        replacing("measures: trust 5, risk 3", with: "measures: trust 5, risk 30"),
        .badMeasure(file: "s.md", line: 4, text: "risk 30")
      ),
      (replacing("## second", with: "## Second"), .badNodeID(file: "s.md", line: 30, id: "Second")),
      (
        replacing("### B: Offer a range", with: "### C: Offer a range"),
        .badOptionHeading(file: "s.md", line: 16, node: "start", expected: "B")
      ),
      (
        replacing("Verdict: poor\nEffects: trust +1, risk +3", with: "Verdict: terrible\nEffects: trust +1, risk +3"),
        .badVerdict(file: "s.md", line: 10, value: "terrible")
      ),
      (
        replacing("Effects: trust +2", with: "Effects: trust plenty"),
        .badEffect(file: "s.md", line: 18, text: "trust plenty")
      ),
      (
        replacing("Effects: trust +2", with: "Effects: morale +2"),
        .unknownMeasure(file: "s.md", line: 18, measure: "morale")
      ),
      (
        replacing("Next: good-end if trust >= 6; bad-end", with: "Next: good-end if trust >= 6"),
        .conditionalLastRoute(file: "s.md", line: 57)
      ),
      (
        replacing("Next: good-end if trust >= 6; bad-end", with: "Next: good-end when trusted; bad-end"),
        .badRoute(file: "s.md", line: 57, text: "good-end when trusted")
      ),
      (
        replacing("Feedback: Waiting.", with: "Feedback: Waiting.\nMood: gloomy"),
        .unknownField(file: "s.md", line: 47, field: "Mood")
      ),
      (
        replacing("### A: Listen", with: "### A: Listen\nthe text that should have been above"),
        .textInOption(file: "s.md", line: 34, option: "A")
      ),
      (
        replacing("Cards: d/b, d/c", with: "Cards: d/b, not a key"),
        .badCardKey(file: "s.md", line: 21, key: "not a key")
      ),
      (
        replacing("Feedback: Listening first.\n", with: ""),
        .missingField(file: "s.md", line: 33, node: "second", option: "A", field: "Feedback")
      ),
    ]
    for (text, expected) in cases {
      let found = problems(text)
      #expect(found.contains(expected), "expected \(expected.description), got \(found.map(\.description))")
      #expect(expected.description.hasPrefix("s.md:"))
    }
  }

  @Test func `graph errors: unknown targets, unreachable nodes, loops, dead ends and too few options`() {
    #expect(
      problems(replacing("Next: second\n\n### B", with: "Next: nowhere\n\n### B")).contains(
        .unknownTarget(file: "s.md", line: 9, target: "nowhere")))
    let orphan = ScenarioParserTests.valid + "\n\n## orphan\nEnding: Lost\nNobody gets here.\n"
    #expect(problems(orphan).contains(.unreachable(file: "s.md", line: 77, node: "orphan")))
    #expect(
      problems(
        replacing(
          "Verdict: mixed\nFeedback: Waiting.\nCards: d/a\nNext: third",
          with: "Verdict: mixed\nFeedback: Waiting.\nCards: d/a\nNext: start")
      ).contains(.cycle(file: "s.md", line: 6, node: "start")))
    #expect(
      problems(replacing("Ending: Doubted\n", with: "")).contains(.deadEnd(file: "s.md", line: 73, node: "bad-end")))
    let twoOptions = replacing("### C: Hide\nVerdict: poor\nFeedback: Hiding.\nCards: d/a\nNext: bad-end\n", with: "")
    #expect(problems(twoOptions).contains(.optionCount(file: "s.md", line: 50, node: "third", count: 2)))
    #expect(
      problems(replacing("## good-end\nEnding: Trusted", with: "## good-end\nEnding: Trusted\n### A: more")).contains(
        .optionInEnding(file: "s.md", line: 71, node: "good-end")))
  }

  @Test func `a scenario needs three decision points and two endings`() {
    let small = """
      # Small
      id: small
      summary: Too small.
      measures: trust 5

      ## start
      Pick.

      ### A: One
      Verdict: good
      Feedback: Fine.
      Cards: d/a
      Next: end
      ### B: Two
      Verdict: poor
      Feedback: Not fine.
      Cards: d/a
      Next: end
      ### C: Three
      Verdict: mixed
      Feedback: So so.
      Cards: d/a
      Next: end

      ## end
      Ending: Done
      Over.
      """
    let found = problems(small)
    #expect(found.contains(.tooFewDecisionPoints(file: "s.md", count: 1)))
    #expect(found.contains(.tooFewEndings(file: "s.md", count: 1)))
  }

  @Test func `bytes that are not UTF-8 are refused`() {
    #expect(throws: ScenarioProblems(errors: [.notUTF8(file: "s.md")])) {
      try ScenarioParser.parse(bytes: [0x23, 0x20, 0xFF, 0xFE], file: "s.md")
    }
  }

  @Test func `links to cards no deck has are reported with the option's line`() throws {
    var library = ScenarioLibrary()
    library.add(source: "s.md") { () throws(ScenarioProblems) in
      try ScenarioParser.parse(ScenarioParserTests.valid, file: "s.md")
    }
    let decks = DeckLibrary(decks: [
      Deck(
        id: "d", title: "D",
        notes: [
          Note(id: "a", content: .basic(question: "q", answer: "a")),
          Note(id: "b", content: .basic(question: "q", answer: "a")),
        ])
    ])
    #expect(library.danglingCards(in: decks) == [.danglingCard(file: "s.md", line: 16, key: "d/c")])
  }

  @Test func `a second scenario with the same id is refused`() {
    var library = ScenarioLibrary()
    for file in ["a.md", "b.md"] {
      library.add(source: file) { () throws(ScenarioProblems) in
        try ScenarioParser.parse(ScenarioParserTests.valid, file: file)
      }
    }
    #expect(library.scenarios.count == 1)
    #expect(library.problems == [.duplicateScenarioID(id: "test-drill", file: "b.md", otherFile: "a.md")])
  }
}
