import EngramCore
import Foundation

/// Turns instants into study days: a day runs from `dayStartsAt` o'clock local time to the same
/// hour the next day, so reviews after midnight still count for the evening before.
///
/// Lives at the edge (it needs the time zone database); the core receives the resulting
/// `Timestamp`s.
public struct DayClock: Sendable {
  public let dayStartsAt: Int
  public let timeZone: TimeZone

  public init(dayStartsAt: Int, timeZone: TimeZone = .current) {
    self.dayStartsAt = dayStartsAt
    self.timeZone = timeZone
  }

  private var calendar: Calendar {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    return calendar
  }

  /// The start of the study day containing `time`.
  public func dayStart(containing time: Timestamp) -> Timestamp {
    let date = Date(timeIntervalSince1970: Double(time.milliseconds) / 1000)
    let calendar = self.calendar
    var components = calendar.dateComponents([.year, .month, .day, .hour], from: date)
    let beforeRollover = (components.hour ?? 0) < dayStartsAt
    components.hour = dayStartsAt
    components.minute = 0
    components.second = 0
    guard var start = calendar.date(from: components) else { return time }
    if beforeRollover || start > date {
      start = calendar.date(byAdding: .day, value: -1, to: start) ?? start
    }
    return Timestamp(milliseconds: Int64((start.timeIntervalSince1970 * 1000).rounded()))
  }

  /// The start of the study day after the one containing `time`.
  public func nextDayStart(after time: Timestamp) -> Timestamp {
    let start = dayStart(containing: time)
    let date = Date(timeIntervalSince1970: Double(start.milliseconds) / 1000)
    let next = calendar.date(byAdding: .day, value: 1, to: date) ?? date.addingTimeInterval(86_400)
    return Timestamp(milliseconds: Int64((next.timeIntervalSince1970 * 1000).rounded()))
  }

  /// The local calendar date (`YYYY-MM-DD`) of the study day containing `time`.
  public func dayLabel(containing time: Timestamp) -> String {
    let start = dayStart(containing: time)
    let date = Date(timeIntervalSince1970: Double(start.milliseconds) / 1000)
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
  }

  /// Local wall-clock `HH:MM` of an instant, for messages such as "next card at 14:05".
  public func clockText(_ time: Timestamp) -> String {
    let date = Date(timeIntervalSince1970: Double(time.milliseconds) / 1000)
    let parts = calendar.dateComponents([.hour, .minute], from: date)
    return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
  }

  /// Local `YYYY-MM-DD HH:MM` of an instant.
  public func dateTimeText(_ time: Timestamp) -> String {
    let date = Date(timeIntervalSince1970: Double(time.milliseconds) / 1000)
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    return String(
      format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
      parts.hour ?? 0, parts.minute ?? 0)
  }

  /// A number for the study day containing `time` (consecutive days differ by one), cheap
  /// enough to call for every review of a long history.
  public func dayNumber(of time: Timestamp) -> Int {
    let seconds = time.milliseconds / 1000
    let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
    let local = seconds + offset - Int64(dayStartsAt) * 3600
    return Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
  }

  /// The starts of the study days from the one containing `first` to the one containing
  /// `last`, with one more start closing the last day; at most `limit` days (the latest ones).
  public func dayStarts(from first: Timestamp, through last: Timestamp, limit: Int = 40_000) -> [Timestamp] {
    let (low, overflow) = last.milliseconds.subtractingReportingOverflow(Int64(max(0, limit - 1)) * 86_400_000)
    let earliest = overflow ? first : max(first, Timestamp(milliseconds: low))
    var starts = [dayStart(containing: earliest)]
    while let latest = starts.last, latest <= last, starts.count <= limit {
      let next = nextDayStart(after: latest)
      guard next > latest else { break }
      starts.append(next)
    }
    return starts
  }

  /// Study days from `past` days before the one containing `now` to `future` days after it,
  /// with one extra start closing the last day.
  public func studyDays(around now: Timestamp, past: Int, future: Int) -> StudyDays {
    let today = dayStart(containing: now)
    var starts = [today]
    var cursor = today
    for _ in 0..<past {
      cursor = dayStart(containing: cursor - Interval(milliseconds: 1))
      starts.insert(cursor, at: 0)
    }
    cursor = today
    for _ in 0...future {
      cursor = nextDayStart(after: cursor)
      starts.append(cursor)
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    var labels: [String] = []
    var weekdays: [Int] = []
    for start in starts {
      let date = Date(timeIntervalSince1970: Double(start.milliseconds) / 1000)
      let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
      labels.append(String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0))
      weekdays.append(((parts.weekday ?? 2) + 5) % 7)  // Calendar: 1 = Sunday; ours: 0 = Monday
    }
    return StudyDays(starts: starts, todayIndex: past, labels: labels, weekdays: weekdays)
  }
}
