/// A problem in a scenario file, reported as `path:line: message`.
public enum ScenarioError: Error, Equatable, CustomStringConvertible {
  case missingTitle(file: String, line: Int)
  case missingHeaderKey(file: String, key: String)
  case badID(file: String, line: Int, id: String)
  case unknownHeaderKey(file: String, line: Int, key: String)
  case headerText(file: String, line: Int)
  case badMeasure(file: String, line: Int, text: String)
  case badNodeID(file: String, line: Int, id: String)
  case duplicateNode(file: String, line: Int, node: String, firstLine: Int)
  case textOutsideNode(file: String, line: Int)
  case badOptionHeading(file: String, line: Int, node: String, expected: Character)
  case optionInEnding(file: String, line: Int, node: String)
  case unknownField(file: String, line: Int, field: String)
  case repeatedField(file: String, line: Int, field: String)
  case textInOption(file: String, line: Int, option: Character)
  case missingField(file: String, line: Int, node: String, option: Character, field: String)
  case badVerdict(file: String, line: Int, value: String)
  case badEffect(file: String, line: Int, text: String)
  case unknownMeasure(file: String, line: Int, measure: String)
  case badRoute(file: String, line: Int, text: String)
  case conditionalLastRoute(file: String, line: Int)
  case badCardKey(file: String, line: Int, key: String)
  case emptyText(file: String, line: Int, node: String)
  case optionCount(file: String, line: Int, node: String, count: Int)
  case deadEnd(file: String, line: Int, node: String)
  case unknownTarget(file: String, line: Int, target: String)
  case unreachable(file: String, line: Int, node: String)
  case cycle(file: String, line: Int, node: String)
  case tooFewDecisionPoints(file: String, count: Int)
  case tooFewEndings(file: String, count: Int)
  case danglingCard(file: String, line: Int, key: String)
  case duplicateScenarioID(id: String, file: String, otherFile: String)
  case notUTF8(file: String)
  case unreadable(file: String, reason: String)

  /// The file the problem is in.
  public var file: String {
    switch self {
    case .missingTitle(let file, _): file
    case .missingHeaderKey(let file, _): file
    case .badID(let file, _, _): file
    case .unknownHeaderKey(let file, _, _): file
    case .headerText(let file, _): file
    case .badMeasure(let file, _, _): file
    case .badNodeID(let file, _, _): file
    case .duplicateNode(let file, _, _, _): file
    case .textOutsideNode(let file, _): file
    case .badOptionHeading(let file, _, _, _): file
    case .optionInEnding(let file, _, _): file
    case .unknownField(let file, _, _): file
    case .repeatedField(let file, _, _): file
    case .textInOption(let file, _, _): file
    case .missingField(let file, _, _, _, _): file
    case .badVerdict(let file, _, _): file
    case .badEffect(let file, _, _): file
    case .unknownMeasure(let file, _, _): file
    case .badRoute(let file, _, _): file
    case .conditionalLastRoute(let file, _): file
    case .badCardKey(let file, _, _): file
    case .emptyText(let file, _, _): file
    case .optionCount(let file, _, _, _): file
    case .deadEnd(let file, _, _): file
    case .unknownTarget(let file, _, _): file
    case .unreachable(let file, _, _): file
    case .cycle(let file, _, _): file
    case .tooFewDecisionPoints(let file, _): file
    case .tooFewEndings(let file, _): file
    case .danglingCard(let file, _, _): file
    case .duplicateScenarioID(_, let file, _): file
    case .notUTF8(let file): file
    case .unreadable(let file, _): file
    }
  }

