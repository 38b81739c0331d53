/// How well the learner recalled a card; the raw values are the review log's.
public enum Rating: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
  case again = 1
  case hard = 2
  case good = 3
  case easy = 4

  public static func < (lhs: Rating, rhs: Rating) -> Bool { lhs.rawValue < rhs.rawValue }

  /// Reads `1`–`4` or a rating's name (`again`, `hard`, `good`, `easy`), case-insensitively.
  public init?(input: String) {
    let text = input.lowercased()
    if let number = Int(text), let rating = Rating(rawValue: number) {
      self = rating
      return
    }
    guard let rating = Rating.allCases.first(where: { $0.description == text }) else { return nil }
    self = rating
  }

  public var description: String {
    switch self {
    case .again: "again"
    case .hard: "hard"
    case .good: "good"
    case .easy: "easy"
    }
  }
}
