import Testing

@testable import EngramCore

@Suite struct InitialStabilityTests {
  /// FSRS-5's default initial stabilities, which fsrs-rs's own tests of this step use.
  let fsrs5 = [0.40255, 1.18385, 3.173, 15.69105]

  @Test func `missing ratings are filled as fsrs-rs fills them`() {
    // fsrs-rs pre_training.rs test_smooth_and_fill.
    let three = InitialStability.fill([1: 0.4, 3: 2.3, 4: 10.9], counts: [1: 1, 2: 1, 3: 1, 4: 1], defaults: fsrs5)
    #expect(zip(three, [0.4, 0.8052433, 2.3, 10.9]).allSatisfy { abs($0 - $1) < 1e-6 })
    let one = InitialStability.fill([2: 0.35], counts: [2: 1], defaults: fsrs5)
    #expect(zip(one, [0.11901211, 0.35, 0.9380833, 4.638989]).allSatisfy { abs($0 - $1) < 1e-6 })
  }

  @Test func `an out-of-order pair takes the better-supported value`() {
    let filled = InitialStability.fill([1: 3, 2: 2, 3: 4, 4: 9], counts: [1: 10, 2: 2, 3: 5, 4: 5], defaults: fsrs5)
    #expect(filled == [3, 3, 4, 9])
  }

  /// `count` cards first rated `rating`, each reviewed `days` later, `recalled` of them recalled.
  func cards(rating: UInt8, days: Int32, count: Int, recalled: Int) -> [(
    card: String, reviews: [(day: Int, rating: Int)]
  )] {
    (0..<count).map { index in
      ("d/\(rating)-\(index)", [(0, Int(rating)), (Int(days), index < recalled ? 3 : 1)])
    }
  }

  @Test func `with many answers the stability is where recall after the wait equals the observed rate`() throws {
    // 900 of 1,000 recalled after 3 days: FSRS's curve gives 90% at t = S, so S ≈ 3, pulled a
    // little toward the default 2.3065 by the |s - default| / 16 penalty (about 0.01 here).
    let set = TrainingSet(histories: cards(rating: 3, days: 3, count: 1000, recalled: 900))
    let fitted = try #require(
      InitialStability.fit(set, defaults: Array(Parameters.defaults.weights.prefix(4)), decay: 0.1542))
    #expect(abs(fitted[2] - 3) < 0.02)
    #expect(fitted[2] < 3)
    // Only Good was seen: the others scale with it.
    #expect(abs(fitted[0] / fitted[2] - 0.212 / 2.3065) < 1e-9)
  }

  @Test func `a history with no review a day after the first gives nothing to fit`() {
    let set = TrainingSet(histories: [("d/a", [(0, 3), (0, 3)])])
    #expect(InitialStability.fit(set, defaults: fsrs5, decay: 0.1542) == nil)
  }

  /// `cards` cards, each rated Good, then Good again 2, 6, 12 … days later: `longTerm` reviews
  /// a day or more after the first, all in one group (first rating Good, first wait 2 days).
  func set(cards: Int, longTerm: Int) -> TrainingSet {
    TrainingSet(
      histories: (0..<cards).map { card in
        ("d/\(card)", [(0, 3)] + (1...longTerm).map { (2 * $0 * ($0 + 1) / 2 + 0, 3) })
      })
  }

  @Test func `fewer than eight items after fsrs-rs's outlier filter fit nothing`() {
    #expect(Optimizer.plan(for: set(cards: 3, longTerm: 2)) == .keep)
    // Ten cards make a group under twenty: fsrs-rs's filter drops it, and its cards' 30 items.
    let small = set(cards: 10, longTerm: 3)
    #expect(small.itemCount == 30)
    #expect(InitialStability.analyse(small).items == 0)
    #expect(Optimizer.plan(for: small) == .keep)
  }

  @Test func `fewer than sixty-four items, or only first long-term reviews, fit the initial stabilities`() {
    #expect(Optimizer.plan(for: set(cards: 21, longTerm: 3)) == .initialStability)
    #expect(Optimizer.plan(for: set(cards: 64, longTerm: 1)) == .initialStability)
  }

  @Test func `sixty-four items beyond the first long-term reviews fit everything`() {
    let full = set(cards: 32, longTerm: 2)
    #expect(full.itemCount == 64)
    #expect(Optimizer.plan(for: full) == .full)
  }

  @Test func `the filter keeps groups of six or more once twenty cards are dropped, and waits up to 100 days`() {
    // Good then a review after 1 day (25 cards), 3 days (5 cards) or 200 days (30 cards).
    var histories: [(card: String, reviews: [(day: Int, rating: Int)])] = []
    for (days, count) in [(1, 25), (3, 5), (200, 30)] {
      histories += (0..<count).map { ("d/\(days)-\($0)", [(0, 3), (days, 3)]) }
    }
    let analysis = InitialStability.analyse(TrainingSet(histories: histories))
    // Smallest first: the 5 (dropped, 5 < 20), then 25 (5 + 25 ≥ 20: kept), then 30 (over 100 days).
    #expect(analysis.kept.count == 25)
    #expect(analysis.kept.allSatisfy { $0.days == 1 })
    #expect(analysis.items == 25)
  }
}
