import Testing

@testable import EngramCore

/// Statistics from hand-built facts and records, with answers worked out by hand.
@Suite struct StatisticsTests {
  /// UTC study days starting 04:00, from 2026-01-01 to 2026-03-03; today is 2026-01-31.
  let days: StudyDays = {
    let first = at("2026-01-01T04:00:00Z")
    let starts = (0...62).map { first + .days(Int64($0)) }
    let labels = starts.map { String(ISO8601.format($0).prefix(10)) }
    // 2026-01-01 was a Thursday (Monday = 0).
    let weekdays = (0...62).map { ($0 + 3) % 7 }
    return StudyDays(starts: starts, todayIndex: 30, labels: labels, weekdays: weekdays)
  }()
  let now = at("2026-01-31T12:00:00Z")
  let scheduler = Scheduler(settings: plainSettings)

  func fact(_ card: String, _ time: String, _ rating: Rating, _ phase: Phase?, _ interval: Double?, ms: Int64 = 1000)
    -> ReviewFact
  {
    ReviewFact(
      card: card, time: at(time), rating: rating, durationMilliseconds: ms, phaseBefore: phase, intervalBefore: interval
    )
  }

  func record(due: String, difficulty: Double, phase: Phase = .review, lapses: Int = 0, suspended: Bool = false)
    -> CardRecord
  {
    var record = CardRecord()
    record.schedule = CardSchedule(
      phase: phase, step: phase == .review ? nil : 0, stability: 10, difficulty: difficulty, due: at(due),
      lastReview: at("2026-01-25T10:00:00Z"))
    record.lapses = lapses
    record.suspended = suspended
    return record
  }

  var stats: Statistics {
    let facts = [
      fact("d/a", "2026-01-29T10:00:00Z", .good, .review, 5),
      fact("d/a", "2026-01-30T10:00:00Z", .again, .review, 30),
      fact("d/b", "2026-01-31T05:00:00Z", .again, .review, 3, ms: 2000),
      fact("d/c", "2026-01-31T06:00:00Z", .good, nil, nil, ms: 3000),
      fact("d/c", "2026-01-20T06:00:00Z", .hard, .learning, nil),
      fact("d/d", "2026-01-31T03:59:00Z", .good, .review, 25),  // before 04:00: yesterday's study day
    ]
    let records = [
      "d/x": record(due: "2026-01-30T12:00:00Z", difficulty: 1.0),  // overdue
      "d/y": record(due: "2026-02-02T05:00:00Z", difficulty: 5.5),  // today + 2
      "d/z": record(due: "2026-01-31T20:00:00Z", difficulty: 10, phase: .learning),  // today
      "d/w": record(due: "2026-01-31T20:00:00Z", difficulty: 3, suspended: true),
      "d/v": record(due: "2026-06-01T05:00:00Z", difficulty: 9.2, phase: .relearning, lapses: 9),
    ]
    let deck = DeckSummary(id: "d", title: "D", cardKeys: ["d/x", "d/y", "d/z", "d/w", "d/v", "d/n"])
    return Statistics.compute(facts: facts, records: records, decks: [deck], days: days, now: now, scheduler: scheduler)
  }

  @Test func `today counts reviews since the rollover, agains, time and introductions`() {
    #expect(stats.today == Statistics.Today(reviewed: 2, again: 1, milliseconds: 5000, introduced: 1))
  }

  @Test func `streaks count consecutive study days, not calendar days`() {
    #expect(stats.currentStreak == 3)  // Jan 29, 30 (incl. 03:59 on the 31st), 31
    #expect(stats.longestStreak == 3)
  }

  @Test func `the heatmap buckets reviews by study day`() {
    let heatmap = stats.heatmap
    #expect(heatmap.count == 31)  // only 31 days exist before and including today
    #expect(heatmap[19] == 1)  // Jan 20
    #expect(heatmap[28] == 1)  // Jan 29
    #expect(heatmap[29] == 2)  // Jan 30 and the 03:59 review
    #expect(heatmap[30] == 2)  // today
    #expect(heatmap.reduce(0, +) == 6)
  }

  @Test func `true retention splits young and mature review-card reviews`() {
    for (_, value) in stats.retention {
      #expect(value.young == (1, 2))
      #expect(value.mature == (1, 2))
    }
    #expect(stats.retention.map(\.days) == [7, 30, 365])
  }

  @Test func `the forecast puts the backlog in today's bar and skips suspended cards`() {
    #expect(stats.overdue == 1)
    #expect(stats.forecast.count == 30)
    #expect(stats.forecast[0] == 2)
    #expect(stats.forecast[2] == 1)
    #expect(stats.forecast.reduce(0, +) == 3)
  }

