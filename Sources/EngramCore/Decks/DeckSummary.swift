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
  /// The deck's summary, made from the notes without building their `Card`s (each card's key
  /// and sibling group is all it needs; building every card cost a quarter as much again as parsing the decks).
  public var summary: DeckSummary {
    var keys: [String] = []
    var groups: [Int] = []
    keys.reserveCapacity(notes.count)
    groups.reserveCapacity(notes.count)
    // By the note part of each card's `siblingGroup`: the deck part is this deck's for all.
    var first: [String: Int] = [:]
    first.reserveCapacity(notes.count)
    // A note's group is the position of the first card named by it; a note without cards
    // names no group (as `siblingGroups(of:)` sees only cards).
    func group(of note: Note) -> Int {
      let name = note.sibling ?? note.id
      if let known = first[name] { return known }
      first[name] = keys.count
      return keys.count
    }
    for note in notes {
      let noteKeys = note.cardKeys(deckID: id)
      guard !noteKeys.isEmpty else { continue }
      groups.append(contentsOf: repeatElement(group(of: note), count: noteKeys.count))
      keys.append(contentsOf: noteKeys)
    }
    return DeckSummary(id: id, title: title, cardKeys: keys, source: source, siblingGroups: groups)
  }
}
