/// A deck: a titled set of notes, parsed from one Markdown file.
public struct Deck: Sendable, Equatable {
  /// Unique across all decks, `[a-z0-9-]+`; the first half of every card key.
  public var id: String
  public var title: String
  /// Words a learner types to find the deck (topic completion, quiz selection).
  public var topics: [String]
  public var description: String
  public var notes: [Note]
  /// Where the deck came from, for messages: a path, or `Decks/<file>` for shipped decks.
  public var source: String

  public init(
    id: String, title: String, topics: [String] = [], description: String = "", notes: [Note] = [],
    source: String = ""
  ) {
    self.id = id
    self.title = title
    self.topics = topics
    self.description = description
    self.notes = notes
    self.source = source
  }

  /// Every reviewable card of the deck, in file order (a cloze note yields one card per blank).
  public var cards: [Card] { notes.flatMap { $0.cards(deckID: id) } }

  /// For each card (in `cards` order), the position of the first card of its sibling group:
  /// equal numbers mark siblings.
  public var siblingGroups: [Int] { Deck.siblingGroups(of: cards.map(\.siblingGroup)) }

  /// Numbers a list of group names: each card gets the position of the first card with its name.
  public static func siblingGroups(of names: [String]) -> [Int] {
    var first: [String: Int] = [:]
    return names.enumerated().map { index, name in
      if let known = first[name] { return known }
      first[name] = index
      return index
    }
  }

  /// True when `text` is a valid deck or card id. Inlinable, so that each caller gets it for
  /// its own string type: called through generic witnesses, checking the 100,000 card ids of a
  /// deck library cost more than the rest of reading their headings.
  @inlinable public static func isValidID(_ text: some StringProtocol) -> Bool {
    !text.isEmpty
      && text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
  }
}
