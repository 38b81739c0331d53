import EngramCore
import EngramStore

/// Turns a quiz or cram topic into card keys, asking the learner when it is ambiguous.
enum TopicSelection {
  /// The cards `topic` names: `label` describes them, `query` is what to type to name them
  /// again (the topic itself, or the reading chosen when it was ambiguous).
  static func resolve(_ topic: String, workspace: Workspace, session: AppSession) throws -> (
    label: String, keys: [String], query: String
  ) {
    let library = workspace.library
    try refuseFailedDeck(topic, library: library)
    switch TopicResolver.resolve(topic, decks: library.decks) {
    case .cards(let label, let keys):
      return (label, keys, topic)
    case .unknown(let suggestions):
      throw UserError(
        "nothing matches '\(topic)' (decks, topics, tags or card text)"
          + (suggestions.isEmpty
            ? "; 'decks' lists the decks and 'stats' the tags"
            : "; did you mean: \(suggestions.joined(separator: ", "))?"))
    case .ambiguous(let matches):
      let terminal = session.terminal
      terminal.line("'\(topic)' matches several topics:")
      for (index, match) in matches.prefix(9).enumerated() {
        let kind = match.kind == .tag ? "tag" : "deck"
        terminal.line("  \(index + 1)) \(match.label) (\(kind), \(counted(match.keys.count, "card")))")
      }
      while true {
        switch session.lineReader().read(prompt: "choose 1-\(min(matches.count, 9))> ") {
        case .line(let text):
          if let number = Int(text.filter { !$0.isWhitespace }), (1...min(matches.count, 9)).contains(number) {
            let match = matches[number - 1]
            return (match.label, match.keys, match.label)
          }
          if let match = matches.first(where: { $0.label == text }) { return (match.label, match.keys, match.label) }
          terminal.line("Type a number from the list.")
        case .interrupted, .endOfInput:
          throw UserError("no topic chosen")
        }
      }
    }
  }

  /// Stops with the deck's problem when `topic` names a deck file that failed to load, rather
  /// than matching the name against other cards' words.
  static func refuseFailedDeck(_ topic: String, library: DeckLibrary) throws {
    let query = TextNormalizer.normalized(topic)
    let loaded = Set(library.decks.map(\.source))
    var byFile: [String: [DeckError]] = [:]
    for problem in library.problems where !loaded.contains(problem.file) {
      byFile[problem.file, default: []].append(problem)
    }
    for (file, problems) in byFile.sorted(by: { $0.key < $1.key }) {
      var names = [String(file.split(separator: "/").last ?? "").replacingOccurrences(of: ".md", with: "")]
      for case .duplicateDeckID(let id, _, _) in problems { names.append(id) }
      guard names.contains(where: { TextNormalizer.normalized($0) == query }) else { continue }
      let nearest = TopicResolver.resolve(topic, decks: library.decks)
      var message = "deck '\(names[0])' did not load, so it cannot be studied: \(problems[0])"
      if problems.count > 1 { message += " (and \(counted(problems.count - 1, "more problem")))" }
      message += "\nFix \(file) (check it with 'lint \(ShellWords.quote(file))')"
      if case .unknown(let suggestions) = nearest {
        message += "; loaded decks and topics nearest to it: \(suggestions.joined(separator: ", "))"
      } else {
        message += "; decks loaded: \(library.decks.map(\.id).joined(separator: ", "))"
      }
      throw UserError(message + ".")
    }
  }
}
