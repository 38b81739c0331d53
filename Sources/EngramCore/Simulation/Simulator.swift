import Foundation

/// Runs FSRS forward day by day to estimate the workload and the knowledge a plan brings.
///
/// The model is fsrs-rs's simulator (the one behind Anki's workload estimate) written with
/// Engram's own FSRS-6 formulas: each day new cards are introduced up to the daily limit and
/// every card due is reviewed; a review is recalled with the card's retrievability, then rated
/// with the profile's probabilities; learning and relearning run their same-day steps as a
/// chain of ratings; the next interval is the one that brings recall down to the desired
/// retention (no fuzz, no load balancing: they move cards by a day or two, not the totals).
/// Random draws come from a seeded generator, so a run repeats.
public struct Simulator: Sendable {
  /// A card that already has a memory state.
  public struct Card: Sendable, Equatable {
    public var stability: Double
    public var difficulty: Double
    /// Day of the last review, relative to day 0 of the simulation (≤ 0).
    public var lastDay: Int
    /// Day it is due, relative to day 0 (≤ 0 when due or overdue).
    public var dueDay: Int
    public init(stability: Double, difficulty: Double, lastDay: Int, dueDay: Int) {
      self.stability = stability
      self.difficulty = difficulty
      self.lastDay = lastDay
      self.dueDay = dueDay
    }
  }

  /// What a run produced, one value per day.
  public struct Outcome: Sendable, Equatable {
    public var retention: Double
    /// Reviews of cards already learned (new-card introductions are not counted).
    public var reviews: [Double]
    /// New cards introduced.
    public var learned: [Double]
    /// Minutes spent, learning included.
    public var minutes: [Double]
    /// Expected cards remembered at the end of the day: the sum of every introduced card's
    /// retrievability.
    public var memorized: [Double]
  }

  public let parameters: Parameters
  public let profile: SimulatorProfile
  public let learningSteps: Int
  public let relearningSteps: Int
  public let maximumInterval: Int

  public init(
    parameters: Parameters, profile: SimulatorProfile, learningSteps: Int = 2, relearningSteps: Int = 1,
    maximumInterval: Int = 36500
  ) {
    self.parameters = parameters
    self.profile = profile
    self.learningSteps = learningSteps
    self.relearningSteps = relearningSteps
    self.maximumInterval = maximumInterval
  }

  /// The mean of `runs` runs with seeds `seed`, `seed + 1`, …: a few low-stability cards
  /// reviewed nearly every day make single runs vary by a few percent.
  public func expected(
    retention: Double, days: Int, cards: [Card], newCards: Int, newPerDay: Int, seed: UInt64 = 42, runs: Int = 4
  ) -> Outcome {
    var total = run(
      retention: retention, days: days, cards: cards, newCards: newCards, newPerDay: newPerDay, seed: seed)
    guard runs > 1 else { return total }
    for offset in 1..<runs {
      let next = run(
        retention: retention, days: days, cards: cards, newCards: newCards, newPerDay: newPerDay,
        seed: seed &+ UInt64(offset))
      for day in 0..<days {
        total.reviews[day] += next.reviews[day]
        total.learned[day] += next.learned[day]
        total.minutes[day] += next.minutes[day]
        total.memorized[day] += next.memorized[day]
      }
    }
    let scale = 1 / Double(runs)
    total.reviews = total.reviews.map { $0 * scale }
    total.learned = total.learned.map { $0 * scale }
    total.minutes = total.minutes.map { $0 * scale }
    total.memorized = total.memorized.map { $0 * scale }
    return total
  }

