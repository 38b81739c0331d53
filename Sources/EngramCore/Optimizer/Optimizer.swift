import Foundation

/// Fits the 21 FSRS-6 parameters to one learner's history.
///
/// The objective is fsrs-rs's: binary cross-entropy of the predicted recall of every review
/// after the first with a positive gap in whole study days (same-day reviews update stability
/// through FSRS-6's short-term formula but are not predicted). The method: initial stabilities
/// w0–w3 are first fitted in closed form per first rating (a one-dimensional search each, as
/// fsrs-rs's pre-training does), then all 21 parameters are refined by mini-batch Adam with a
/// cosine-decayed learning rate, using exact gradients from forward-mode dual numbers, and
/// clipped to the FSRS-6 bounds after every step.
public struct Optimizer: Sendable {
  public struct Settings: Sendable {
    public var epochs = 5
    /// Training items per Adam step, as fsrs-rs's batch size (cards are kept whole).
    public var batchItems = 512
    public var learningRate = 0.04
    public var seed: UInt64 = 42
    public var shortTerm = true
    public init() {}
  }

  /// Log loss and RMSE(bins) of a parameter set on the training data.
  public struct Evaluation: Sendable, Equatable {
    public var logLoss: Double
    public var rmseBins: Double
  }

  public let settings: Settings

  public init(settings: Settings = Settings()) { self.settings = settings }

  /// What a history supports, as fsrs-rs decides it.
  public enum Plan: Sendable, Equatable {
    /// Fewer than `minimumItems` items: the parameters stay as they are.
    case keep
    /// Fewer than `fullFitItems` (or only first reviews a day or more later): the initial
    /// stabilities w0–w3 are fitted, the rest stay.
    case initialStability
    /// All 21 parameters.
    case full
  }

  /// Below this many items (after fsrs-rs's outlier filter) fsrs-rs fits nothing.
  public static let minimumItems = 8
  /// Items (after the filter) from which all 21 parameters are fitted (fsrs-rs's threshold).
  public static let fullFitItems = 64

  /// What `set` supports, counted as fsrs-rs counts after its outlier filter.
  public static func plan(for set: TrainingSet) -> Plan {
    plan(for: InitialStability.analyse(set))
  }

  static func plan(for analysis: InitialStability.Analysis) -> Plan {
    if analysis.items < minimumItems || analysis.kept.isEmpty { return .keep }
    return analysis.items < fullFitItems || analysis.items == analysis.kept.count ? .initialStability : .full
  }

  /// The parameters `set` supports, starting from `initial`: unchanged, with w0–w3 fitted
  /// (fsrs-rs's pre-training), or fully fitted.
  public func fitting(_ set: TrainingSet, initial: [Double]) -> (parameters: [Double], plan: Plan) {
    let analysis = InitialStability.analyse(set)
    let plan = Optimizer.plan(for: analysis)
    switch plan {
    case .keep:
      return (initial, plan)
    case .initialStability:
      var w = initial
      if let stabilities = InitialStability.fit(
        analysis.kept, averageRecall: analysis.averageRecall, defaults: Array(Parameters.defaults.weights.prefix(4)),
        decay: initial[20])
      {
        w.replaceSubrange(0..<4, with: stabilities)
      }
      return (w, plan)
    case .full:
      return (fit(set, initial: initial), plan)
    }
  }

  /// Mean log loss and RMSE over 20 bins of predicted recall.
  public func evaluate(_ parameters: [Double], on set: TrainingSet) -> Evaluation {
    let predictions = FSRSModel.predictions(parameters: parameters, set: set, shortTerm: settings.shortTerm)
    guard !predictions.isEmpty else { return Evaluation(logLoss: 0, rmseBins: 0) }
    var loss = 0.0
    var totalWeight = 0.0
    var bins: [Int: (predicted: Double, actual: Double, count: Double)] = [:]
    for (p, recalled, weight) in predictions {
      loss -= (recalled ? log(p) : log(1 - p)) * weight
      totalWeight += weight
      let bin = Int((p * 20).rounded())
      bins[bin, default: (0, 0, 0)].predicted += p * weight
      bins[bin, default: (0, 0, 0)].actual += recalled ? weight : 0
      bins[bin, default: (0, 0, 0)].count += weight
    }
    var squared = 0.0
    for bin in bins.values where bin.count > 0 {
      let gap = bin.predicted / bin.count - bin.actual / bin.count
      squared += gap * gap * bin.count
    }
    return Evaluation(logLoss: loss / totalWeight, rmseBins: (squared / totalWeight).squareRoot())
  }

