import EngramCore

/// Converts review-log lines to and from events, working on raw bytes for speed: the log can
/// hold millions of lines and is replayed on every start.
public enum ReviewLogParser {
  /// A parsed line.
  public enum Line {
    case event(ReviewEvent)
    case unreadable(line: Int, reason: String)
  }

  /// The log line (with its newline) for an event.
  public static func line(for event: ReviewEvent) -> String {
    var bytes: [UInt8] = []
    append(event, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the event's log line (with its newline) as UTF-8.
  public static func append(_ event: ReviewEvent, to bytes: inout [UInt8]) {
    ISO8601.append(event.time, to: &bytes)
    bytes.append(9)
    appendSanitized(event.card, to: &bytes)
    bytes.append(9)
    bytes.append(contentsOf: String(event.rating).utf8)
    bytes.append(9)
    bytes.append(contentsOf: String(event.durationMilliseconds).utf8)
    bytes.append(9)
    appendSanitized(event.kind.description, to: &bytes)
    bytes.append(10)
  }

  /// A field never contains the log's separators: tabs and line breaks become spaces.
  private static func appendSanitized(_ text: String, to bytes: inout [UInt8]) {
    for byte in text.utf8 { bytes.append(byte == 9 || byte == 10 || byte == 13 ? 32 : byte) }
  }

  /// Calls `handle` for every non-comment line of `bytes`, in order. Only complete lines
  /// (ending in a newline) are parsed; a caller repairs a torn tail before.
  ///
  /// - Parameter firstLine: the line number of the first byte, for messages; the column
  ///   header is recognised only within the first three lines of the file.
  public static func parse(_ bytes: [UInt8], firstLine: Int = 1, handle: (Line) -> Void) {
    bytes.withUnsafeBufferPointer { buffer in
      let count = buffer.count
      var start = 0
      var lineNumber = firstLine - 1
      var kinds: [String: ReviewEvent.Kind] = [:]
      while start < count {
        lineNumber += 1
        var end = start
        while end < count && buffer[end] != 10 { end += 1 }
        if end == count { break }  // no newline: not a complete line
        defer { start = end + 1 }
        var lineEnd = end
        if lineEnd > start && buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
        if lineEnd == start || buffer[start] == 35 { continue }  // blank or '#'
        // Split into five tab-separated fields.
        var fields: [(Int, Int)] = []
        fields.reserveCapacity(5)
        var fieldStart = start
        for index in start..<lineEnd where buffer[index] == 9 {
          fields.append((fieldStart, index))
          fieldStart = index + 1
        }
        fields.append((fieldStart, lineEnd))
        func slice(_ field: (Int, Int)) -> UnsafeBufferPointer<UInt8> {
          UnsafeBufferPointer(rebasing: buffer[field.0..<field.1])
        }
        if lineNumber <= 3, fields.count == 5,
          String(decoding: slice(fields[0]), as: UTF8.self) == "time"
        {
          continue  // column header
        }
        guard fields.count == 5 else {
          handle(.unreadable(line: lineNumber, reason: "expected 5 tab-separated fields, found \(fields.count)"))
          continue
        }
        guard let time = ISO8601.parse(bytes: slice(fields[0])) else {
          handle(.unreadable(line: lineNumber, reason: "bad time"))
          continue
        }
        guard let rating = integer(slice(fields[2])), let duration = integer(slice(fields[3])) else {
          handle(.unreadable(line: lineNumber, reason: "rating and duration_ms must be integers"))
          continue
        }
        guard fields[1].1 > fields[1].0,
          let card = String(validating: slice(fields[1]), as: UTF8.self)
        else {
          handle(.unreadable(line: lineNumber, reason: "empty or non-UTF-8 card key"))
          continue
        }
        let kindText = String(decoding: slice(fields[4]), as: UTF8.self)
        let kind: ReviewEvent.Kind
        if let known = kinds[kindText] {
          kind = known
        } else {
          kind = ReviewEvent.Kind(kindText)
          kinds[kindText] = kind
        }
        handle(
          .event(
            ReviewEvent(
              time: time, card: card, rating: Int(rating), durationMilliseconds: duration, kind: kind)))
      }
    }
  }

  private static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard !bytes.isEmpty else { return nil }
    var value: Int64 = 0
    var negative = false
    for (index, byte) in bytes.enumerated() {
      if index == 0 && byte == 45 {
        negative = true
        continue
      }
      guard byte >= 48 && byte <= 57 else { return nil }
      value = value &* 10 &+ Int64(byte - 48)
    }
    if negative && bytes.count == 1 { return nil }
    return negative ? -value : value
  }
}
