/// Derives a card's state by replaying its log events through the scheduler.
///
/// Replay, not stored state, is the source of truth: changing the configuration (desired
/// retention, steps, parameters) re-derives every card the next time the log is read.
public struct Replayer: Sendable {
  public let scheduler: Scheduler
  /// Start of "today" (the day rollover), for the per-day counts in `CardRecord`.
  public let dayStart: Timestamp

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
  /// together with the latest review still standing before it.
  public static func standing(_ events: [ReviewEvent]) -> [ReviewEvent] {
    var ordered = events
    if !isSorted(ordered) {
      ordered = ordered.enumerated().sorted {
        $0.element.time != $1.element.time ? $0.element.time < $1.element.time : $0.offset < $1.offset
      }.map(\.element)
    }
    var cancelled = Set<Int>()
    var reviews: [Int] = []
    for (index, event) in ordered.enumerated() {
      switch event.kind {
      case .review where Rating(rawValue: event.rating) != nil:
        reviews.append(index)
      case .undo:
        if let last = reviews.popLast() {
          cancelled.insert(index)
          cancelled.insert(last)
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
      let fuzz = scheduler.settings.enableFuzz ? FuzzSeed.draw(card: card, time: event.time) : nil
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
    case .undo, .scenario, .other:
      break
    }
  }

  private static func isSorted(_ events: [ReviewEvent]) -> Bool {
    var previous: Timestamp?
    for event in events {
      if let previous, event.time < previous { return false }
      previous = event.time
    }
    return true
  }
}