  /// Simulates `days` days at desired retention `retention`, starting from `cards` and
  /// `newCards` cards never seen, `newPerDay` introduced a day.
  public func run(
    retention: Double, days: Int, cards existing: [Card], newCards: Int, newPerDay: Int, seed: UInt64 = 42
  ) -> Outcome {
    let scheduler = Scheduler(
      settings: SchedulerSettings(
        parameters: parameters, desiredRetention: retention, maximumInterval: maximumInterval, enableFuzz: false))
    var random = SeededRandom(seed: seed)
    var stability = existing.map(\.stability)
    var difficulty = existing.map(\.difficulty)
    var lastDay = existing.map(\.lastDay)
    // Cards due per day; anything due at or before day 0 is due on day 0.
    var dueOn = [[Int32]](repeating: [], count: days)
    for (index, card) in existing.enumerated() where card.dueDay < days {
      dueOn[max(0, card.dueDay)].append(Int32(index))
    }
    var result = Outcome(
      retention: retention, reviews: Array(repeating: 0, count: days), learned: Array(repeating: 0, count: days),
      minutes: Array(repeating: 0, count: days), memorized: Array(repeating: 0, count: days))
    var remainingNew = newCards
    let decay = scheduler.decay
    let factor = scheduler.factor
    for day in 0..<days {
      var seconds = 0.0
      for index in dueOn[day] {
        let card = Int(index)
        let elapsed = Double(day - lastDay[card])
        let recall = pow(1 + factor * elapsed / stability[card], decay)
        let forgot = random.unit() >= recall
        var newStability: Double
        var newDifficulty: Double
        if forgot {
          newStability = scheduler.model.nextStability(
            stability: stability[card], difficulty: difficulty[card], retrievability: recall, rating: .again)
          newDifficulty = scheduler.model.nextDifficulty(difficulty[card], rating: .again)
          seconds += profile.costs[SimulatorProfile.State.review.rawValue][0]
          let chain = shortTerm(
            scheduler, stability: newStability, difficulty: newDifficulty, first: nil, steps: relearningSteps,
            transitions: profile.relearningTransitions,
            costs: profile.costs[SimulatorProfile.State.relearning.rawValue],
            random: &random)
          (newStability, newDifficulty) = (chain.stability, chain.difficulty)
          seconds += chain.seconds
        } else {
          let rating = Rating(rawValue: 2 + pick(profile.reviewRating, &random)) ?? .good
          newStability = scheduler.model.nextStability(
            stability: stability[card], difficulty: difficulty[card], retrievability: recall, rating: rating)
          newDifficulty = scheduler.model.nextDifficulty(difficulty[card], rating: rating)
          seconds += profile.costs[SimulatorProfile.State.review.rawValue][rating.rawValue - 1]
        }
        stability[card] = min(newStability, 36500)
        difficulty[card] = newDifficulty
        lastDay[card] = day
        result.reviews[day] += 1
        schedule(card, day: day, interval: scheduler.nextInterval(stability: stability[card]), into: &dueOn)
      }
      let learning = min(newPerDay, remainingNew)
      for _ in 0..<learning {
        let first = Rating(rawValue: 1 + pick(profile.firstRating, &random)) ?? .good
        let chain = shortTerm(
          scheduler, stability: scheduler.model.initStability(first),
          difficulty: scheduler.model.clampDifficulty(scheduler.model.initDifficulty(first)),
          first: first, steps: learningSteps, transitions: profile.learningTransitions,
          costs: profile.costs[SimulatorProfile.State.learning.rawValue], random: &random)
        stability.append(chain.stability)
        difficulty.append(chain.difficulty)
        lastDay.append(day)
        seconds += chain.seconds
        schedule(
          stability.count - 1, day: day, interval: scheduler.nextInterval(stability: chain.stability), into: &dueOn)
      }
      remainingNew -= learning
      result.learned[day] = Double(learning)
      result.minutes[day] = seconds / 60
      var remembered = 0.0
      for card in stability.indices {
        let elapsed = Double(day - lastDay[card])
        remembered += elapsed <= 0 ? 1 : pow(1 + factor * elapsed / stability[card], decay)
      }
      result.memorized[day] = remembered
    }
    return result
  }

  private func schedule(_ card: Int, day: Int, interval: Int, into dueOn: inout [[Int32]]) {
    let due = day + max(1, interval)
    if due < dueOn.count { dueOn[due].append(Int32(card)) }
  }

  /// The same-day steps of learning (starting from `first`) or relearning (from Again), as
  /// fsrs-rs chains them: each next rating drawn from the row of the previous one, until the
  /// card has passed every step or is rated Easy.
  private func shortTerm(
    _ scheduler: Scheduler, stability: Double, difficulty: Double, first: Rating?, steps: Int,
    transitions: [[Double]], costs: [Double], random: inout SeededRandom
  ) -> (stability: Double, difficulty: Double, seconds: Double) {
    var rating = first ?? .again
    var seconds = first.map { costs[$0.rawValue - 1] } ?? 0
    var s = stability
    var d = difficulty
    var passed = 0
    let needed = rating.rawValue > 2 ? max(0, steps - 1) : steps
    var guardSteps = 0
    while passed < needed && rating != .easy && guardSteps < 100 {
      guardSteps += 1
      rating = Rating(rawValue: 1 + pick(transitions[rating.rawValue - 1], &random)) ?? .good
      s = scheduler.model.stabilityShortTerm(s, rating: rating)
      d = scheduler.model.nextDifficulty(d, rating: rating)
      seconds += costs[rating.rawValue - 1]
      if rating.rawValue > 2 {
        passed += 1
      } else if rating == .again {
        passed = 0
      }
    }
    return (min(max(s, Parameters.minimumStability), 36500), d, seconds)
  }

  /// An index drawn with the given (unnormalised) weights.
  private func pick(_ weights: [Double], _ random: inout SeededRandom) -> Int {
    let total = weights.reduce(0, +)
    var point = random.unit() * total
    for (index, weight) in weights.enumerated() {
      if point < weight { return index }
      point -= weight
    }
    return weights.count - 1
  }
}
