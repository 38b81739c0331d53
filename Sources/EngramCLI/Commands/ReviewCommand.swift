import ArgumentParser
import EngramCore
import EngramStore

/// `review [deck|topic|tag|words]`: a review session over today's due cards.
struct ReviewCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "Review today's due cards (all decks, or one deck, topic, tag or words in the cards).",
    discussion: """
      Enter shows the answer; or type your answer first: whatever you type at answer> is the \
      answer, even 's' or 'q' (on a multiple-choice card, a letter picks an option). Then rate \
      1 again, 2 hard, 3 good, 4 easy.

      Commands: at the rate prompt one key (u, s, b, e, q); at the answer prompt the same \
      letter after a colon (:u, :s, :b, :e, :q), so they can never be an answer.
        u  undo the last rating, suspend or bury of this session
        s  suspend the card (until 'unsuspend KEY')
        b  bury the card until the next study day
        e  show the card's explanation (Why:)
        q  end the session with its summary (Ctrl-D too)

      Decks are mixed: reviews by due day then relative overdueness, new cards dealt from each \
      deck in turn, at most new_cards_per_day per deck and new_cards_per_day_total (20) in all. \
      Once a card is answered, its siblings (other blanks of its cloze, its reversed card) wait \
      until the next study day.
      """)

  @Argument(help: "A deck id, deck title, topic, tag or words in the cards (default: all decks).")
  var target: [String] = []

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    if target.isEmpty {
      // All decks: the queue needs only card keys, so no deck is parsed before the first card.
      try ReviewSession(workspace: workspace, app: session, cards: nil).run(title: "all decks")
    } else {
      // The same reading of a topic as quiz, cram and stats: deck, topic, tag, then card text.
      let selection = try TopicSelection.resolve(target.joined(separator: " "), workspace: workspace, session: session)
      let chosen = Set(selection.keys)
      let cards = workspace.library.cards.filter { chosen.contains($0.key) }
      try ReviewSession(workspace: workspace, app: session, cards: cards).run(title: selection.label)
    }
    workspace.saveCache()
  }
}
