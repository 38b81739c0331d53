/// What sort of thing a card's answer is, so that a multiple-choice question offers wrong
/// options of the same sort: a date for a date, a number with the same unit, a role for a role,
/// a phrase of about the same length.
public enum AnswerKind: Sendable, Equatable {
  /// A calendar date or a month ("2 February 2025", "August 2028", "2025-02-02").
  case date
  /// A year on its own ("2019").
  case year
  /// A number with its unit, normalised ("15 days" → `days`, "95%" → `percent`, "0.8" → ``).
  case number(unit: String)
  /// Who does something: the answer to a "who…?" or "which role…?" question.
  case role
  /// Anything else, by its number of words.
  case phrase(words: Int)

  static let months: Set<String> = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
  ]

  /// The kind of `card`'s answer, read from its answer and, for roles, its question.
  public init(of card: Card) {
    self.init(answer: card.back, question: card.front)
  }

  /// The kind of `answer` to `question`.
  public init(answer: String, question: String) {
    let words = TextNormalizer.normalized(answer).split(separator: " ").map(String.init)
    func isNumber(_ word: String) -> Bool { word.first?.isNumber == true && word.allSatisfy { $0.isNumber } }
    let hasMonth = words.contains { AnswerKind.months.contains($0) }
    let hasNumber = words.contains(where: isNumber)
    if hasMonth && hasNumber && words.count <= 12 {
      self = .date
    } else if words.count == 1, let year = Int(words[0]), (1800...2199).contains(year) {
      self = .year
    } else if answer.contains(where: { $0 == "-" }) && words.count == 3 && words.allSatisfy(isNumber)
      && words[0].count == 4
    {
      self = .date  // 2025-02-02
    } else if let first = words.first, isNumber(first), words.count <= 4 {
      // "0.8" is two number words (0, 8); the unit is whatever follows the numbers.
      let unit = words.drop(while: isNumber).map(TextNormalizer.stem).joined(separator: " ")
      self = .number(unit: unit)
    } else {
      let asked = TextNormalizer.words(question)
      let asksWho = asked.contains("who") || asked.contains("whom")
      let asksRole = asked.contains("role") && (asked.contains("which") || asked.contains("what"))
      self = asksWho || asksRole ? .role : .phrase(words: words.count)
    }
  }

  /// Whether an answer of kind `other` can stand beside this one as a wrong option: the same
  /// kind, and for phrases a length within `tolerance` words (at least two, or half the length).
  public func matches(_ other: AnswerKind, strict: Bool = true) -> Bool {
    switch (self, other) {
    case (.phrase(let a), .phrase(let b)):
      return !strict || abs(a - b) <= max(2, max(a, b) / 2)
    default:
      return self == other
    }
  }
}
