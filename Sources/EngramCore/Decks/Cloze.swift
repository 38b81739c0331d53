/// Reading and rendering `{{…}}` blanks in cloze text.
public enum Cloze {
  /// The text inside each `{{…}}`, in order. Assumes well-formed text (the parser checks it).
  public static func blanks(in text: String) -> [String] {
    var result: [String] = []
    var rest = Substring(text)
    while let open = rest.range(of: "{{") {
      guard let close = rest[open.upperBound...].range(of: "}}") else { break }
      result.append(String(rest[open.upperBound..<close.lowerBound]))
      rest = rest[close.upperBound...]
    }
    return result
  }

  /// The text with blank `hidden` shown as `[...]` and every other blank filled in.
  public static func render(_ text: String, hiding hidden: Int) -> String {
    var output = ""
    var rest = Substring(text)
    var index = 0
    while let open = rest.range(of: "{{") {
      guard let close = rest[open.upperBound...].range(of: "}}") else { break }
      output += rest[..<open.lowerBound]
      output += index == hidden ? "[...]" : String(rest[open.upperBound..<close.lowerBound])
      rest = rest[close.upperBound...]
      index += 1
    }
    output += rest
    return output
  }

  /// The whole text with every blank filled in, blank `shown` passed through `mark` (bold on
  /// a terminal, say) so the learner sees the answer in its sentence.
  public static func render(_ text: String, revealing shown: Int, mark: (String) -> String) -> String {
    var output = ""
    var rest = Substring(text)
    var index = 0
    while let open = rest.range(of: "{{") {
      guard let close = rest[open.upperBound...].range(of: "}}") else { break }
      output += rest[..<open.lowerBound]
      let blank = String(rest[open.upperBound..<close.lowerBound])
      output += index == shown ? mark(blank) : blank
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
    while let open = rest.range(of: "{{") {
      let after = rest[open.upperBound...]
      guard let close = after.range(of: "}}") else { return .unterminated }
      let inner = after[..<close.lowerBound]
      if inner.contains("{{") { return .unterminated }
      if inner.allSatisfy(\.isWhitespace) { return .empty }
      count += 1
      rest = after[close.upperBound...]
    }
    if rest.contains("}}") { return .unopened }
    return count == 0 ? .noBlank : nil
  }

  /// A malformed cloze.
  public enum ClozeProblem: Sendable, Equatable {
    case noBlank, empty, unterminated, unopened
  }
}
