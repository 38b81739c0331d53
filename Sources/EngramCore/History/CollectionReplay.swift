/// Replays every card together, each event in time order across all cards, so that load
/// balancing sees the load as it stood when each review happened.
///
/// The order is by time, then card key, then the card's own order (time, ties in file order,
/// undone reviews removed as `Replayer.standing` does). It does not depend on how the log's
/// lines are arranged, so appending events later than every event so far (in that order) and
/// applying them one by one gives exactly what a full replay gives.
public enum CollectionReplay {
  /// Where one event falls in the replay order.
  public struct Position: Comparable, Sendable {
    public var time: Timestamp
    public var card: String
    public init(time: Timestamp, card: String) {
      self.time = time
      self.card = card
    }
    public static func < (a: Position, b: Position) -> Bool {
      a.time != b.time ? a.time < b.time : a.card < b.card
    }
  }

  /// Every card's record, and every standing review as a fact when `collectFacts`.
  ///
  /// - Parameter cards: each card's events, any order within a card.
  public static func replay(
    cards: [(key: String, events: [ReviewEvent])], replayer: Replayer, balancer: inout LoadBalancer,
    collectFacts: Bool = false
  ) -> (records: [String: CardRecord], facts: [ReviewFact]) {
    var columns = EventColumns()
    for card in cards {
      // A card without events has no history: it takes no number.
      let number = columns.keys.count
      for event in card.events {
        var event = event
        event.card = card.key
        columns.append(event, cardNumber: number)
      }
    }
    var balancing: LoadBalancer? = balancer
    let replayed = replay(columns, replayer: replayer, balancer: &balancing, collectFacts: collectFacts)
    balancer = balancing ?? balancer
    return (replayed.dictionary(keys: columns.keys), replayed.facts)
  }

  /// What a replay over `EventColumns` gives: records by card number.
  public struct Result: Sendable {
    /// Each card's record; nil for a card with no event about it (only scenario events).
    public var records: [CardRecord?]
    /// Every standing review with the card's state before it, when asked for.
    public var facts: [ReviewFact]
    /// The events replayed at or after `journalFrom`, in replay order, each with its card's
    /// record before it (nil: the card had none yet), when asked for.
    public var journal: [(card: Int, event: Int, before: CardRecord?)] = []

    /// The records by card key (cards with history only).
    public func dictionary(keys: [String]) -> [String: CardRecord] {
      var result: [String: CardRecord] = [:]
      result.reserveCapacity(records.count)
      for (number, record) in records.enumerated() {
        if let record { result[keys[number]] = record }
      }
      return result
    }
  }

