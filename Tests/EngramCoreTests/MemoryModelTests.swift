import Foundation
import Testing

@testable import EngramCore

/// The one copy of FSRS-6's formulas, as the optimizer runs it, against py-fsrs's reference
/// vectors (`../shared/fsrs/vectors.json`) and against the scheduler.
@Suite struct MemoryModelTests {
  typealias Vectors = SchedulerConformanceTests.Vectors

  /// One reference case as the optimizer sees it: ratings and whole days since the review
  /// before (the vectors' elapsed time is whole 24-hour periods, as the scheduler counts it).
  static func trainingReviews(_ testCase: Vectors.Case) throws -> [TrainingSet.Review] {
    var previous: Timestamp?
    return try testCase.reviews.map { review in
      let time = try #require(ISO8601.parse(review.reviewTime))
      defer { previous = time }
      let days = previous.map { time.wholeDays(since: $0) } ?? 0
      return TrainingSet.Review(rating: try #require(Rating(rawValue: review.rating)), deltaT: Int32(days))
    }
  }

  @Test
  func
    `the optimizer's forward pass gives the scheduler's retrievability, stability and difficulty on every reference review`()
    throws
  {
    let vectors = try SchedulerConformanceTests.loadVectors()
    var compared = 0
    var predicted = 0
    var reviewCount = 0
    for testCase in vectors.cases {
      let config = try #require(vectors.configs[testCase.config])
      let scheduler = Scheduler(settings: try SchedulerConformanceTests.settings(config))
      let reviews = try Self.trainingReviews(testCase)
      reviewCount += reviews.count
      // What the optimizer computes: plain numbers (its predictions) and dual numbers (its loss).
      var plain: [(MemoryState<Double>, Double?)] = []
      FSRSModel.forward(reviews, model: MemoryModel(weights: config.parameters), shortTerm: true) {
        plain.append(($1, $2))
      }
      var dual: [(MemoryState<Dual>, Dual?)] = []
      let parameters = config.parameters.enumerated().map { Dual.parameter($1, index: $0) }
      FSRSModel.forward(reviews, model: MemoryModel(weights: parameters), shortTerm: true) { dual.append(($1, $2)) }
      // What the scheduler computes, review by review; training clamps stability at 36,500
      // days (as fsrs-rs does) and the scheduler does not (as py-fsrs does not), so a case is
      // compared until its stability first passes that.
      var card: CardSchedule?
      for (index, review) in testCase.reviews.enumerated() {
        let context = "case \(testCase.id) review \(index)"
        let time = try #require(ISO8601.parse(review.reviewTime))
        let rating = try #require(Rating(rawValue: review.rating))
        let (state, recall) = plain[index]
        if let card, reviews[index].deltaT >= 1 {
          let expected = try #require(review.retrievabilityBefore)
          #expect(recall == scheduler.retrievability(of: card, at: time), "\(context): R")
          #expect(SchedulerConformanceTests.close(try #require(recall), expected), "\(context): R vs py-fsrs")
          #expect(Self.close(try #require(dual[index].1).value, expected, 1e-12), "\(context): R with gradients")
          predicted += 1
        } else {
          #expect(recall == nil, "\(context): a first or same-day review is not predicted")
        }
        let next = scheduler.review(card, rating: rating, at: time)
        guard next.stability <= FSRSModel.maximumStability else { break }
        #expect(state.stability == next.stability, "\(context): S \(state.stability) vs \(next.stability)")
        #expect(state.difficulty == next.difficulty, "\(context): D \(state.difficulty) vs \(next.difficulty)")
        #expect(SchedulerConformanceTests.close(state.stability, review.after.stability), "\(context): S vs py-fsrs")
        #expect(SchedulerConformanceTests.close(state.difficulty, review.after.difficulty), "\(context): D vs py-fsrs")
        #expect(Self.close(dual[index].0.stability.value, next.stability, 1e-12), "\(context): S with gradients")
        #expect(Self.close(dual[index].0.difficulty.value, next.difficulty, 1e-12), "\(context): D with gradients")
        card = next
        compared += 1
      }
    }
    #expect(reviewCount == 3451)
    // Most of the reference reviews stay under the training clamp.
    #expect(compared > 3000, "\(compared) reviews compared")
    #expect(predicted > 1000, "\(predicted) predictions compared")
  }

  static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    a == b || abs(a - b) <= tolerance * max(abs(a), abs(b))
  }

  @Test func `stability after a success grows with the hard penalty and easy bonus as FSRS-6 defines`() {
    // Hand calculation with the default weights, S = 10, D = 5, R = 0.9:
    // S' = S · (1 + e^w8 · (11 − D) · S^−w9 · (e^((1 − R)·w10) − 1) · penalty or bonus).
    let w = Parameters.defaults.weights
    let model = MemoryModel(weights: w)
    let core = exp(w[8]) * 6 * pow(10, -w[9]) * (exp(0.1 * w[10]) - 1)
    for (rating, factor) in [(Rating.hard, w[15]), (.good, 1), (.easy, w[16])] {
      let value = model.stabilityAfterSuccess(stability: 10, difficulty: 5, retrievability: 0.9, rating: rating)
      #expect(abs(value - 10 * (1 + core * factor)) < 1e-12, "\(rating)")
    }
  }

  @Test func `a lapse keeps the long-term formula's stability, capped at S divided by e to the w17 w18`() {
    // Hand calculation with the default weights:
    // long term = w11 · D^−w12 · ((S + 1)^w13 − 1) · e^((1 − R)·w14), cap = S / e^(w17·w18).
    let w = Parameters.defaults.weights
    let model = MemoryModel(weights: w)
    // S = 100, D = 5, R = 0.9: about 3.75 days, well under the cap (about 95).
    let longTerm = w[11] * pow(5, -w[12]) * (pow(101, w[13]) - 1) * exp(0.1 * w[14])
    #expect(longTerm < 100 / exp(w[17] * w[18]))
    #expect(abs(model.stabilityAfterFailure(stability: 100, difficulty: 5, retrievability: 0.9) - longTerm) < 1e-12)
    // S = 1, D = 1, R = 0.1: the long-term formula gives about 1.31, over the cap of about 0.95.
    let cap = 1 / exp(w[17] * w[18])
    #expect(w[11] * (pow(2, w[13]) - 1) * exp(0.9 * w[14]) > cap)
    #expect(abs(model.stabilityAfterFailure(stability: 1, difficulty: 1, retrievability: 0.1) - cap) < 1e-12)
  }
}
