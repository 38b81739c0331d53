import Foundation
import Testing

@testable import EngramCore

/// The optimizer against fsrs-rs's own figures on a synthetic learner with known parameters.
@Suite struct OptimizerTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

  struct Reference: Decodable {
    struct Score: Decodable {
      let logLoss: Double
      enum CodingKeys: String, CodingKey { case logLoss = "log_loss" }
    }
    let items: Int
    let eval: [String: Score]
  }

  struct Truth: Decodable {
    let trueParametersPerLearner: [String: [Double]]
    enum CodingKeys: String, CodingKey { case trueParametersPerLearner = "true_parameters_per_learner" }
  }

  /// The fixture as fsrs_rs_optimize.py reads it: UTC, days rolling over at 04:00.
  static func trainingSet() throws -> TrainingSet {
    let text = try String(contentsOf: fixtures.appending(path: "synth-1000.csv"), encoding: .utf8)
    var byCard: [String: [(Int64, Int)]] = [:]
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
      let fields = line.split(separator: ",")
      guard fields.count >= 3, let ms = Int64(fields[1]), let rating = Int(fields[2]) else { continue }
      byCard[String(fields[0]), default: []].append((ms, rating))
    }
    let histories = byCard.map { card, reviews in
      (
        card: card,
        reviews: reviews.sorted { $0.0 < $1.0 }.map { (day: Int(($0.0 / 1000 - 4 * 3600) / 86_400), rating: $0.1) }
      )
    }
    return TrainingSet(histories: histories)
  }

  static func reference() throws -> Reference {
    try JSONDecoder().decode(
      Reference.self, from: Data(contentsOf: fixtures.appending(path: "synth-1000.fsrs-rs.json")))
  }

  @Test func `training items and log loss match fsrs-rs for default and true parameters`() throws {
    let set = try Self.trainingSet()
    let reference = try Self.reference()
    #expect(set.itemCount == reference.items)
    let optimizer = Optimizer()
    let defaults = optimizer.evaluate(Parameters.defaults.weights, on: set)
    #expect(abs(defaults.logLoss - (reference.eval["default"]?.logLoss ?? 0)) < 1e-5)
    let truth = try JSONDecoder().decode(
      Truth.self, from: Data(contentsOf: Self.fixtures.appending(path: "synth-1000.truth.json")))
    let trueParameters = try #require(truth.trueParametersPerLearner["0"])
    #expect(abs(optimizer.evaluate(trueParameters, on: set).logLoss - (reference.eval["truth"]?.logLoss ?? 0)) < 1e-5)
  }

  @Test func `fitting recovers the learner: log loss within 0.002 of the truth's and of fsrs-rs's fit`() throws {
    let set = try Self.trainingSet()
    let reference = try Self.reference()
    let optimizer = Optimizer()
    let fitted = optimizer.fit(set, initial: Parameters.defaults.weights)
    let loss = optimizer.evaluate(fitted, on: set).logLoss
    #expect(loss <= (reference.eval["truth"]?.logLoss ?? 0) + 0.002)
    #expect(loss <= (reference.eval["fitted"]?.logLoss ?? 0) + 0.001)
    #expect(loss < optimizer.evaluate(Parameters.defaults.weights, on: set).logLoss)
    // Every fitted parameter stays inside FSRS-6's bounds.
    #expect((try? Parameters(fitted)) != nil)
  }

  @Test func `dual-number gradients agree with finite differences`() throws {
    let set = try Self.trainingSet()
    let cards = set.cards[0..<200]
    var w = Parameters.defaults.weights
    w[7] = 0.05  // away from a bound, so both sides of the difference are valid
    let exact = FSRSModel.loss(parameters: w, cards: cards)
    func plain(_ parameters: [Double]) -> Double { FSRSModel.loss(parameters: parameters, cards: cards).value }
    for index in 0..<21 {
      let h = max(1e-6, abs(w[index]) * 1e-6)
      var up = w
      var down = w
      up[index] += h
      down[index] -= h
      let numeric = (plain(up) - plain(down)) / (2 * h)
      let analytic = exact.gradient[index]
      #expect(abs(numeric - analytic) <= 1e-4 * max(1, abs(analytic)), "w\(index): \(analytic) vs \(numeric)")
    }
  }

  @Test func `recency weights rise from a quarter to one as fsrs-rs weighs items`() {
    let set = TrainingSet(histories: [
      (card: "a", reviews: [(day: 0, rating: 3), (day: 2, rating: 3), (day: 6, rating: 3)]),
      (card: "b", reviews: [(day: 1, rating: 1), (day: 1, rating: 3), (day: 4, rating: 3)]),
    ])
    #expect(set.itemCount == 3)
    let weights = set.cards.flatMap { $0.map(\.weight) }.filter { $0 > 0 }.sorted()
    // Items by day: a@2, b@4, a@6 -> positions 0, 0.5, 1 -> 0.25, 0.25 + 0.75/8, 1.
    #expect(weights == [0.25, 0.34375, 1.0])
  }
}
