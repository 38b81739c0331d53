/// Reads and grades an answer to a question shown with options (a multiple-choice card in
/// review, a quiz in choice mode, or a typed quiz listing a card's `Choices:`), so review and
/// quiz accept the same inputs: an option's letter, its number, its text, or an unambiguous
/// start of its text; anything else is graded as a typed answer.
public enum ChoiceAnswer {
  /// The option letters, in order (a card shows at most this many options).
  public static let letters = ["A", "B", "C", "D", "E", "F", "G", "H"]

  /// The index of the option `input` picks, or nil when it picks none (or more than one).
  ///
  /// In order: an option's whole text (after normalising), its letter, its number (at an
  /// answer prompt only when no option is itself a number, so "3" can be the answer "3 weeks"
  /// rather than option C; at a prompt that takes only a choice, always), then
  /// the start of exactly one option's text, ending at a word boundary ("data drift" picks
  /// "Data drift (covariate shift)"; "data" picks nothing beside "Data poisoning").
  public static func pick(_ input: String, options: [String], choiceOnly: Bool = false) -> Int? {
    guard !options.isEmpty else { return nil }
    let text = input.trimmingCharacters(in: .whitespaces)
    let typed = TextNormalizer.normalized(text)
    guard !typed.isEmpty else { return nil }
    let normalized = options.map(TextNormalizer.normalized)
    if let index = normalized.firstIndex(of: typed) { return index }
    if let index = letters.prefix(options.count).firstIndex(of: text.uppercased()) { return index }
    if let number = Int(text), (1...options.count).contains(number),
      choiceOnly || !options.contains(where: { $0.first?.isNumber == true })
    {
      return number - 1
    }
    // A single letter beyond the options (or any one character) is too short to be a start.
    guard typed.count >= 2 else { return nil }
    let starts = normalized.indices.filter { normalized[$0].hasPrefix(typed + " ") }
    return starts.count == 1 ? starts[0] : nil
  }

  /// The grade of `input` for `card` shown with `options` (empty when it has none), and the
  /// option it picked, if any. A picked option is right only when it is the card's answer; a
  /// typed answer is graded as usual (`AnswerGrader.grade`).
  public static func grade(_ input: String, card: Card, options: [String]) -> (
    picked: Int?, result: AnswerGrader.Result
  ) {
    if let index = pick(input, options: options) {
      return (index, AnswerGrader.Result(verdict: options[index] == card.back ? .correct : .wrong))
    }
    return (nil, AnswerGrader.grade(input, expected: card.back, accepted: card.note.accept))
  }
}
