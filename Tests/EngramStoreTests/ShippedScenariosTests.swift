import EngramCore
import Testing

@testable import EngramStore

/// Every play of a scenario, as the letters chosen: a depth-first walk over `ScenarioPlay`,
/// so measure conditions are followed exactly as in play.
func allPlays(_ scenario: Scenario) -> [[Character]] {
  guard let start = ScenarioPlay(scenario) else { return [] }
  var plays: [[Character]] = []
  var stack: [(ScenarioPlay, [Character])] = [(start, [])]
  while let (play, letters) = stack.popLast() {
    if play.isOver {
      plays.append(letters)
      continue
    }
    for option in play.node.options {
      var next = play
      if next.choose(option.letter) != nil { stack.append((next, letters + [option.letter])) }
    }
  }
  return plays
}

/// The invariants issue 15 sets for the shipped scenario drills, on the copies embedded in the
/// binary.
@Suite struct ShippedScenariosTests {
  let library = ScenarioLibrary.shipped()

  @Test func `at least twelve shipped scenarios parse without problems`() {
    #expect(library.problems.isEmpty, "\(library.problems.map(\.description))")
    #expect(library.scenarios.count >= 12)
  }

  @Test func `each has at least three decision points, two endings and three or four options a point`() {
    for scenario in library.scenarios {
      #expect(scenario.decisionPoints >= 3, "\(scenario.id)")
      #expect(scenario.endings >= 2, "\(scenario.id)")
      #expect(!scenario.summary.isEmpty && !scenario.measures.isEmpty, "\(scenario.id)")
      for node in scenario.nodes where node.endingTitle == nil {
        #expect((3...4).contains(node.options.count), "\(scenario.id)/\(node.id)")
      }
    }
  }

  @Test func `every play ends, passes at least three decisions, and every ending is reached`() {
    for scenario in library.scenarios {
      let plays = allPlays(scenario)
      #expect(!plays.isEmpty, "\(scenario.id)")
      #expect(plays.allSatisfy { $0.count >= 3 }, "\(scenario.id): a play with fewer than three decisions")
      var reached = Set<String>()
      for letters in plays {
        guard var play = ScenarioPlay(scenario) else { continue }
        for letter in letters { _ = play.choose(letter) }
        #expect(play.isOver)
        reached.insert(play.node.id)
      }
      let endings = Set(scenario.nodes.filter { $0.endingTitle != nil }.map(\.id))
      #expect(reached == endings, "\(scenario.id): endings never reached: \(endings.subtracting(reached).sorted())")
    }
  }

  @Test func `every option teaches: feedback, a verdict and cards that exist in the shipped decks`() {
    #expect(library.danglingCards(in: DeckLibrary.shipped()).isEmpty)
    for scenario in library.scenarios {
      let options = scenario.nodes.flatMap(\.options)
      #expect(options.allSatisfy { !$0.feedback.isEmpty && !$0.cards.isEmpty }, "\(scenario.id)")
      // Each decision point offers a sound choice, and at least one poor one to learn from.
      for node in scenario.nodes where node.endingTitle == nil {
        #expect(node.options.contains { $0.verdict == .good }, "\(scenario.id)/\(node.id) has no good option")
        #expect(node.options.contains { $0.verdict != .good }, "\(scenario.id)/\(node.id) has only good options")
      }
    }
  }

  @Test func `the issue's twelve situations are all there`() {
    let ids = Set(library.scenarios.map(\.id))
    for id in [
      "sponsor-accuracy", "drift-incident", "biased-data-late", "pipeline-failure-demo", "go-no-go-weak-slice",
      "eu-ai-act-classification", "ds-product-conflict", "uncertainty-for-cfo", "vendor-llm-hallucination",
      "failed-experiment-review", "exploratory-scope", "demoralised-retro",
    ] {
      #expect(ids.contains(id), "\(id) missing")
    }
  }
}
