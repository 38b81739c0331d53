/// Formats and parses the UTC timestamps of the review log (`2026-11-25T03:12:45.120Z`).
///
/// Hand-written rather than Foundation's formatter: the log can hold a million lines and
/// replaying it must stay fast; this is plain integer arithmetic on the civil calendar.
public enum ISO8601 {
  /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC.
  public static func format(_ time: Timestamp) -> String {
    // Written as bytes for the years `append` writes itself (`state --json` formats two
    // times for each of 100,000 cards; joining padded pieces was a sixth of it).
    let year = civil(fromDays: parts(time).days).year
    if (0...9999).contains(year) {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(24)
      append(time, to: &bytes)
      return String(decoding: bytes, as: UTF8.self)
    }
    let (date, milliseconds) = split(time)
    return date + "." + pad(Int(milliseconds), 3) + "Z"
  }

  /// Appends `format(time)` as UTF-8 to `bytes`, without building strings: the review log
  /// writes a million of these when an Anki history is imported.
  public static func append(_ time: Timestamp, to bytes: inout [UInt8]) {
    let (days, secondOfDay, millis) = parts(time)
    let (year, month, day) = civil(fromDays: days)
    guard (0...9999).contains(year) else {
      bytes.append(contentsOf: format(time).utf8)
      return
    }
    // Filled on the stack and appended at once: a million log lines are written this way.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { text in
      func digits(_ value: Int64, _ width: Int, at end: Int) {
        var rest = value
        for index in stride(from: end - 1, through: end - width, by: -1) {
          text[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
          rest /= 10
        }
      }
      digits(year, 4, at: 4)
      text[4] = 45  // -
      digits(Int64(month), 2, at: 7)
      text[7] = 45
      digits(Int64(day), 2, at: 10)
      text[10] = 84  // T
      digits(secondOfDay / 3600, 2, at: 13)
      text[13] = 58  // :
      digits(secondOfDay / 60 % 60, 2, at: 16)
      text[16] = 58
      digits(secondOfDay % 60, 2, at: 19)
      text[19] = 46  // .
      digits(millis, 3, at: 23)
      text[23] = 90  // Z
      bytes.append(contentsOf: UnsafeBufferPointer(text))
    }
  }

  /// `YYYY-MM-DDTHH:MM:SSZ` in UTC, without milliseconds.
  public static func formatSeconds(_ time: Timestamp) -> String {
    split(time).0 + "Z"
  }

  /// Days since the epoch, second of the day and millisecond, flooring for times before 1970.
  private static func parts(_ time: Timestamp) -> (days: Int64, secondOfDay: Int64, milliseconds: Int64) {
    var millis = time.milliseconds % 1000
    var seconds = time.milliseconds / 1000
    if millis < 0 {
      millis += 1000
      seconds -= 1
    }
    var days = seconds / 86_400
    var secondOfDay = seconds % 86_400
    if secondOfDay < 0 {
      secondOfDay += 86_400
      days -= 1
    }
    return (days, secondOfDay, millis)
  }

  private static func split(_ time: Timestamp) -> (String, Int64) {
    let (days, secondOfDay, millis) = parts(time)
    let (year, month, day) = civil(fromDays: days)
    let text =
      pad(Int(year), 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
      + pad(Int(secondOfDay / 3600), 2) + ":" + pad(Int(secondOfDay / 60 % 60), 2) + ":"
      + pad(Int(secondOfDay % 60), 2)
    return (text, millis)
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (also `+00:00`); returns nil for anything else.
  public static func parse(_ text: String) -> Timestamp? {
    var copy = text
    return copy.withUTF8 { parse(bytes: $0) }
  }

  /// Parses the same forms from UTF-8 bytes, without building a `String`.
  public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
    let count = bytes.count
    guard count >= 20 else { return nil }
    func digits(_ start: Int, _ length: Int) -> Int64? { ISO8601.digits(bytes, start, length) }
    guard bytes[10] == 84 || bytes[10] == 32, bytes[13] == 58, bytes[16] == 58, let days = date(bytes),
      let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2), hour < 24, minute < 60,
      second < 60
    else { return nil }
    var index = 19
    var millis: Int64 = 0
    if bytes[index] == 46 {  // '.'
      index += 1
      var scale: Int64 = 100
      var sawDigit = false
      while index < count, bytes[index] >= 48, bytes[index] <= 57 {
        millis += Int64(bytes[index] - 48) * scale
        scale /= 10
        index += 1
        sawDigit = true
      }
      guard sawDigit else { return nil }
    }
    guard index < count else { return nil }
    if bytes[index] == 90 {  // 'Z'
      index += 1
    } else if bytes[index] == 43, count - index == 6, bytes[index + 1] == 48, bytes[index + 2] == 48,
      bytes[index + 3] == 58, bytes[index + 4] == 48, bytes[index + 5] == 48
    {
      index += 6
    } else {
      return nil
    }
    guard index == count else { return nil }
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
    return Timestamp(milliseconds: seconds * 1000 + millis)
  }

