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
public struct LoadBalancer: Sendable, Equatable, IntervalPicker {
  /// Monday … Sunday: the share of a normal load each day may take (0…1).
  public let easyDays: [Double]
  /// Milliseconds added to a time before whole days are counted: the study day number of a
  /// time is `floor((ms + dayOffset) / 1 day)` (the local offset minus the rollover hour).
  public let dayOffset: Int64
  /// Review cards due per study day, for days `base…` (a dense array: a replay looks these up
  /// several times per review, and hashing day numbers cost more than the rest of the replay).
  private var base: Int64 = 0
  private var storage: [Int32] = []
  /// `(share / (due + 1))²` for the days with fewer than `tabulated` cards due, worked out
  /// once: row `rows[weekday]`, column `due` (weekdays of equal share share a row). A weight is
  /// then one division, not two, and the same bits.
  private let squares: [Double]
  private let rows: [Int]
  private static let tabulated = 512

  public init(easyDays: [Double] = Array(repeating: 1, count: 7), dayOffset: Int64 = 0) {
    self.easyDays = easyDays.count == 7 ? easyDays : Array(repeating: 1, count: 7)
    self.dayOffset = dayOffset
    var shares: [Double] = []
    var rows: [Int] = []
    var squares: [Double] = []
    for share in self.easyDays {
      if let row = shares.firstIndex(where: { $0.bitPattern == share.bitPattern }) {
        rows.append(row * LoadBalancer.tabulated)
        continue
      }
      rows.append(squares.count)
      shares.append(share)
      for due in 0..<LoadBalancer.tabulated {
        let relative = share / Double(due + 1)
        squares.append(relative * relative)
      }
    }
    self.rows = rows
    self.squares = squares
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
  @inline(__always)
  public func countedDay(_ record: CardRecord) -> Int64? {
    guard !record.suspended, let schedule = record.schedule, schedule.phase == .review else { return nil }
    return day(of: schedule.due)
  }

  public mutating func add(_ record: CardRecord) {
    guard let day = countedDay(record) else { return }
    add(day: day)
  }

  /// Counts one more card due on `day`: `add` of a record whose `countedDay` it is (a replay
  /// reads the day in place rather than handing the record, 177 bytes, over).
  mutating func add(day: Int64) {
    if storage.isEmpty {
      base = day - 256
      storage = Array(repeating: 0, count: 1024)
    }
    if day < base {
      let grow = Int(max(base - day, Int64(storage.count)))
      storage.insert(contentsOf: repeatElement(0, count: grow), at: 0)
      base -= Int64(grow)
    } else if day - base >= Int64(storage.count) {
      let grow = Int(max(day - base - Int64(storage.count) + 1, Int64(storage.count)))
      storage.append(contentsOf: repeatElement(0, count: grow))
    }
    storage[Int(day - base)] += 1
  }

  public mutating func remove(_ record: CardRecord) {
    guard let day = countedDay(record) else { return }
    remove(day: day)
  }

  /// Counts one card fewer due on `day` (none below 0): `remove` by the record's day.
  @inline(__always)
  mutating func remove(day: Int64) {
    guard due(onDay: day) > 0 else { return }
    storage[Int(day - base)] -= 1
  }

  /// Cards due on study day `day`.
  public func due(onDay day: Int64) -> Int {
    let index = day - base
    return index >= 0 && index < Int64(storage.count) ? Int(storage[Int(index)]) : 0
  }

  /// Equal settings and equal counts on every day (however the storage grew).
  public static func == (a: LoadBalancer, b: LoadBalancer) -> Bool {
    guard a.easyDays == b.easyDays, a.dayOffset == b.dayOffset else { return false }
    var day = min(a.base, b.base)
    let end = max(a.base + Int64(a.storage.count), b.base + Int64(b.storage.count))
    while day < end {
      if a.due(onDay: day) != b.due(onDay: day) { return false }
      day += 1
    }
    return true
  }

  /// The interval in days to use, from `range`, for a review at `reviewTime`; nil when every
  /// day in the range has weight 0.
  @inline(__always)
  func interval(in range: ClosedRange<Int>, reviewTime: Timestamp, draw: Double) -> Int? {
    interval(in: range, reviewDay: day(of: reviewTime), draw: draw)
  }

  /// The interval in days to use, from `range`, for a review on study day `reviewDay`; nil when
  /// every day in the range has weight 0.
  public func interval(in range: ClosedRange<Int>, reviewDay: Int64, draw: Double) -> Int? {
    // The weights are worked out once into stack memory and read twice (total, then the
    // draw): this runs once per review in a replay. The counts, the table and the rows are read
    // through their buffers: a day's weight is then two loads and a division, with no bounds
    // check or call per day (a range is tens of days wide for intervals of months).
    withUnsafeTemporaryAllocation(of: Double.self, capacity: range.count) { weights in
      storage.withUnsafeBufferPointer { counts in
        squares.withUnsafeBufferPointer { squares in
          rows.withUnsafeBufferPointer { rows in
            var total = 0.0
            var lastWeighted: Int?
            // The weekday steps with the day rather than being worked out (two remainders) per day.
            var weekday = LoadBalancer.weekday(ofDay: reviewDay + Int64(range.lowerBound))
            // Where the range's first day is in the counts; days outside them have none due.
            let first = reviewDay + Int64(range.lowerBound) - base
            for offset in 0..<range.count {
              let days = range.lowerBound + offset
              let index = first + Int64(offset)
              let due = index >= 0 && index < Int64(counts.count) ? Int(counts[Int(index)]) : 0
              let squared: Double
              if due < LoadBalancer.tabulated {
                squared = squares[rows[weekday] + due]
              } else {
                let relative = easyDays[weekday] / Double(due + 1)
                squared = relative * relative
              }
              let value = squared / Double(max(days, 1))
              weights[offset] = value
              total += value
              if value > 0 { lastWeighted = days }
              weekday = weekday == 6 ? 0 : weekday + 1
            }
            guard total > 0, let lastWeighted else { return nil }
            var point = min(max(draw, 0), 1) * total
            for offset in 0..<range.count {
              let value = weights[offset]
              guard value > 0 else { continue }
              if point < value { return range.lowerBound + offset }
              point -= value
            }
            // Rounding left the point past the end: the last day with any weight.
            return lastWeighted
          }
        }
      }
    }
  }
}
