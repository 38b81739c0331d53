/// Reading and rendering `{{…}}` blanks in cloze text.
///
/// Two forms. Unnumbered `{{text}}`: each blank is its own card, keyed by its position (`#1`,
/// `#2`, …), as decks have always been written. Numbered, Anki's syntax, `{{c1::text}}` or
/// `{{c1::text::hint}}`: blanks sharing a number are one card, keyed by that number, so adding
/// a blank before the others moves no history; the question shows the hint as `[hint]`. A note
/// uses one form or the other.
public enum Cloze {
  /// One `{{…}}` blank.
  public struct Blank: Sendable, Equatable {
    /// Anki's cloze number (`c3` → 3); nil for an unnumbered blank.
    public var number: Int?
    /// The hidden text: the answer.
    public var text: String
    /// Shown in place of `...` while hidden.
    public var hint: String?

    public init(number: Int? = nil, text: String, hint: String? = nil) {
      self.number = number
      self.text = text
      self.hint = hint
    }
  }

  /// One card of a cloze note: the key suffix (`#n`), the question and the answer.
  public struct ClozeCard: Sendable, Equatable {
    public var number: Int
    public var front: String
    public var back: String
  }

  /// The blanks of `text`, in order. Assumes well-formed text (the parser checks it).
  public static func parse(_ text: String) -> [Blank] {
    var result: [Blank] = []
    var rest = Substring(text)
    while let open = rest.range(of: "{{") {
      guard let close = rest[open.upperBound...].range(of: "}}") else { break }
      result.append(blank(rest[open.upperBound..<close.lowerBound]))
      rest = rest[close.upperBound...]
    }
    return result
  }

  /// The text inside each `{{…}}`, in order, without numbers and hints: the answers.
  public static func blanks(in text: String) -> [String] { parse(text).map(\.text) }

  /// Reads the inside of one blank: `c12::text::hint` is numbered, anything else is plain text.
  public static func blank(_ inner: Substring) -> Blank {
    let bytes = Array(inner.utf8.prefix(7))
    var digits = 0
    if bytes.first == 99 {  // 'c'
      while digits < 4, 1 + digits < bytes.count, bytes[1 + digits] >= 48, bytes[1 + digits] <= 57 { digits += 1 }
    }
    guard digits > 0, bytes.count >= digits + 3, bytes[1 + digits] == 58, bytes[2 + digits] == 58,
      let number = Int(String(decoding: bytes[1...digits], as: UTF8.self)), number >= 1
    else {
      return Blank(text: String(inner))
    }
    let body = inner.dropFirst(digits + 3)
    if let separator = body.range(of: "::") {
      return Blank(
        number: number, text: String(body[..<separator.lowerBound]), hint: String(body[separator.upperBound...]))
    }
    return Blank(number: number, text: String(body))
  }

  /// The cards of a cloze text: one per blank by position, or one per number (ascending) when
  /// the blanks are numbered.
  public static func cards(in text: String) -> [ClozeCard] {
    let blanks = parse(text)
    guard blanks.contains(where: { $0.number != nil }) else {
      return cardNumbers(of: blanks).map { number in
        ClozeCard(
          number: number, front: render(text) { position, _ in position == number - 1 }, back: blanks[number - 1].text)
      }
    }
    return cardNumbers(of: blanks).map { number in
      ClozeCard(
        number: number, front: render(text) { _, blank in blank.number == number },
        back: blanks.filter { $0.number == number }.map(\.text).joined(separator: ", "))
    }
  }

  /// The numbers of `cards(in:)`, without rendering each card's question and answer.
  public static func cardNumbers(in text: String) -> [Int] { cardNumbers(of: parse(text)) }

  /// The card numbers of a text's blanks: their positions (from 1), or their distinct numbers
  /// ascending when they are numbered. The one rule `cards(in:)` and `cardNumbers(in:)` share.
  private static func cardNumbers(of blanks: [Blank]) -> [Int] {
    guard blanks.contains(where: { $0.number != nil }) else { return blanks.indices.map { $0 + 1 } }
    return Set(blanks.compactMap(\.number)).sorted()
  }

  /// The text with blank `hidden` (by position) shown as `[...]` and every other blank filled in.
  public static func render(_ text: String, hiding hidden: Int) -> String {
    render(text) { position, _ in position == hidden }
  }

  /// The text with the blanks `isHidden` picks shown as `[hint]` or `[...]`, the others filled in.
  public static func render(_ text: String, isHidden: (_ position: Int, Blank) -> Bool) -> String {
    render(text) { position, blank in isHidden(position, blank) ? "[\(blank.hint ?? "...")]" : blank.text }
  }

  /// The whole text with every blank filled in (numbers and hints dropped), the blanks of card
  /// `number` passed through `mark` (bold on a terminal, say) so the learner sees the answer in
  /// its sentence. `number` is the card's: the blank's position for unnumbered blanks, Anki's
  /// cloze number (every blank sharing it) for numbered ones.
  public static func render(_ text: String, revealing number: Int, mark: (String) -> String) -> String {
    let numbered = parse(text).contains { $0.number != nil }
    return render(text) { position, blank in
      (numbered ? blank.number == number : position == number - 1) ? mark(blank.text) : blank.text
    }
  }

  /// The text with each blank replaced by what `replacement` gives for it (its position, from 0).
  private static func render(_ text: String, replacement: (_ position: Int, Blank) -> String) -> String {
    var output = ""
    var rest = Substring(text)
    var index = 0
    while let open = rest.range(of: "{{") {
      guard let close = rest[open.upperBound...].range(of: "}}") else { break }
      output += rest[..<open.lowerBound]
      output += replacement(index, blank(rest[open.upperBound..<close.lowerBound]))
      rest = rest[close.upperBound...]
      index += 1
    }
    output += rest
    return output
  }

  /// What is wrong with the blanks of `text`, if anything.
  public static func problem(in text: String) -> ClozeProblem? {
    var rest = Substring(text)
    var count = 0
    var numbered = 0
    while let open = rest.range(of: "{{") {
      let after = rest[open.upperBound...]
      guard let close = after.range(of: "}}") else { return .unterminated }
      let inner = after[..<close.lowerBound]
      if inner.contains("{{") { return .unterminated }
      let blank = blank(inner)
      if blank.text.allSatisfy(\.isWhitespace) { return .empty }
      if blank.number != nil { numbered += 1 }
      count += 1
      rest = after[close.upperBound...]
    }
    if rest.contains("}}") { return .unopened }
    if numbered > 0 && numbered < count { return .mixedNumbering }
    return count == 0 ? .noBlank : nil
  }

  /// A malformed cloze.
  public enum ClozeProblem: Sendable, Equatable {
    case noBlank, empty, unterminated, unopened
    /// Some blanks numbered (`{{c1::…}}`) and some not.
    case mixedNumbering
  }
}
