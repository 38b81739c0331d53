import Foundation
import Testing

@testable import EngramCore

@Suite struct SchedulerTests {
  let scheduler = Scheduler(settings: plainSettings)

  @Test func `a new card rated good takes the initial stability w2 and the next learning step`() {
    let time = at("2026-01-01T10:00:00Z")
    let card = scheduler.review(nil, rating: .good, at: time)
    #expect(card.phase == .learning)
    #expect(card.step == 1)
    #expect(card.stability == 2.3065)
    // D0(G) = w4 - e^(w5 * 2) + 1, by hand from the default weights.
    #expect(abs(card.difficulty - (6.4133 - exp(0.8334 * 2) + 1)) < 1e-12)
    #expect(card.due == time + .minutes(10))
  }

  @Test func `again on a learning card resets to the first step`() {
    let start = at("2026-01-01T10:00:00Z")
    let first = scheduler.review(nil, rating: .good, at: start)
    let second = scheduler.review(first, rating: .again, at: start + .minutes(10))
    #expect(second.phase == .learning)
    #expect(second.step == 0)
    #expect(second.due == start + .minutes(10) + .minutes(1))
  }

  @Test func `hard on the first of two steps waits the mean of the first two steps`() {
    let start = at("2026-01-01T10:00:00Z")
    let card = scheduler.review(nil, rating: .hard, at: start)
    #expect(card.due == start + .seconds(330))
  }

  @Test func `intervals round halves to even like python`() {
    // nextInterval = S / factor * (r^(1/decay) - 1); at r = 0.9 this is S exactly, so a
    // stability of 2.5 days must round to 2, and 3.5 to 4.
    #expect(scheduler.nextInterval(stability: 2.5) == 2)
    #expect(scheduler.nextInterval(stability: 3.5) == 4)
    #expect(scheduler.nextInterval(stability: 0.2) == 1)
  }

  @Test func `the maximum interval caps review intervals`() {
    var settings = plainSettings
    settings.maximumInterval = 30
    #expect(Scheduler(settings: settings).nextInterval(stability: 500) == 30)
  }

  @Test func `retrievability stays at one for the first whole day`() {
    let start = at("2026-01-01T10:00:00Z")
    let card = scheduler.review(nil, rating: .easy, at: start)
    #expect(scheduler.retrievability(of: card, at: start + .hours(23) + .minutes(59)) == 1.0)
    #expect(scheduler.retrievability(of: card, at: start + .days(1)) < 1.0)
  }

  @Test(arguments: [0, 7, 20])
  func `parameters outside their bounds are rejected naming the parameter`(index: Int) {
    var weights = Parameters.defaults.weights
    weights[index] = 1000
    #expect(throws: ParameterError.self) { try Parameters(weights) }
    do {
      _ = try Parameters(weights)
    } catch {
      #expect(error.description.contains("w\(index)"))
    }
  }

  @Test func `a parameter list of the wrong length is rejected`() {
    #expect(throws: ParameterError.wrongCount(20)) { try Parameters(Array(Parameters.defaults.weights.prefix(20))) }
  }

  @Test func `fuzz draws repeat for the same card and day and stay in python's range`() {
    let settings = SchedulerSettings(enableFuzz: true)
    let scheduler = Scheduler(settings: settings)
    let time = at("2026-03-01T08:00:00Z")
    let a = FuzzSeed.draw(card: "deck/card", time: time)
    #expect(a == FuzzSeed.draw(card: "deck/card", time: time + .hours(1)))
    #expect(a != FuzzSeed.draw(card: "deck/other", time: time))
    #expect((0..<1).contains(a))
    // py-fsrs: interval 10 days -> delta = 1 + 0.15*4.5 + 0.1*3 = 1.975 -> [8, 12].
    #expect(scheduler.fuzzRange(days: 10) == 8...12)
    var seen = Set<Int64>()
    let card = CardSchedule(
      phase: .review, step: nil, stability: 10, difficulty: 5, due: time, lastReview: time - .days(10))
    for index in 0..<400 {
      let draw = FuzzSeed.draw(card: "deck/card-\(index)", time: time)
      let next = scheduler.review(card, rating: .good, at: time, fuzz: draw)
      let unfuzzed = scheduler.review(card, rating: .good, at: time, fuzz: nil)
      let days = (next.due - time).milliseconds / Interval.day.milliseconds
      let base = (unfuzzed.due - time).milliseconds / Interval.day.milliseconds
      // py-fsrs draws random() * (max - min + 1) + min and then rounds, so its results span
      // min...max + 1; we reproduce that formula exactly.
      let range = scheduler.fuzzRange(days: Int(base))
      #expect((range.lowerBound...(range.upperBound + 1)).contains(Int(days)))
      seen.insert(days)
    }
    #expect(seen.count > 3)
  }

  @Test func `fuzz leaves intervals under three days alone`() {
    let scheduler = Scheduler(settings: SchedulerSettings(enableFuzz: true))
    let time = at("2026-03-01T08:00:00Z")
    let card = scheduler.review(nil, rating: .again, at: time, fuzz: 0.99)
    let graduated = scheduler.review(card, rating: .easy, at: time + .minutes(1), fuzz: 0.99)
    let plain = Scheduler(settings: plainSettings).review(card, rating: .easy, at: time + .minutes(1))
    #expect(plain.due - time < .days(3))
    #expect(graduated.due == plain.due)
  }
}
