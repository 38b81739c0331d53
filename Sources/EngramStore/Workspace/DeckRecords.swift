import EngramCore

/// What `Workspace.append` updates records through: the dictionary of every card with
/// history, or the snapshot's per-deck arrays (`DeckRecords`).
protocol RecordStore {
  subscript(key: String) -> CardRecord? { mutating get set }
  subscript(key: String, default defaultValue: @autoclosure () -> CardRecord) -> CardRecord { mutating get set }
  /// Calls `body` with every record.
  func forEachRecord(_ body: (CardRecord) -> Void)
  /// The position of the latest event among the records (by last event time, then key).
  func latestPosition() -> CollectionReplay.Position?
}

extension Dictionary: RecordStore where Key == String, Value == CardRecord {
  func forEachRecord(_ body: (CardRecord) -> Void) {
    for record in values { body(record) }
  }

  func latestPosition() -> CollectionReplay.Position? { CollectionReplay.latest(in: self) }
}

/// Card records kept where the snapshot puts them: in each deck's array, in deck order, and the
/// cards in no deck by key. How an open workspace holds every card's state, however it was
/// found (from the snapshot, brought up to date, or replayed and laid out by `RecordLayout`).
///
/// A session updates the few cards it answers here, in place, instead of first building a
/// dictionary of every card with history (100,000 hashed keys and records copied, on the first
/// answer); counting today's cards reads the arrays; closing a session writes the snapshot
/// straight from them.
struct DeckRecords: RecordStore {
  var decks: [StateCache.CachedDeck]
  var orphans: [String: CardRecord]
  var index: Index

  init(decks: [StateCache.CachedDeck] = [], orphans: [String: CardRecord] = [:], index: Index = Index()) {
    self.decks = decks
    self.orphans = orphans
    self.index = index
  }

  /// Where cards are: each deck by id, and a deck's cards by key, made the first time a card of
  /// that deck is looked up (a session visits a few decks, not all).
  struct Index {
    fileprivate var decks: [String: Int]?
    fileprivate var cards: [Int: [String: Int]] = [:]

    init() {}
  }

  /// The deck and position of `key`, or nil for a card in no deck.
  mutating func position(of key: String) -> (deck: Int, card: Int)? {
    guard let deckPart = CardKey.deckPart(of: key) else { return nil }
    if index.decks == nil {
      var ids: [String: Int] = [:]
      for (position, deck) in decks.enumerated() where ids[deck.id] == nil { ids[deck.id] = position }
      index.decks = ids
    }
    guard let deck = index.decks?[String(deckPart)] else { return nil }
    if index.cards[deck] == nil {
      var cards: [String: Int] = [:]
      let keys = decks[deck].cardKeys
      cards.reserveCapacity(keys.count)
      for (position, card) in keys.enumerated() where cards[card] == nil { cards[card] = position }
      index.cards[deck] = cards
    }
    guard let card = index.cards[deck]?[key] else { return nil }
    return (deck, card)
  }

  subscript(key: String) -> CardRecord? {
    mutating get {
      guard let (deck, card) = position(of: key) else { return orphans[key] }
      return decks[deck].records[card]
    }
    set {
      guard let (deck, card) = position(of: key) else {
        orphans[key] = newValue
        return
      }
      decks[deck].records[card] = newValue
    }
  }

  subscript(key: String, default defaultValue: @autoclosure () -> CardRecord) -> CardRecord {
    mutating get { self[key] ?? defaultValue() }
    set { self[key] = newValue }
  }

  /// The records by card key (cards with history only).
  var byKey: [String: CardRecord] {
    var records = orphans
    for deck in decks {
      for (key, record) in zip(deck.cardKeys, deck.records) where record != nil { records[key] = record }
    }
    return records
  }

  /// Every card's record (nil: never seen) with its key, numbered alike: deck cards in deck
  /// order, then cards in no deck.
  func numbered() -> (records: [CardRecord?], keys: [String]) {
    var records: [CardRecord?] = []
    var keys: [String] = []
    // Room for all at once: grown by doubling, 100,000 records (18 MB) were copied twice over.
    let count = decks.reduce(orphans.count) { $0 + $1.records.count }
    records.reserveCapacity(count)
    keys.reserveCapacity(count)
    for deck in decks {
      records.append(contentsOf: deck.records)
      keys.append(contentsOf: deck.cardKeys)
    }
    for (key, record) in orphans {
      records.append(record)
      keys.append(key)
    }
    return (records, keys)
  }

  /// Every record (in deck order, then the cards in no deck).
  func forEachRecord(_ body: (CardRecord) -> Void) {
    for deck in decks {
      for record in deck.records {
        if let record { body(record) }
      }
    }
    for record in orphans.values { body(record) }
  }

  /// As `CollectionReplay.latest` gives it; keys are looked at only for the cards at that time.
  func latestPosition() -> CollectionReplay.Position? {
    var time: Timestamp?
    forEachRecord { record in
      if let last = record.lastEvent, time.map({ last > $0 }) ?? true { time = last }
    }
    guard let time else { return nil }
    var best: CollectionReplay.Position?
    func consider(_ key: String) {
      let position = CollectionReplay.Position(time: time, card: key)
      if best.map({ $0 < position }) ?? true { best = position }
    }
    for deck in decks where deck.records.contains(where: { $0?.lastEvent == time }) {
      let keys = deck.cardKeys
      for (card, record) in deck.records.enumerated() where record?.lastEvent == time { consider(keys[card]) }
    }
    for (key, record) in orphans where record.lastEvent == time { consider(key) }
    return best
  }
}
