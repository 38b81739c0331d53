import Testing

@testable import EngramCore

@Suite struct ISO8601Tests {
  @Test(arguments: [
    ("1970-01-01T00:00:00.000Z", Int64(0)),
    ("2026-11-25T03:12:45.120Z", Int64(1_795_576_365_120)),
    ("2000-02-29T23:59:59.999Z", Int64(951_868_799_999)),
    ("1969-12-31T23:59:59.000Z", Int64(-1000)),
  ])
  func `formats and parses known instants`(text: String, milliseconds: Int64) {
    #expect(ISO8601.parse(text) == Timestamp(milliseconds: milliseconds))
    #expect(ISO8601.format(Timestamp(milliseconds: milliseconds)) == text)
    var bytes: [UInt8] = Array("x".utf8)
    ISO8601.append(Timestamp(milliseconds: milliseconds), to: &bytes)
    #expect(bytes == Array(("x" + text).utf8))
  }

  @Test func `accepts whole seconds and a +00:00 offset`() {
    #expect(ISO8601.parse("2024-08-22T09:27:20Z") == ISO8601.parse("2024-08-22T09:27:20.000Z"))
    #expect(ISO8601.parse("2024-08-22T09:27:20+00:00") == ISO8601.parse("2024-08-22T09:27:20Z"))
  }

  @Test(arguments: [
    "", "2024-13-01T00:00:00Z", "2024-08-22 09:27", "2024-08-22T09:27:20", "2024-08-22T09:27:20.Z",
    "2024-08-22T09:27:20+01:00", "yesterday",
  ])
  func `rejects malformed times`(text: String) {
    #expect(ISO8601.parse(text) == nil)
  }

  @Test func `whole days floor like python timedelta days`() {
    let start = at("2026-01-01T12:00:00Z")
    #expect((start + .hours(47)).wholeDays(since: start) == 1)
    #expect((start - .hours(1)).wholeDays(since: start) == -1)
  }

  /// Lines in a row as a log has them: dates repeated and changed, each form `parse` reads,
  /// and near misses in every field, including a bad date repeated and a bad time after a
  /// good one of the same date.
  static let sequence = [
    "2024-02-28T23:59:59.999Z", "2024-02-29T00:00:00.000Z", "2024-02-29T12:30:45.123Z", "2024-02-29T24:00:00.000Z",
    "2024-02-29T12:60:00.000Z", "2024-02-29T12:00:60.000Z", "2024-02-29T1a:00:00.000Z", "2024-02-29T12:00:00.0a0Z",
    "2024-02-29T12:00:00.000+", "2024-02-29T12-00:00.000Z", "2024-02-29T12:00-00.000Z", "2024-02-29T12:00:00,000Z",
    "2024-02-29 12:00:00.000Z", "2024-02-29T12:00:00Z", "2024-02-29T12:00:00.5Z", "2024-02-29T12:00:00.000+00:00",
    "2023-02-29T12:00:00.000Z", "2023-02-29T12:00:00.000Z", "2023-02-28T12:00:00.000Z", "2023-13-01T00:00:00.000Z",
    "2023-00-01T00:00:00.000Z", "2023-01-00T00:00:00.000Z", "2023-01-32T00:00:00.000Z", "2023/01/01T00:00:00.000Z",
    "0000-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z", "2023-01-01T00:00:00.000Z",
    "2023-01-01T00:00:00.0000", "2023-01-01T00:00:00.000ZZ", "2023-01-01T00:00:00.000Z",
  ]

  @Test func `the reader that remembers the date parses every line as parse does`() {
    var reader = ISO8601.Reader()
    for text in ISO8601Tests.sequence {
      var copy = text
      let read = copy.withUTF8 { reader.parse(bytes: $0) }
      #expect(read == ISO8601.parse(text), "\(text)")
    }
    #expect(ISO8601Tests.sequence.filter { ISO8601.parse($0) != nil }.count == 13)
  }
}
