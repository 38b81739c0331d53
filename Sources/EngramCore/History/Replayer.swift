/// Derives a card's state by replaying its log events through the scheduler.
///
/// Replay, not stored state, is the source of truth: changing the configuration (desired
/// retention, steps, parameters) re-derives every card the next time the log is read.
public struct Replayer: Sendable {
  public let scheduler: Scheduler
  /// Start of "today" (the day rollover), for the per-day counts in `CardRecord`.
  public let dayStart: Timestamp

  /// The longest move a `postpone` or `advance` event may make, in days (the longest interval).
  public static let longestMove = 36500

  public init(scheduler: Scheduler, dayStart: Timestamp) {
    self.scheduler = scheduler
    self.dayStart = dayStart
  }

  /// The record of a card from its events in any order: they are sorted by time, ties keeping
  /// the given (file) order.
  public func replay(card: String, events: [ReviewEvent]) -> CardRecord {
    var record = CardRecord()
    for event in Replayer.standing(events) { apply(event, card: card, to: &record) }
    return record
  }

  /// A card's events in replay order (by time, ties in file order) with every undo removed
  /// together with the latest review, postpone or advance still standing before it; a `leech`
  /// event logged with the review it followed (same time) goes with that review.
  public static func standing(_ events: [ReviewEvent]) -> [ReviewEvent] {
    standingOrder(
      count: events.count, time: { events[$0].time.milliseconds }, kind: { events[$0].kind },
      rating: { events[$0].rating }
    ).map { events[$0] }
  }

  /// The rule of `standing(_:)` over events given by position (`0..<count`, file order):
  /// the positions that stand, in replay order. One rule for a card's event list and for a
  /// replay over `EventColumns`.
  public static func standingOrder(
    count: Int, time: (Int) -> Int64, kind: (Int) -> ReviewEvent.Kind, rating: (Int) -> Int
  ) -> [Int] {
    var ordered = Array(0..<count)
    var sorted = true
    for position in ordered.dropFirst() where time(position) < time(position - 1) {
      sorted = false
      break
    }
    // Sorted by time, ties in file order (positions are file order).
    if !sorted { ordered.sort { time($0) != time($1) ? time($0) < time($1) : $0 < $1 } }
    var cancelled = Set<Int>()
    // Undoable events, each with the leech events that came with it.
    var undoable: [(index: Int, attached: [Int])] = []
    for (index, position) in ordered.enumerated() {
      switch kind(position) {
      case .review where Rating(rawValue: rating(position)) != nil:
        undoable.append((index, []))
      case .postpone, .advance:
        undoable.append((index, []))
      case .leech:
        if let last = undoable.last, kind(ordered[last.index]) == .review,
          time(ordered[last.index]) == time(position)
        {
          undoable[undoable.count - 1].attached.append(index)
        }
      case .undo:
        if let last = undoable.popLast() {
          cancelled.insert(index)
          cancelled.insert(last.index)
          cancelled.formUnion(last.attached)
        }
      default:
        break
      }
    }
    guard !cancelled.isEmpty else { return ordered }
    return ordered.enumerated().filter { !cancelled.contains($0.offset) }.map(\.element)
  }

  /// Applies one event to a record; also used to update a record incrementally after an answer.
  public func apply(_ event: ReviewEvent, card: String, to record: inout CardRecord) {
    apply(event, fuzzKey: FuzzSeed.keyHash(card), to: &record)
  }

  /// Applies one event to the record of the card whose `FuzzSeed.keyHash` is `fuzzKey` (the
  /// event's own `card` is not read: a replay hashes each key once).
  func apply(_ event: ReviewEvent, fuzzKey: UInt64, to record: inout CardRecord) {
    record.lastEvent = max(record.lastEvent ?? event.time, event.time)
    switch event.kind {
    case .review:
      guard let rating = Rating(rawValue: event.rating) else { return }
      let before = record.schedule
      if before == nil { record.introducedAt = event.time }
      if before?.phase == .review {
        if rating == .again { record.lapses += 1 }
        if event.time >= dayStart { record.reviewsToday += 1 }
      }
      let fuzz = scheduler.settings.enableFuzz ? FuzzSeed.draw(keyHash: fuzzKey, time: event.time) : nil
      record.schedule = scheduler.review(before, rating: rating, at: event.time, fuzz: fuzz)
      record.reviewCount += 1
      if rating.rawValue >= Rating.good.rawValue { record.weakSince = nil }
    case .quiz:
      record.quizTotal += 1
      if event.rating >= 3 {
        record.quizCorrect += 1
        record.weakSince = nil
      }
    case .weak:
      record.weakSince = event.time
    case .suspend:
      record.suspended = true
    case .unsuspend:
      record.suspended = false
    case .bury:
      record.buriedAt = event.time
    case .unbury:
      record.buriedAt = nil
    case .forget:
      record.schedule = nil
      record.introducedAt = nil
    case .leech:
      record.leechedAt = event.time
      if event.rating == 1 { record.suspended = true }
    case .postpone, .advance:
      // Only a review card has a due date in days to move; on any other card it does nothing.
      guard record.schedule?.phase == .review, event.rating >= 0 else { return }
      record.schedule?.due = event.time + .days(Int64(min(event.rating, Replayer.longestMove)))
    case .undo, .scenario, .other:
      break
    }
  }

  /// Applies one event with load balancing: the record leaves the balancer's counts, the event
  /// is applied, and a review that schedules the card in review has its due day chosen by the
  /// balancer within the fuzz range; then the record counts again.
  public func apply(_ event: ReviewEvent, card: String, to record: inout CardRecord, balancer: inout LoadBalancer) {
    apply(event, fuzzKey: FuzzSeed.keyHash(card), to: &record, balancer: &balancer)
  }

  /// The same for the card whose `FuzzSeed.keyHash` is `fuzzKey`.
  func apply(_ event: ReviewEvent, fuzzKey: UInt64, to record: inout CardRecord, balancer: inout LoadBalancer) {
    balancer.remove(record)
    apply(event, fuzzKey: fuzzKey, to: &record)
    if event.kind == .review, Rating(rawValue: event.rating) != nil, scheduler.settings.enableFuzz,
      let schedule = record.schedule, schedule.phase == .review
    {
      let days = scheduler.nextInterval(stability: schedule.stability)
      if days >= 3,
        let chosen = balancer.interval(
          in: scheduler.fuzzRange(days: days), reviewDay: balancer.day(of: event.time),
          draw: FuzzSeed.draw(keyHash: fuzzKey, time: event.time))
      {
        record.schedule?.due = event.time + .days(Int64(chosen))
      }
    }
    balancer.add(record)
  }
}