  @Test func `difficulty, states, weakest and leeches`() {
    #expect(stats.difficulty == [1, 0, 0, 0, 1, 0, 0, 0, 2])
    #expect(
      stats.deckStates == [
        Statistics.DeckStates(deck: "d", new: 1, learning: 1, review: 2, relearning: 1, suspended: 1)
      ])
    // Every record was last reviewed 6 days before now with a stability of 10 days: recall is
    // above 90% (it is exactly 90% after 10 days), the desired retention, so none is weak.
    #expect(stats.weakest.isEmpty)
    #expect(stats.leeches.map(\.card) == ["d/v"])
  }

  @Test func `weakest cards are reviewed cards below desired retention, lowest recall first`() {
    func reviewed(_ last: String, lapses: Int = 0) -> CardRecord {
      var record = CardRecord()
      record.schedule = CardSchedule(
        phase: .review, step: nil, stability: 10, difficulty: 5, due: at(last) + .days(10), lastReview: at(last))
      record.lapses = lapses
      return record
    }
    var quizzedOnly = CardRecord()
    quizzedOnly.quizTotal = 3
    let records = [
      "d/old": reviewed("2025-12-01T12:00:00Z"),  // 61 days with stability 10: far below 90%
      "d/older": reviewed("2025-10-01T12:00:00Z"),  // lower still
      "d/recent": reviewed("2026-01-22T12:00:00Z"),  // 9 days of 10: above 90%
      "d/fresh": reviewed("2026-01-30T12:00:00Z", lapses: 9),  // a leech, but well remembered now
      "d/quiz": quizzedOnly,  // never reviewed
    ]
    let deck = DeckSummary(id: "d", title: "D", cardKeys: records.keys.sorted())
    let stats = Statistics.compute(
      facts: [], records: records, decks: [deck], days: days, now: now, scheduler: scheduler)
    #expect(stats.weakest.map(\.card) == ["d/older", "d/old"])
    #expect(stats.leeches.map(\.card) == ["d/fresh"])
  }

  @Test func `only the ten weakest are listed, ties broken by more lapses then by key`() {
    func reviewed(daysAgo: Int64, lapses: Int) -> CardRecord {
      var record = CardRecord()
      let last = now - .days(daysAgo)
      record.schedule = CardSchedule(
        phase: .review, step: nil, stability: 10, difficulty: 5, due: last + .days(10), lastReview: last)
      record.lapses = lapses
      return record
    }
    // Fifteen cards below 90% (11 to 25 days since the review, stability 10); c03 and c04 share
    // a day, c04 with more lapses. Recall falls with the days, so the ten weakest are the ten
    // reviewed longest ago.
    var records: [String: CardRecord] = [:]
    for index in 0..<15 {
      let key = "d/c" + (index < 10 ? "0" : "") + String(index)
      records[key] = reviewed(daysAgo: Int64(25 - index), lapses: index == 4 ? 2 : 0)
    }
    records["d/c04"] = reviewed(daysAgo: 22, lapses: 2)  // the same day as d/c03
    records["d/c05"] = reviewed(daysAgo: 22, lapses: 0)  // and d/c05, fewer lapses: after both
    let stats = Statistics.compute(facts: [], records: records, decks: [], days: days, now: now, scheduler: scheduler)
    #expect(
      stats.weakest.map(\.card) == [
        "d/c00", "d/c01", "d/c02", "d/c04", "d/c03", "d/c05", "d/c06", "d/c07", "d/c08", "d/c09",
      ])
  }

  @Test func `a tally over numbered records counts only the cards included`() {
    var tally = Statistics.ReviewTally(days: days)
    tally.add(
      time: at("2026-01-31T05:00:00Z"), rating: .again, durationMilliseconds: 2000, phaseBefore: .review,
      intervalBefore: 30)
    tally.add(
      time: at("2026-01-01T05:00:00Z"), rating: .good, durationMilliseconds: 1000, phaseBefore: .review,
      intervalBefore: 3)
    let records: [CardRecord?] = [
      record(due: "2026-01-30T12:00:00Z", difficulty: 1.0), nil, record(due: "2026-02-02T05:00:00Z", difficulty: 5.5),
    ]
    let deck = DeckSummary(id: "d", title: "D", cardKeys: ["d/x", "d/y"])
    let stats = Statistics.compute(
      tally: tally, records: records, keys: ["d/x", "d/n", "d/y"], including: [false, true, true], decks: [deck],
      now: now, scheduler: scheduler)
    #expect(stats.today == Statistics.Today(reviewed: 1, again: 1, milliseconds: 2000, introduced: 0))
    // The 30-day window starts on the 2nd: only the mature Again; the year has both.
    #expect(stats.retention.map(\.days) == [7, 30, 365])
    #expect(stats.retention[1].value == Statistics.Retention(young: (0, 0), mature: (0, 1)))
    #expect(stats.retention[2].value == Statistics.Retention(young: (1, 1), mature: (0, 1)))
    // d/x is left out: no overdue card, one difficulty count (d/y's 5.5).
    #expect(stats.overdue == 0)
    #expect(stats.difficulty == [0, 0, 0, 0, 1, 0, 0, 0, 0])
    #expect(stats.forecast[2] == 1)
    // Deck states count the deck's cards as given (the caller filters the decks to the topic).
    #expect(stats.deckStates == [Statistics.DeckStates(deck: "d", review: 2)])
  }

  @Test func `streaks count every day of the history, not only the last year`() {
    // 500 study days ending today; a review on each of the last 400.
    let first = at("2024-09-18T04:00:00Z")
    let starts = (0...530).map { first + .days(Int64($0)) }
    let long = StudyDays(
      starts: starts, todayIndex: 499, labels: starts.map { String(ISO8601.format($0).prefix(10)) },
      weekdays: (0...530).map { $0 % 7 })
    let facts = (100...499).map { day in
      ReviewFact(
        card: "d/a", time: starts[day] + .hours(2), rating: .good, durationMilliseconds: 1000, phaseBefore: .review,
        intervalBefore: 1)
    }
    let stats = Statistics.compute(
      facts: facts, records: [:], decks: [], days: long, now: starts[499] + .hours(3), scheduler: scheduler)
    #expect(stats.currentStreak == 400)
    #expect(stats.longestStreak == 400)
    #expect(stats.heatmap.count == 365)
  }

  @Test func `study days find the day of an instant by binary search`() {
    #expect(days.index(of: at("2026-01-31T03:59:59Z")) == 29)
    #expect(days.index(of: at("2026-01-31T04:00:00Z")) == 30)
    #expect(days.index(of: at("2025-12-31T12:00:00Z")) == nil)
    #expect(days.index(of: at("2026-03-04T05:00:00Z")) == nil)
  }
}
