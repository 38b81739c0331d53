import EngramCore
import Testing

/// A small scenario built by hand: start → (A: poor, trust -3) middle, (B: good, trust +2)
/// middle, (C: mixed) middle; middle routes on trust to a good or a bad ending.
func handScenario() -> Scenario {
  func option(
    _ letter: Character, _ verdict: Scenario.Verdict, _ effects: [Scenario.Effect], _ next: [Scenario.Route],
    cards: [String]
  ) -> Scenario.Option {
    Scenario.Option(
      letter: letter, text: "option \(letter)", verdict: verdict, feedback: "because \(letter)", cards: cards,
      effects: effects, next: next)
  }
  let start = Scenario.Node(
    id: "start", text: "Start",
    kind: .decision([
      option("A", .poor, [.init(measure: "trust", delta: -3)], [.init(target: "middle")], cards: ["d/poor"]),
      option("B", .good, [.init(measure: "trust", delta: 2)], [.init(target: "middle")], cards: ["d/good"]),
      option("C", .mixed, [], [.init(target: "middle")], cards: ["d/mixed"]),
    ]))
  let middle = Scenario.Node(
    id: "middle", text: "Middle",
    kind: .decision([
      option(
        "A", .good, [.init(measure: "trust", delta: 9)],
        [
          .init(target: "happy", condition: .init(measure: "trust", comparison: .atLeast, value: 10)),
          .init(target: "sad"),
        ],
        cards: ["d/good"]),
      option(
        "B", .mixed, [],
        [
          .init(target: "happy", condition: .init(measure: "trust", comparison: .greater, value: 5)),
          .init(target: "sad"),
        ], cards: ["d/mixed"]),
      option("C", .poor, [], [.init(target: "sad")], cards: ["d/poor", "d/other"]),
    ]))
  return Scenario(
    id: "hand", title: "Hand", summary: "A test.", measures: [.init(name: "trust", start: 4)],
    nodes: [
      start, middle, .init(id: "happy", text: "Happy", kind: .ending(title: "Happy")),
      .init(id: "sad", text: "Sad", kind: .ending(title: "Sad")),
    ])
}

@Suite struct ScenarioPlayTests {
  @Test func `a letter in either case picks the option and applies its effects`() throws {
    var play = try #require(ScenarioPlay(handScenario()))
    let made = play.choose("b")
    let choice = try #require(made)
    #expect(choice.option.letter == "B")
    #expect(play.values["trust"] == 6)
    #expect(play.node.id == "middle")
  }

  @Test func `a letter that names no option changes nothing`() throws {
    var play = try #require(ScenarioPlay(handScenario()))
    #expect(play.choose("d") == nil)
    #expect(play.choose("x") == nil)
    #expect(play.node.id == "start" && play.choices.isEmpty && play.values["trust"] == 4)
  }

  @Test func `measures stay within zero to ten`() throws {
    var play = try #require(ScenarioPlay(handScenario()))
    _ = play.choose("A")  // 4 - 3 = 1
    #expect(play.values["trust"] == 1)
    _ = play.choose("A")  // 1 + 9 = 10, clamped at 10 at most
    #expect(play.values["trust"] == 10)
    var high = try #require(ScenarioPlay(handScenario()))
    _ = high.choose("B")  // 6
    _ = high.choose("A")  // 6 + 9 = 15 → 10
    #expect(high.values["trust"] == 10)
  }

  @Test func `routes are tried in order against the measures after the option's effects`() throws {
    var good = try #require(ScenarioPlay(handScenario()))
    _ = good.choose("B")  // trust 6
    _ = good.choose("B")  // 6 > 5 → happy
    #expect(good.node.id == "happy" && good.isOver)
    var poor = try #require(ScenarioPlay(handScenario()))
    _ = poor.choose("A")  // trust 1
    _ = poor.choose("B")  // 1 > 5 fails → sad
    #expect(poor.node.id == "sad")
    #expect(poor.choose("A") == nil, "no choice once play is over")
  }

  @Test func `the best option is the first good one, else the first mixed one`() {
    let scenario = handScenario()
    #expect(ScenarioPlay.bestOption(at: scenario.nodes[0])?.letter == "B")
    #expect(ScenarioPlay.bestOption(at: scenario.nodes[1])?.letter == "A")
  }

  @Test func `cards to review come from choices that were not good, and the better options, once each`() throws {
    var play = try #require(ScenarioPlay(handScenario()))
    _ = play.choose("A")  // poor: d/poor, best B: d/good
    _ = play.choose("C")  // poor: d/poor, d/other, best A: d/good
    #expect(play.cardsToReview == ["d/poor", "d/good", "d/other"])
  }

  @Test func `counts decision points and endings`() {
    #expect(handScenario().decisionPoints == 2)
    #expect(handScenario().endings == 2)
    #expect(handScenario().linkedCards == ["d/poor", "d/good", "d/mixed", "d/other"])
  }
}
