import Foundation

/// FSRS-6, computing exactly what the reference implementation (py-fsrs 6.3.2) computes.
///
/// Pure: the review time and the fuzz draw are arguments, so replaying a log always yields the
/// same states. The shape mirrors py-fsrs's `review_card` closely on purpose: any divergence
/// is a conformance bug, and side-by-side reading is how those are found.
public struct Scheduler: Sendable {
  public let settings: SchedulerSettings
  /// FSRS-6's forgetting-curve exponent, `-w20`.
  public let decay: Double
  /// Scales elapsed time so that retrievability is 0.9 when elapsed days equal stability.
  public let factor: Double

  public init(settings: SchedulerSettings) {
    self.settings = settings
    decay = -settings.parameters[20]
    factor = pow(0.9, 1 / decay) - 1
  }

  private var w: Parameters { settings.parameters }

  // MARK: Public operations

  /// The card after it is rated `rating` at `time`.
  ///
  /// - Parameters:
  ///   - card: the card's state before, or nil for a new card.
  ///   - fuzz: a uniform draw in [0, 1) spreading review intervals, or nil for none. Ignored
  ///     when the settings turn fuzz off.
  public func review(_ card: CardSchedule?, rating: Rating, at time: Timestamp, fuzz: Double? = nil)
    -> CardSchedule
  {
    let steps: [Interval]
    let phase: Phase
    let step: Int
    var stability: Double
    var difficulty: Double

    if let card {
      let days = time.wholeDays(since: card.lastReview)
      phase = card.phase
      step = card.step ?? 0
      if days < 1 {
        stability = shortTermStability(card.stability, rating: rating)
      } else {
        let recall = retrievability(of: card, at: time)
        stability = nextStability(
          difficulty: card.difficulty, stability: card.stability, retrievability: recall,
          rating: rating)
      }
      difficulty = nextDifficulty(card.difficulty, rating: rating)
    } else {
      phase = .learning
      step = 0
      stability = initialStability(rating)
      difficulty = initialDifficulty(rating, clamped: true)
    }

    var next = CardSchedule(
      phase: phase, step: step, stability: stability, difficulty: difficulty, due: time,
      lastReview: time)
    var wait: Interval

    switch phase {
    case .review:
      next.step = nil
      if rating == .again, !settings.relearningSteps.isEmpty {
        next.phase = .relearning
        next.step = 0
        wait = settings.relearningSteps[0]
      } else {
        wait = .days(Int64(nextInterval(stability: stability)))
      }
    case .learning, .relearning:
      steps = phase == .learning ? settings.learningSteps : settings.relearningSteps
      if steps.isEmpty || (step >= steps.count && rating != .again) {
        next.phase = .review
        next.step = nil
        wait = .days(Int64(nextInterval(stability: stability)))
      } else {
        switch rating {
        case .again:
          next.step = 0
          wait = steps[0]
        case .hard:
          if step == 0 && steps.count == 1 {
            wait = scaled(steps[0], by: 1.5)
          } else if step == 0 {
            wait = Interval(
              milliseconds: ((Double(steps[0].milliseconds + steps[1].milliseconds)) / 2)
                .rounded(.toNearestOrEven).int64)
          } else {
            wait = steps[step]
          }
        case .good:
          if step + 1 == steps.count {
            next.phase = .review
            next.step = nil
            wait = .days(Int64(nextInterval(stability: stability)))
          } else {
            next.step = step + 1
            wait = steps[step + 1]
          }
        case .easy:
          next.phase = .review
          next.step = nil
          wait = .days(Int64(nextInterval(stability: stability)))
        }
      }
    }

    if settings.enableFuzz, next.phase == .review, let fuzz {
      wait = fuzzed(wait, draw: fuzz)
    }
    next.due = time + wait
    return next
  }

  /// Probability of recall at `time`: FSRS's power forgetting curve over whole elapsed days.
  public func retrievability(of card: CardSchedule, at time: Timestamp) -> Double {
    let days = Double(max(0, time.wholeDays(since: card.lastReview)))
    return pow(1 + factor * days / card.stability, decay)
  }

