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

  /// One standing review as a replay applies it: the card's number, the review, and the card's
  /// schedule before it (nil: new). What `stats` aggregates, handed over instead of stored.
  public struct ReviewSeen: Sendable {
    public var card: Int
    public var time: Timestamp
    public var rating: Rating
    public var durationMilliseconds: Int64
    public var before: CardSchedule?

    /// The scheduled interval (days) the card had before the review, for review cards.
    public var intervalBefore: Double? {
      before.flatMap { schedule -> Double? in
        schedule.phase == .review ? Double((schedule.due - schedule.lastReview).milliseconds) / 86_400_000 : nil
      }
    }
  }

  /// Replays every card of `log`. With a balancer, all cards together in the replay order
  /// (time, then card key, then the card's own order), so each review's day is chosen from the
  /// load as it stood; without one, each card on its own (the order between cards then does
  /// not matter).
  ///
  /// A log in time order is replayed front to back; any other has its events grouped by a
  /// counting sort on card numbers, each card's standing events settled on indices, and the
  /// replay order made by sorting one 64-bit integer per event: no string is compared per
  /// event and no event is copied into per-card arrays.
  ///
  /// - Parameter journalFrom: a time (milliseconds) from which the replayed events are listed
  ///   in the result's `journal` with the records before them (balanced replays only), so that
  ///   a later event before the latest can be put in place by taking back only what follows it.
  public static func replay(
    _ log: EventColumns, replayer: Replayer, balancer: inout LoadBalancer?, collectFacts: Bool = false,
    journalFrom: Int64? = nil
  ) -> Result {
    guard collectFacts else {
      return replay(log, replayer: replayer, balancer: &balancer, journalFrom: journalFrom, onReview: nil)
    }
    var facts: [ReviewFact] = []
    var result = replay(log, replayer: replayer, balancer: &balancer, journalFrom: journalFrom) { seen in
      facts.append(
        ReviewFact(
          card: log.keys[seen.card], time: seen.time, rating: seen.rating,
          durationMilliseconds: seen.durationMilliseconds, phaseBefore: seen.before?.phase,
          intervalBefore: seen.intervalBefore))
    }
    result.facts = facts
    return result
  }

  /// Replays like `replay(_:replayer:balancer:collectFacts:journalFrom:)`, handing every
  /// standing review to `onReview` as it is applied (in the replay order) rather than
  /// collecting facts: `stats` aggregates a million reviews without storing them.
  ///
  /// A log written in time order (the usual case: events are appended as they happen) is
  /// replayed in file order, reading the columns front to back: each card's events already
  /// stand in order with none taken back, and time then key order is file order. Any other log
  /// is settled card by card and ordered by `replayOrder`.
  public static func replay(
    _ log: EventColumns, replayer: Replayer, balancer: inout LoadBalancer?, journalFrom: Int64? = nil,
    onReview: ((ReviewSeen) -> Void)?
  ) -> Result {
    let cardCount = log.keys.count
    let aboutCard = log.kinds.map(\.isAboutCard)
    // The event indices in the replay order; nil: every event about a card, in file order.
    var sequence: [Int32]?
    var hasHistory: [Bool]
    if let inFileOrder = historiesInFileOrder(log, aboutCard: aboutCard),
      balancer == nil || fileOrderIsReplayOrder(log, aboutCard: aboutCard)
    {
      hasHistory = inFileOrder
    } else {
      let settled = standing(log, aboutCard: aboutCard)
      hasHistory = settled.hasHistory
      if case .none = balancer {
        sequence = settled.standing
      } else {
        sequence = replayOrder(
          log, standing: settled.standing, standingStarts: settled.starts, inFileOrder: settled.inFileOrder,
          aboutCard: aboutCard)
      }
    }

    // Optional from the start, so the result is these records with the cards without history
    // cleared in place, not a second array of 100,000 records (18 MB) made at the end.
    var records = [CardRecord?](repeating: CardRecord(), count: cardCount)
    var journal: [(card: Int, event: Int, before: CardRecord?)] = []
    let fuzzKeys = log.keys.map(FuzzSeed.keyHash)
    let isUnbury = log.kinds.map { $0 == .unbury }
    // The balancer is moved out for the loop (nil left in its place), so that its counts are
    // held once and change in place.
    var balancing = balancer
    balancer = nil
    records.withUnsafeMutableBufferPointer { records in
      // Every event in the replay order, each standing review handed to `visit` (a closure
      // taken as a parameter, called without retaining it per review).
      @inline(__always) func replayAll(_ visit: (ReviewSeen) -> Void) {
        // One event applied in place, through the record's address: the record (177 bytes) is
        // not copied out and back, no key is retained, no `ReviewEvent` is made.
        @inline(__always) func apply(_ index: Int) {
          let card = Int(log.cards[index])
          let record = records.baseAddress! + card
          let time = Timestamp(milliseconds: log.times[index])
          if let journalFrom, time.milliseconds >= journalFrom {
            // Every applied event sets `lastEvent`: a record without one was never touched.
            journal.append((card, index, record.pointee!.lastEvent == nil ? nil : record.pointee))
          }
          let action = log.action(at: index)
          if case .review(let rated) = action {
            visit(
              ReviewSeen(
                card: card, time: time, rating: rated, durationMilliseconds: log.durations[index],
                before: record.pointee!.schedule))
          }
          // Only an unbury reads whether it names its target.
          let namesTarget = isUnbury[Int(log.kindNumbers[index])] && log.targets[Int32(index)] != nil
          // Matched, not compared with `!=` (which copied the balancer for Equatable per event).
          if case .some = balancing {
            replayer.apply(
              action, time: time, namesTarget: namesTarget, fuzzKey: fuzzKeys[card], to: &record.pointee!,
              balancer: &balancing!)
          } else {
            replayer.apply(
              action, time: time, namesTarget: namesTarget, fuzzKey: fuzzKeys[card], to: &record.pointee!)
          }
        }

        if let sequence {
          for index in sequence { apply(Int(index)) }
        } else {
          let kinds = log.kindNumbers
          for index in kinds.indices where aboutCard[Int(kinds[index])] { apply(index) }
        }
      }

      if let onReview { replayAll(onReview) } else { replayAll { _ in } }
    }
    balancer = balancing
    // A card whose every event was undone still has history (an empty record), as a per-card
    // replay says; a card with no event about it (only scenario lines) has none.
    for card in 0..<cardCount where !hasHistory[card] { records[card] = nil }
    return Result(records: records, facts: [], journal: journal)
  }

  /// Whether each card has an event about it, when every card's events about it stand in file
  /// order already: each later than (or tied and replaying after) the card's one before, and
  /// none taking back another. Nil otherwise. One pass in file order, remembering each card's
  /// latest event, so a log appended in time order is settled without grouping its events.
  private static func historiesInFileOrder(_ log: EventColumns, aboutCard: [Bool]) -> [Bool]? {
    // An undo, or an unbury naming its bury, takes back another event.
    if log.kinds.contains(.undo) { return nil }
    if let unbury = log.kinds.firstIndex(of: .unbury),
      log.targets.keys.contains(where: { Int(log.kindNumbers[Int($0)]) == unbury })
    {
      return nil
    }
    var latest = [Int32](repeating: -1, count: log.keys.count)
    var latestTime = [Int64](repeating: 0, count: log.keys.count)
    for index in 0..<log.count where aboutCard[Int(log.kindNumbers[index])] {
      let card = Int(log.cards[index])
      let time = log.times[index]
      let previous = latest[card]
      if previous >= 0 {
        // Replay order is time, then device and sequence (lines without an id first).
        if time < latestTime[card] { return nil }
        if time == latestTime[card] && log.replaysBeforeAtSameTime(index, Int(previous)) { return nil }
      }
      latest[card] = Int32(index)
      latestTime[card] = time
    }
    return latest.map { $0 >= 0 }
  }

  /// Whether the events about cards, in file order, are in the replay order across cards: by
  /// time, and no two cards share a millisecond (their key order would decide).
  private static func fileOrderIsReplayOrder(_ log: EventColumns, aboutCard: [Bool]) -> Bool {
    var previousTime = Int64.min
    var previousCard = Int32(-1)
    for index in 0..<log.count where aboutCard[Int(log.kindNumbers[index])] {
      let time = log.times[index]
      let card = log.cards[index]
      if time < previousTime || (time == previousTime && card != previousCard) { return false }
      previousTime = time
      previousCard = card
    }
    return true
  }

  /// Each card's standing events, in its own replay order, as event indices: `standing` holds
  /// them card after card, `starts` where each card's begin.
  ///
  /// Events are grouped by a counting sort on card numbers, and each card's standing events
  /// settled on indices (`Replayer.standingPositions` for a card out of order or with an event
  /// that takes back another).
  private static func standing(_ log: EventColumns, aboutCard: [Bool]) -> (
    standing: [Int32], starts: [Int32], hasHistory: [Bool], inFileOrder: Bool
  ) {
    let cardCount = log.keys.count
    let (starts, grouped) = log.grouped()
    var standing = [Int32]()
    standing.reserveCapacity(log.count)
    var standingStarts = [Int32](repeating: 0, count: cardCount + 1)
    var hasHistory = [Bool](repeating: false, count: cardCount)
    let isUndo = log.kinds.map { $0 == .undo }
    let isUnbury = log.kinds.map { $0 == .unbury }
    var about: [Int32] = []
    // Whether every card's events stood in file order, none taken back: then the standing
    // events are exactly the events about cards, in file order.
    var allInFileOrder = true
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
        allInFileOrder = false
        let events = about.map { log.event(at: Int($0)) }
        for position in Replayer.standingPositions(events) { standing.append(about[position]) }
      }
      standingStarts[card + 1] = Int32(standing.count)
    }
    return (standing, standingStarts, hasHistory, allInFileOrder)
  }

  /// The standing events (indices) in the replay order: time, then card key, then the card's
  /// own order.
  ///
  /// When the span of times and the number of cards fit, each event is one 64-bit sort key,
  /// time above the card's number, made in file order: a log is nearly in time order already,
  /// so the sort finds long runs and is close to linear. Equal keys are the same card at the
  /// same time, so the order among them loses nothing. Only where different cards share a
  /// millisecond are they then put in key order (rare: keys are compared for those alone, not
  /// for all the cards up front). Otherwise tuples are sorted by time, key rank and position.
  private static func replayOrder(
    _ log: EventColumns, standing: [Int32], standingStarts: [Int32], inFileOrder: Bool, aboutCard: [Bool]
  ) -> [Int32] {
    let cardCount = log.keys.count
    var earliest = Int64.max
    var latest = Int64.min
    for index in standing {
      let time = log.times[Int(index)]
      earliest = min(earliest, time)
      latest = max(latest, time)
    }
    let cardBits = 22
    guard cardCount < 1 << cardBits, !standing.isEmpty, latest &- earliest >= 0,
      latest &- earliest < 1 << (63 - cardBits)
    else {
      let byKey = log.keys.indices.sorted { log.keys[$0] < log.keys[$1] }
      var rank = [Int32](repeating: 0, count: cardCount)
      for (position, card) in byKey.enumerated() { rank[card] = Int32(position) }
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
      return places.map { standing[Int($0.event)] }
    }
    var keys = [UInt64]()
    keys.reserveCapacity(standing.count)
    func key(_ index: Int, card: Int) -> UInt64 {
      UInt64(log.times[index] - earliest) << UInt64(cardBits) | UInt64(card)
    }
    if inFileOrder {
      // Every event about a card stands: take them in file order.
      for index in 0..<log.count where aboutCard[Int(log.kindNumbers[index])] {
        keys.append(key(index, card: Int(log.cards[index])))
      }
    } else {
      var stands = [Bool](repeating: false, count: log.count)
      for index in standing { stands[Int(index)] = true }
      for index in 0..<log.count where stands[index] { keys.append(key(index, card: Int(log.cards[index]))) }
    }
    var sorted = true
    for position in keys.indices.dropFirst() where keys[position] < keys[position - 1] {
      sorted = false
      break
    }
    if !sorted { keys.sort() }
    let mask = (UInt64(1) << UInt64(cardBits)) - 1
    var order = keys.map { Int32(truncatingIfNeeded: $0 & mask) }
    // Cards that share a millisecond go in key order; each card's events stay together in the
    // run (they are equal keys), and runs of one card need nothing.
    var start = 0
    while start < keys.count {
      var end = start + 1
      let time = keys[start] >> UInt64(cardBits)
      var mixed = false
      while end < keys.count && keys[end] >> UInt64(cardBits) == time {
        if order[end] != order[start] { mixed = true }
        end += 1
      }
      if mixed {
        order[start..<end].sort { a, b in a != b && log.keys[Int(a)] < log.keys[Int(b)] }
      }
      start = end
    }
    // A card's events come in its own order: each card's next one is at its cursor.
    var cursors = standingStarts
    for (position, card) in order.enumerated() {
      let card = Int(card)
      order[position] = standing[Int(cursors[card])]
      cursors[card] += 1
    }
    return order
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
