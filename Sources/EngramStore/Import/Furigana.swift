/// Anki's furigana markup made readable: ` 漢字[かんじ]` (a reading in brackets after its base,
/// which starts after a space) shows as `漢字(かんじ)`, and the space that only marked where the
/// base starts is dropped when Japanese text precedes it.
enum Furigana {
  /// `text` with every `base[reading]` written `base(reading)`; linear in the text.
  static func readable(_ text: String) -> String {
    guard text.contains(where: { $0 == "[" }) else { return text }
    var out: [Character] = []
    let characters = Array(text)
    var index = 0
    while index < characters.count {
      let character = characters[index]
      guard character == "[", let previous = out.last, !previous.isASCII, !previous.isWhitespace,
        let close = closing(characters, after: index)
      else {
        out.append(character)
        index += 1
        continue
      }
      // Drop the marker space before the base: find where the base starts in the output.
      var start = out.count
      while start > 0, !out[start - 1].isWhitespace, !out[start - 1].isASCII { start -= 1 }
      if start > 0, out[start - 1] == " ", start == 1 || !out[start - 2].isASCII { out.remove(at: start - 1) }
      out.append("(")
      out.append(contentsOf: characters[(index + 1)..<close])
      out.append(")")
      index = close + 1
    }
    return String(out)
  }

  /// The `]` that closes a reading opened at `open`: within 40 characters, with no bracket,
  /// space or ASCII letter before it (readings are kana).
  private static func closing(_ characters: [Character], after open: Int) -> Int? {
    var index = open + 1
    while index < characters.count && index <= open + 40 {
      let character = characters[index]
      if character == "]" { return index > open + 1 ? index : nil }
      if character == "[" || character.isWhitespace || (character.isASCII && character.isLetter) { return nil }
      index += 1
    }
    return nil
  }
}
