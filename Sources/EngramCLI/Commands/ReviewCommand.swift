import ArgumentParser
import EngramCore
import EngramStore

/// `review [deck|topic|tag|words]`: a review session over today's due cards.
struct ReviewCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "review", abstract: "Review today's due cards (all decks, or one deck, topic, tag or words in the cards).")

  @Argument(help: "A deck id, deck title, topic, tag or words in the cards (default: all decks).")
  var target: [String] = []

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    if target.isEmpty {
      // All decks: the queue needs only card keys, so no deck is parsed before the first card.
      ReviewSession(workspace: workspace, app: session, cards: nil).run(title: "all decks")
    } else {
      // The same reading of a topic as quiz, cram and stats: deck, topic, tag, then card text.
      let selection = try TopicSelection.resolve(target.joined(separator: " "), workspace: workspace, session: session)
      let chosen = Set(selection.keys)
      let cards = workspace.library.cards.filter { chosen.contains($0.key) }
      ReviewSession(workspace: workspace, app: session, cards: cards).run(title: selection.label)
    }
    workspace.saveCache()
  }
}