  public var description: String {
    switch self {
    case .missingTitle(let file, let line):
      "\(file):\(line): a scenario must start with a '# Title' line"
    case .missingHeaderKey(let file, let key):
      "\(file):1: the scenario has no '\(key):' line; add it under the title (id, summary and measures are required)"
    case .badID(let file, let line, let id):
      "\(file):\(line): scenario id '\(id)' may use only lowercase letters, digits and '-'"
    case .unknownHeaderKey(let file, let line, let key):
      "\(file):\(line): unknown scenario setting '\(key)'; the header allows id, summary and measures"
    case .headerText(let file, let line):
      "\(file):\(line): text before the first node must be 'key: value' (id, summary, measures); start nodes with '## node-id'"
    case .badMeasure(let file, let line, let text):
      "\(file):\(line): measure '\(text)' must be a name and a starting value from 0 to 10, e.g. 'trust 5'"
    case .badNodeID(let file, let line, let id):
      "\(file):\(line): node id '\(id)' may use only lowercase letters, digits and '-'"
    case .duplicateNode(let file, let line, let node, let firstLine):
      "\(file):\(line): node '\(node)' is defined twice (first on line \(firstLine))"
    case .textOutsideNode(let file, let line):
      "\(file):\(line): text outside a node; start a node with '## node-id'"
    case .badOptionHeading(let file, let line, let node, let expected):
      "\(file):\(line): node '\(node)': expected option '### \(expected): text' (options are lettered A, B, C, D in order)"
    case .optionInEnding(let file, let line, let node):
      "\(file):\(line): node '\(node)' is an ending (it has 'Ending:') and cannot have options"
    case .unknownField(let file, let line, let field):
      "\(file):\(line): unknown option field '\(field):'; options have Verdict, Feedback, Cards, Effects and Next"
    case .textInOption(let file, let line, let option):
      "\(file):\(line): text in option \(option) outside a field; start it with Verdict:, Feedback:, Cards:, Effects: or Next: (the situation goes above the options)"
    case .repeatedField(let file, let line, let field):
      "\(file):\(line): field '\(field):' appears twice in this option"
    case .missingField(let file, let line, let node, let option, let field):
      "\(file):\(line): node '\(node)', option \(option): missing '\(field):'"
    case .badVerdict(let file, let line, let value):
      "\(file):\(line): verdict '\(value)' must be good, mixed or poor"
    case .badEffect(let file, let line, let text):
      "\(file):\(line): effect '\(text)' must be a measure and a signed change, e.g. 'trust +1' or 'risk -2'"
    case .unknownMeasure(let file, let line, let measure):
      "\(file):\(line): measure '\(measure)' is not declared in the header's 'measures:' line"
    case .badRoute(let file, let line, let text):
      "\(file):\(line): 'Next:' part '\(text)' must be 'node-id' or 'node-id if measure >= number' (operators >=, <=, >, <, =)"
    case .conditionalLastRoute(let file, let line):
      "\(file):\(line): the last 'Next:' alternative must have no condition, so that play always goes on"
    case .badCardKey(let file, let line, let key):
      "\(file):\(line): card '\(key)' is not a card key; write 'deck-id/card-id', separated by commas"
    case .emptyText(let file, let line, let node):
      "\(file):\(line): node '\(node)' has no text; describe the situation or the ending"
    case .optionCount(let file, let line, let node, let count):
      "\(file):\(line): decision point '\(node)' has \(count) option\(count == 1 ? "" : "s"); give it 3 or 4"
    case .deadEnd(let file, let line, let node):
      "\(file):\(line): node '\(node)' is a dead end: give it options, or an 'Ending:' line"
    case .unknownTarget(let file, let line, let target):
      "\(file):\(line): 'Next:' names '\(target)', which is not a node of this scenario"
    case .unreachable(let file, let line, let node):
      "\(file):\(line): node '\(node)' cannot be reached from the start; link to it or remove it"
    case .cycle(let file, let line, let node):
      "\(file):\(line): node '\(node)' leads back to itself; scenarios must not loop, so that every play ends"
    case .tooFewDecisionPoints(let file, let count):
      "\(file):1: the scenario has \(count) decision point\(count == 1 ? "" : "s"); it needs at least 3"
    case .tooFewEndings(let file, let count):
      "\(file):1: the scenario has \(count) ending\(count == 1 ? "" : "s"); it needs at least 2"
    case .danglingCard(let file, let line, let key):
      "\(file):\(line): card '\(key)' is not in any loaded deck"
    case .duplicateScenarioID(let id, let file, let otherFile):
      "\(file):1: scenario id '\(id)' is already used by \(otherFile); scenario ids must be unique"
    case .notUTF8(let file):
      "\(file):1: the file is not valid UTF-8; save it as UTF-8"
    case .unreadable(let file, let reason):
      "\(file): cannot read: \(reason)"
    }
  }
}

/// Every problem found in one scenario file.
public struct ScenarioProblems: Error, Equatable, CustomStringConvertible {
  public var errors: [ScenarioError]
  public init(errors: [ScenarioError]) { self.errors = errors }
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}
