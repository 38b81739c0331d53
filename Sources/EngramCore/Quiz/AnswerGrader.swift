/// Grades a typed answer against a card's answer and its accepted alternatives.
///
/// Short answers are compared whole after normalising, with a typo allowance that grows with
/// length; "Any two of: a, b, c" answers by how many of the listed items the learner named;
/// other long answers (more than four key terms) by how many of their key terms the learner
/// used.
public enum AnswerGrader {
  /// How an answer was judged.
  public enum Verdict: String, Sendable, Equatable {
    /// Right, exactly or up to normalisation.
    case correct
    /// Accepted with a small typo or most key terms; the exact answer is worth showing.
    case close
    case wrong

    /// The rating a quiz logs for this verdict (1 wrong, 2 close, 3 correct).
    public var rating: Int {
      switch self {
      case .correct: 3
      case .close: 2
      case .wrong: 1
      }
    }
  }

  /// A verdict with what the learner left out of a long answer.
  public struct Result: Sendable, Equatable {
    public var verdict: Verdict
    /// Key terms of the expected answer the learner did not use (long answers only).
    public var missingTerms: [String]
    public init(verdict: Verdict, missingTerms: [String] = []) {
      self.verdict = verdict
      self.missingTerms = missingTerms
    }
  }

  /// Typos allowed for an answer of `length` characters: none up to 3, then about one per 5.
  public static func typoAllowance(length: Int) -> Int {
    length <= 3 ? 0 : min(4, max(1, length / 5))
  }

  /// Whether two answers differ by a negating prefix ("unsupervised" vs "supervised"): a small
  /// edit that flips the meaning is not a typo.
  static func negates(_ a: String, _ b: String) -> Bool {
    let first = a.split(separator: " ")
    let second = b.split(separator: " ")
    for x in first {
      for y in second where x != y {
        for prefix in ["un", "non", "in", "im", "ir", "il", "dis", "de"] {
          if x == prefix + y || y == prefix + x { return true }
        }
      }
    }
    return false
  }

  /// The leading "yes" or "no" of an answer to a yes/no question: the expected answer starts
  /// with the word followed by punctuation or nothing ("No; it is pseudonymised…"), which "No
  /// later than 15 days" does not.
  static func expectedYesNo(_ expected: String) -> Bool? {
    let trimmed = expected.drop { $0.isWhitespace }
    for (word, value) in [("yes", true), ("no", false)] {
      guard trimmed.lowercased().hasPrefix(word) else { continue }
      let rest = trimmed.dropFirst(word.count)
      // "No-go" and "Nobody" are not a no.
      guard let first = rest.first else { return value }
      if ";,.:!?—–".contains(first) { return value }
    }
    return nil
  }

  /// The yes or no a learner's answer starts with, if any.
  static func givenYesNo(_ given: String) -> Bool? {
    switch TextNormalizer.words(given).first {
    case "yes", "yeah", "yep": true
    case "no", "nope": false
    default: nil
    }
  }

  /// Grades `given` against `expected` and the `accepted` alternatives.
  ///
  /// An answer to a yes/no question is graded on its leading yes or no, so a bare "no" is right
  /// when the expected answer is "No; …" and a "yes" with a good reason is still wrong.
  public static func grade(_ given: String, expected: String, accepted: [String] = []) -> Result {
    let answer = TextNormalizer.normalized(given)
    guard !answer.isEmpty else { return Result(verdict: .wrong) }
    if let wanted = expectedYesNo(expected), let said = givenYesNo(given) {
      return Result(verdict: wanted == said ? .correct : .wrong)
    }
    var best = Verdict.wrong
    for candidate in [expected] + accepted {
      let target = TextNormalizer.normalized(candidate)
      if target.isEmpty { continue }
      if answer == target { return Result(verdict: .correct) }
      if answer.replacingOccurrences(of: " ", with: "") == target.replacingOccurrences(of: " ", with: "") {
        return Result(verdict: .correct)
      }
      if TextNormalizer.editDistance(answer, target) <= typoAllowance(length: target.count),
        !negates(answer, target)
      {
        best = .close
      }
    }
    if best == .close { return Result(verdict: .close) }

    if let list = ChoiceList(expected) { return list.grade(given) }

    // Long answers: grade by key terms of the expected answer.
    let terms = TextNormalizer.keyTermWords(expected)
    guard terms.count > 4 || (terms.count >= 3 && expected.count > 40) else {
      return Result(verdict: .wrong)
    }
    let used = Set(TextNormalizer.keyTerms(given))
    var missing: [String] = []
    var hits = 0
    for term in terms {
      if used.contains(term.stem)
        || used.contains(where: { $0.count > 4 && term.stem.count > 4 && TextNormalizer.editDistance($0, term.stem) <= 1 })
      {
        hits += 1
      } else {
        missing.append(term.word)
      }
    }
    let share = Double(hits) / Double(terms.count)
    // A person grading would accept most of the key ideas as right and a fair part of them as
    // close (the exact answer is shown either way).
    let verdict: Verdict = share >= 0.7 ? .correct : share >= 0.3 ? .close : .wrong
    return Result(verdict: verdict, missingTerms: missing)
  }
}

/// An expected answer of the form "Any two of: a, b, c": naming any two items is the whole
/// answer, so it must not be graded against the key terms of every item.
struct ChoiceList {
  let required: Int
  let items: [String]

  init?(_ expected: String) {
    let words = expected.split(separator: " ", maxSplits: 3)
    guard words.count == 4, words[0].lowercased() == "any", words[2].lowercased() == "of:" else { return nil }
    let numbers = ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5]
    guard let count = numbers[words[1].lowercased()] else { return nil }
    // Split on commas outside parentheses.
    var items: [String] = []
    var current = ""
    var depth = 0
    for character in words[3] {
      if character == "(" { depth += 1 }
      if character == ")" { depth = max(0, depth - 1) }
      if character == "," && depth == 0 {
        items.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    items.append(current)
    self.items = items.map { item in
      var text = Substring(item)
      while let first = text.first, first.isWhitespace { text.removeFirst() }
      while let last = text.last, last.isWhitespace || last == "." { text.removeLast() }
      return String(text)
    }.filter { !$0.isEmpty }
    guard self.items.count > count else { return nil }
    required = count
  }

  /// An item counts as named when the answer uses a key term no other item has, or half of
  /// its key terms.
  func grade(_ given: String) -> AnswerGrader.Result {
    let used = Set(TextNormalizer.keyTerms(given))
    let termsByItem = items.map { Set(TextNormalizer.keyTerms($0)) }
    var named = 0
    var missing: [String] = []
    // The same leniency as for long answers: a stem one letter off still counts.
    func isUsed(_ term: String) -> Bool {
      used.contains(term)
        || used.contains { $0.count > 4 && term.count > 4 && TextNormalizer.editDistance($0, term) <= 1 }
    }
    for (index, terms) in termsByItem.enumerated() {
      let others = termsByItem.enumerated().filter { $0.offset != index }.reduce(into: Set<String>()) { $0.formUnion($1.element) }
      let hits = terms.filter(isUsed)
      if !hits.subtracting(others).isEmpty || (!terms.isEmpty && hits.count * 2 >= terms.count) {
        named += 1
      } else {
        missing.append(items[index])
      }
    }
    if named >= required { return AnswerGrader.Result(verdict: .correct) }
    return AnswerGrader.Result(verdict: named > 0 ? .close : .wrong, missingTerms: missing)
  }
}
