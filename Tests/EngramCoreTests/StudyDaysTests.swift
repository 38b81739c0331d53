import EngramCore
import Testing

@Suite struct StudyDaysTests {
  /// Three days starting at 04:00 UTC, the last start closing the range.
  let days = StudyDays(
    starts: [
      Timestamp(seconds: 1_764_475_200), Timestamp(seconds: 1_764_561_600), Timestamp(seconds: 1_764_648_000),
      Timestamp(seconds: 1_764_734_400),
    ],
    todayIndex: 1, labels: ["2025-11-30", "2025-12-01", "2025-12-02", "2025-12-03"], weekdays: [6, 0, 1, 2])

  @Test func `a time is in the day whose start is the latest at or before it`() {
    #expect(days.index(of: Timestamp(seconds: 1_764_475_200)) == 0)
    #expect(days.index(of: Timestamp(seconds: 1_764_561_599)) == 0)
    #expect(days.index(of: Timestamp(seconds: 1_764_561_600)) == 1)
    #expect(days.index(of: Timestamp(seconds: 1_764_700_000)) == 2)
  }

  @Test func `times before the first start or at and after the closing start are outside`() {
    #expect(days.index(of: Timestamp(seconds: 1_764_475_199)) == nil)
    #expect(days.index(of: Timestamp(seconds: 1_764_734_400)) == nil)
    #expect(days.index(of: Timestamp(seconds: 1_900_000_000)) == nil)
  }

  @Test func `no days hold nothing`() {
    let empty = StudyDays(starts: [], todayIndex: 0, labels: [], weekdays: [])
    #expect(empty.index(of: Timestamp(seconds: 0)) == nil)
    let one = StudyDays(starts: [Timestamp(seconds: 10)], todayIndex: 0, labels: ["x"], weekdays: [0])
    #expect(one.index(of: Timestamp(seconds: 10)) == nil)
  }
}
