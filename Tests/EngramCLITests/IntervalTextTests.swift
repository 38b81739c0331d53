import EngramCLI
import EngramCore
import Testing

@Suite struct IntervalTextTests {
  @Test(
    arguments: [
      (Interval.seconds(45), "45s"), (.minutes(10), "10m"), (.hours(5), "5h"), (.days(12), "12d"),
      (.days(91), "3mo"), (.days(100), "3.3mo"), (.days(400), "1.1y"), (.days(730), "2y"),
    ] as [(Interval, String)])
  func `waits read as short text`(interval: Interval, text: String) {
    #expect(IntervalText.format(interval) == text)
  }

  @Test(
    arguments: [
      (Int64(59_700), "1m"), (59_400, "59s"), ((59 * 60 + 45) * 1_000, "1h"), ((23 * 60 + 40) * 60_000, "1d"),
      (23 * 3_600_000, "23h"), ((29 * 24 + 14) * 3_600_000, "1mo"), (29 * 86_400_000, "29d"),
    ] as [(Int64, String)])
  func `a count that rounds up to the next unit is shown in that unit`(milliseconds: Int64, text: String) {
    #expect(IntervalText.format(Interval(milliseconds: milliseconds)) == text)
  }

  @Test func `a negative wait reads as zero seconds`() {
    #expect(IntervalText.format(Interval(milliseconds: -5_000)) == "0s")
  }

  @Test(
    arguments: [
      (Int64(0), "0s"), (59_999, "59s"), (60_000, "1m 0s"), (252_000, "4m 12s"), (3_600_000, "1h 0m"),
      (5_430_000, "1h 30m"), (-1, "0s"),
    ] as [(Int64, String)])
  func `time spent reads in the two largest units`(milliseconds: Int64, text: String) {
    #expect(IntervalText.spent(milliseconds: milliseconds) == text)
  }
}
