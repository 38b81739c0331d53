import EngramCore

/// Writes a deck in the Markdown format `DeckParser` reads, so that parse(write(deck)) == deck.
public enum DeckWriter {
  /// The deck as Markdown text.
  public static func markdown(_ deck: Deck) -> String {
    var out = "# \(deck.title)\nid: \(deck.id)\n"
    if !deck.topics.isEmpty { out += "topics: \(deck.topics.joined(separator: ", "))\n" }
    if !deck.description.isEmpty { out += "description: \(deck.description)\n" }
    for note in deck.notes {
      out += "\n## \(note.id)\n"
      switch note.content {
      case .basic(let question, let answer):
        out += field("Q", question) + field("A", answer)
      case .cloze(let text):
        out += field("C", text)
      }
      if !note.choices.isEmpty {
        out += "Choices:\n" + note.choices.map { "- \($0)\n" }.joined()
      }
      if !note.accept.isEmpty { out += "Accept: \(note.accept.joined(separator: " | "))\n" }
      if !note.why.isEmpty { out += field("Why", note.why) }
      if !note.tags.isEmpty { out += "Tags: \(note.tags.joined(separator: ", "))\n" }
      if !note.see.isEmpty { out += "See: \(note.see.joined(separator: ", "))\n" }
      if let sibling = note.sibling { out += "Sibling: \(sibling)\n" }
    }
    return out
  }

  /// A field with paragraphs separated by blank lines; continuation lines that would read as a
  /// field, a card heading or a choice are indented (the parser strips the indent).
  static func field(_ name: String, _ value: String) -> String {
    if !value.utf8.contains(10) { return "\(name): \(value.trimmingWhitespace())\n" }
    var out = "\(name):"
    let paragraphs = value.components(separatedBy: "\n\n")
    for (index, paragraph) in paragraphs.enumerated() {
      let text = paragraph.replacingNewlines()
      if index == 0 {
        out += " " + text + "\n"
      } else {
        out += "\n" + (needsIndent(text) ? "  " : "") + text + "\n"
      }
    }
    return out
  }

  private static func needsIndent(_ text: String) -> Bool {
    if text.hasPrefix("#") || text.hasPrefix("- ") { return true }
    guard let first = text.first, first.isUppercase, let colon = text.firstIndex(of: ":") else {
      return false
    }
    return text[..<colon].allSatisfy { $0.isLetter && $0.isASCII }
  }
}

extension String {
  fileprivate func replacingNewlines() -> String {
    split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingWhitespace() }.joined(
      separator: " ")
  }
}
