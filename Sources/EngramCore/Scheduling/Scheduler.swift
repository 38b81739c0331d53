/// FSRS-6, computing exactly what the reference implementation (py-fsrs 6.3.2) computes.
///
/// Pure: the review time and the fuzz draw are arguments, so replaying a log always yields the
/// same states. The shape mirrors py-fsrs's `review_card` closely on purpose: any divergence
/// is a conformance bug, and side-by-side reading is how those are found. The memory formulas
/// themselves live once in `MemoryModel`, shared with the optimizer; this type adds the
/// learning steps, intervals and fuzz.
public struct Scheduler: Sendable {
  public let settings: SchedulerSettings
  /// FSRS-6's forgetting-curve exponent, `-w20`.
  public let decay: Double
  /// Scales elapsed time so that retrievability is 0.9 when elapsed days equal stability.
  public let factor: Double

  /// FSRS-6's formulas over these settings' weights.
  let model: MemoryModel<Double>
  /// `model.retentionTerm` of the desired retention, the same for every interval.
  private let retentionTerm: Double

  public init(settings: SchedulerSettings) {
    self.settings = settings
    model = MemoryModel(weights: settings.parameters.weights)
    decay = model.decay
    factor = model.factor
    retentionTerm = model.retentionTerm(settings.desiredRetention)
  }

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
    review(card, rating: rating, at: time, fuzz: fuzz, picker: PlainFuzz())
  }

  /// `review(_:rating:at:fuzz:)`, with the day of an interval that fuzz spreads (a review
  /// interval of 3 days or more, fuzz on and drawn) picked by `picker` from the fuzz range and
  /// the draw; when it picks none, the plain fuzz stands. The load balancer picks this way, so
  /// the range is worked out once per review and no fuzzed day is worked out only to be
  /// replaced.
  @inline(__always)
  func review<Picker: IntervalPicker>(
    _ card: CardSchedule?, rating: Rating, at time: Timestamp, fuzz: Double?, picker: borrowing Picker
  ) -> CardSchedule {
    let phase: Phase
    let step: Int
    let memory: MemoryState<Double>

    if let card {
      phase = card.phase
      step = card.step ?? 0
      let before = MemoryState(stability: card.stability, difficulty: card.difficulty)
      memory = model.step(before, elapsedDays: time.wholeDays(since: card.lastReview), rating: rating).state
    } else {
      phase = .learning
      step = 0
      memory = model.initState(rating)
    }
    let stability = memory.stability

    var next = CardSchedule(
      phase: phase, step: step, stability: stability, difficulty: memory.difficulty, due: time,
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
    case .learning:
      wait = stepped(&next, on: settings.learningSteps, step: step, rating: rating)
    case .relearning:
      wait = stepped(&next, on: settings.relearningSteps, step: step, rating: rating)
    }

    if settings.enableFuzz, next.phase == .review, let fuzz {
      wait = fuzzed(wait, draw: fuzz, time: time, picker: picker)
    }
    next.due = time + wait
    return next
  }

  /// The wait of a learning or relearning card (`next`, at `step` of `steps`) rated `rating`,
  /// setting its next phase and step: py-fsrs's learning and relearning branches, one rule over
  /// the phase's steps. The steps are handed over borrowed: a local array chosen between the
  /// two was retained and released per review.
  @inline(__always)
  private func stepped(_ next: inout CardSchedule, on steps: [Interval], step: Int, rating: Rating) -> Interval {
    let stability = next.stability
    let wait: Interval
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
    return wait
  }

  /// The card's state after each rating at `time`, with one fuzz draw for all four.
  ///
  /// - Parameters:
  ///   - card: the card's state before, or nil for a new card.
  ///   - fuzz: a uniform draw in [0, 1) (`FuzzSeed.draw(card:time:)` for `time`, as replay
  ///     draws it), or nil for none.
  public func nextStates(from card: CardSchedule?, at time: Timestamp, fuzz: Double?) -> NextStates {
    NextStates(
      time: time,
      again: review(card, rating: .again, at: time, fuzz: fuzz),
      hard: review(card, rating: .hard, at: time, fuzz: fuzz),
      good: review(card, rating: .good, at: time, fuzz: fuzz),
      easy: review(card, rating: .easy, at: time, fuzz: fuzz))
  }

  /// Probability of recall at `time`: FSRS's power forgetting curve over whole elapsed days.
  public func retrievability(of card: CardSchedule, at time: Timestamp) -> Double {
    let days = Double(max(0, time.wholeDays(since: card.lastReview)))
    return model.powerForgettingCurve(elapsedDays: days, stability: card.stability)
  }

  /// The review interval in days that brings retrievability down to the desired retention.
  public func nextInterval(stability: Double) -> Int {
    let raw = model.interval(stability: stability, retentionTerm: retentionTerm)
    // Python's round(): halves go to the even neighbour.
    let rounded = raw.rounded(.toNearestOrEven)
    let days = rounded >= Double(settings.maximumInterval) ? settings.maximumInterval : Int(rounded)
    return min(max(days, 1), settings.maximumInterval)
  }

  private func scaled(_ interval: Interval, by factor: Double) -> Interval {
    Interval(milliseconds: (Double(interval.milliseconds) * factor).rounded(.toNearestOrEven).int64)
  }

  // MARK: Fuzz

  /// The range of days a fuzzed review interval may take, as py-fsrs computes it.
  public func fuzzRange(days: Int) -> ClosedRange<Int> {
    // py-fsrs's FUZZ_RANGES, unrolled: a replay calls this for every review, and the table as
    // an array literal was built on the heap each time.
    var delta = 1.0
    delta += 0.15 * max(min(Double(days), 7.0) - 2.5, 0)
    delta += 0.1 * max(min(Double(days), 20.0) - 7.0, 0)
    delta += 0.05 * max(min(Double(days), Double.infinity) - 20.0, 0)
    var low = Int((Double(days) - delta).rounded(.toNearestOrEven))
    var high = Int((Double(days) + delta).rounded(.toNearestOrEven))
    low = max(2, low)
    high = min(high, settings.maximumInterval)
    low = min(low, high)
    return low...high
  }

  @inline(__always)
  private func fuzzed<Picker: IntervalPicker>(
    _ interval: Interval, draw: Double, time: Timestamp, picker: borrowing Picker
  ) -> Interval {
    let days = Int(interval.milliseconds / Interval.day.milliseconds)
    guard Double(days) >= 2.5 else { return interval }
    let range = fuzzRange(days: days)
    if let picked = picker.interval(in: range, reviewTime: time, draw: draw) { return .days(Int64(picked)) }
    let value = draw * Double(range.upperBound - range.lowerBound + 1) + Double(range.lowerBound)
    return .days(Int64(min(Int(value.rounded(.toNearestOrEven)), settings.maximumInterval)))
  }
}

extension Double {
  fileprivate var int64: Int64 { Int64(self) }
}

/// Picks the day of a review interval the fuzz would spread, from its fuzz range and the
/// review's fuzz draw (nil: none, the plain fuzz stands): what `LoadBalancer` does.
protocol IntervalPicker {
  func interval(in range: ClosedRange<Int>, reviewTime: Timestamp, draw: Double) -> Int?
}

/// No pick: the plain fuzz always stands.
struct PlainFuzz: IntervalPicker {
  @inline(__always)
  func interval(in range: ClosedRange<Int>, reviewTime: Timestamp, draw: Double) -> Int? { nil }
}