  /// The review interval in days that brings retrievability down to the desired retention.
  public func nextInterval(stability: Double) -> Int {
    let raw = (stability / factor) * (pow(settings.desiredRetention, 1 / decay) - 1)
    // Python's round(): halves go to the even neighbour.
    let rounded = raw.rounded(.toNearestOrEven)
    let days = rounded >= Double(settings.maximumInterval) ? settings.maximumInterval : Int(rounded)
    return min(max(days, 1), settings.maximumInterval)
  }

  // MARK: Model formulas (FSRS-6)

  func initialStability(_ rating: Rating) -> Double {
    max(w[rating.rawValue - 1], Parameters.minimumStability)
  }

  func initialDifficulty(_ rating: Rating, clamped: Bool) -> Double {
    let value = w[4] - pow(M_E, w[5] * Double(rating.rawValue - 1)) + 1
    return clamped ? clampDifficulty(value) : value
  }

  func shortTermStability(_ stability: Double, rating: Rating) -> Double {
    var increase = pow(M_E, w[17] * (Double(rating.rawValue) - 3 + w[18])) * pow(stability, -w[19])
    if rating != .again { increase = max(increase, 1) }
    return max(stability * increase, Parameters.minimumStability)
  }

  func nextDifficulty(_ difficulty: Double, rating: Rating) -> Double {
    // Mean reversion pulls toward the *unclamped* initial difficulty of Easy.
    let target = initialDifficulty(.easy, clamped: false)
    let delta = -(w[6] * (Double(rating.rawValue) - 3))
    let damped = difficulty + (10 - difficulty) * delta / 9
    return clampDifficulty(w[7] * target + (1 - w[7]) * damped)
  }

  func nextStability(difficulty: Double, stability: Double, retrievability: Double, rating: Rating)
    -> Double
  {
    let value: Double
    if rating == .again {
      let longTerm =
        w[11] * pow(difficulty, -w[12]) * (pow(stability + 1, w[13]) - 1)
        * pow(M_E, (1 - retrievability) * w[14])
      let shortTerm = stability / pow(M_E, w[17] * w[18])
      value = min(longTerm, shortTerm)
    } else {
      let hardPenalty = rating == .hard ? w[15] : 1
      let easyBonus = rating == .easy ? w[16] : 1
      value =
        stability
        * (1 + pow(M_E, w[8]) * (11 - difficulty) * pow(stability, -w[9])
          * (pow(M_E, (1 - retrievability) * w[10]) - 1) * hardPenalty * easyBonus)
    }
    return max(value, Parameters.minimumStability)
  }

  private func clampDifficulty(_ value: Double) -> Double { min(max(value, 1), 10) }

  private func scaled(_ interval: Interval, by factor: Double) -> Interval {
    Interval(milliseconds: (Double(interval.milliseconds) * factor).rounded(.toNearestOrEven).int64)
  }

  // MARK: Fuzz

  /// The range of days a fuzzed review interval may take, as py-fsrs computes it.
  public func fuzzRange(days: Int) -> ClosedRange<Int> {
    var delta = 1.0
    for (start, end, share) in [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, Double.infinity, 0.05)] {
      delta += share * max(min(Double(days), end) - start, 0)
    }
    var low = Int((Double(days) - delta).rounded(.toNearestOrEven))
    var high = Int((Double(days) + delta).rounded(.toNearestOrEven))
    low = max(2, low)
    high = min(high, settings.maximumInterval)
    low = min(low, high)
    return low...high
  }

  private func fuzzed(_ interval: Interval, draw: Double) -> Interval {
    let days = Int(interval.milliseconds / Interval.day.milliseconds)
    guard Double(days) >= 2.5 else { return interval }
    let range = fuzzRange(days: days)
    let value = draw * Double(range.upperBound - range.lowerBound + 1) + Double(range.lowerBound)
    return .days(Int64(min(Int(value.rounded(.toNearestOrEven)), settings.maximumInterval)))
  }
}

extension Double {
  fileprivate var int64: Int64 { Int64(self) }
}
