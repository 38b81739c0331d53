import Foundation

/// The FSRS-6 memory model run over training data, for fitting: the optimizer's loss (with
/// gradients) and its predictions (without), both through `forward`, which runs the very
/// formulas the scheduler runs (`MemoryModel`).
public enum FSRSModel {
  /// The largest stability training allows, in days, as fsrs-rs clamps it (the scheduler, like
  /// py-fsrs, has no upper bound).
  static let maximumStability = 36500.0
  /// Predicted recall is kept this far from 0 and 1, so that its log stays finite.
  static let probabilityFloor = 1e-7

  /// The summed recency-weighted binary cross-entropy of the items of `cards`, with its gradient.
  public static func loss(
    parameters w: [Double], cards: ArraySlice<[TrainingSet.Review]>, shortTerm: Bool = true
  ) -> Dual {
    let model = MemoryModel(weights: (0..<21).map { Dual.parameter(w[$0], index: $0) })
    var total = Dual(0)
    for card in cards {
      forward(card, model: model, shortTerm: shortTerm) { review, _, recall in
        guard let recall else { return }
        let p = clampProbability(recall)
        total = total - (review.rating > .again ? Dual.log(p) : Dual.log(1 - p)) * review.weight
      }
    }
    return total
  }

  /// Predicted recall, outcome and weight of every item, for evaluation (no gradients).
  public static func predictions(parameters w: [Double], set: TrainingSet, shortTerm: Bool = true)
    -> [(probability: Double, recalled: Bool, weight: Double)]
  {
    let model = MemoryModel(weights: w)
    var result: [(Double, Bool, Double)] = []
    result.reserveCapacity(set.itemCount)
    for card in set.cards {
      forward(card, model: model, shortTerm: shortTerm) { review, _, recall in
        guard let recall else { return }
        result.append((clampProbability(recall), review.rating > .again, review.weight))
      }
    }
    return result
  }

  /// Runs the model over one card's reviews in order, calling `each` with every review, the
  /// state after it and the recall predicted for it (nil for the first review and for reviews
  /// on the same day as the one before, which are not predicted).
  @inline(__always) static func forward<Scalar: ModelScalar>(
    _ card: [TrainingSet.Review], model: MemoryModel<Scalar>, shortTerm: Bool,
    each: (TrainingSet.Review, MemoryState<Scalar>, Scalar?) -> Void
  ) {
    guard let first = card.first else { return }
    var state = model.initState(first.rating)
    each(first, state, nil)
    for review in card.dropFirst() {
      let (next, recall) = model.step(
        state, elapsedDays: Int64(review.deltaT), rating: review.rating, shortTerm: shortTerm)
      state = next
      state.stability = Scalar.atMost(state.stability, maximumStability)
      each(review, state, recall)
    }
  }

  @inline(__always) static func clampProbability<Scalar: ModelScalar>(_ p: Scalar) -> Scalar {
    Scalar.atMost(Scalar.atLeast(p, probabilityFloor), 1 - probabilityFloor)
  }
}
