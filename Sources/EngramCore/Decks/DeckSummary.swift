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

  public init(id: String, title: String, cardKeys: [String], source: String = "") {
    self.id = id
    self.title = title
    self.cardKeys = cardKeys
    self.source = source
  }
}

extension Deck {
  /// The deck's summary.
  public var summary: DeckSummary { DeckSummary(id: id, title: title, cardKeys: cards.map(\.key), source: source) }
}
