import EngramCore

/// All scenario drills: the shipped ones embedded in the binary, then the user's from
/// `scenarios/`. A file with problems is left out and its problems kept for warnings and `lint`.
public struct ScenarioLibrary: Sendable {
  public private(set) var scenarios: [Scenario]
  public private(set) var problems: [ScenarioError]

  public init(scenarios: [Scenario] = [], problems: [ScenarioError] = []) {
    self.scenarios = scenarios
    self.problems = problems
  }

  /// The scenarios shipped in the binary (`Scenarios/*.md` at build time).
  public static func shipped() -> ScenarioLibrary {
    var library = ScenarioLibrary()
    for file in shippedScenarioFiles {
      library.add(source: "Scenarios/" + file.name) { () throws(ScenarioProblems) in
        try ScenarioParser.parse(file.text, file: "Scenarios/" + file.name)
      }
    }
    return library
  }

  /// Shipped scenarios plus every `*.md` in `directory` (sorted by name).
  public static func load(userScenarios directory: String) -> ScenarioLibrary {
    var library = shipped()
    for path in DeckLibrary.markdownFiles(in: directory) {
      library.add(source: path) { () throws(ScenarioProblems) in
        let bytes: [UInt8]
        do throws(DeckProblems) { bytes = try DeckLibrary.readFile(path) } catch {
          throw ScenarioProblems(errors: [.unreadable(file: path, reason: error.errors.map(\.description).joined())])
        }
        return try ScenarioParser.parse(bytes: bytes, file: path)
      }
    }
    return library
  }

  /// Adds one scenario, rejecting an id that another already uses.
  public mutating func add(source: String, parse: () throws(ScenarioProblems) -> Scenario) {
    do {
      let scenario = try parse()
      if let other = scenarios.first(where: { $0.id == scenario.id }) {
        problems.append(.duplicateScenarioID(id: scenario.id, file: source, otherFile: other.source))
      } else {
        scenarios.append(scenario)
      }
    } catch {
      problems.append(contentsOf: error.errors)
    }
  }

  public func scenario(id: String) -> Scenario? { scenarios.first { $0.id == id } }

  /// Options that link to cards no deck has: a debrief would send the learner nowhere.
  public func danglingCards(in decks: DeckLibrary, sources: Set<String>? = nil) -> [ScenarioError] {
    var known = Set<String>()
    for deck in decks.decks {
      for note in deck.notes {
        known.insert("\(deck.id)/\(note.id)")
        for card in note.cards(deckID: deck.id) { known.insert(card.key) }
      }
    }
    var problems: [ScenarioError] = []
    for scenario in scenarios where sources?.contains(scenario.source) ?? true {
      for option in scenario.nodes.flatMap(\.options) {
        for key in option.cards where !known.contains(key) {
          problems.append(.danglingCard(file: scenario.source, line: option.line, key: key))
        }
      }
    }
    return problems
  }
}
