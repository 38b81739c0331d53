/// FSRS-6's memory model, each formula written once as a named function over any
/// `ModelScalar`: `Double` for the scheduler, `Dual` for the optimizer's gradients.
///
/// The formulas and their names follow fsrs-rs's `model.rs` (shared there by inference and
/// training); the order of every operation follows py-fsrs 6.3.2, so that the scheduler
/// reproduces the reference vectors bit for bit. Stability is in days; difficulty runs from
/// 1 (easy) to 10 (hard); elapsed time is in whole days.
struct MemoryModel<Scalar: ModelScalar>: Sendable {
  /// The weights w0…w20.
  let w: [Scalar]
  /// The forgetting curve's exponent, `-w20`.
  let decay: Scalar
  /// Scales elapsed time so that retrievability is 0.9 when elapsed days equal stability.
  let factor: Scalar
  /// Mean reversion's target: the *unclamped* initial difficulty of Easy.
  let reversionTarget: Scalar
  /// The most a lapse keeps: stability after Again is at most stability / e^(w17·w18).
  let lapseDivisor: Scalar
  /// e^w8, the scale of stability's growth after a success (computed once: it is the same for
  /// every review).
  let growthScale: Scalar

  /// A model with these 21 weights.
  init(weights: [Scalar]) {
    precondition(weights.count == 21, "FSRS-6 has 21 weights")
    w = weights
    decay = -weights[20]
    factor = Scalar.power(0.9, 1 / decay) - 1
    reversionTarget = Self.initDifficulty(.easy, weights: weights)
    lapseDivisor = Scalar.exponential(weights[17] * weights[18])
    growthScale = Scalar.exponential(weights[8])
  }

  // MARK: Recall

  /// Probability of recall `elapsedDays` after a review that left `stability`.
  @inline(__always) func powerForgettingCurve(elapsedDays: Double, stability: Scalar) -> Scalar {
    Scalar.power(1 + factor * elapsedDays / stability, decay)
  }

  /// The part of `interval` that depends on the desired retention alone,
  /// `desiredRetention^(1/decay) - 1`: a scheduler works it out once, not per review.
  @inline(__always) func retentionTerm(_ desiredRetention: Double) -> Scalar {
    Scalar.power(desiredRetention, 1 / decay) - 1
  }

  /// The days, unrounded, until recall falls to the desired retention whose `retentionTerm`
  /// is given: `(stability / factor) · (desiredRetention^(1/decay) - 1)`, in py-fsrs's order.
  @inline(__always) func interval(stability: Scalar, retentionTerm: Scalar) -> Scalar {
    (stability / factor) * retentionTerm
  }

  // MARK: First review

  /// Stability after a card's first review.
  @inline(__always) func initStability(_ rating: Rating) -> Scalar {
    Scalar.atLeast(w[rating.rawValue - 1], Parameters.minimumStability)
  }

  /// Difficulty after a card's first review, before clamping to 1…10.
  @inline(__always) func initDifficulty(_ rating: Rating) -> Scalar { Self.initDifficulty(rating, weights: w) }

  @inline(__always) private static func initDifficulty(_ rating: Rating, weights w: [Scalar]) -> Scalar {
    w[4] - Scalar.exponential(w[5] * Double(rating.rawValue - 1)) + 1
  }

  /// The state after a card's first review.
  @inline(__always) func initState(_ rating: Rating) -> MemoryState<Scalar> {
    MemoryState(stability: initStability(rating), difficulty: clampDifficulty(initDifficulty(rating)))
  }

  // MARK: Difficulty

  /// The change of difficulty a rating makes, damped as difficulty nears 10.
  @inline(__always) func linearDamping(_ delta: Scalar, difficulty: Scalar) -> Scalar {
    (10 - difficulty) * delta / 9
  }

  /// Pulls difficulty by w7 toward the initial difficulty of Easy.
  @inline(__always) func meanReversion(_ difficulty: Scalar) -> Scalar {
    w[7] * reversionTarget + (1 - w[7]) * difficulty
  }

