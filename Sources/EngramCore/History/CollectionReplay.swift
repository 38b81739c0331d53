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
    let ordered = cards.sorted { $0.key < $1.key }
    let standing = ordered.map { Replayer.standing($0.events.filter(\.kind.isAboutCard)) }
    // Card index in key order, event index in the card: sorting by time (stable for ties, and
    // cards are already in key order) gives the replay order.
    var places: [(time: Int64, card: Int32, event: Int32)] = []
    places.reserveCapacity(standing.reduce(0) { $0 + $1.count })
    for (card, events) in standing.enumerated() {
      for (index, event) in events.enumerated() {
        places.append((event.time.milliseconds, Int32(card), Int32(index)))
      }
    }
    places.sort { $0.time != $1.time ? $0.time < $1.time : $0.card != $1.card ? $0.card < $1.card : $0.event < $1.event }
    var records = [CardRecord?](repeating: nil, count: ordered.count)
    var facts: [ReviewFact] = []
    for place in places {
      let card = Int(place.card)
      let event = standing[card][Int(place.event)]
      let key = ordered[card].key
      var record = records[card] ?? CardRecord()
      if collectFacts, event.kind == .review, let rating = Rating(rawValue: event.rating) {
        let before = record.schedule
        let interval = before.flatMap { schedule -> Double? in
          schedule.phase == .review ? Double((schedule.due - schedule.lastReview).milliseconds) / 86_400_000 : nil
        }
        facts.append(
          ReviewFact(
            card: key, time: event.time, rating: rating, durationMilliseconds: event.durationMilliseconds,
            phaseBefore: before?.phase, intervalBefore: interval))
      }
      replayer.apply(event, card: key, to: &record, balancer: &balancer)
      records[card] = record
    }
    var result: [String: CardRecord] = [:]
    result.reserveCapacity(ordered.count)
    for (index, card) in ordered.enumerated() {
      if let record = records[index] {
        result[card.key] = record
      } else if card.events.contains(where: \.kind.isAboutCard) {
        // Every event was undone: the card still has history, as a per-card replay says.
        result[card.key] = CardRecord()
      }
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
