/// An instant, as whole milliseconds since 1970-01-01T00:00:00Z.
///
/// The core never reads a clock: callers pass `Timestamp`s in. Milliseconds match the review
/// log's precision, and an integer keeps replays exact and cheap.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Milliseconds since the Unix epoch (negative before it).
  public var milliseconds: Int64

  public init(milliseconds: Int64) { self.milliseconds = milliseconds }

  /// An instant from whole seconds since the epoch.
  public init(seconds: Int64) { self.milliseconds = seconds * 1000 }

  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

  /// The instant `interval` later.
  public static func + (lhs: Timestamp, rhs: Interval) -> Timestamp {
    Timestamp(milliseconds: lhs.milliseconds + rhs.milliseconds)
  }

  /// The instant `interval` earlier.
  public static func - (lhs: Timestamp, rhs: Interval) -> Timestamp {
    Timestamp(milliseconds: lhs.milliseconds - rhs.milliseconds)
  }

  /// The interval from `rhs` to `lhs`.
  public static func - (lhs: Timestamp, rhs: Timestamp) -> Interval {
    Interval(milliseconds: lhs.milliseconds - rhs.milliseconds)
  }

  /// Whole 24-hour periods from `earlier` to this instant, floored as Python's `timedelta.days`.
  public func wholeDays(since earlier: Timestamp) -> Int64 {
    let difference = milliseconds - earlier.milliseconds
    return difference >= 0
      ? difference / Interval.day.milliseconds
      : -((-difference + Interval.day.milliseconds - 1) / Interval.day.milliseconds)
  }

  public var description: String { ISO8601.format(self) }
}

/// A signed length of time in milliseconds.
public struct Interval: Hashable, Comparable, Sendable {
  public var milliseconds: Int64

  public init(milliseconds: Int64) { self.milliseconds = milliseconds }

  public static func seconds(_ value: Int64) -> Interval { Interval(milliseconds: value * 1000) }
  public static func minutes(_ value: Int64) -> Interval { Interval(milliseconds: value * 60_000) }
  public static func hours(_ value: Int64) -> Interval { Interval(milliseconds: value * 3_600_000) }
  public static func days(_ value: Int64) -> Interval { Interval(milliseconds: value * 86_400_000) }
  public static let day = Interval(milliseconds: 86_400_000)

  public static func < (lhs: Interval, rhs: Interval) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
