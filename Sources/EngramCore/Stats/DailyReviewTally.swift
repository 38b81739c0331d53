/// Standing reviews summed per study day: everything `stats` shows about reviews (the heatmap,
/// streaks, today's figures, young and mature retention over any window of days) is a sum over
/// reviews grouped by the day they fall on, so this small value (one entry per day with
/// reviews) answers it for any "now" without the reviews themselves. The snapshot keeps it
/// beside the records, so `stats` does not replay a million reviews to count them again.
///
/// Days are named by the instant they start (the edge computes it from the time zone and
/// `day_starts_at`, which the snapshot is bound to); the sums are exact integers, so adding a
/// review and removing it again (an undo) gives back the same value.
public struct DailyReviewTally: Sendable, Equatable {
  /// What one day's reviews add up to.
  public struct Day: Sendable, Equatable {
    public var reviews = 0
    public var again = 0
    public var milliseconds: Int64 = 0
    /// Reviews of cards that were new (introductions).
    public var introduced = 0
    /// Reviews of cards in review with an interval under 21 days: passed (not "again"), all.
    public var youngPassed = 0
    public var youngTotal = 0
    /// The same for mature cards (an interval of at least 21 days, Anki's rule).
    public var maturePassed = 0
    public var matureTotal = 0

    public init(
      reviews: Int = 0, again: Int = 0, milliseconds: Int64 = 0, introduced: Int = 0, youngPassed: Int = 0,
      youngTotal: Int = 0, maturePassed: Int = 0, matureTotal: Int = 0
    ) {
      self.reviews = reviews
      self.again = again
      self.milliseconds = milliseconds
      self.introduced = introduced
      self.youngPassed = youngPassed
      self.youngTotal = youngTotal
      self.maturePassed = maturePassed
      self.matureTotal = matureTotal
    }

    /// Adds (`sign` 1) or takes away (`sign` -1) one review's share.
    mutating func count(_ review: Review, sign: Int) {
      reviews += sign
      if review.rating == .again { again += sign }
      milliseconds += Int64(sign) * review.durationMilliseconds
      if review.phaseBefore == nil { introduced += sign }
      guard review.phaseBefore == .review else { return }
      let passed = review.rating != .again ? sign : 0
      if review.isMature {
        maturePassed += passed
        matureTotal += sign
      } else {
        youngPassed += passed
        youngTotal += sign
      }
    }

    mutating func merge(_ other: Day) {
      reviews += other.reviews
      again += other.again
      milliseconds += other.milliseconds
      introduced += other.introduced
      youngPassed += other.youngPassed
      youngTotal += other.youngTotal
      maturePassed += other.maturePassed
      matureTotal += other.matureTotal
    }
  }

  /// One standing review as the tally counts it.
  public struct Review: Sendable, Equatable {
    /// The start of the study day it falls on.
    public var dayStart: Timestamp
    public var rating: Rating
    public var durationMilliseconds: Int64
    /// The card's phase before the review; nil when it was new.
    public var phaseBefore: Phase?
    /// The interval (days) the card had before the review, for a card in review.
    public var intervalBefore: Double?

    public init(
      dayStart: Timestamp, rating: Rating, durationMilliseconds: Int64, phaseBefore: Phase?, intervalBefore: Double?
    ) {
      self.dayStart = dayStart
      self.rating = rating
      self.durationMilliseconds = durationMilliseconds
      self.phaseBefore = phaseBefore
      self.intervalBefore = intervalBefore
    }

    /// The review of a card whose schedule before it was `before` (nil: new), on the day
    /// starting at `dayStart`: the same figures a replay hands over (`CollectionReplay.ReviewSeen`).
    public init(dayStart: Timestamp, rating: Rating, durationMilliseconds: Int64, before: CardSchedule?) {
      self.init(
        dayStart: dayStart, rating: rating, durationMilliseconds: durationMilliseconds, phaseBefore: before?.phase,
        intervalBefore: before.flatMap { schedule -> Double? in
          schedule.phase == .review ? Double((schedule.due - schedule.lastReview).milliseconds) / 86_400_000 : nil
        })
    }

    /// Anki's "mature": an interval of at least 21 days.
    var isMature: Bool { (intervalBefore ?? 0) >= 21 }
  }

