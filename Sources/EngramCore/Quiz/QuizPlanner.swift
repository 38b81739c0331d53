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
    choose(count: count, from: candidates.map { ($0.key, $0.key, $0.weight) }, first: first, random: &random)
  }

  /// Up to `count` keys drawn by weighted sampling without replacement, at most one per
  /// sibling group (two cards of one note would give each other away); the keys in `first` are
  /// drawn before all others.
  public static func choose(
    count: Int, from candidates: [(key: String, group: String, weight: Double)], first: Set<String> = [],
    random: inout SeededRandom
  ) -> [String] {
    var chosen: [String] = []
    var usedGroups = Set<String>()
    for firstPhase in first.isEmpty ? [false] : [true, false] {
      var pool = candidates.filter {
        $0.weight > 0 && first.contains($0.key) == firstPhase && !usedGroups.contains($0.group)
      }
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
        let picked = pool.remove(at: index)
        chosen.append(picked.key)
        usedGroups.insert(picked.group)
        pool.removeAll { $0.group == picked.group }
      }
    }
    return chosen
  }
}
