import Foundation

/// Fits the initial stabilities w0–w3 as fsrs-rs's pre-training does, for small histories.
///
/// For each first rating: the outcome of each card's first review a day or more later,
/// grouped by the days waited; each group's recall is pulled toward the learner's average
/// recall (Laplace smoothing: one extra answer at the average); the stability minimises the
/// groups' log loss plus |s − default| / 16 (so a handful of answers barely moves it), found by
/// ternary search in [0.001, 100]. Ratings never seen as a first rating are filled in from the
/// fitted ones by fsrs-rs's geometric interpolation, and the four are kept increasing.
public enum InitialStability {
  /// One card's history as the pre-training sees it: the first rating, and the days to and
  /// outcome of the first review a day or more later.
  public struct Observation: Sendable, Equatable {
    public var firstRating: Int
    public var days: Int
    public var recalled: Bool
  }

  /// What fsrs-rs keeps of a history before fitting (its outlier filter): per first rating,
  /// cards are grouped by the days to their first review a day or more later; the smallest
  /// groups are dropped until at least max(20, 5%) cards are gone, and so are groups under six
  /// cards or waits over 100 days (365 after Easy). A dropped group's cards leave the training
  /// set too.
  public struct Analysis: Sendable, Equatable {
    /// First long-term reviews of the kept groups: the pre-training data.
    public var kept: [Observation]
    /// Whether each card of the set (in `TrainingSet.cards` order) survives.
    public var surviving: [Bool]
    /// Training items of the surviving cards.
    public var items: Int
    /// Share of those items recalled.
    public var averageRecall: Double
  }

  /// fsrs-rs's outlier analysis of `set`.
  public static func analyse(_ set: TrainingSet) -> Analysis {
    var firsts: [Observation?] = []
    var groups: [Int: [Int: [Int]]] = [:]
    for (index, card) in set.cards.enumerated() {
      guard let first = card.first, let long = card.dropFirst().first(where: { $0.deltaT > 0 }) else {
        firsts.append(nil)
        continue
      }
      let observation = Observation(
        firstRating: first.rating.rawValue, days: Int(long.deltaT), recalled: long.rating != .again)
      firsts.append(observation)
      groups[observation.firstRating, default: [:]][observation.days, default: []].append(index)
    }
    var removed = Set<[Int]>()
    var kept: [Observation] = []
    for rating in groups.keys.sorted() {
      guard let byDays = groups[rating] else { continue }
      // Largest first (ties: longer wait first), visited from the end: smallest first.
      let ordered = byDays.sorted {
        $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key > $1.key
      }
      let total = ordered.reduce(0) { $0 + $1.value.count }
      var dropped = 0
      for (days, cards) in ordered.reversed() {
        if dropped + cards.count >= max(20, total / 20) {
          if cards.count >= 6 && days <= (rating != 4 ? 100 : 365) {
            kept += cards.compactMap { firsts[$0] }
          } else {
            removed.insert([rating, days])
          }
        } else {
          dropped += cards.count
          removed.insert([rating, days])
        }
      }
    }
    var surviving: [Bool] = []
    var items = 0
    var passed = 0
    for (index, card) in set.cards.enumerated() {
      let survives = firsts[index].map { !removed.contains([$0.firstRating, $0.days]) } ?? false
      surviving.append(survives)
      guard survives else { continue }
      for review in card.dropFirst() where review.deltaT > 0 {
        items += 1
        if review.rating != .again { passed += 1 }
      }
    }
    return Analysis(
      kept: kept, surviving: surviving, items: items, averageRecall: items > 0 ? Double(passed) / Double(items) : 0)
  }

  /// w0–w3 fitted to `set` as fsrs-rs fits them, or nil when its filter keeps nothing to fit.
  ///
  /// - Parameters:
  ///   - defaults: the four stabilities the penalty pulls toward and the fill starts from.
  ///   - decay: FSRS-6's w20 of the parameters in use.
  public static func fit(_ set: TrainingSet, defaults: [Double], decay w20: Double) -> [Double]? {
    let analysis = analyse(set)
    return fit(analysis.kept, averageRecall: analysis.averageRecall, defaults: defaults, decay: w20)
  }

