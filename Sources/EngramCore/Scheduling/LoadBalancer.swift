/// Chooses a review's due day within its fuzz range so that the cards due per day even out,
/// and easy days take less.
///
/// The idea is Anki 24.11's load balancer: instead of a uniform fuzz draw, each day in the fuzz
/// range gets a weight that falls with the cards already due that day, and the day is drawn
/// with those weights. Engram's rule, for a review on study day `t` whose interval is `n` days
/// with fuzz range `lo…hi`:
///
///     weight(d) = (share(weekday(t + d)) / (due(t + d) + 1))² / d     for d in lo…hi
///
/// where `due` counts review cards (not suspended) due that study day as the replay stands at
/// that review, and `share` is the day's `easy_days` value. The `1 / d` keeps the choice from
/// drifting late (later days always look emptier, their cards not yet scheduled), as Anki's
/// does. The day is then picked by the review's own fuzz draw over the cumulative weights, so it
/// is deterministic. A day whose share is 0 is never picked unless every day in the range is 0;
/// then the plain fuzz stands. Intervals under 3 days have no fuzz and are never moved.
///
/// Only a replay that applies reviews in time order across all cards knows `due` as it stood;
/// `CollectionReplay` does that, and the counts are always those of the records replayed so far.
public struct LoadBalancer: Sendable, Equatable {
  /// Monday … Sunday: the share of a normal load each day may take (0…1).
  public let easyDays: [Double]
  /// Milliseconds added to a time before whole days are counted: the study day number of a
  /// time is `floor((ms + dayOffset) / 1 day)` (the local offset minus the rollover hour).
  public let dayOffset: Int64
  /// Review cards due per study day number.
  public private(set) var counts: [Int64: Int] = [:]

  public init(easyDays: [Double] = Array(repeating: 1, count: 7), dayOffset: Int64 = 0) {
    self.easyDays = easyDays.count == 7 ? easyDays : Array(repeating: 1, count: 7)
    self.dayOffset = dayOffset
  }

  /// The study day number of `time`.
  public func day(of time: Timestamp) -> Int64 {
    let shifted = time.milliseconds + dayOffset
    let length = Interval.day.milliseconds
    return shifted >= 0 ? shifted / length : -((-shifted + length - 1) / length)
  }

  /// 0 for Monday … 6 for Sunday (day 0, 1970-01-01, was a Thursday).
  public static func weekday(ofDay day: Int64) -> Int {
    Int(((day + 3) % 7 + 7) % 7)
  }

  /// The day a record counts on, if it counts (a review card, not suspended).
  public func countedDay(_ record: CardRecord) -> Int64? {
    guard !record.suspended, let schedule = record.schedule, schedule.phase == .review else { return nil }
    return day(of: schedule.due)
  }

  public mutating func add(_ record: CardRecord) {
    if let day = countedDay(record) { counts[day, default: 0] += 1 }
  }

  public mutating func remove(_ record: CardRecord) {
    guard let day = countedDay(record), let count = counts[day] else { return }
    counts[day] = count > 1 ? count - 1 : nil
  }

  /// Cards due on study day `day`.
  public func due(onDay day: Int64) -> Int { counts[day] ?? 0 }

  /// The interval in days to use, from `range`, for a review on study day `reviewDay`; nil when
  /// every day in the range has weight 0.
  public func interval(in range: ClosedRange<Int>, reviewDay: Int64, draw: Double) -> Int? {
    var weights: [Double] = []
    weights.reserveCapacity(range.count)
    for days in range {
      let target = reviewDay + Int64(days)
      let share = easyDays[LoadBalancer.weekday(ofDay: target)]
      let relative = share / Double(due(onDay: target) + 1)
      weights.append(relative * relative / Double(max(days, 1)))
    }
    let total = weights.reduce(0, +)
    guard total > 0 else { return nil }
    var point = min(max(draw, 0), 1) * total
    for (offset, weight) in weights.enumerated() where weight > 0 {
      if point < weight { return range.lowerBound + offset }
      point -= weight
    }
    // Rounding left the point past the end: the last day with any weight.
    return range.lowerBound + (weights.lastIndex { $0 > 0 } ?? 0)
  }
}
