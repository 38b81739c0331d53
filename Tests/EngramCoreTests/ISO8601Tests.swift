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
}
