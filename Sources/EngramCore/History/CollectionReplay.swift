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
    replay(
      keys: cards.map(\.key), events: { cards[$0].events }, replayer: replayer, balancer: &balancer,
      collectFacts: collectFacts)
  }

  /// The same, with each card's events made on demand (so only the standing ones are kept).
  public static func replay(
    keys: [String], events: (Int) -> [ReviewEvent], replayer: Replayer, balancer: inout LoadBalancer,
    collectFacts: Bool = false
  ) -> (records: [String: CardRecord], facts: [ReviewFact]) {
    let order = keys.indices.sorted { keys[$0] < keys[$1] }
    var standing: [[ReviewEvent]] = []
    standing.reserveCapacity(order.count)
    var hasHistory: [Bool] = []
    hasHistory.reserveCapacity(order.count)
    var total = 0
    var earliest = Int64.max
    var latest = Int64.min
    for index in order {
      let about = events(index).filter(\.kind.isAboutCard)
      hasHistory.append(!about.isEmpty)
      let kept = Replayer.standing(about)
      total += kept.count
      if let first = kept.first { earliest = min(earliest, first.time.milliseconds) }
      if let last = kept.last { latest = max(latest, last.time.milliseconds) }
      standing.append(kept)
    }
    // Replay order: time, then card (by key rank), then the card's own order. When the span of
    // times and the number of cards fit, each event is one 64-bit sort key (time above rank), and
    // a stable sort keeps a card's events in its own order; otherwise tuples are sorted.
    var sequence: [Int32] = []
    sequence.reserveCapacity(total)
    let rankBits = 22
    if order.count < 1 << rankBits, total > 0, latest - earliest < 1 << (63 - rankBits) {
      var keys: [UInt64] = []
      keys.reserveCapacity(total)
      for (rank, cardEvents) in standing.enumerated() {
        for event in cardEvents {
          keys.append(UInt64(event.time.milliseconds - earliest) << UInt64(rankBits) | UInt64(rank))
        }
      }
      keys.sort()
      sequence = keys.map { Int32(truncatingIfNeeded: $0 & ((1 << UInt64(rankBits)) - 1)) }
    } else {
      var places: [(time: Int64, card: Int32, event: Int32)] = []
      places.reserveCapacity(total)
      for (card, cardEvents) in standing.enumerated() {
        for (index, event) in cardEvents.enumerated() {
          places.append((event.time.milliseconds, Int32(card), Int32(index)))
        }
      }
      places.sort { $0.time != $1.time ? $0.time < $1.time : $0.card != $1.card ? $0.card < $1.card : $0.event < $1.event }
      sequence = places.map(\.card)
    }
    // Records are changed in place: copying one out and back per event cost a fifth of a replay.
    var records = [CardRecord](repeating: CardRecord(), count: order.count)
    var cursor = [Int32](repeating: 0, count: order.count)
    var facts: [ReviewFact] = []
    for rank in sequence {
      let card = Int(rank)
      // A card's events come in its own order: the next one is at its cursor.
      let event = standing[card][Int(cursor[card])]
      cursor[card] += 1
      let key = keys[order[card]]
      if collectFacts, event.kind == .review, let rating = Rating(rawValue: event.rating) {
        let before = records[card].schedule
        let interval = before.flatMap { schedule -> Double? in
          schedule.phase == .review ? Double((schedule.due - schedule.lastReview).milliseconds) / 86_400_000 : nil
        }
        facts.append(
          ReviewFact(
            card: key, time: event.time, rating: rating, durationMilliseconds: event.durationMilliseconds,
            phaseBefore: before?.phase, intervalBefore: interval))
      }
      replayer.apply(event, card: key, to: &records[card], balancer: &balancer)
    }
    var result: [String: CardRecord] = [:]
    result.reserveCapacity(order.count)
    for (rank, index) in order.enumerated() where hasHistory[rank] {
      // A card whose every event was undone still has history (an empty record), as a
      // per-card replay says.
      result[keys[index]] = records[rank]
    }
    return (result, facts)
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