  /// The fitted parameters, starting from `initial`.
  public func fit(_ set: TrainingSet, initial: [Double]) -> [Double] {
    var w = pretrainInitialStability(set, initial: initial)
    var random = SeededRandom(seed: settings.seed)
    var order = Array(set.cards.indices)
    let itemsPerCard = set.cards.map { card in card.reduce(0) { $0 + ($1.weight > 0 ? 1 : 0) } }
    let batchesPerEpoch = max(1, (set.itemCount + settings.batchItems - 1) / settings.batchItems)
    let totalSteps = batchesPerEpoch * settings.epochs
    var m = [Double](repeating: 0, count: 21)
    var v = [Double](repeating: 0, count: 21)
    var step = 0
    let lower = Optimizer.bounds.lower
    let upper = Optimizer.bounds.upper
    for _ in 0..<settings.epochs {
      order.shuffle(using: &random)
      var start = 0
      while start < order.count {
        // Whole cards until the batch holds about `batchItems` items.
        var end = start
        var items = 0
        while end < order.count && items < settings.batchItems {
          items += itemsPerCard[order[end]]
          end += 1
        }
        let slice = order[start..<end].map { set.cards[$0] }[...]
        start = end
        let weight = slice.reduce(0.0) { total, card in total + card.reduce(0) { $0 + $1.weight } }
        guard weight > 0 else { continue }
        let loss = FSRSModel.loss(parameters: w, cards: slice, shortTerm: settings.shortTerm)
        step += 1
        let rate =
          settings.learningRate * 0.5 * (1 + cos(Double.pi * Double(min(step, totalSteps) - 1) / Double(totalSteps)))
        for index in 0..<21 {
          let gradient = loss.gradient[index] / weight
          guard gradient.isFinite else { continue }
          m[index] = m[index] * 0.9 + gradient * 0.1
          v[index] = v[index] * 0.999 + gradient * gradient * 0.001
          let mHat = m[index] / (1 - pow(0.9, Double(step)))
          let vHat = v[index] / (1 - pow(0.999, Double(step)))
          w[index] = min(max(w[index] - rate * mHat / (vHat.squareRoot() + 1e-8), lower[index]), upper[index])
        }
      }
    }
    return w
  }

  /// FSRS-6's parameter bounds, as arrays.
  static let bounds = (lower: Parameters.lowerBounds, upper: Parameters.upperBounds)

  /// Fits w0–w3: for each first rating, the stability that best predicts the outcome of the
  /// first review a day or more later (among cards with no same-day review before it). Ratings
  /// with fewer than 20 such items keep their current value; the result is kept increasing.
  func pretrainInitialStability(_ set: TrainingSet, initial: [Double]) -> [Double] {
    var w = initial
    let model = MemoryModel(weights: w)
    var groups: [[(Double, Bool)]] = Array(repeating: [], count: 4)
    for card in set.cards where card.count >= 2 && card[1].deltaT > 0 {
      groups[card[0].rating.rawValue - 1].append((Double(card[1].deltaT), card[1].rating > .again))
    }
    for rating in 0..<4 where groups[rating].count >= 20 {
      let data = groups[rating]
      func loss(_ logS: Double) -> Double {
        let s = exp(logS)
        var total = 0.0
        for (t, recalled) in data {
          let p = FSRSModel.clampProbability(model.powerForgettingCurve(elapsedDays: t, stability: s))
          total -= recalled ? log(p) : log(1 - p)
        }
        return total
      }
      // Golden-section search on log(stability) over [0.001, 100].
      var a = log(0.001)
      var b = log(100.0)
      let ratio = (sqrt(5.0) - 1) / 2
      var c = b - ratio * (b - a)
      var d = a + ratio * (b - a)
      var fc = loss(c)
      var fd = loss(d)
      for _ in 0..<60 {
        if fc < fd {
          b = d
          d = c
          fd = fc
          c = b - ratio * (b - a)
          fc = loss(c)
        } else {
          a = c
          c = d
          fc = fd
          d = a + ratio * (b - a)
          fd = loss(d)
        }
      }
      w[rating] = min(max(exp((a + b) / 2), Parameters.lowerBounds[rating]), Parameters.upperBounds[rating])
    }
    for index in 1..<4 { w[index] = max(w[index], w[index - 1]) }
    return w
  }
}
