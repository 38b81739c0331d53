/// The study days around "today", as instants where each day starts, computed at the edge
/// (local time zone, `day_starts_at`) and handed to the core so statistics stay pure.
public struct StudyDays: Sendable, Equatable {
  /// Day starts in increasing order; `starts[todayIndex]` is the start of today.
  public let starts: [Timestamp]
  public let todayIndex: Int
  /// Local calendar date (YYYY-MM-DD) of each day, for labels.
  public let labels: [String]
  /// Weekday of each day, 0 = Monday ... 6 = Sunday.
  public let weekdays: [Int]

  public init(starts: [Timestamp], todayIndex: Int, labels: [String], weekdays: [Int]) {
    self.starts = starts
    self.todayIndex = todayIndex
    self.labels = labels
    self.weekdays = weekdays
  }

  /// The index of the day containing `time`, or nil when it is outside the range.
  public func index(of time: Timestamp) -> Int? {
    guard let first = starts.first, time >= first else { return nil }
    var low = 0
    var high = starts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if starts[middle] <= time { low = middle } else { high = middle - 1 }
    }
    // The last start bounds nothing: it is the end of the covered range.
    return low < starts.count - 1 ? low : nil
  }
}
