import EngramCore

/// Writes a deck as Engram Markdown or as an Anki-importable TSV.
public enum DeckExporter {
  /// Anki's text format with headers: one row per note, the card id as guid, `Basic` or `Cloze`
  /// as note type, the deck id as deck, tags space-separated. Explanations, accepted answers and
  /// choices have no Anki field and are left out (export to `.md` to keep them).
  public static func tsv(_ deck: Deck) -> String {
    var out = "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"
    func clean(_ text: String) -> String {
      text.map { $0 == "\t" ? " " : $0 }.reduce(into: "") { $0.append($1) }
    }
    func quoted(_ text: String) -> String {
      let flat = clean(text)
      return flat.contains(where: { $0 == "\"" || $0 == "\n" })
        ? "\"" + flat.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : flat
    }
    for note in deck.notes {
      let (type, front, back): (String, String, String)
      switch note.content {
      case .basic(let question, let answer): (type, front, back) = ("Basic", question, answer)
      case .cloze(let text): (type, front, back) = ("Cloze", ankiCloze(text), note.why)
      }
      out +=
        [note.id, type, deck.id, quoted(front), quoted(back), note.tags.joined(separator: " ")].joined(separator: "\t")
        + "\n"
    }
    return out
  }

  /// Engram blanks as Anki cloze markup: `{{a}} … {{b}}` → `{{c1::a}} … {{c2::b}}`; numbered
  /// blanks are Anki's markup already.
  static func ankiCloze(_ text: String) -> String {
    var out = ""
    var rest = Substring(text)
    var number = 1
    while let open = rest.firstRange(ofASCII: "{{"), let close = rest[open.upperBound...].firstRange(ofASCII: "}}") {
      let inner = rest[open.upperBound..<close.lowerBound]
      let numbered = Cloze.blank(inner).number != nil
      out += rest[..<open.lowerBound] + (numbered ? "{{" : "{{c\(number)::") + inner + "}}"
      number += 1
      rest = rest[close.upperBound...]
    }
    return out + rest
  }
}
