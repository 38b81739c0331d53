/// What queues and counts need of a deck: its id, title and card keys in file order.
///
/// Separate from `Deck` so that a cached snapshot can answer `due` and `decks` without parsing
/// every deck file.
public struct DeckSummary: Sendable, Equatable {
  public var id: String
  public var title: String
  public var cardKeys: [String]
  /// Where the deck comes from (`Decks/<file>` for shipped decks, else a path).
  public var source: String
  /// For each card, the position of the first card of its note (see `Deck.siblingGroups`).
  public var siblingGroups: [Int]

  /// - Parameter siblingGroups: nil derives them from the keys (the blanks `#n` of a cloze
  ///   share their note), which misses only `Sibling:` links.
  public init(id: String, title: String, cardKeys: [String], source: String = "", siblingGroups: [Int]? = nil) {
    self.id = id
    self.title = title
    self.cardKeys = cardKeys
    self.source = source
    self.siblingGroups =
      siblingGroups ?? Deck.siblingGroups(of: cardKeys.map { CardKey($0)?.noteKey.description ?? $0 })
  }
}

extension Deck {
  /// The deck's summary.
  public var summary: DeckSummary {
    let cards = self.cards
    return DeckSummary(
      id: id, title: title, cardKeys: cards.map(\.key), source: source,
      siblingGroups: Deck.siblingGroups(of: cards.map(\.siblingGroup)))
  }
}
