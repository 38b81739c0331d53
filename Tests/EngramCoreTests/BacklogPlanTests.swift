import Testing

@testable import EngramCore

@Suite struct BacklogPlanTests {
  let scheduler = Scheduler(settings: plainSettings)
  let now = at("2026-03-01T12:00:00Z")
  let tomorrow = at("2026-03-02T04:00:00Z")

  /// A review card last reviewed `ago` days before now with an interval of `interval` days.
  func card(_ key: String, stability: Double, interval: Int64, ago: Int64) -> BacklogPlan.Candidate {
    let last = now - .days(ago)
    return BacklogPlan.Candidate(
      card: key,
      schedule: CardSchedule(
        phase: .review, step: nil, stability: stability, difficulty: 5, due: last + .days(interval), lastReview: last))
  }

  @Test(arguments: [(20, 0.0, 1), (20, 0.99, 2), (100, 0.5, 8), (1, 0.3, 1), (3, 0.9, 1)])
  func `an interval grows by five to ten percent from today, at least a day`(interval: Int, draw: Double, push: Int) {
    let cards = [card("d/a", stability: Double(interval), interval: Int64(interval), ago: Int64(interval) + 3)]
    let plan = BacklogPlan.postpone(
      cards, scheduler: scheduler, now: now, tomorrowStart: tomorrow, days: nil, count: nil, draw: { _ in draw })
    #expect(plan.moves.map(\.days) == [push])
  }

  @Test func `the cards that lose least retrievability go first`() {
    // Same wait, very different stabilities: the stable card barely forgets in the extra days.
    let cards = [
      card("d/fragile", stability: 2, interval: 10, ago: 12),
      card("d/stable", stability: 300, interval: 10, ago: 12),
    ]
    let plan = BacklogPlan.postpone(
      cards, scheduler: scheduler, now: now, tomorrowStart: tomorrow, days: 7, count: 1, draw: { _ in 0 })
    #expect(plan.moves.map(\.card) == ["d/stable"])
    #expect(plan.candidates == 2)
    let move = plan.moves[0]
    #expect(move.retrievabilityNow == scheduler.retrievability(of: cards[1].schedule, at: now))
    #expect(move.retrievabilityThen == scheduler.retrievability(of: cards[1].schedule, at: now + .days(7)))
    #expect(BacklogPlan.loss(move) > 0)
  }

  @Test func `only review cards due before tomorrow are postponed`() {
    var learning = card("d/learning", stability: 1, interval: 1, ago: 3)
    learning.schedule.phase = .learning
    let cards = [
      learning, card("d/later", stability: 20, interval: 20, ago: 2), card("d/due", stability: 5, interval: 5, ago: 5),
    ]
    let plan = BacklogPlan.postpone(
      cards, scheduler: scheduler, now: now, tomorrowStart: tomorrow, days: 3, count: nil, draw: { _ in 0 })
    #expect(plan.moves.map(\.card) == ["d/due"])
  }

  @Test func `advance brings the cards with the lowest recall first and leaves due ones alone`() {
    let cards = [
      card("d/due", stability: 5, interval: 5, ago: 6),
      card("d/fresh", stability: 30, interval: 30, ago: 2),
      card("d/ripe", stability: 30, interval: 30, ago: 25),
    ]
    let plan = BacklogPlan.advance(cards, scheduler: scheduler, now: now, tomorrowStart: tomorrow, count: 1)
    #expect(plan.moves.map(\.card) == ["d/ripe"])
    #expect(plan.moves[0].days == 0)
    #expect(plan.candidates == 2)
  }
}