  /// w0–w3 fitted to first long-term reviews, or nil when there are none.
  public static func fit(_ observations: [Observation], averageRecall: Double, defaults: [Double], decay w20: Double)
    -> [Double]?
  {
    guard !observations.isEmpty else { return nil }
    let decay = -w20
    let factor = pow(0.9, 1 / decay) - 1
    var fitted: [Int: Double] = [:]
    var counts: [Int: Int] = [:]
    for rating in 1...4 {
      let mine = observations.filter { $0.firstRating == rating }
      guard !mine.isEmpty else { continue }
      counts[rating] = mine.count
      var groups: [Int: (passed: Double, count: Double)] = [:]
      for observation in mine {
        groups[observation.days, default: (0, 0)].passed += observation.recalled ? 1 : 0
        groups[observation.days, default: (0, 0)].count += 1
      }
      let data = groups.map { days, group in
        (days: Double(days), recall: (group.passed + averageRecall) / (group.count + 1), count: group.count)
      }
      let prior = defaults[rating - 1]
      func loss(_ s: Double) -> Double {
        var total = 0.0
        for point in data {
          let p = pow(1 + factor * point.days / s, decay)
          total -= (point.recall * log(p) + (1 - point.recall) * log(1 - p)) * point.count
        }
        return total + abs(s - prior) / 16
      }
      var low = Parameters.minimumStability
      var high = 100.0
      for _ in 0..<200 where high - low > 1e-9 {
        let first = low + (high - low) / 3
        let second = high - (high - low) / 3
        if loss(first) < loss(second) { high = second } else { low = first }
      }
      fitted[rating] = (low + high) / 2
    }
    return fill(fitted, counts: counts, defaults: defaults)
  }

  /// Makes the fitted stabilities increasing (the better-supported value wins) and fills the
  /// ratings without data as fsrs-rs does.
  static func fill(_ stabilities: [Int: Double], counts: [Int: Int], defaults: [Double]) -> [Double] {
    var s = stabilities
    for (small, big) in [(1, 2), (2, 3), (3, 4), (1, 3), (2, 4), (1, 4)] {
      if let a = s[small], let b = s[big], a > b {
        if (counts[small] ?? 0) > (counts[big] ?? 0) { s[big] = a } else { s[small] = b }
      }
    }
    let w1 = 3.0 / 5
    let w2 = 3.0 / 5
    var r: [Double?] = [nil, s[1], s[2], s[3], s[4]]
    switch s.count {
    case 1:
      guard let (rating, value) = s.first else { return defaults }
      let scale = value / defaults[rating - 1]
      return defaults.map { min(max($0 * scale, Parameters.minimumStability), 100) }.sorted()
    case 2:
      switch (r[1], r[2], r[3], r[4]) {
      case (nil, nil, let r3?, let r4?):
        let r2 = pow(r3, 1 / (1 - w2)) * pow(r4, 1 - 1 / (1 - w2))
        r[2] = r2
        r[1] = pow(r2, 1 / w1) * pow(r3, 1 - 1 / w1)
      case (nil, let r2?, nil, let r4?):
        let r3 = pow(r2, 1 - w2) * pow(r4, w2)
        r[3] = r3
        r[1] = pow(r2, 1 / w1) * pow(r3, 1 - 1 / w1)
      case (nil, let r2?, let r3?, nil):
        r[4] = pow(r2, 1 - 1 / w2) * pow(r3, 1 / w2)
        r[1] = pow(r2, 1 / w1) * pow(r3, 1 - 1 / w1)
      case (let r1?, nil, nil, let r4?):
        let share = w1 / (w1 + w2 - w1 * w2)
        let other = w2 / (w1 + w2 - w1 * w2)
        r[2] = pow(r1, share) * pow(r4, 1 - share)
        r[3] = pow(r1, 1 - other) * pow(r4, other)
      case (let r1?, nil, let r3?, nil):
        let r2 = pow(r1, w1) * pow(r3, 1 - w1)
        r[2] = r2
        r[4] = pow(r2, 1 - 1 / w2) * pow(r3, 1 / w2)
      case (let r1?, let r2?, nil, nil):
        let r3 = pow(r1, 1 - 1 / (1 - w1)) * pow(r2, 1 / (1 - w1))
        r[3] = r3
        r[4] = pow(r2, 1 - 1 / w2) * pow(r3, 1 / w2)
      default:
        break
      }
    case 3:
      if r[1] == nil, let r2 = r[2], let r3 = r[3] {
        r[1] = pow(r2, 1 / w1) * pow(r3, 1 - 1 / w1)
      } else if r[2] == nil, let r1 = r[1], let r3 = r[3] {
        r[2] = pow(r1, w1) * pow(r3, 1 - w1)
      } else if r[3] == nil, let r2 = r[2], let r4 = r[4] {
        r[3] = pow(r2, 1 - w2) * pow(r4, w2)
      } else if r[4] == nil, let r2 = r[2], let r3 = r[3] {
        r[4] = pow(r2, 1 - 1 / w2) * pow(r3, 1 / w2)
      }
    default:
      break
    }
    return (1...4).map { min(max(r[$0] ?? defaults[$0 - 1], Parameters.minimumStability), 100) }
  }
}
