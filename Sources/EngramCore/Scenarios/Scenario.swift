/// A branching decision drill: situations with options whose effects on a few measures carry
/// forward, feedback that names the principle, and several endings.
///
/// The value is what `ScenarioParser` reads from a `Scenarios/*.md` file; play is a pure walk
/// over it (`ScenarioPlay`), so tests drive every path without a terminal.
public struct Scenario: Sendable, Equatable {
  /// `[a-z0-9-]+`, unique across scenarios; the first part of every logged choice.
  public var id: String
  public var title: String
  /// One sentence for `scenario list`.
  public var summary: String
  /// The tracked measures in declaration order, with their starting values (0–10).
  public var measures: [Measure]
  /// Every node; play begins at the first.
  public var nodes: [Node]
  /// Where the scenario came from, for messages: `Scenarios/<file>` or a path.
  public var source: String

  public init(
    id: String, title: String, summary: String, measures: [Measure], nodes: [Node], source: String = ""
  ) {
    self.id = id
    self.title = title
    self.summary = summary
    self.measures = measures
    self.nodes = nodes
    self.source = source
  }

  /// The smallest and largest value a measure can take in play.
  public static let measureRange = 0...10

  /// A tracked quantity such as stakeholder trust or schedule slack.
  public struct Measure: Sendable, Equatable {
    public var name: String
    public var start: Int
    public init(name: String, start: Int) {
      self.name = name
      self.start = start
    }
  }

  /// A situation to decide, or an ending.
  public struct Node: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
      case decision([Option])
      case ending(title: String)
    }
    public var id: String
    public var text: String
    public var kind: Kind
    /// Line of the `## ` heading, for messages.
    public var line: Int

    public init(id: String, text: String, kind: Kind, line: Int = 0) {
      self.id = id
      self.text = text
      self.kind = kind
      self.line = line
    }

    public var options: [Option] {
      if case .decision(let options) = kind { options } else { [] }
    }

    public var endingTitle: String? {
      if case .ending(let title) = kind { title } else { nil }
    }
  }

  /// How sound a choice is; a `scenario` event carries it (see `RatingColumn` for how the log
  /// writes it).
  public enum Verdict: String, Sendable, Equatable, CaseIterable {
    case good, mixed, poor
  }

  /// One option of a decision point.
  public struct Option: Sendable, Equatable {
    /// `A`, `B`, `C` or `D`.
    public var letter: Character
    public var text: String
    public var verdict: Verdict
    public var feedback: String
    /// Keys of the cards that teach the principle behind this option.
    public var cards: [String]
    public var effects: [Effect]
    /// Tried in order; the last has no condition.
    public var next: [Route]
    public var line: Int

    public init(
      letter: Character, text: String, verdict: Verdict, feedback: String, cards: [String],
      effects: [Effect] = [], next: [Route], line: Int = 0
    ) {
      self.letter = letter
      self.text = text
      self.verdict = verdict
      self.feedback = feedback
      self.cards = cards
      self.effects = effects
      self.next = next
      self.line = line
    }
  }

  /// A change to one measure.
  public struct Effect: Sendable, Equatable {
    public var measure: String
    public var delta: Int
    public init(measure: String, delta: Int) {
      self.measure = measure
      self.delta = delta
    }
  }

  /// Where an option leads, when its condition holds (always, without one).
  public struct Route: Sendable, Equatable {
    public var target: String
    public var condition: Condition?
    public init(target: String, condition: Condition? = nil) {
      self.target = target
      self.condition = condition
    }
  }

  /// `measure OP value`.
  public struct Condition: Sendable, Equatable {
    public enum Comparison: String, Sendable, CaseIterable {
      case atLeast = ">="
      case atMost = "<="
      case greater = ">"
      case less = "<"
      case equal = "="
    }
    public var measure: String
    public var comparison: Comparison
    public var value: Int

    public init(measure: String, comparison: Comparison, value: Int) {
      self.measure = measure
      self.comparison = comparison
      self.value = value
    }

    public func holds(in values: [String: Int]) -> Bool {
      let current = values[measure] ?? 0
      switch comparison {
      case .atLeast: return current >= value
      case .atMost: return current <= value
      case .greater: return current > value
      case .less: return current < value
      case .equal: return current == value
      }
    }
  }

  /// The node with this id.
  public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }

  public var decisionPoints: Int { nodes.filter { !$0.options.isEmpty }.count }
  public var endings: Int { nodes.filter { $0.endingTitle != nil }.count }

  /// Every card any option links to, without repeats, in file order.
  public var linkedCards: [String] {
    var seen = Set<String>()
    return nodes.flatMap(\.options).flatMap(\.cards).filter { seen.insert($0).inserted }
  }
}