  /// Replays every card of `log`. With a balancer, all cards together in the replay order
  /// (time, then card key, then the card's own order), so each review's day is chosen from the
  /// load as it stood; without one, each card on its own (the order between cards then does
  /// not matter).
  ///
  /// Events are grouped by a counting sort on card numbers, each card's standing events
  /// settled on indices (`Replayer.standingPositions` for a card out of order or with an event
  /// that takes back another), and the replay order made by sorting one 64-bit integer per
  /// event: no string is compared per event and no event is copied into per-card arrays.
  ///
  /// - Parameter journalFrom: a time (milliseconds) from which the replayed events are listed
  ///   in the result's `journal` with the records before them (balanced replays only), so that
  ///   a later event before the latest can be put in place by taking back only what follows it.
  public static func replay(
    _ log: EventColumns, replayer: Replayer, balancer: inout LoadBalancer?, collectFacts: Bool = false,
    journalFrom: Int64? = nil
  ) -> Result {
    let cardCount = log.keys.count
    let (starts, grouped) = log.grouped()
    // Each card's standing events, in its own replay order, as event indices: `standing` holds
    // them card after card, `standingStarts` where each card's begin.
    var standing = [Int32]()
    standing.reserveCapacity(log.count)
    var standingStarts = [Int32](repeating: 0, count: cardCount + 1)
    var hasHistory = [Bool](repeating: false, count: cardCount)
    let aboutCard = log.kinds.map(\.isAboutCard)
    let isUndo = log.kinds.map { $0 == .undo }
    let isUnbury = log.kinds.map { $0 == .unbury }
    var about: [Int32] = []
    for card in 0..<cardCount {
      about.removeAll(keepingCapacity: true)
      var sorted = true
      var cancels = false
      var previous = Int32(-1)
      for slot in Int(starts[card])..<Int(starts[card + 1]) {
        let index = grouped[slot]
        let kind = Int(log.kindNumbers[Int(index)])
        guard aboutCard[kind] else { continue }
        if previous >= 0 {
          // Replay order is time, then device and sequence (lines without an id first).
          let before = log.times[Int(previous)]
          let time = log.times[Int(index)]
          if time < before || (time == before && log.replaysBeforeAtSameTime(Int(index), Int(previous))) {
            sorted = false
          }
        }
        previous = index
        // An undo, or an unbury naming its bury, takes back another event.
        if isUndo[kind] || (isUnbury[kind] && log.targets[index] != nil) { cancels = true }
        about.append(index)
      }
      hasHistory[card] = !about.isEmpty
      if sorted && !cancels {
        standing.append(contentsOf: about)
      } else {
        // The few cards with an undo or events out of order are settled by `Replayer`'s rule.
        let events = about.map { log.event(at: Int($0)) }
        for position in Replayer.standingPositions(events) { standing.append(about[position]) }
      }
      standingStarts[card + 1] = Int32(standing.count)
    }

    var records = [CardRecord](repeating: CardRecord(), count: cardCount)
    var facts: [ReviewFact] = []
    var journal: [(card: Int, event: Int, before: CardRecord?)] = []
    let fuzzKeys = log.keys.map(FuzzSeed.keyHash)
    func apply(_ index: Int32, card: Int, balancer: inout LoadBalancer?) {
      let index = Int(index)
      if let journalFrom, log.times[index] >= journalFrom {
        // Every applied event sets `lastEvent`: a record without one was never touched.
        journal.append((card, index, records[card].lastEvent == nil ? nil : records[card]))
      }
      // The key is not needed to apply an event (its fuzz hash is): left empty, no retain.
      let event = ReviewEvent(
        time: Timestamp(milliseconds: log.times[index]), card: "", rating: Int(log.ratings[index]),
        durationMilliseconds: log.durations[index], kind: log.kinds[Int(log.kindNumbers[index])],
        target: log.targets.isEmpty ? nil : log.targets[Int32(index)])
      if collectFacts, event.kind == .review, let rating = Rating(rawValue: event.rating) {
        let before = records[card].schedule
        let interval = before.flatMap { schedule -> Double? in
          schedule.phase == .review ? Double((schedule.due - schedule.lastReview).milliseconds) / 86_400_000 : nil
        }
        facts.append(
          ReviewFact(
            card: log.keys[card], time: event.time, rating: rating, durationMilliseconds: event.durationMilliseconds,
            phaseBefore: before?.phase, intervalBefore: interval))
      }
      if balancer != nil {
        replayer.apply(event, fuzzKey: fuzzKeys[card], to: &records[card], balancer: &balancer!)
      } else {
        replayer.apply(event, fuzzKey: fuzzKeys[card], to: &records[card])
      }
    }

    if balancer == nil {
      for card in 0..<cardCount {
        for slot in Int(standingStarts[card])..<Int(standingStarts[card + 1]) {
          apply(standing[slot], card: card, balancer: &balancer)
        }
      }
    } else {
      for card in replayOrder(log, standing: standing, standingStarts: standingStarts) {
        // A card's events come in its own order: the next one is at its cursor.
        let slot = standingStarts[card]
        standingStarts[card] += 1
        apply(standing[Int(slot)], card: card, balancer: &balancer)
      }
    }
    var result = [CardRecord?](repeating: nil, count: cardCount)
    for card in 0..<cardCount where hasHistory[card] {
      // A card whose every event was undone still has history (an empty record), as a
      // per-card replay says.
      result[card] = records[card]
    }
    return Result(records: result, facts: facts, journal: journal)
  }

  /// The card of each standing event in the replay order: time, then card key, then the card's
  /// own order (which the caller keeps by taking each card's events in turn). When the span of
  /// times and the number of cards fit, each event is one 64-bit sort key (time above the
  /// card's rank by key); equal keys are the same card at the same time, so an unstable sort
  /// loses nothing. Otherwise tuples are sorted.
  private static func replayOrder(_ log: EventColumns, standing: [Int32], standingStarts: [Int32]) -> [Int] {
    let cardCount = log.keys.count
    let byKey = log.keys.indices.sorted { log.keys[$0] < log.keys[$1] }
    var rank = [Int32](repeating: 0, count: cardCount)
    for (position, card) in byKey.enumerated() { rank[card] = Int32(position) }
    var earliest = Int64.max
    var latest = Int64.min
    for index in standing {
      let time = log.times[Int(index)]
      earliest = min(earliest, time)
      latest = max(latest, time)
    }
    let rankBits = 22
    if cardCount < 1 << rankBits, !standing.isEmpty, latest &- earliest >= 0, latest &- earliest < 1 << (63 - rankBits)
    {
      var keys = [UInt64]()
      keys.reserveCapacity(standing.count)
      for card in 0..<cardCount {
        for slot in Int(standingStarts[card])..<Int(standingStarts[card + 1]) {
          keys.append(UInt64(log.times[Int(standing[slot])] - earliest) << UInt64(rankBits) | UInt64(rank[card]))
        }
      }
      keys.sort()
      let mask = (UInt64(1) << UInt64(rankBits)) - 1
      return keys.map { byKey[Int($0 & mask)] }
    }
    var places: [(time: Int64, rank: Int32, event: Int32)] = []
    places.reserveCapacity(standing.count)
    for card in 0..<cardCount {
      for slot in Int(standingStarts[card])..<Int(standingStarts[card + 1]) {
        places.append((log.times[Int(standing[slot])], rank[card], Int32(slot)))
      }
    }
    places.sort {
      $0.time != $1.time ? $0.time < $1.time : $0.rank != $1.rank ? $0.rank < $1.rank : $0.event < $1.event
    }
    return places.map { byKey[Int($0.rank)] }
  }

  /// The position of the latest event among `records` (by last event time, then key).
  public static func latest(in records: [String: CardRecord]) -> Position? {
    var best: Position?
    for (key, record) in records {
      guard let time = record.lastEvent else { continue }
      let position = Position(time: time, card: key)
      if best.map({ $0 < position }) ?? true { best = position }
    }
    return best
  }
}
