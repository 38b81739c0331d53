import EngramCore

/// Where each deck card's record is among records numbered by a replay (`CollectionReplay`
/// numbers cards by their first line in the log), so that a rebuild's records are laid out in
/// each deck's array, as the snapshot holds them, without a dictionary of every card.
///
/// Made on the deck side of opening, from the decks' summaries and the log's card keys, while
/// the replay runs; `layOut` then only copies records into place.
struct RecordLayout: Sendable {
  /// Per deck, per card (deck order): the card's number among the log's keys, or -1 for a card
  /// the log never names.
  var numbers: [[Int32]]
  /// The numbers of keys the log names that no deck has.
  var elsewhere: [Int32]

  init(keys: [String], decks summaries: [DeckSummary]) {
    var byKey: [String: Int32] = [:]
    byKey.reserveCapacity(keys.count)
    for (number, key) in keys.enumerated() { byKey[key] = Int32(number) }
    var inDeck = [Bool](repeating: false, count: keys.count)
    numbers = summaries.map { summary in
      summary.cardKeys.map { key in
        guard let number = byKey[key] else { return -1 }
        inDeck[Int(number)] = true
        return number
      }
    }
    // Card keys are unique across the library (a repeated card id or a taken deck id is
    // rejected), so each number is in at most one deck.
    elsewhere = inDeck.indices.filter { !inDeck[$0] }.map { Int32($0) }
  }

  /// `records` (by card number; nil: no history) in each deck's array, and the cards with
  /// history in no deck by key.
  func layOut(_ records: [CardRecord?], keys: [String], decks summaries: [DeckSummary]) -> DeckRecords {
    var decks: [StateCache.CachedDeck] = []
    decks.reserveCapacity(summaries.count)
    for (summary, numbers) in zip(summaries, numbers) {
      decks.append(
        StateCache.CachedDeck(
          id: summary.id, title: summary.title, source: summary.source, keys: summary.cardKeys,
          records: numbers.map { $0 < 0 ? nil : records[Int($0)] }, siblingGroups: summary.siblingGroups))
    }
    var orphans: [String: CardRecord] = [:]
    for number in elsewhere {
      if let record = records[Int(number)] { orphans[keys[Int(number)]] = record }
    }
    return DeckRecords(decks: decks, orphans: orphans)
  }
}
