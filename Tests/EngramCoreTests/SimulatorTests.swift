import Foundation
import Testing

@testable import EngramCore

@Suite struct SimulatorTests {
  /// Every new card rated Easy first (no same-day steps follow Easy) and every recalled review Good.
  var alwaysEasy: SimulatorProfile {
    var profile = SimulatorProfile.defaults
    profile.firstRating = [0, 0, 0, 1]
    profile.reviewRating = [0, 1, 0]
    profile.costs = [[20, 20, 20, 7], [30, 30, 9, 30], [40, 40, 40, 40]]
    return profile
  }

  @Test func `new cards are learned at the daily limit, cost their first answer and count as remembered that day`() {
    let simulator = Simulator(parameters: .defaults, profile: alwaysEasy)
    let outcome = simulator.run(retention: 0.9, days: 12, cards: [], newCards: 30, newPerDay: 20)
    #expect(outcome.learned.prefix(3) == [20, 10, 0])
    // 20 Easy answers at 7 s on day 0.
    #expect(abs(outcome.minutes[0] - 20 * 7.0 / 60) < 1e-12)
    #expect(outcome.memorized[0] == 20)
    // Easy gives S = w3 = 8.2956: the interval at 90% is 8 days, so the first reviews come on day 8.
    #expect(outcome.reviews.prefix(8).allSatisfy { $0 == 0 })
    #expect(outcome.reviews[8] == 20)
    // Day 9: the ten cards of day 1, and any card forgotten on day 8 (relearned, due a day later).
    #expect(outcome.reviews[9] >= 10)
    // A day after learning, each card is remembered with FSRS-6's retrievability after one day.
    let scheduler = Scheduler(settings: SchedulerSettings(enableFuzz: false))
    let recall = pow(1 + scheduler.factor / 8.2956, scheduler.decay)
    #expect(abs(outcome.memorized[1] - (20 * recall + 10)) < 1e-9)
  }

  @Test func `a card already learned is reviewed on its due day, overdue ones on day zero`() {
    let simulator = Simulator(parameters: .defaults, profile: alwaysEasy)
    let cards = [
      Simulator.Card(stability: 10, difficulty: 5, lastDay: -20, dueDay: -5),
      Simulator.Card(stability: 10, difficulty: 5, lastDay: -3, dueDay: 4),
    ]
    let outcome = simulator.run(retention: 0.9, days: 6, cards: cards, newCards: 0, newPerDay: 20)
    #expect(outcome.reviews == [1, 0, 0, 0, 1, 0])
  }

  @Test func `the same seed repeats a run and a higher retention costs more reviews`() {
    let simulator = Simulator(parameters: .defaults, profile: .defaults)
    let first = simulator.run(retention: 0.9, days: 120, cards: [], newCards: 1000, newPerDay: 20, seed: 7)
    #expect(simulator.run(retention: 0.9, days: 120, cards: [], newCards: 1000, newPerDay: 20, seed: 7) == first)
    let strict = simulator.expected(retention: 0.97, days: 120, cards: [], newCards: 1000, newPerDay: 20)
    let loose = simulator.expected(retention: 0.75, days: 120, cards: [], newCards: 1000, newPerDay: 20)
    #expect(strict.reviews.reduce(0, +) > loose.reviews.reduce(0, +))
    #expect(strict.memorized.last ?? 0 > loose.memorized.last ?? 0)
  }

  @Test func `the expected outcome is the mean of the runs`() {
    let simulator = Simulator(parameters: .defaults, profile: .defaults)
    let runs = (0..<2).map {
      simulator.run(retention: 0.9, days: 30, cards: [], newCards: 200, newPerDay: 20, seed: 42 + UInt64($0))
    }
    let mean = simulator.expected(retention: 0.9, days: 30, cards: [], newCards: 200, newPerDay: 20, seed: 42, runs: 2)
    for day in 0..<30 {
      #expect(abs(mean.reviews[day] - (runs[0].reviews[day] + runs[1].reviews[day]) / 2) < 1e-9)
      #expect(abs(mean.memorized[day] - (runs[0].memorized[day] + runs[1].memorized[day]) / 2) < 1e-9)
    }
  }
}

@Suite struct SimulatorProfileTests {
  func fact(_ rating: Rating, before: Phase?, seconds: Double) -> ReviewFact {
    ReviewFact(
      card: "d/c", time: Timestamp(milliseconds: 0), rating: rating, durationMilliseconds: Int64(seconds * 1000),
      phaseBefore: before, intervalBefore: nil)
  }

  @Test func `a thin log keeps fsrs-rs's defaults and says so`() {
    let profile = SimulatorProfile.measured(from: [fact(.good, before: nil, seconds: 5)])
    #expect(profile.firstRating == SimulatorProfile.defaults.firstRating)
    #expect(profile.reviewRating == SimulatorProfile.defaults.reviewRating)
    #expect(profile.costs == SimulatorProfile.defaults.costs)
    #expect(profile.notes.count == 4)
    #expect(profile.notes[0].contains("1 new card in your log, 50 needed"))
  }

  @Test func `enough answers give measured odds and median times`() {
    var facts: [ReviewFact] = []
    // First ratings: 10 Again, 0 Hard, 30 Good, 20 Easy.
    for (rating, count) in [(Rating.again, 10), (.good, 30), (.easy, 20)] {
      facts += (0..<count).map { fact(rating, before: nil, seconds: Double($0 % 3) + 4) }
    }
    // Recalled reviews: 10 Hard, 40 Good; Good takes 2, 3 or 4 s (median 3).
    facts += (0..<10).map { _ in fact(.hard, before: .review, seconds: 9) }
    facts += (0..<40).map { fact(.good, before: .review, seconds: Double($0 % 3) + 2) }
    let profile = SimulatorProfile.measured(from: facts)
    let first: [Double] = [10.0 / 60, 0, 30.0 / 60, 20.0 / 60]
    let review: [Double] = [10.0 / 50, 40.0 / 50, 0]
    #expect(profile.firstRating == first)
    #expect(profile.reviewRating == review)
    #expect(profile.costs[1][2] == 3)
    #expect(profile.costs[0][2] == 5)
    #expect(profile.costs[2] == SimulatorProfile.defaults.costs[2])
    #expect(!profile.notes.contains { $0.hasPrefix("first ratings") })
  }
}
