import EngramCore
import EngramStore

/// Turns a quiz or cram topic into card keys, asking the learner when it is ambiguous.
enum TopicSelection {
  static func resolve(_ topic: String, workspace: Workspace, session: AppSession) throws -> (label: String, keys: [String]) {
    switch TopicResolver.resolve(topic, decks: workspace.library.decks) {
    case .cards(let label, let keys):
      return (label, keys)
    case .unknown(let suggestions):
      throw UserError(
        "nothing matches '\(topic)' (decks, topics, tags or card text); did you mean: \(suggestions.joined(separator: ", "))?")
    case .ambiguous(let matches):
      let terminal = session.terminal
      terminal.line("'\(topic)' matches several topics:")
      for (index, match) in matches.prefix(9).enumerated() {
        let kind = match.kind == .tag ? "tag" : "deck"
        terminal.line("  \(index + 1)) \(match.label) (\(kind), \(match.keys.count) cards)")
      }
      while true {
        switch session.lineReader().read(prompt: "choose 1-\(min(matches.count, 9))> ") {
        case .line(let text):
          if let number = Int(text.filter { !$0.isWhitespace }), (1...min(matches.count, 9)).contains(number) {
            let match = matches[number - 1]
            return (match.label, match.keys)
          }
          if let match = matches.first(where: { $0.label == text }) { return (match.label, match.keys) }
          terminal.line("Type a number from the list.")
        case .interrupted, .endOfInput:
          throw UserError("no topic chosen")
        }
      }
    }
  }
}
