/// How a learner answers, for the simulator: rating probabilities and seconds per answer.
///
/// Measured from the learner's own log where it holds enough answers; elsewhere fsrs-rs's
/// default simulator values (fitted by its authors on many Anki users), and `notes` says which.
public struct SimulatorProfile: Sendable, Equatable {
  /// Card states for costs, as fsrs-rs indexes them.
  public enum State: Int, Sendable, CaseIterable {
    case learning = 0
    case review = 1
    case relearning = 2
  }

  /// Probabilities of Again, Hard, Good, Easy as a new card's first rating.
  public var firstRating: [Double]
  /// Probabilities of Hard, Good, Easy when a review card is recalled.
  public var reviewRating: [Double]
  /// Seconds per answer by state (learning, review, relearning) and rating (Again…Easy).
  public var costs: [[Double]]
  /// Same-day rating transitions in learning and relearning (rows: after Again, Hard, Good).
  public var learningTransitions: [[Double]]
  public var relearningTransitions: [[Double]]
  /// What came from fsrs-rs's defaults because the log was thin, in words.
  public var notes: [String] = []

  /// fsrs-rs 0.9.3's `SimulatorConfig::default()` values.
  public static let defaults = SimulatorProfile(
    firstRating: [0.24, 0.094, 0.495, 0.171],
    reviewRating: [0.224, 0.631, 0.145],
    costs: [[19.58, 18.79, 13.78, 10.71], [19.38, 17.59, 12.38, 8.94], [16.44, 15.25, 12.32, 8.03]],
    learningTransitions: [
      [0.3686, 0.0628, 0.5108, 0.0577], [0.0442, 0.4553, 0.4457, 0.0549], [0.0519, 0.047, 0.8462, 0.055],
    ],
    relearningTransitions: [
      [0.2157, 0.0643, 0.6595, 0.0604], [0.05, 0.4638, 0.4475, 0.0387], [0.1057, 0.1434, 0.7266, 0.0244],
    ])

  /// Answers needed before a rating distribution is taken from the log.
  public static let minimumRatings = 50
  /// Answers needed per state and rating before its time is taken from the log.
  public static let minimumTimes = 20

  public init(
    firstRating: [Double], reviewRating: [Double], costs: [[Double]], learningTransitions: [[Double]],
    relearningTransitions: [[Double]]
  ) {
    self.firstRating = firstRating
    self.reviewRating = reviewRating
    self.costs = costs
    self.learningTransitions = learningTransitions
    self.relearningTransitions = relearningTransitions
  }

  /// The profile measured from `facts` (standing reviews), defaults where there are too few.
  public static func measured(from facts: [ReviewFact]) -> SimulatorProfile {
    var profile = SimulatorProfile.defaults
    var first = [Int](repeating: 0, count: 4)
    var recalled = [Int](repeating: 0, count: 3)
    var times: [[[Double]]] = Array(repeating: Array(repeating: [], count: 4), count: 3)
    for fact in facts {
      let rating = fact.rating.rawValue
      let state: State
      switch fact.phaseBefore {
      case nil:
        first[rating - 1] += 1
        state = .learning
      case .learning: state = .learning
      case .review:
        if rating > 1 { recalled[rating - 2] += 1 }
        state = .review
      case .relearning: state = .relearning
      }
      if fact.durationMilliseconds > 0 {
        times[state.rawValue][rating - 1].append(Double(fact.durationMilliseconds) / 1000)
      }
    }
    let firstCount = first.reduce(0, +)
    if firstCount >= minimumRatings {
      profile.firstRating = first.map { Double($0) / Double(firstCount) }
    } else {
      profile.notes.append(
        "first ratings: fsrs-rs defaults (\(firstCount) new \(firstCount == 1 ? "card" : "cards") in your log, \(minimumRatings) needed)"
      )
    }
    let recalledCount = recalled.reduce(0, +)
    if recalledCount >= minimumRatings {
      profile.reviewRating = recalled.map { Double($0) / Double(recalledCount) }
    } else {
      profile.notes.append(
        "review ratings: fsrs-rs defaults (\(recalledCount) recalled \(recalledCount == 1 ? "review" : "reviews") in your log, \(minimumRatings) needed)"
      )
    }
    var defaulted = 0
    for state in 0..<3 {
      for rating in 0..<4 {
        let values = times[state][rating].sorted()
        if values.count >= minimumTimes {
          profile.costs[state][rating] = values[values.count / 2]
        } else {
          defaulted += 1
        }
      }
    }
    if defaulted > 0 {
      profile.notes.append(
        "answer times: fsrs-rs defaults for \(defaulted) of 12 state/rating pairs (fewer than \(minimumTimes) answers each)"
      )
    }
    profile.notes.append("same-day learning-step ratings: fsrs-rs defaults")
    return profile
  }
}
