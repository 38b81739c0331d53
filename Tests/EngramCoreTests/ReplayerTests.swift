import Testing

@testable import EngramCore

@Suite struct ReplayerTests {
  let scheduler = Scheduler(settings: plainSettings)
  var replayer: Replayer { Replayer(scheduler: scheduler, dayStart: at("2026-01-05T04:00:00Z")) }

  @Test func `replay equals applying the scheduler review by review`() {
    let events = [
      review("d/c", .good, "2026-01-01T10:00:00Z"), review("d/c", .good, "2026-01-01T10:10:00Z"),
      review("d/c", .hard, "2026-01-04T09:00:00Z"),
    ]
    var expected: CardSchedule?
    for event in events {
      guard case .review(let rating) = event.action else { continue }
      expected = scheduler.review(expected, rating: rating, at: event.time)
    }
    let record = replayer.replay(card: "d/c", events: events)
    #expect(record.schedule == expected)
    #expect(record.reviewCount == 3)
  }

  @Test func `undo cancels the latest review before it`() {
    let kept = [review("d/c", .good, "2026-01-01T10:00:00Z")]
    let undone = kept + [review("d/c", .again, "2026-01-01T10:10:00Z"), event(.undo, "d/c", "2026-01-01T10:10:01Z")]
    #expect(
      replayer.replay(card: "d/c", events: undone).schedule == replayer.replay(card: "d/c", events: kept).schedule)
    #expect(replayer.replay(card: "d/c", events: undone).reviewCount == 1)
  }

  @Test func `two undos cancel two reviews and an undo with nothing before it does nothing`() {
    let events = [
      event(.undo, "d/c", "2026-01-01T09:00:00Z"),
      review("d/c", .good, "2026-01-01T10:00:00Z"), review("d/c", .good, "2026-01-01T10:10:00Z"),
      event(.undo, "d/c", "2026-01-01T10:11:00Z"), event(.undo, "d/c", "2026-01-01T10:12:00Z"),
    ]
    let record = replayer.replay(card: "d/c", events: events)
    #expect(record.schedule == nil)
    #expect(record.reviewCount == 0)
  }

  @Test func `events are replayed in time order with ties in file order`() {
    let inOrder = [review("d/c", .good, "2026-01-01T10:00:00Z"), review("d/c", .again, "2026-01-03T10:00:00Z")]
    let shuffled = [inOrder[1], inOrder[0]]
    #expect(replayer.replay(card: "d/c", events: shuffled) == replayer.replay(card: "d/c", events: inOrder))
  }

  @Test func `suspend and unsuspend toggle and forget makes the card new again`() {
    var events = [review("d/c", .good, "2026-01-01T10:00:00Z"), event(.suspend, "d/c", "2026-01-01T11:00:00Z")]
    #expect(replayer.replay(card: "d/c", events: events).suspended)
    events.append(event(.unsuspend, "d/c", "2026-01-01T12:00:00Z"))
    #expect(!replayer.replay(card: "d/c", events: events).suspended)
    events.append(event(.forget, "d/c", "2026-01-01T13:00:00Z"))
    let record = replayer.replay(card: "d/c", events: events)
    #expect(record.schedule == nil)
    #expect(record.introducedAt == nil)
  }

  @Test func `a bury hides the card until the next day starts`() {
    let record = replayer.replay(card: "d/c", events: [event(.bury, "d/c", "2026-01-05T08:00:00Z")])
    #expect(record.isBuried(dayStart: at("2026-01-05T04:00:00Z")))
    #expect(!record.isBuried(dayStart: at("2026-01-06T04:00:00Z")))
  }

  @Test func `a weak mark lasts until a correct quiz answer or a good review`() {
    let weak = ReviewEvent(time: at("2026-01-01T10:00:00Z"), card: "d/c", action: .weak)
    let wrong = ReviewEvent(time: at("2026-01-01T10:01:00Z"), card: "d/c", action: .quiz(.wrong))
    let right = ReviewEvent(time: at("2026-01-01T10:02:00Z"), card: "d/c", action: .quiz(.correct))
    #expect(replayer.replay(card: "d/c", events: [weak, wrong]).weakSince == at("2026-01-01T10:00:00Z"))
    #expect(replayer.replay(card: "d/c", events: [weak, wrong, right]).weakSince == nil)
    let hard = review("d/c", .hard, "2026-01-01T10:03:00Z")
    let good = review("d/c", .good, "2026-01-01T10:04:00Z")
    #expect(replayer.replay(card: "d/c", events: [weak, hard]).weakSince != nil)
    #expect(replayer.replay(card: "d/c", events: [weak, hard, good]).weakSince == nil)
    #expect(replayer.replay(card: "d/c", events: [weak]).schedule == nil, "a weak mark never schedules")
  }

  @Test func `unknown kinds and quiz answers never change scheduling`() {
    let base = [review("d/c", .good, "2026-01-01T10:00:00Z")]
    let noisy =
      base + [
        ReviewEvent(time: at("2026-01-01T10:05:00Z"), card: "d/c", action: .other(kind: "future-kind", rating: 1)),
        ReviewEvent(time: at("2026-01-01T10:06:00Z"), card: "d/c", action: .quiz(.correct)),
        ReviewEvent(time: at("2026-01-01T10:07:00Z"), card: "d/c", action: .quiz(.wrong)),
      ]
    let record = replayer.replay(card: "d/c", events: noisy)
    #expect(record.schedule == replayer.replay(card: "d/c", events: base).schedule)
    #expect(record.quizTotal == 2)
    #expect(record.quizCorrect == 1)
  }

  @Test func `lapses count again ratings on review cards and reviews today count from the day start`() {
    let events = [
      review("d/c", .easy, "2026-01-01T10:00:00Z"),  // learning -> review
      review("d/c", .again, "2026-01-05T05:00:00Z"),  // lapse, today
    ]
    let record = replayer.replay(card: "d/c", events: events)
    #expect(record.lapses == 1)
    #expect(record.reviewsToday == 1)
    #expect(record.schedule?.phase == .relearning)
  }

  @Test func `changing desired retention re-derives the due date`() {
    let events = [review("d/c", .easy, "2026-01-01T10:00:00Z"), review("d/c", .good, "2026-01-20T10:00:00Z")]
    var settings = plainSettings
    settings.desiredRetention = 0.8
    let lenient = Replayer(scheduler: Scheduler(settings: settings), dayStart: at("2026-01-05T04:00:00Z"))
    let strict = replayer.replay(card: "d/c", events: events).schedule!
    let relaxed = lenient.replay(card: "d/c", events: events).schedule!
    #expect(relaxed.due > strict.due)
  }
}

