import Testing

@testable import EngramCore

/// The four next states a review screen shows, and that logging the chosen rating at the time
/// they were computed makes replay give exactly the state shown.
@Suite struct NextStatesTests {
  let fuzzed = Scheduler(settings: SchedulerSettings())
  let plain = Scheduler(settings: plainSettings)

  /// A card learned with Easy at `time`: in review, 8 days' stability, so fuzz applies.
  static func learned(_ card: String, _ time: String) -> ReviewEvent { review(card, .easy, time) }

  /// The card's state from `events`, as replay derives it with days starting at `dayStart`.
  func replayed(
    _ card: String, _ events: [ReviewEvent], scheduler: Scheduler, dayStart: String = "2026-03-10T04:00:00Z"
  )
    -> CardSchedule?
  {
    Replayer(scheduler: scheduler, dayStart: at(dayStart)).replay(card: card, events: events).schedule
  }

  /// The states shown for `card` at `time`, with the fuzz replay draws for that time.
  func shown(_ card: String, after events: [ReviewEvent], at time: Timestamp, scheduler: Scheduler) -> NextStates {
    scheduler.nextStates(
      from: replayed(card, events, scheduler: scheduler), at: time, fuzz: FuzzSeed.draw(card: card, time: time))
  }

  @Test(arguments: [
    nil,
    CardSchedule(
      phase: .review, step: nil, stability: 12, difficulty: 5, due: at("2026-03-10T00:00:00Z"),
      lastReview: at("2026-02-26T00:00:00Z")),
  ])
  func `each of the four states is what reviewing with that rating gives`(card: CardSchedule?) {
    let time = at("2026-03-10T09:00:00Z")
    let states = fuzzed.nextStates(from: card, at: time, fuzz: 0.3)
    #expect(states.time == time)
    for rating in Rating.allCases {
      #expect(states[rating] == fuzzed.review(card, rating: rating, at: time, fuzz: 0.3), "\(rating)")
      #expect(states.interval(rating) == states[rating].due - time)
    }
  }

  @Test(arguments: ["2026-03-10T04:00:00Z", "2026-03-10T00:00:00Z"])
  func `a rating logged when its states were computed replays to the state shown across UTC midnight`(dayStart: String)
  {
    // Shown at 23:59:30 UTC, rated a minute later on the next UTC day, which reseeds fuzz.
    let shownAt = at("2026-03-09T23:59:30Z")
    let ratedAt = at("2026-03-10T00:00:30Z")
    var moved = 0
    for number in 0..<40 {
      let card = "deck/card-\(number)"
      let history = [Self.learned(card, "2026-03-01T10:00:00Z")]
      let states = shown(card, after: history, at: shownAt, scheduler: fuzzed)
      for rating in Rating.allCases {
        let logged = ReviewEvent(time: states.time, card: card, action: .review(rating))
        #expect(
          replayed(card, history + [logged], scheduler: fuzzed, dayStart: dayStart) == states[rating],
          "\(card) \(rating)")
      }
      // Logged at the rating time instead, the fuzz of the next day would often differ.
      let late = ReviewEvent(time: ratedAt, card: card, action: .review(.good))
      if let due = replayed(card, history + [late], scheduler: fuzzed)?.due, due - ratedAt != states.interval(.good) {
        moved += 1
      }
    }
    #expect(moved > 0, "the hazard this guards against: some card's Good interval changes after midnight")
  }

  @Test
  func `a rating logged when its states were computed replays to the state shown when a whole day elapses in between`()
    throws
  {
    // Last reviewed 2026-03-01 12:00; shown 7 whole days later, rated after the eighth began.
    let card = "deck/card"
    let history = [review(card, .easy, "2026-03-01T12:00:00Z")]
    let states = shown(card, after: history, at: at("2026-03-09T11:59:50Z"), scheduler: plain)
    let logged = ReviewEvent(time: states.time, card: card, action: .review(.good))
    #expect(replayed(card, history + [logged], scheduler: plain) == states.good)
    // At the rating time retrievability has fallen further, so stability would differ.
    let late = ReviewEvent(time: at("2026-03-09T12:00:10Z"), card: card, action: .review(.good))
    let lateStability = try #require(replayed(card, history + [late], scheduler: plain)?.stability)
    #expect(lateStability != states.good.stability)
  }
}
