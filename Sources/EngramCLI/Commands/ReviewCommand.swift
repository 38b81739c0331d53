import ArgumentParser
import EngramCore
import EngramStore

/// `review [deck|topic|tag]`: a review session over today's due cards.
struct ReviewCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "review", abstract: "Review today's due cards (all decks, or one deck, topic or tag).")

  @Argument(help: "A deck id, deck title, topic or tag (default: all decks).")
  var target: [String] = []

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    if target.isEmpty {
      // All decks: the queue needs only card keys, so no deck is parsed before the first card.
      ReviewSession(workspace: workspace, app: session, cards: nil).run(title: "all decks")
    } else {
      let selection = try DeckSelection.resolve(target.joined(separator: " "), in: workspace.library)
      ReviewSession(workspace: workspace, app: session, cards: selection.cards).run(title: selection.title)
    }
    workspace.saveCache()
  }
}