  /// Starts of the days with reviews, increasing; `days[i]` is what day `starts[i]` adds up to.
  public private(set) var starts: [Timestamp] = []
  public private(set) var days: [Day] = []
  /// The entry the last review went to: reviews come in runs on one day.
  private var last = 0

  public init() {}

  /// A tally read back (from the snapshot); nil unless the starts increase, the two lists match
  /// and every day has reviews (as a tally built review by review has).
  public init?(starts: [Timestamp], days: [Day]) {
    guard starts.count == days.count, zip(starts, starts.dropFirst()).allSatisfy({ $0 < $1 }),
      days.allSatisfy({ $0.reviews > 0 })
    else { return nil }
    self.starts = starts
    self.days = days
  }

  public static func == (a: DailyReviewTally, b: DailyReviewTally) -> Bool {
    a.starts == b.starts && a.days == b.days
  }

  /// Whether no review is counted.
  public var isEmpty: Bool { starts.isEmpty }

  /// Counts one standing review.
  public mutating func add(_ review: Review) {
    let index = entry(for: review.dayStart)
    days[index].count(review, sign: 1)
  }

  /// Takes back a review counted before (an undo): the tally is then what it would be had the
  /// review never been counted. False (the tally unchanged) when no such review is counted on
  /// its day, which says the tally did not follow the reviews.
  @discardableResult
  public mutating func remove(_ review: Review) -> Bool {
    guard let index = starts.firstIndex(of: review.dayStart) else { return false }
    var day = days[index]
    day.count(review, sign: -1)
    let counts = [
      day.reviews, day.again, day.introduced, day.youngPassed, day.youngTotal, day.maturePassed, day.matureTotal,
    ]
    guard counts.allSatisfy({ $0 >= 0 }) else { return false }
    if day.reviews == 0 {
      starts.remove(at: index)
      days.remove(at: index)
      last = 0
    } else {
      days[index] = day
    }
    return true
  }

  /// Adds another tally's days to this one.
  public mutating func merge(_ other: DailyReviewTally) {
    for (start, day) in zip(other.starts, other.days) {
      let index = entry(for: start)
      days[index].merge(day)
    }
  }

  /// The index of day `start`'s entry, made (empty) when there is none.
  private mutating func entry(for start: Timestamp) -> Int {
    if last < starts.count, starts[last] == start { return last }
    var low = 0
    var high = starts.count
    while low < high {
      let middle = (low + high) / 2
      if starts[middle] < start { low = middle + 1 } else { high = middle }
    }
    if low == starts.count || starts[low] != start {
      starts.insert(start, at: low)
      days.insert(Day(), at: low)
    }
    last = low
    return low
  }

  /// Tallies many reviews over known day boundaries without a search per review: a full replay
  /// hands a million reviews over, most of them on the day of the one before.
  public struct Builder: Sendable {
    /// Day starts in increasing order; the last one only closes the range.
    private let starts: [Timestamp]
    private var days: [Day]
    private var lastDay = -1

    public init(starts: [Timestamp]) {
      self.starts = starts
      days = [Day](repeating: Day(), count: max(0, starts.count - 1))
    }

    /// Counts a review at `time`; false (nothing counted) when `time` is outside the days given.
    public mutating func add(
      time: Timestamp, rating: Rating, durationMilliseconds: Int64, before: CardSchedule?
    ) -> Bool {
      var day = lastDay
      if !(day >= 0 && starts[day] <= time && time < starts[day + 1]) {
        guard let first = starts.first, time >= first, let lastStart = starts.last, time < lastStart else {
          return false
        }
        var low = 0
        var high = starts.count - 2
        while low < high {
          let middle = (low + high + 1) / 2
          if starts[middle] <= time { low = middle } else { high = middle - 1 }
        }
        day = low
        lastDay = low
      }
      days[day].count(
        Review(dayStart: starts[day], rating: rating, durationMilliseconds: durationMilliseconds, before: before),
        sign: 1)
      return true
    }

    /// The days with reviews.
    public var tally: DailyReviewTally {
      var result = DailyReviewTally()
      for (index, day) in days.enumerated() where day.reviews > 0 {
        result.starts.append(starts[index])
        result.days.append(day)
      }
      return result
    }
  }
}