  /// Difficulty after a review rated `rating`.
  @inline(__always) func nextDifficulty(_ difficulty: Scalar, rating: Rating) -> Scalar {
    let delta = -(w[6] * (Double(rating.rawValue) - 3))
    return clampDifficulty(meanReversion(difficulty + linearDamping(delta, difficulty: difficulty)))
  }

  @inline(__always) func clampDifficulty(_ difficulty: Scalar) -> Scalar {
    Scalar.atMost(Scalar.atLeast(difficulty, 1), 10)
  }

  // MARK: Stability

  /// Stability after a successful review (Hard, Good or Easy) a day or more after the last.
  @inline(__always) func stabilityAfterSuccess(
    stability: Scalar, difficulty: Scalar, retrievability: Scalar, rating: Rating
  ) -> Scalar {
    var increase =
      growthScale * (11 - difficulty) * Scalar.power(stability, -w[9])
      * (Scalar.exponential((1 - retrievability) * w[10]) - 1)
    if rating == .hard { increase = increase * w[15] }
    if rating == .easy { increase = increase * w[16] }
    return stability * (1 + increase)
  }

  /// Stability after a lapse (Again) a day or more after the last review: never more than the
  /// short-term formula would leave.
  @inline(__always) func stabilityAfterFailure(stability: Scalar, difficulty: Scalar, retrievability: Scalar)
    -> Scalar
  {
    let longTerm =
      w[11] * Scalar.power(difficulty, -w[12]) * (Scalar.power(stability + 1, w[13]) - 1)
      * Scalar.exponential((1 - retrievability) * w[14])
    return Scalar.minimum(longTerm, stability / lapseDivisor)
  }

  /// Stability after a review less than a day after the last (FSRS-6's short-term formula).
  @inline(__always) func stabilityShortTerm(_ stability: Scalar, rating: Rating) -> Scalar {
    var increase =
      Scalar.exponential(w[17] * (Double(rating.rawValue) - 3 + w[18])) * Scalar.power(stability, -w[19])
    if rating != .again { increase = Scalar.atLeast(increase, 1) }
    return Scalar.atLeast(stability * increase, Parameters.minimumStability)
  }

  /// Stability after a review a day or more after the last.
  @inline(__always) func nextStability(
    stability: Scalar, difficulty: Scalar, retrievability: Scalar, rating: Rating
  ) -> Scalar {
    let value =
      rating == .again
      ? stabilityAfterFailure(stability: stability, difficulty: difficulty, retrievability: retrievability)
      : stabilityAfterSuccess(
        stability: stability, difficulty: difficulty, retrievability: retrievability, rating: rating)
    return Scalar.atLeast(value, Parameters.minimumStability)
  }

  // MARK: One review

  /// The state after a review rated `rating`, `elapsedDays` whole days after the previous one,
  /// and the retrievability the model predicted for it (nil under a day: FSRS-6 predicts only
  /// reviews a day or more apart, and applies its short-term formula to the others).
  ///
  /// - Parameter shortTerm: whether same-day reviews change stability (the optimizer can turn
  ///   this off, as fsrs-rs can).
  @inline(__always) func step(
    _ state: MemoryState<Scalar>, elapsedDays: Int64, rating: Rating, shortTerm: Bool = true
  ) -> (state: MemoryState<Scalar>, retrievability: Scalar?) {
    var stability = state.stability
    var recall: Scalar?
    if elapsedDays >= 1 {
      let r = powerForgettingCurve(elapsedDays: Double(elapsedDays), stability: state.stability)
      stability = nextStability(
        stability: state.stability, difficulty: state.difficulty, retrievability: r, rating: rating)
      recall = r
    } else if shortTerm {
      stability = stabilityShortTerm(state.stability, rating: rating)
    }
    let next = MemoryState(stability: stability, difficulty: nextDifficulty(state.difficulty, rating: rating))
    return (next, recall)
  }
}

/// What FSRS-6 knows of a card's memory after a review.
struct MemoryState<Scalar: ModelScalar>: Sendable {
  /// Days for retrievability to fall to 90%.
  var stability: Scalar
  /// 1 (easy) to 10 (hard).
  var difficulty: Scalar
}
