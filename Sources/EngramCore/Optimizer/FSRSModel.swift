import Foundation

/// The FSRS-6 memory model as a function of its parameters, for fitting: the same formulas as
/// `Scheduler` (and fsrs-rs's model), over whole days, written once for plain numbers and once
/// with gradients.
public enum FSRSModel {
  static let minimumStability = 0.001
  static let maximumStability = 36500.0
  static let probabilityFloor = 1e-7

  /// The summed recency-weighted binary cross-entropy of the items of `cards`, with its gradient.
  public static func loss(
    parameters w: [Double], cards: ArraySlice<[TrainingSet.Review]>, shortTerm: Bool = true
  ) -> Dual {
    let p = (0..<21).map { Dual.parameter(w[$0], index: $0) }
    let decay = -p[20]
    let factor = Dual.exp(Dual.log(Dual(0.9)) / decay) - 1.0
    let easyTarget = p[4] - Dual.exp(p[5] * 3.0) + 1.0  // unclamped initial difficulty of Easy
    let shortTermFailure = Dual.exp(p[17] * p[18])
    var total = Dual(0)
    for card in cards {
      var stability = p[Int(card[0].rating) - 1]
      if stability.value < minimumStability { stability = Dual(minimumStability) }
      var difficulty = clampDifficulty(p[4] - Dual.exp(p[5] * Double(Int(card[0].rating) - 1)) + 1.0)
      for review in card.dropFirst() {
        let rating = Double(review.rating)
        if review.deltaT > 0 {
          let recall = Dual.pow(factor * (Double(review.deltaT)) / stability + 1.0, decay)
          let clamped = recall.value < probabilityFloor
            ? Dual(probabilityFloor) : recall.value > 1 - probabilityFloor ? Dual(1 - probabilityFloor) : recall
          total = total - (review.rating > 1 ? Dual.log(clamped) : Dual.log(1.0 - clamped)) * review.weight
          if review.rating == 1 {
            let longTerm = p[11] * Dual.pow(difficulty, -p[12]) * (Dual.pow(stability + 1.0, p[13]) - 1.0)
              * Dual.exp((1.0 - recall) * p[14])
            let shortTermCap = stability / shortTermFailure
            stability = longTerm.value < shortTermCap.value ? longTerm : shortTermCap
          } else {
            var increase = Dual.exp(p[8]) * (11.0 - difficulty) * Dual.pow(stability, -p[9])
              * (Dual.exp((1.0 - recall) * p[10]) - 1.0)
            if review.rating == 2 { increase = increase * p[15] }
            if review.rating == 4 { increase = increase * p[16] }
            stability = stability * (increase + 1.0)
          }
        } else if shortTerm {
          var increase = Dual.exp(p[17] * (p[18] + (rating - 3))) * Dual.pow(stability, -p[19])
          if review.rating >= 2 && increase.value < 1 { increase = Dual(1) }
          stability = stability * increase
        }
        stability = clampStability(stability)
        let damped = difficulty + (10.0 - difficulty) * (-p[6] * (rating - 3)) / Dual(9)
        difficulty = clampDifficulty(p[7] * easyTarget + (1.0 - p[7]) * damped)
      }
    }
    return total
  }

  /// Predicted recall, outcome and weight of every item, for evaluation (no gradients).
  public static func predictions(parameters w: [Double], set: TrainingSet, shortTerm: Bool = true)
    -> [(probability: Double, recalled: Bool, weight: Double)]
  {
    let decay = -w[20]
    let factor = pow(0.9, 1 / decay) - 1
    let easyTarget = w[4] - exp(w[5] * 3) + 1
    var result: [(Double, Bool, Double)] = []
    result.reserveCapacity(set.itemCount)
    for card in set.cards {
      var stability = max(w[Int(card[0].rating) - 1], minimumStability)
      var difficulty = min(max(w[4] - exp(w[5] * Double(Int(card[0].rating) - 1)) + 1, 1), 10)
      for review in card.dropFirst() {
        let rating = Double(review.rating)
        if review.deltaT > 0 {
          let recall = pow(1 + factor * Double(review.deltaT) / stability, decay)
          result.append((min(max(recall, probabilityFloor), 1 - probabilityFloor), review.rating > 1, review.weight))
          if review.rating == 1 {
            let longTerm = w[11] * pow(difficulty, -w[12]) * (pow(stability + 1, w[13]) - 1) * exp((1 - recall) * w[14])
            stability = min(longTerm, stability / exp(w[17] * w[18]))
          } else {
            let penalty = review.rating == 2 ? w[15] : review.rating == 4 ? w[16] : 1
            stability *= 1 + exp(w[8]) * (11 - difficulty) * pow(stability, -w[9]) * (exp((1 - recall) * w[10]) - 1) * penalty
          }
        } else if shortTerm {
          var increase = exp(w[17] * (rating - 3 + w[18])) * pow(stability, -w[19])
          if review.rating >= 2 { increase = max(increase, 1) }
          stability *= increase
        }
        stability = min(max(stability, minimumStability), maximumStability)
        let damped = difficulty + (10 - difficulty) * (-w[6] * (rating - 3)) / 9
        difficulty = min(max(w[7] * easyTarget + (1 - w[7]) * damped, 1), 10)
      }
    }
    return result
  }

  @inline(__always) static func clampDifficulty(_ d: Dual) -> Dual {
    d.value < 1 ? Dual(1) : d.value > 10 ? Dual(10) : d
  }

  @inline(__always) static func clampStability(_ s: Dual) -> Dual {
    s.value < minimumStability ? Dual(minimumStability) : s.value > maximumStability ? Dual(maximumStability) : s
  }
}
