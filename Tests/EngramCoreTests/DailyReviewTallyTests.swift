import Testing

@testable import EngramCore

/// The per-day review tally: sums worked out by hand, and the review-by-review tally `stats`
/// used before it as the reference for what it must give.
@Suite struct DailyReviewTallyTests {
  /// UTC study days starting 04:00, from 2026-01-01 to 2026-03-03; today is 2026-01-31.
  let days: StudyDays = {
    let first = at("2026-01-01T04:00:00Z")
    let starts = (0...62).map { first + .days(Int64($0)) }
    return StudyDays(
      starts: starts, todayIndex: 30, labels: starts.map { String(ISO8601.format($0).prefix(10)) },
      weekdays: (0...62).map { ($0 + 3) % 7 })
  }()

  func review(_ day: String, _ rating: Rating, _ phase: Phase?, _ interval: Double?, ms: Int64 = 1000)
    -> DailyReviewTally.Review
  {
    DailyReviewTally.Review(
      dayStart: at(day + "T04:00:00Z"), rating: rating, durationMilliseconds: ms, phaseBefore: phase,
      intervalBefore: interval)
  }

  @Test func `reviews are summed per day and taking one back restores the tally`() {
    var tally = DailyReviewTally()
    tally.add(review("2026-01-30", .again, .review, 30, ms: 4000))
    tally.add(review("2026-01-29", .good, nil, nil, ms: 2000))
    tally.add(review("2026-01-30", .good, .review, 3, ms: 1000))
    tally.add(review("2026-01-30", .hard, .learning, nil, ms: 500))
    #expect(tally.starts == [at("2026-01-29T04:00:00Z"), at("2026-01-30T04:00:00Z")])
    // The 30th: three reviews, one again, 5.5 s; a mature lapse and a young pass; the
    // learning step counts in neither. The 29th: one introduction.
    #expect(
      tally.days == [
        DailyReviewTally.Day(reviews: 1, milliseconds: 2000, introduced: 1),
        DailyReviewTally.Day(
          reviews: 3, again: 1, milliseconds: 5500, youngPassed: 1, youngTotal: 1, maturePassed: 0, matureTotal: 1),
      ])
    let before = tally
    tally.add(review("2026-01-31", .easy, .review, 40))
    let removed = tally.remove(review("2026-01-31", .easy, .review, 40))
    #expect(removed)
    #expect(tally == before)
    // The 29th emptied: its entry goes, as if it never had a review.
    let emptied = tally.remove(review("2026-01-29", .good, nil, nil, ms: 2000))
    #expect(emptied)
    #expect(tally.starts == [at("2026-01-30T04:00:00Z")])
  }

  @Test func `taking back a review the tally does not hold says so and changes nothing`() {
    var tally = DailyReviewTally()
    tally.add(review("2026-01-30", .good, nil, nil))
    let before = tally
    let otherDay = tally.remove(review("2026-01-28", .good, nil, nil))
    #expect(!otherDay)
    // On the right day, but no review of a card in review was counted there.
    let otherPhase = tally.remove(review("2026-01-30", .good, .review, 5))
    #expect(!otherPhase)
    #expect(tally == before)
  }

  @Test func `a tally read back must have increasing days, each with reviews`() {
    let day = DailyReviewTally.Day(reviews: 1)
    let (a, b) = (at("2026-01-01T04:00:00Z"), at("2026-01-02T04:00:00Z"))
    #expect(DailyReviewTally(starts: [a, b], days: [day, day]) != nil)
    #expect(DailyReviewTally(starts: [b, a], days: [day, day]) == nil)
    #expect(DailyReviewTally(starts: [a, a], days: [day, day]) == nil)
    #expect(DailyReviewTally(starts: [a], days: [day, day]) == nil)
    #expect(DailyReviewTally(starts: [a], days: [DailyReviewTally.Day()]) == nil)
  }

  @Test func `the builder finds each review's day and leaves out reviews outside its days`() {
    var builder = DailyReviewTally.Builder(starts: days.starts)
    let inRange = [
      builder.add(time: at("2026-01-30T03:59:59Z"), rating: .good, durationMilliseconds: 10, before: nil),
      builder.add(time: at("2026-01-02T04:00:00Z"), rating: .again, durationMilliseconds: 20, before: nil),
      builder.add(time: at("2026-01-01T03:00:00Z"), rating: .good, durationMilliseconds: 0, before: nil),
      builder.add(time: at("2026-03-04T04:00:00Z"), rating: .good, durationMilliseconds: 0, before: nil),
    ]
    #expect(inRange == [true, true, false, false])
    // 03:59:59 on the 30th is still the 29th's study day.
    #expect(builder.tally.starts == [at("2026-01-02T04:00:00Z"), at("2026-01-29T04:00:00Z")])
    #expect(builder.tally.days.map(\.milliseconds) == [20, 10])
  }

  @Test func `statistics from the per-day tally equal those from each review`() {
    // Reviews on the first day, 8 days ago (outside the 7-day window), yesterday, today and
    // in two days (a clock ahead: counted today and in every window, as before).
    let reviews: [(String, Rating, Phase?, Double?)] = [
      ("2026-01-01T10:00:00Z", .good, nil, nil),
      ("2026-01-23T05:00:00Z", .again, .review, 25),
      ("2026-01-23T06:00:00Z", .good, .review, 2),
      ("2026-01-30T23:00:00Z", .hard, .review, 30),
      ("2026-01-31T04:00:00Z", .again, .relearning, nil),
      ("2026-01-31T12:00:00Z", .easy, .review, 10),
      ("2026-02-02T12:00:00Z", .good, .review, 21),
    ]
    var each = Statistics.ReviewTally(days: days)
    var builder = DailyReviewTally.Builder(starts: days.starts)
    for (time, rating, phase, interval) in reviews {
      each.add(time: at(time), rating: rating, durationMilliseconds: 700, phaseBefore: phase, intervalBefore: interval)
      let schedule = phase.map { phase in
        CardSchedule(
          phase: phase, step: nil, stability: 5, difficulty: 5,
          due: at(time) + Interval(milliseconds: Int64((interval ?? 0) * 86_400_000)), lastReview: at(time))
      }
      let added = builder.add(time: at(time), rating: rating, durationMilliseconds: 700, before: schedule)
      #expect(added)
    }
    let daily = Statistics.ReviewTally(daily: builder.tally, days: days)
    let settings = SchedulerSettings()
    let compute = { (tally: Statistics.ReviewTally) in
      Statistics.compute(
        tally: tally, records: [], keys: [], including: nil, decks: [], now: at("2026-01-31T12:00:00Z"),
        scheduler: Scheduler(settings: settings))
    }
    let fromDays = compute(daily)
    #expect(fromDays == compute(each))
    // Worked by hand: today (from the 31st's start on) has three reviews, one again, one new
    // (none: the relearning card was not new); 7 days back from today starts on the 25th.
    #expect(fromDays.today == Statistics.Today(reviewed: 3, again: 1, milliseconds: 2100, introduced: 0))
    #expect(fromDays.retention.map(\.days) == [7, 30, 365])
    #expect(fromDays.retention[0].value == Statistics.Retention(young: (1, 1), mature: (2, 2)))
    #expect(fromDays.retention[1].value == Statistics.Retention(young: (2, 2), mature: (2, 3)))
  }
}
