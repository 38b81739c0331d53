/// The score of a quiz, by one rule used everywhere it is shown: a correct answer is worth one
/// point, a close one half a point, a wrong one nothing.
///
/// The fraction (`2.5/6`), the percentage (points over questions, rounded down, so 100% means
/// every answer fully right) and whether there is anything left to practise all come from the
/// same points, so they cannot disagree.
public struct QuizScore: Sendable, Equatable {
  public var correct: Int
  public var close: Int
  public var wrong: Int

  public init(correct: Int = 0, close: Int = 0, wrong: Int = 0) {
    self.correct = correct
    self.close = close
    self.wrong = wrong
  }

  /// Adds one answer.
  public mutating func add(_ verdict: AnswerGrader.Verdict) {
    switch verdict {
    case .correct: correct += 1
    case .close: close += 1
    case .wrong: wrong += 1
    }
  }

  /// Questions answered.
  public var total: Int { correct + close + wrong }

  /// Points in halves (a close answer is one half), so that no arithmetic is in floating point.
  public var halfPoints: Int { correct * 2 + close }

  /// Whether every answer was fully right (nothing close, nothing wrong).
  public var isPerfect: Bool { total > 0 && halfPoints == total * 2 }

  /// Points as text: `3`, `2.5`.
  public var pointsText: String { "\(halfPoints / 2)" + (halfPoints % 2 == 1 ? ".5" : "") }

  /// `points/total`, e.g. `2.5/6`.
  public var fractionText: String { "\(pointsText)/\(total)" }

  /// Points as a share of the questions, in percent, rounded down (0 with no answers).
  public var percent: Int { total == 0 ? 0 : halfPoints * 100 / (total * 2) }
}
