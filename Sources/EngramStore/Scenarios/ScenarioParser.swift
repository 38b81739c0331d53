import EngramCore

/// Reads the scenario format of docs/scenarios.md and checks its graph, reporting every
/// problem as `path:line: message`.
public enum ScenarioParser {
  static let optionFields: Set<Substring> = ["Verdict", "Feedback", "Cards", "Effects", "Next"]
  static let letters: [Character] = ["A", "B", "C", "D"]

  /// Parses and checks a scenario, or throws every problem found.
  public static func parse(_ text: String, file: String) throws(ScenarioProblems) -> Scenario {
    var parser = Parser(file: file)
    parser.run(text)
    guard parser.errors.isEmpty, let scenario = parser.scenario else {
      throw ScenarioProblems(errors: parser.errors)
    }
    let graphErrors = checkGraph(scenario)
    guard graphErrors.isEmpty else { throw ScenarioProblems(errors: graphErrors) }
    return scenario
  }

  /// Parses raw bytes, rejecting text that is not UTF-8.
  public static func parse(bytes: [UInt8], file: String) throws(ScenarioProblems) -> Scenario {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ScenarioProblems(errors: [.notUTF8(file: file)])
    }
    return try parse(text, file: file)
  }

  /// Unknown targets, unreachable nodes, loops and too small a scenario: what makes play stop
  /// short or never end.
  static func checkGraph(_ scenario: Scenario) -> [ScenarioError] {
    let file = scenario.source
    var errors: [ScenarioError] = []
    let index = Dictionary(scenario.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    for node in scenario.nodes {
      for option in node.options {
        for route in option.next where index[route.target] == nil {
          errors.append(.unknownTarget(file: file, line: option.line, target: route.target))
        }
      }
    }
    guard errors.isEmpty else { return errors }
    // Depth-first from the start: grey nodes are on the current path, so meeting one again is
    // a loop. Iterative, so a long chain cannot exhaust the stack.
    enum Mark { case grey, black }
    var marks: [Mark?] = Array(repeating: nil, count: scenario.nodes.count)
    var reported = Set<Int>()
    var stack: [(node: Int, next: Int)] = scenario.nodes.isEmpty ? [] : [(0, 0)]
    if !stack.isEmpty { marks[0] = .grey }
    while let top = stack.last {
      let targets = scenario.nodes[top.node].options.flatMap { $0.next.map(\.target) }
      if top.next < targets.count {
        stack[stack.count - 1].next += 1
        guard let target = index[targets[top.next]] else { continue }
        switch marks[target] {
        case .grey:
          if reported.insert(target).inserted {
            let node = scenario.nodes[target]
            errors.append(.cycle(file: file, line: node.line, node: node.id))
          }
        case .black:
          break
        case nil:
          marks[target] = .grey
          stack.append((target, 0))
        }
      } else {
        marks[top.node] = .black
        stack.removeLast()
      }
    }
    for (offset, node) in scenario.nodes.enumerated() where marks[offset] == nil {
      errors.append(.unreachable(file: file, line: node.line, node: node.id))
    }
    if scenario.decisionPoints < 3 {
      errors.append(.tooFewDecisionPoints(file: file, count: scenario.decisionPoints))
    }
    if scenario.endings < 2 { errors.append(.tooFewEndings(file: file, count: scenario.endings)) }
    return errors
  }

  private struct PendingOption {
    var letter: Character
    var text: String
    var line: Int
    var fields: [Substring: (line: Int, lines: [Substring])] = [:]
    var current: Substring?
  }

  private struct PendingNode {
    var id: String
    var line: Int
    var text: [Substring] = []
    var ending: String?
    var options: [Scenario.Option] = []
    var option: PendingOption?
  }

  private struct Parser {
    let file: String
    var errors: [ScenarioError] = []
    var scenario: Scenario?
    var measures: [Scenario.Measure] = []
    var nodes: [Scenario.Node] = []
    var seen: [String: Int] = [:]
    var pending: PendingNode?

    init(file: String) { self.file = file }

    mutating func run(_ text: String) {
      var lines = text.utf8.split(separator: 10, omittingEmptySubsequences: false).map { Substring($0) }
      for index in lines.indices where lines[index].utf8.last == 13 { lines[index] = lines[index].dropLast() }
      if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
      var index = 0
      while index < lines.count, lines[index].isBlank || isComment(lines[index]) { index += 1 }
      guard index < lines.count, lines[index].hasPrefix("# ") else {
        errors.append(.missingTitle(file: file, line: min(index, max(lines.count - 1, 0)) + 1))
        return
      }
      let title = trimmed(lines[index].dropFirst(2))
      var id: String?
      var summary: String?
      var sawMeasures = false
      index += 1
      while index < lines.count, !lines[index].hasPrefix("## ") {
        let line = lines[index]
        let number = index + 1
        index += 1
        if line.isBlank || isComment(line) { continue }
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
          line[..<colon].allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" })
        else {
          errors.append(.headerText(file: file, line: number))
          continue
        }
        let value = trimmed(line[line.index(after: colon)...])
        switch line[..<colon] {
        case "id":
          id = value
          if !Deck.isValidID(value) { errors.append(.badID(file: file, line: number, id: value)) }
        case "summary":
          summary = value
        case "measures":
          sawMeasures = true
          measures = parseMeasures(value, line: number)
        default:
          errors.append(.unknownHeaderKey(file: file, line: number, key: String(line[..<colon])))
        }
      }
      if id == nil { errors.append(.missingHeaderKey(file: file, key: "id")) }
      if summary?.isEmpty ?? true { errors.append(.missingHeaderKey(file: file, key: "summary")) }
      if !sawMeasures { errors.append(.missingHeaderKey(file: file, key: "measures")) }
      while index < lines.count {
        let line = lines[index]
        let number = index + 1
        index += 1
        if isComment(line) { continue }
        if line.hasPrefix("## ") {
          finishNode()
          let nodeID = trimmed(line.dropFirst(3))
          if !Deck.isValidID(nodeID) { errors.append(.badNodeID(file: file, line: number, id: nodeID)) }
          if let first = seen[nodeID] {
            errors.append(.duplicateNode(file: file, line: number, node: nodeID, firstLine: first))
          } else {
            seen[nodeID] = number
          }
          pending = PendingNode(id: nodeID, line: number)
          continue
        }
        guard var node = pending.take() else {
          if !line.isBlank { errors.append(.textOutsideNode(file: file, line: number)) }
          continue
        }
        defer { pending = node }
        if line.hasPrefix("### ") {
          finishOption(of: &node)
          let expected = ScenarioParser.letters[min(node.options.count, 3)]
          let heading = line.dropFirst(4)
          if node.ending != nil {
            errors.append(.optionInEnding(file: file, line: number, node: node.id))
          }
          guard node.options.count < 4, heading.first == expected,
            heading.dropFirst().first == ":"
          else {
            errors.append(.badOptionHeading(file: file, line: number, node: node.id, expected: expected))
            // Keep reading its fields so that one bad heading gives one message.
            node.option = PendingOption(letter: expected, text: "", line: number)
            continue
          }
          node.option = PendingOption(letter: expected, text: trimmed(heading.dropFirst(2)), line: number)
          continue
        }
        if var option = node.option.take() {
          if let (name, rest) = DeckParser.fieldStart(line) {
            if ScenarioParser.optionFields.contains(name) {
              if option.fields[name] != nil {
                errors.append(.repeatedField(file: file, line: number, field: String(name)))
              }
              option.fields[name] = (number, rest.isBlank ? [] : [rest])
              option.current = name
            } else {
              errors.append(.unknownField(file: file, line: number, field: String(name)))
              option.current = nil
            }
          } else if let current = option.current {
            option.fields[current]?.lines.append(line)
          } else if !line.isBlank {
            errors.append(.textInOption(file: file, line: number, option: option.letter))
          }
          node.option = option
          continue
        }
        if node.text.allSatisfy(\.isBlank), node.ending == nil, line.hasPrefix("Ending:") {
          node.ending = trimmed(line.dropFirst("Ending:".count))
          continue
        }
        node.text.append(line)
      }
      finishNode()
      guard let id, let summary else { return }
      scenario = Scenario(id: id, title: title, summary: summary, measures: measures, nodes: nodes, source: file)
    }

    func isComment(_ line: Substring) -> Bool { line.hasPrefix("<!--") }

    mutating func parseMeasures(_ value: String, line: Int) -> [Scenario.Measure] {
      var result: [Scenario.Measure] = []
      for part in value.split(separator: ",") {
        let words = part.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2, isMeasureName(words[0]), let start = Int(words[1]),
          Scenario.measureRange.contains(start), !result.contains(where: { $0.name == words[0] })
        else {
          errors.append(.badMeasure(file: file, line: line, text: trimmed(part)))
          continue
        }
        result.append(Scenario.Measure(name: String(words[0]), start: start))
      }
      if result.isEmpty && errors.isEmpty { errors.append(.badMeasure(file: file, line: line, text: value)) }
      return result
    }

    func isMeasureName(_ text: Substring) -> Bool {
      !text.isEmpty && text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || $0 == 45 }
    }

    mutating func finishNode() {
      guard var node = pending.take() else { return }
      finishOption(of: &node)
      let text = DeckParser.joinParagraphs(node.text)
      if text.isEmpty { errors.append(.emptyText(file: file, line: node.line, node: node.id)) }
      if let ending = node.ending {
        nodes.append(Scenario.Node(id: node.id, text: text, kind: .ending(title: ending), line: node.line))
        return
      }
      if node.options.isEmpty {
        errors.append(.deadEnd(file: file, line: node.line, node: node.id))
      } else if node.options.count < 3 {
        errors.append(.optionCount(file: file, line: node.line, node: node.id, count: node.options.count))
      }
      nodes.append(Scenario.Node(id: node.id, text: text, kind: .decision(node.options), line: node.line))
    }

    mutating func finishOption(of node: inout PendingNode) {
      guard let option = node.option.take() else { return }
      func field(_ name: Substring) -> (line: Int, text: String)? {
        guard let field = option.fields[name] else { return nil }
        return (field.line, DeckParser.joinParagraphs(field.lines))
      }
      func require(_ name: Substring) -> (line: Int, text: String)? {
        guard let value = field(name), !value.text.isEmpty else {
          errors.append(
            .missingField(file: file, line: option.line, node: node.id, option: option.letter, field: String(name)))
          return nil
        }
        return value
      }
      let verdictField = require("Verdict")
      let feedback = require("Feedback")
      let cardsField = require("Cards")
      let nextField = require("Next")
      var verdict: Scenario.Verdict?
      if let verdictField {
        verdict = Scenario.Verdict(rawValue: verdictField.text.lowercased())
        if verdict == nil { errors.append(.badVerdict(file: file, line: verdictField.line, value: verdictField.text)) }
      }
      var cards: [String] = []
      if let cardsField {
        for key in cardsField.text.split(separator: ",").map(trimmed) where !key.isEmpty {
          if Note.isValidLink(key) {
            cards.append(key)
          } else {
            errors.append(.badCardKey(file: file, line: cardsField.line, key: key))
          }
        }
      }
      var effects: [Scenario.Effect] = []
      if let effectsField = field("Effects") {
        for part in effectsField.text.split(separator: ",").map(trimmed) where !part.isEmpty {
          let words = part.split(separator: " ", omittingEmptySubsequences: true)
          guard words.count == 2, isMeasureName(words[0]), let sign = words[1].first, sign == "+" || sign == "-",
            words[1].count <= 3, let delta = Int(words[1]), abs(delta) <= 10
          else {
            errors.append(.badEffect(file: file, line: effectsField.line, text: part))
            continue
          }
          let name = String(words[0])
          guard measures.contains(where: { $0.name == name }) else {
            errors.append(.unknownMeasure(file: file, line: effectsField.line, measure: name))
            continue
          }
          effects.append(Scenario.Effect(measure: name, delta: delta))
        }
      }
      var routes: [Scenario.Route] = []
      if let nextField {
        routes = parseRoutes(nextField.text, line: nextField.line)
      }
      // With a field missing the option is still counted (its errors stop the scenario loading).
      node.options.append(
        Scenario.Option(
          letter: option.letter, text: option.text, verdict: verdict ?? .mixed, feedback: feedback?.text ?? "",
          cards: cards, effects: effects, next: routes, line: option.line))
    }

    mutating func parseRoutes(_ text: String, line: Int) -> [Scenario.Route] {
      var routes: [Scenario.Route] = []
      let parts = text.split(separator: ";").map(trimmed).filter { !$0.isEmpty }
      for part in parts {
        let words = part.split(separator: " ", omittingEmptySubsequences: true)
        if words.count == 1, Deck.isValidID(words[0]) {
          routes.append(Scenario.Route(target: String(words[0])))
          continue
        }
        guard words.count == 5, Deck.isValidID(words[0]), words[1] == "if", isMeasureName(words[2]),
          let comparison = Scenario.Condition.Comparison(rawValue: String(words[3])),
          words[4].count <= 3, let value = Int(words[4])
        else {
          errors.append(.badRoute(file: file, line: line, text: part))
          continue
        }
        let measure = String(words[2])
        if !measures.contains(where: { $0.name == measure }) {
          errors.append(.unknownMeasure(file: file, line: line, measure: measure))
        }
        routes.append(
          Scenario.Route(
            target: String(words[0]),
            condition: Scenario.Condition(measure: measure, comparison: comparison, value: value)))
      }
      if let last = routes.last, last.condition != nil {
        errors.append(.conditionalLastRoute(file: file, line: line))
      }
      return routes
    }
  }
}

private func trimmed(_ text: Substring) -> String { String(text.trimmingWhitespace()) }
