import Testing

@testable import EngramCore

@Suite struct QuizScoreTests {
  /// Every mix of outcomes of up to eight answers.
  static let mixes: [QuizScore] = {
    var mixes: [QuizScore] = []
    for correct in 0...8 {
      for close in 0...(8 - correct) {
        for wrong in 0...(8 - correct - close) where correct + close + wrong > 0 {
          mixes.append(QuizScore(correct: correct, close: close, wrong: wrong))
        }
      }
    }
    return mixes
  }()

  @Test(arguments: mixes)
  func `the fraction, the percentage and perfection agree on every outcome mix`(score: QuizScore) throws {
    // The fraction is points over answers, a close answer counting half.
    let parts = score.fractionText.split(separator: "/")
    let points = try #require(Double(parts[0]))
    #expect(points == Double(score.correct) + Double(score.close) / 2)
    #expect(Int(parts[1]) == score.total)
    // The percentage is that fraction, rounded down.
    #expect(score.percent == Int((points * 100 / Double(score.total)).rounded(.down)))
    // 100% exactly when every answer is fully right, and only then "everything right".
    #expect((score.percent == 100) == score.isPerfect)
    #expect(score.isPerfect == (score.close == 0 && score.wrong == 0))
  }

  @Test func `the issue's mix scores two of six`() {
    // 1 correct + 2 close × ½ = 2 points of 6: 33%, and not everything right.
    let score = QuizScore(correct: 1, close: 2, wrong: 3)
    #expect(score.fractionText == "2/6")
    #expect(score.percent == 33)
    #expect(!score.isPerfect)
    #expect(QuizScore(correct: 3, close: 1).fractionText == "3.5/4")
    #expect(QuizScore(correct: 3, close: 1).percent == 87)
  }
}
