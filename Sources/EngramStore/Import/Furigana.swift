/// Anki's furigana markup made readable: ` 漢字[かんじ]` (a reading in brackets after its base,
/// which starts after a space) shows as `漢字(かんじ)`, and the space that only marked where the
/// base starts is dropped when Japanese text precedes it. `{{kana:}}` and `{{kanji:}}` keep only
/// the readings or only the bases.
enum Furigana {
  enum Keep { case both, reading, base }

  /// `text` with every `base[reading]` written `base(reading)`; linear in the text.
  static func readable(_ text: String) -> String { convert(text, keep: .both) }

  /// `{{kana:F}}`: the readings in place of their bases, ` 日本 語[ご]` → `日本ご`.
  static func reading(_ text: String) -> String { convert(text, keep: .reading) }

  /// `{{kanji:F}}`: only the bases, ` 日本 語[ご]` → `日本語`.
  static func base(_ text: String) -> String { convert(text, keep: .base) }

  static func convert(_ text: String, keep: Keep) -> String {
    guard text.utf8.contains(91) else { return text }  // '['
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
      // The base runs back to the marker space (or any ASCII); that space is dropped.
      var start = out.count
      while start > 0, !out[start - 1].isWhitespace, !out[start - 1].isASCII { start -= 1 }
      let reading = characters[(index + 1)..<close]
      if keep == .reading { out.removeSubrange(start...) }
      if start > 0, out[start - 1] == " ", start == 1 || !out[start - 2].isASCII { out.remove(at: start - 1) }
      switch keep {
      case .both:
        out.append("(")
        out.append(contentsOf: reading)
        out.append(")")
      case .reading: out.append(contentsOf: reading)
      case .base: break
      }
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
