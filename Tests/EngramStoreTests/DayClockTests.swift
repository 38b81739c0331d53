import EngramCore
import Foundation
import Testing

@testable import EngramStore

@Suite struct DayClockTests {
  func at(_ text: String) -> Timestamp { ISO8601.parse(text)! }

  @Test func `the study day rolls over at day_starts_at local time`() throws {
    let clock = DayClock(dayStartsAt: 4, timeZone: try #require(TimeZone(identifier: "UTC")))
    #expect(clock.dayStart(containing: at("2026-03-10T03:59:00Z")) == at("2026-03-09T04:00:00Z"))
    #expect(clock.dayStart(containing: at("2026-03-10T04:00:00Z")) == at("2026-03-10T04:00:00Z"))
    #expect(clock.nextDayStart(after: at("2026-03-10T12:00:00Z")) == at("2026-03-11T04:00:00Z"))
  }

  @Test func `day starts over a range cover its first and last days and close the last`() throws {
    let clock = DayClock(dayStartsAt: 4, timeZone: try #require(TimeZone(identifier: "UTC")))
    let starts = clock.dayStarts(from: at("2026-03-10T03:00:00Z"), through: at("2026-03-12T05:00:00Z"))
    #expect(
      starts == ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"].map { at($0 + "T04:00:00Z") })
    // At most `limit` days: the latest ones.
    let limited = clock.dayStarts(from: at("2000-01-01T12:00:00Z"), through: at("2026-03-12T05:00:00Z"), limit: 2)
    #expect(limited == ["2026-03-11", "2026-03-12", "2026-03-13"].map { at($0 + "T04:00:00Z") })
  }

  @Test func `a day spanning a DST change in New York is 23 hours long`() throws {
    // 2026-03-08: clocks go from 02:00 EST to 03:00 EDT. 04:00 EST = 09:00Z; 04:00 EDT = 08:00Z.
    let clock = DayClock(dayStartsAt: 4, timeZone: try #require(TimeZone(identifier: "America/New_York")))
    let start = clock.dayStart(containing: at("2026-03-07T15:00:00Z"))
    #expect(start == at("2026-03-07T09:00:00Z"))
    #expect(clock.nextDayStart(after: start) == at("2026-03-08T08:00:00Z"))
    #expect(clock.dayLabel(containing: at("2026-03-08T07:30:00Z")) == "2026-03-07")
  }
}

@Suite struct StudyDaysClockTests {
  @Test func `study days across a DST change keep the local rollover hour`() throws {
    // Berlin: 2026-03-29 02:00 CET -> 03:00 CEST. Days start at 04:00 local.
    let clock = DayClock(dayStartsAt: 4, timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
    let days = clock.studyDays(around: ISO8601.parse("2026-03-30T12:00:00Z")!, past: 3, future: 1)
    #expect(days.labels[days.todayIndex] == "2026-03-30")
    #expect(days.starts[days.todayIndex] == ISO8601.parse("2026-03-30T02:00:00Z"))  // 04:00 CEST
    #expect(days.starts[days.todayIndex - 1] == ISO8601.parse("2026-03-29T02:00:00Z"))  // 04:00 CEST, after the switch
    #expect(days.starts[days.todayIndex - 2] == ISO8601.parse("2026-03-28T03:00:00Z"))  // 04:00 CET
    #expect(days.weekdays[days.todayIndex] == 0)  // a Monday
    #expect(days.index(of: ISO8601.parse("2026-03-29T01:30:00Z")!) == days.todayIndex - 2)
  }
}
