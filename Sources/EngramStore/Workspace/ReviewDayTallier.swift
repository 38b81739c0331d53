import EngramCore

/// Counts reviews per study day (`DailyReviewTally`), finding each review's day with the
/// clock: over day boundaries worked out once for a whole log (a replay hands a million reviews
/// over), and with the calendar for the few outside them (or when no log was given: a session's
/// answers, the lines a snapshot lacks).
struct ReviewDayTallier {
  let clock: DayClock
  private var builder: DailyReviewTally.Builder
  /// Reviews outside the builder's days.
  private var outside = DailyReviewTally()
  /// The day the last review outside the builder's days fell on: the next is usually on it too.
  private var lastDay: Range<Timestamp>?

  /// A tallier for the reviews of `log`: its days run from its earliest review to its latest.
  init(clock: DayClock, log: EventColumns) {
    self.clock = clock
    var earliest = Int64.max
    var latest = Int64.min
    if let review = log.kinds.firstIndex(of: .review) {
      for (index, kind) in log.kindNumbers.enumerated() where Int(kind) == review {
        earliest = min(earliest, log.times[index])
        latest = max(latest, log.times[index])
      }
    }
    builder = DailyReviewTally.Builder(
      starts: earliest > latest
        ? [] : clock.dayStarts(from: Timestamp(milliseconds: earliest), through: Timestamp(milliseconds: latest)))
  }

  /// A tallier for a few reviews, each day found with the calendar.
  init(clock: DayClock) {
    self.clock = clock
    builder = DailyReviewTally.Builder(starts: [])
  }

  /// The day start of `time`.
  mutating func dayStart(of time: Timestamp) -> Timestamp {
    if let lastDay, lastDay.contains(time) { return lastDay.lowerBound }
    let start = clock.dayStart(containing: time)
    let end = clock.nextDayStart(after: start)
    if start <= time && time < end { lastDay = start..<end }
    return start
  }

  /// What one standing review of a card whose schedule before it was `before` (nil: new) counts.
  mutating func review(
    time: Timestamp, rating: Rating, durationMilliseconds: Int64, before: CardSchedule?
  ) -> DailyReviewTally.Review {
    DailyReviewTally.Review(
      dayStart: dayStart(of: time), rating: rating, durationMilliseconds: durationMilliseconds, before: before)
  }

  /// Counts a review as a replay hands it over.
  mutating func add(_ seen: CollectionReplay.ReviewSeen) {
    if builder.add(
      time: seen.time, rating: seen.rating, durationMilliseconds: seen.durationMilliseconds, before: seen.before)
    {
      return
    }
    outside.add(
      DailyReviewTally.Review(
        dayStart: dayStart(of: seen.time), rating: seen.rating, durationMilliseconds: seen.durationMilliseconds,
        before: seen.before))
  }

  /// Every review counted.
  var tally: DailyReviewTally {
    var result = builder.tally
    result.merge(outside)
    return result
  }
}
