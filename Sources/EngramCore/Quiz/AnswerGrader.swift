/// Grades a typed answer against a card's answer and its accepted alternatives.
///
/// Short answers are compared whole after normalising, with a typo allowance that grows with
/// length; "Any two of: a, b, c" answers by how many of the listed items the learner named;
/// other long answers (more than four key terms) by how many of their key terms the learner
/// used.
public enum AnswerGrader {
  /// How an answer was judged.
  public enum Verdict: String, Sendable, Equatable, Comparable {
    /// Right, exactly or up to normalisation.
    case correct
    /// Accepted with a small typo or most key terms; the exact answer is worth showing.
    case close
    case wrong

    /// The rating a quiz run with `--study` logs the answer as (a review): wrong is Again,
    /// close is Hard, correct is Good.
    public var studyRating: Rating {
      switch self {
      case .wrong: .again
      case .close: .hard
      case .correct: .good
      }
    }

    /// Worse before better: `wrong < close < correct`.
    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }

    private var rank: Int {
      switch self {
      case .wrong: 0
      case .close: 1
      case .correct: 2
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

  /// The words of a normalised answer that hold digits, in order: "10 days" for "15 days" is a
  /// different answer, not a typo, however small the edit.
  static func numbers(in text: String) -> [Substring] {
    text.split(separator: " ").filter { $0.contains(where: \.isNumber) }
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
  /// An answer with a parenthesis is also right without it ("Data drift" for "Data drift
  /// (covariate shift)"), and by the parenthesis alone when that is another name for the same
  /// thing ("RAG", "covariate shift"; see `parentheticalForms`). A long answer is graded by key
  /// terms against the expected answer and each accepted one ("Give one explanation" cards list
  /// every valid explanation under `Accept:`), keeping the best verdict.
  public static func grade(_ given: String, expected: String, accepted: [String] = []) -> Result {
    let answer = TextNormalizer.normalized(given)
    guard !answer.isEmpty else { return Result(verdict: .wrong) }
    if let wanted = expectedYesNo(expected), let said = givenYesNo(given) {
      return Result(verdict: wanted == said ? .correct : .wrong)
    }
    let written = [expected] + accepted
    var best = Verdict.wrong
    for candidate in written + written.flatMap(parentheticalForms) {
      let target = TextNormalizer.normalized(candidate)
      if target.isEmpty { continue }
      if answer == target { return Result(verdict: .correct) }
      if answer.replacingOccurrences(of: " ", with: "") == target.replacingOccurrences(of: " ", with: "") {
        return Result(verdict: .correct)
      }
      if TextNormalizer.editDistance(answer, target) <= typoAllowance(length: target.count),
        !negates(answer, target), numbers(in: answer) == numbers(in: target)
      {
        best = .close
      }
    }
    if best == .close { return Result(verdict: .close) }

    // Long answers: the best of the key-term grades against each written answer; on a tie the
    // expected answer's. Missing terms are listed only against the expected answer, the one the
    // learner sees next to them.
    var result: Result?
    for (index, candidate) in written.enumerated() {
      guard var graded = ChoiceList(candidate)?.grade(given) ?? keyTermGrade(given, expected: candidate) else {
        continue
      }
      if index > 0 { graded.missingTerms = [] }
      if result == nil || graded.verdict > result!.verdict { result = graded }
    }
    return result ?? Result(verdict: .wrong)
  }

  /// Share of key ideas above which a long answer is right, and above which it is close: a person
  /// grading would accept most of the key ideas as right and a fair part of them as close (the
  /// exact answer is shown either way).
  static let correctShare = 0.7
  static let closeShare = 0.3
  /// The weights of the words outside and inside parentheses when an answer has both: the head
  /// terms ("the data … and the model …") are what was asked; the parentheses qualify them.
  static let headWeight = 0.7
  static let qualifierWeight = 0.3

  /// Grades a long answer by the key terms it shares with `expected`; nil when `expected` is
  /// too short to grade this way (four key terms or fewer, unless it is a long sentence).
  ///
  /// Terms inside parentheses count for `qualifierWeight` of the grade and the rest for
  /// `headWeight`, so "the data and the model" outranks "data schema checks" for "The data (schema
  /// and quality checks) and the model (quality gates …)".
  static func keyTermGrade(_ given: String, expected: String) -> Result? {
    let terms = TextNormalizer.keyTermWords(expected)
    guard terms.count > 4 || (terms.count >= 3 && expected.count > 40) else { return nil }
    // "Name (qualifier)" is a name, right or wrong as a whole (its head alone is accepted
    // above): a shared word such as "risk" in "Limited risk" for "High-risk (Annex III,
    // employment)" must not make half of it. Weighting is for parentheses inside a sentence.
    let headStems =
      trailingParenthesis(expected) == nil
      ? Set(TextNormalizer.keyTerms(withoutParentheses(expected))) : Set(terms.map(\.stem))
    let head = terms.filter { headStems.contains($0.stem) }
    let qualifiers = terms.filter { !headStems.contains($0.stem) }
    let used = Set(TextNormalizer.keyTerms(given))
    func isUsed(_ stem: String) -> Bool {
      used.contains(stem)
        || used.contains(where: { $0.count > 4 && stem.count > 4 && TextNormalizer.editDistance($0, stem) <= 1 })
    }
    let missing = (head + qualifiers).filter { !isUsed($0.stem) }.map(\.word)
    func share(_ group: [(stem: String, word: String)]) -> Double {
      group.isEmpty ? 0 : Double(group.filter { isUsed($0.stem) }.count) / Double(group.count)
    }
    let score: Double =
      head.isEmpty || qualifiers.isEmpty
      ? share(terms)
      : headWeight * share(head) + qualifierWeight * share(qualifiers)
    let verdict: Verdict = score >= correctShare ? .correct : score >= closeShare ? .close : .wrong
    return Result(verdict: verdict, missingTerms: missing)
  }

  /// `text` with every parenthesised part removed ("The data (schema checks) and the model" →
  /// "The data and the model").
  static func withoutParentheses(_ text: String) -> String {
    var result = ""
    var depth = 0
    for character in text {
      if character == "(" {
        depth += 1
      } else if character == ")" {
        depth = max(0, depth - 1)
      } else if depth == 0 {
        result.append(character)
      }
    }
    return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// Forms of an answer with parentheses that are right too: the answer without them, and,
  /// when the answer is "name (other name)", the other name alone.
  ///
  /// The part in parentheses counts as another name when it is written as one ("or …", "also
  /// called …", "aka …"), when one side abbreviates the other ("DVC (Data Version Control)",
  /// "Retrieval-augmented generation (RAG)"), or when both are short lower-case terms
  /// ("Data drift (covariate shift)"). A description ("Data poisoning (a backdoor)"), an issuer
  /// ("CSM (Scrum Alliance)") or a list ("High-risk (Annex III, employment)") is not a name.
  public static func parentheticalForms(_ answer: String) -> [String] {
    guard answer.contains("("), answer.contains(")") else { return [] }
    var forms: [String] = []
    let head = withoutParentheses(answer)
    if !TextNormalizer.normalized(head).isEmpty { forms.append(head) }
    guard let (name, written) = trailingParenthesis(answer) else { return forms }
    var inner = written
    var marked = false
    for marker in ["or ", "also called ", "also known as ", "aka ", "a.k.a. ", "i.e. "]
    where inner.lowercased().hasPrefix(marker) {
      inner = String(inner.dropFirst(marker.count))
      marked = true
      break
    }
    if marked || abbreviates(inner, name) || abbreviates(name, inner) || bothShortTerms(name, inner) {
      forms.append(inner)
    }
    return forms
  }

  /// The two parts of an answer of the form "name (other)", with nothing but punctuation after
  /// its only parenthesis; nil for any other answer.
  static func trailingParenthesis(_ answer: String) -> (name: String, inner: String)? {
    var trimmed = Substring(answer)
    while let last = trimmed.last, last.isWhitespace || last == "." { trimmed.removeLast() }
    guard trimmed.last == ")", let open = trimmed.lastIndex(of: "("),
      !trimmed[..<open].contains("("), !trimmed[..<open].contains(")")
    else { return nil }
    let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
    let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
      .trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, !inner.isEmpty, !inner.contains("(") else { return nil }
    return (name, inner)
  }

  /// Whether `short` is an upper-case abbreviation made of the initials of `long`'s words
  /// (hyphenated parts count as words; "of", "and", "for" and "the" may be skipped).
  static func abbreviates(_ short: String, _ long: String) -> Bool {
    guard (2...8).contains(short.count), short.allSatisfy({ $0.isUppercase && $0.isLetter }) else { return false }
    let words = long.split(whereSeparator: { $0 == " " || $0 == "-" })
    let all = String(words.compactMap(\.first)).uppercased()
    let content = String(words.filter { !["of", "and", "for", "the"].contains($0.lowercased()) }.compactMap(\.first))
      .uppercased()
    return short == all || short == content
  }

  /// Whether both sides are terms of one to three plain lower-case words (the head may be
  /// capitalised as the start of the answer): two names of one thing, not a description.
  static func bothShortTerms(_ name: String, _ inner: String) -> Bool {
    func isTerm(_ text: String, capitalisedStart: Bool) -> Bool {
      let words = text.split(separator: " ")
      guard (1...3).contains(words.count) else { return false }
      for (index, word) in words.enumerated() {
        guard word.allSatisfy({ $0.isLetter || $0 == "-" }) else { return false }
        if ["a", "an", "the", "or", "and", "of", "for", "to", "e.g.", "eg"].contains(word.lowercased()) {
          return false
        }
        let rest = index == 0 && capitalisedStart ? word.dropFirst() : word[...]
        if rest.contains(where: \.isUppercase) { return false }
      }
      return true
    }
    return isTerm(name, capitalisedStart: true) && isTerm(inner, capitalisedStart: false)
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
      let others = termsByItem.enumerated().filter { $0.offset != index }.reduce(into: Set<String>()) {
        $0.formUnion($1.element)
      }
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