@Suite struct ReplayerWorkloadEventTests {
  let replayer = Replayer(scheduler: Scheduler(settings: plainSettings), dayStart: at("2026-03-01T04:00:00Z"))

  @Test func `a leech event that suspends leaves the card suspended and marked`() {
    var events = lapsingHistory("d/c", lapses: 8)
    let last = events[events.count - 2].time
    events.insert(ReviewEvent(time: last, card: "d/c", action: .leech(.suspend)), at: events.count - 1)
    let record = replayer.replay(card: "d/c", events: events)
    #expect(record.suspended)
    #expect(record.leechedAt == last)
    #expect(record.lapses == 8)
  }

  @Test func `a tagging leech event marks the card without suspending it`() {
    var events = lapsingHistory("d/c", lapses: 8)
    events.append(ReviewEvent(time: events[events.count - 1].time, card: "d/c", action: .leech(.tag)))
    let record = replayer.replay(card: "d/c", events: events)
    #expect(!record.suspended)
    #expect(record.leechedAt != nil)
  }

  @Test func `undoing the review that made a leech takes the leech event back too`() {
    let history = Array(lapsingHistory("d/c", lapses: 8).dropLast())
    let lapse = history[history.count - 1]
    let events =
      history + [
        ReviewEvent(time: lapse.time, card: "d/c", action: .leech(.suspend)),
        ReviewEvent(time: lapse.time + .seconds(5), card: "d/c", action: .undo),
      ]
    let record = replayer.replay(card: "d/c", events: events)
    let expected = replayer.replay(card: "d/c", events: Array(history.dropLast()))
    #expect(record.lapses == 7)
    #expect(!record.suspended)
    #expect(record.leechedAt == nil)
    #expect(record.schedule == expected.schedule)
  }

  @Test func `postpone and advance set a review card's due date that many days after the event`() {
    let history = [review("d/c", .easy, "2026-01-01T10:00:00Z")]
    let postponed = history + [ReviewEvent(time: at("2026-02-01T08:00:00Z"), card: "d/c", action: .postpone(days: 5))]
    #expect(replayer.replay(card: "d/c", events: postponed).schedule?.due == at("2026-02-06T08:00:00Z"))
    let advanced = history + [ReviewEvent(time: at("2026-01-03T08:00:00Z"), card: "d/c", action: .advance(days: 0))]
    let record = replayer.replay(card: "d/c", events: advanced)
    #expect(record.schedule?.due == at("2026-01-03T08:00:00Z"))
    // Stability, difficulty and the last review are the review's: only the date moved.
    let plain = replayer.replay(card: "d/c", events: history).schedule
    #expect(record.schedule?.stability == plain?.stability)
    #expect(record.schedule?.lastReview == plain?.lastReview)
  }

  @Test func `postponing a learning or new card does nothing`() {
    let learning = [review("d/c", .good, "2026-01-01T10:00:00Z")]
    let moved = learning + [ReviewEvent(time: at("2026-01-01T10:01:00Z"), card: "d/c", action: .postpone(days: 3))]
    #expect(
      replayer.replay(card: "d/c", events: moved).schedule == replayer.replay(card: "d/c", events: learning).schedule)
    let new = [ReviewEvent(time: at("2026-01-01T10:01:00Z"), card: "d/c", action: .postpone(days: 3))]
    #expect(replayer.replay(card: "d/c", events: new).schedule == nil)
  }

  @Test func `an undo takes back a postpone, leaving the review before it standing`() {
    let history = [review("d/c", .easy, "2026-01-01T10:00:00Z")]
    let events =
      history + [
        ReviewEvent(time: at("2026-02-01T08:00:00Z"), card: "d/c", action: .postpone(days: 5)),
        event(.undo, "d/c", "2026-02-01T08:01:00Z"),
      ]
    let record = replayer.replay(card: "d/c", events: events)
    #expect(record.schedule == replayer.replay(card: "d/c", events: history).schedule)
    #expect(record.reviewCount == 1)
  }

  @Test func `a huge move in the rating column is capped at the longest interval`() {
    let events = [
      review("d/c", .easy, "2026-01-01T10:00:00Z"),
      ReviewEvent(time: at("2026-01-02T10:00:00Z"), card: "d/c", action: .postpone(days: Int.max)),
    ]
    #expect(
      replayer.replay(card: "d/c", events: events).schedule?.due == at("2026-01-02T10:00:00Z") + .days(36500))
  }
}
