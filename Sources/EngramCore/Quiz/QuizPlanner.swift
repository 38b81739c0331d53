/// Chooses the questions of a quiz: weighted toward what the learner is weakest on, no
/// repeats, and the same choice for the same seed.
public enum QuizPlanner {
  /// How much a card deserves a place: never-seen cards and cards with low retrievability
  /// or recent quiz misses weigh most; well-known cards still have a chance.
  public static func weight(record: CardRecord?, retrievability: Double?) -> Double {
    guard let record else { return 1.5 }
    var weight = 0.2
    if let retrievability { weight += 1 - retrievability } else { weight += 0.9 }
    weight += Double(record.lapses) * 0.3
    let misses = record.quizTotal - record.quizCorrect
    if record.quizTotal > 0 { weight += Double(misses) / Double(record.quizTotal) }
    return weight
  }

  /// Up to `count` distinct keys drawn by weighted sampling without replacement; the keys in
  /// `first` (cards a poor scenario choice marked weak) are drawn before all others.
  public static func choose(
    count: Int, from candidates: [(key: String, weight: Double)], first: Set<String> = [],
    random: inout SeededRandom
  ) -> [String] {
    var chosen: [String] = []
    if !first.isEmpty {
      chosen = draw(count: count, from: candidates.filter { first.contains($0.key) }, random: &random)
      guard chosen.count < count else { return chosen }
    }
    return chosen
      + draw(count: count - chosen.count, from: candidates.filter { !first.contains($0.key) }, random: &random)
  }

  private static func draw(
    count: Int, from candidates: [(key: String, weight: Double)], random: inout SeededRandom
  ) -> [String] {
    var pool = candidates.filter { $0.weight > 0 }
    var chosen: [String] = []
    while chosen.count < count, !pool.isEmpty {
      let total = pool.reduce(0) { $0 + $1.weight }
      var target = random.unit() * total
      var index = pool.count - 1
      for (offset, candidate) in pool.enumerated() {
        target -= candidate.weight
        if target < 0 {
          index = offset
          break
        }
      }
      chosen.append(pool.remove(at: index).key)
    }
    return chosen
  }
}