  /// Days since 1970-01-01 of the `YYYY-MM-DD` that `bytes` (at least ten) start with; nil
  /// unless it is a real date.
  private static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    func digits(_ start: Int, _ length: Int) -> Int64? { ISO8601.digits(bytes, start, length) }
    guard bytes[4] == 45, bytes[7] == 45, let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
      (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: Int(month))
    else { return nil }
    return daysFromCivil(year: year, month: Int(month), day: Int(day))
  }

  /// The decimal number in `bytes[start..<start + length]`; nil unless all are digits.
  private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Int64? {
    var value: Int64 = 0
    for index in start..<(start + length) {
      let byte = bytes[index]
      guard byte >= 48 && byte <= 57 else { return nil }
      value = value * 10 + Int64(byte - 48)
    }
    return value
  }

  /// Parses a log's times one after another, as `parse(bytes:)` does, remembering the last
  /// date: nearly every line of a log shares its day with the line before, so for the form
  /// Engram writes (`YYYY-MM-DDTHH:MM:SS.mmmZ`) a date seen last time is matched as ten bytes
  /// and only the time of day is read, skipping the calendar arithmetic. Other forms, and a
  /// new date, go through `parse(bytes:)`'s checks.
  public struct Reader {
    /// The first eight and next two bytes of the last date read, and its day number; `known`
    /// is false until a date has been read (zero bytes are no date, but say so plainly).
    private var head: UInt64 = 0
    private var tail: UInt16 = 0
    private var days: Int64 = 0
    private var known = false

    public init() {}

    /// The time `bytes` spell, or nil: exactly what `ISO8601.parse(bytes:)` returns.
    @inline(__always)
    public mutating func parse(bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
      guard bytes.count == 24, let base = bytes.baseAddress, base[10] == 84, base[13] == 58, base[16] == 58,
        base[19] == 46, base[23] == 90
      else { return ISO8601.parse(bytes: bytes) }
      let raw = UnsafeRawPointer(base)
      let head = raw.loadUnaligned(as: UInt64.self)
      let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
      if !known || head != self.head || tail != self.tail {
        guard let days = ISO8601.date(bytes) else { return nil }
        (self.head, self.tail, self.days, known) = (head, tail, days, true)
      }
      // Each digit minus '0', wrapping: a byte that is no digit comes out above 9.
      @inline(__always) func digit(_ index: Int) -> UInt8 { base[index] &- 48 }
      let (h1, h2, m1, m2, s1, s2) = (digit(11), digit(12), digit(14), digit(15), digit(17), digit(18))
      let (f1, f2, f3) = (digit(20), digit(21), digit(22))
      guard max(max(max(h1, h2), max(m1, m2)), max(max(s1, s2), max(max(f1, f2), f3))) <= 9 else { return nil }
      let hour = Int64(h1) * 10 + Int64(h2)
      let minute = Int64(m1) * 10 + Int64(m2)
      let second = Int64(s1) * 10 + Int64(s2)
      guard hour < 24, minute < 60, second < 60 else { return nil }
      let millis = Int64(f1) * 100 + Int64(f2) * 10 + Int64(f3)
      return Timestamp(milliseconds: (days * 86_400 + hour * 3600 + minute * 60 + second) * 1000 + millis)
    }
  }

  /// The number of days in a month of the proleptic Gregorian calendar: `2026-02-31` is no date.
  public static func daysInMonth(year: Int64, month: Int) -> Int64 {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  public static func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = Int64(month)
    let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The civil date of a day count since 1970-01-01.
  public static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
    let month = Int(mp < 10 ? mp + 3 : mp - 9)
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }
}
