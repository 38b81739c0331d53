import CLineEdit

/// Word wrapping by display width: the one place every screen's text is laid out.
///
/// Width is what a terminal gives a text, not its character count: the C library's `wcwidth`
/// counts East Asian wide characters as 2 and combining marks as 0, and ANSI escape sequences
/// (colour, bold) take no room. Lines break only between words; a word longer than the whole
/// line is the one thing ever cut.
public enum TextLayout {
  /// The narrowest text column wrapping keeps after a hanging indent, so a deep indent on a
  /// narrow terminal still leaves room for words.
  static let minimumColumn = 10

  /// Columns `text` takes on a terminal.
  public static func width(_ text: some StringProtocol) -> Int {
    var total = 0
    var escape = EscapeScanner()
    for scalar in text.unicodeScalars where !escape.consume(scalar) { total += width(of: scalar) }
    return total
  }

  /// Columns one scalar takes: `wcwidth` in a UTF-8 character locale; when the C library
  /// cannot tell (no such locale installed), wide and combining scalars are recognised from
  /// their Unicode properties.
  static func width(of scalar: Unicode.Scalar) -> Int {
    if scalar.value < 0x7F { return scalar.value < 0x20 ? 0 : 1 }
    if localeReady {
      let columns = Int(le_wcwidth(scalar.value))
      if columns >= 0 { return columns }
    }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .control: return 0
    default: break
    }
    return isWide(scalar) ? 2 : 1
  }

  /// East Asian wide and fullwidth ranges (Unicode's EastAsianWidth W and F), for when the C
  /// library has no UTF-8 locale to ask.
  private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return true
    default:
      return false
    }
  }

  /// `wcwidth` answers for the character type of the current locale: make it a UTF-8 one
  /// (the environment's when it is UTF-8, else `C.UTF-8`), once, for the character type only,
  /// so number formatting is untouched. (一 takes two columns in every UTF-8 locale.)
  private static let localeReady: Bool = le_setup_ctype_locale() == 1 && le_wcwidth(0x4E00) == 2

  /// Lays `text` out in `columns` columns.
  ///
  /// Each line of `text` (`\n` separated) is wrapped on its own. The first output line starts
  /// with `label`; every later line is indented by `indent` columns (default: the label's
  /// width), plus the leading spaces of the line it continues, so `Q:`, `A:`, `Why:` and
  /// option blocks hang. A line that already fits is returned exactly as given.
  public static func wrap(_ text: String, columns: Int, label: String = "", indent: Int? = nil) -> [String] {
    let hang = indent ?? width(label)
    var output: [String] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let prefix = number == 0 ? label : String(repeating: " ", count: hang)
      output += wrapLine(line, columns: columns, prefix: prefix, hang: hang)
    }
    return output
  }

  /// The first line of `text` cut to `columns` columns, with `…` when anything was cut.
  public static func truncate(_ text: String, columns: Int) -> String {
    let line = text.prefix { $0 != "\n" }
    if width(line) <= columns && line.endIndex == text.endIndex { return text }
    let (head, _) = split(line, room: max(1, columns - 1))
    return head.trimmingSuffix(while: { $0 == " " }) + "…"
  }

  /// One line of text, broken between words.
  private static func wrapLine(_ line: Substring, columns: Int, prefix: String, hang: Int) -> [String] {
    let prefixWidth = width(prefix)
    if prefixWidth + width(line) <= columns { return [prefix + line] }
    // The line's indent is its leading spaces, counted through any colour codes before them
    // (`dim("  note")` starts with an escape), so a coloured line hangs as a plain one does.
    let (styles, leading, body) = indentation(of: line)
    let continuation = String(repeating: " ", count: hang + leading)
    let limit = max(columns, continuation.count + minimumColumn)
    var lines: [String] = []
    var current = prefix + String(repeating: " ", count: leading) + styles
    var currentWidth = prefixWidth + leading
    var empty = true
    for word in body.split(separator: " ") {
      let wordWidth = width(word)
      if !empty && currentWidth + 1 + wordWidth <= limit {
        current += " " + word
        currentWidth += 1 + wordWidth
        continue
      }
      if empty && currentWidth + wordWidth <= limit {
        current += word
        currentWidth += wordWidth
        empty = false
        continue
      }
      if !empty {
        lines.append(current)
        current = continuation
        currentWidth = continuation.count
      }
      // Only a word longer than a whole line is cut, at character boundaries.
      var rest = Substring(word)
      while currentWidth + width(rest) > limit {
        let (head, tail) = split(rest, room: limit - currentWidth)
        guard !head.isEmpty else { break }
        lines.append(current + head)
        current = continuation
        currentWidth = continuation.count
        rest = tail
      }
      current += rest
      currentWidth += width(rest)
      empty = false
    }
    lines.append(current)
    return lines
  }

  /// A line's leading escape sequences, the number of spaces among them, and the rest.
  private static func indentation(of line: Substring) -> (styles: String, spaces: Int, body: Substring) {
    var styles = ""
    var spaces = 0
    var escape = EscapeScanner()
    var index = line.unicodeScalars.startIndex
    while index != line.unicodeScalars.endIndex {
      let scalar = line.unicodeScalars[index]
      if escape.consume(scalar) {
        styles.unicodeScalars.append(scalar)
      } else if scalar == " " {
        spaces += 1
      } else {
        break
      }
      index = line.unicodeScalars.index(after: index)
    }
    return (styles, spaces, Substring(line.unicodeScalars[index...]))
  }

  /// The longest start of `word` that fits in `room` columns (at least one character, so a
  /// line always advances), and the rest. Escape sequences stay whole.
  private static func split(_ word: Substring, room: Int) -> (Substring, Substring) {
    var used = 0
    var end = word.startIndex
    var escape = EscapeScanner()
    for index in word.indices {
      let character = word[index]
      var columns = 0
      for scalar in character.unicodeScalars where !escape.consume(scalar) { columns += width(of: scalar) }
      if used + columns > room && end > word.startIndex && columns > 0 { break }
      used += columns
      end = word.index(after: index)
    }
    return (word[..<end], word[end...])
  }

  /// Recognises ANSI CSI sequences (`ESC [ … final`) scalar by scalar.
  struct EscapeScanner {
    private var state = 0  // 0 text, 1 after ESC, 2 inside CSI

    /// Whether `scalar` belongs to an escape sequence (and so takes no room).
    mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
      switch state {
      case 0:
        if scalar == "\u{1B}" {
          state = 1
          return true
        }
        return false
      case 1:
        state = scalar == "[" ? 2 : 0
        return true
      default:
        if (0x40...0x7E).contains(scalar.value) { state = 0 }
        return true
      }
    }
  }
}

extension Substring {
  fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
    var end = endIndex
    while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
    return String(self[..<end])
  }
}
