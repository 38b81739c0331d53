/// One play of a scenario: where the learner is, the measures as they stand, and the choices
/// made so far. A value: `choose` returns what happened and moves on.
public struct ScenarioPlay: Sendable {
  public let scenario: Scenario
  /// The node being shown: a decision point, or the ending once play is over.
  public private(set) var node: Scenario.Node
  public private(set) var values: [String: Int]
  public private(set) var choices: [Choice] = []

  /// A decision taken: where, which option, and the measures after its effects.
  public struct Choice: Sendable, Equatable {
    public var node: Scenario.Node
    public var option: Scenario.Option
    public var valuesAfter: [String: Int]
  }

  /// Fails for a scenario without nodes (the parser never gives one).
  public init?(_ scenario: Scenario) {
    guard let first = scenario.nodes.first else { return nil }
    self.scenario = scenario
    node = first
    values = Dictionary(scenario.measures.map { ($0.name, $0.start) }, uniquingKeysWith: { first, _ in first })
  }

  public var isOver: Bool { node.endingTitle != nil }

  /// Picks the option with this letter (either case) at the current decision point.
  ///
  /// - Returns: the choice made, or nil when the letter names no option or play is over.
  public mutating func choose(_ letter: Character) -> Choice? {
    let wanted = Character(letter.uppercased())
    guard let option = node.options.first(where: { $0.letter == wanted }) else { return nil }
    var after = values
    for effect in option.effects {
      let current = after[effect.measure] ?? 0
      // Both are small (0–10 and a parsed delta within ±10), so the sum cannot overflow.
      after[effect.measure] = min(
        max(current + effect.delta, Scenario.measureRange.lowerBound), Scenario.measureRange.upperBound)
    }
    guard let route = option.next.first(where: { $0.condition?.holds(in: after) ?? true }),
      let next = scenario.node(route.target)
    else { return nil }
    let choice = Choice(node: node, option: option, valuesAfter: after)
    choices.append(choice)
    values = after
    node = next
    return choice
  }

  /// The best option at a decision point: the first rated good, else the first rated mixed.
  public static func bestOption(at node: Scenario.Node) -> Scenario.Option? {
    node.options.first { $0.verdict == .good } ?? node.options.first { $0.verdict == .mixed }
  }

  /// Cards behind the choices that were not good, in order of the choices, without repeats:
  /// what the debrief sends the learner to review.
  public var cardsToReview: [String] {
    var seen = Set<String>()
    var keys: [String] = []
    for choice in choices where choice.option.verdict != .good {
      let best = ScenarioPlay.bestOption(at: choice.node)?.cards ?? []
      for key in choice.option.cards + best where seen.insert(key).inserted { keys.append(key) }
    }
    return keys
  }
}
