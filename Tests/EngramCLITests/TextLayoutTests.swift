import Testing

@testable import EngramCLI

/// Word wrapping by display width: checked against hand-counted columns and by properties over
/// many widths.
@Suite struct TextLayoutTests {
  let sentence =
    "A validation set is data held back from training and used to tune choices such as hyperparameters, model size and when to stop training, so the test set can stay untouched until the end."

  /// The words of `lines` once the hanging indent is removed, in order.
  func words(_ lines: [String]) -> [Substring] {
    lines.flatMap { $0.split(separator: " ") }
  }

  @Test func `wide East Asian characters take two columns, combining marks none, escapes none`() {
    #expect(TextLayout.width("abc") == 3)
    #expect(TextLayout.width("日本語") == 6)  // three wide characters
    #expect(TextLayout.width("e\u{301}te\u{301}") == 3)  // été written with combining acute accents
    #expect(TextLayout.width("\u{1B}[1mQ: \u{1B}[0mok") == 5)
    #expect(TextLayout.width("ｶﾀｶﾅ") == 4)  // halfwidth katakana: one column each
  }

  // From 21 columns up the longest word ("hyperparameters,", 16) fits after the 5-column label.
  @Test(arguments: [21, 33, 60, 80, 120])
  func `no line is wider than the width and every word stays whole`(columns: Int) {
    let lines = TextLayout.wrap(sentence, columns: columns, label: "Why: ")
    for line in lines { #expect(TextLayout.width(line) <= columns, "\(line)") }
    #expect(words(lines).dropFirst().elementsEqual(sentence.split(separator: " ")))
    #expect(lines[0].hasPrefix("Why: "))
    // Continuation lines hang under the text, after the label's five columns.
    for line in lines.dropFirst() {
      #expect(line.hasPrefix("     ") && !line.hasPrefix("      "), "\(line)")
    }
  }

  @Test(arguments: [30, 60, 80])
  func `CJK text wraps by columns, not characters`(columns: Int) {
    let text = "東京 は 日本 の 首都 です。 This sentence mixes 漢字 and English words 単語 to wrap."
    let lines = TextLayout.wrap(text, columns: columns, label: "Q: ")
    for line in lines { #expect(TextLayout.width(line) <= columns, "\(line)") }
    #expect(words(lines).dropFirst().elementsEqual(text.split(separator: " ")))
  }

  @Test func `a line is filled greedily: a word goes down only when it no longer fits`() {
    // Widths by hand: "aaa bbb" is 7 columns, "aaa bbb ccc" 11.
    #expect(TextLayout.wrap("aaa bbb ccc", columns: 10) == ["aaa bbb", "ccc"])
    #expect(TextLayout.wrap("aaa bbb ccc", columns: 11) == ["aaa bbb ccc"])
    // 日本語 is six columns: "日本語 日本語" is thirteen, too wide for twelve (nine characters).
    #expect(TextLayout.wrap("日本語 日本語", columns: 12) == ["日本語", "日本語"])
    #expect(TextLayout.wrap("日本語 日本語", columns: 13) == ["日本語 日本語"])
  }

  @Test func `only a word longer than the whole line is cut`() {
    let lines = TextLayout.wrap("short abcdefghijklmnopqrstuvwxyz end", columns: 12)
    #expect(lines == ["short", "abcdefghijkl", "mnopqrstuvwx", "yz end"])
  }

  @Test func `a line that fits is left exactly as it is, inner spacing included`() {
    #expect(TextLayout.wrap("  a    b", columns: 80) == ["  a    b"])
  }

  @Test func `an indented line keeps its indent on continuation lines`() {
    let lines = TextLayout.wrap("  • one two three four five six", columns: 14)
    #expect(lines == ["  • one two", "  three four", "  five six"])
  }

  @Test func `a coloured indented line hangs like a plain one`() {
    let dim = "\u{1B}[2m"
    let reset = "\u{1B}[0m"
    let plain = TextLayout.wrap("  answer times: defaults for fewer than 20", columns: 20)
    let coloured = TextLayout.wrap(dim + "  answer times: defaults for fewer than 20" + reset, columns: 20)
    // Greedy fill: "  defaults for fewer" is exactly 20 columns.
    #expect(plain == ["  answer times:", "  defaults for fewer", "  than 20"])
    #expect(coloured == ["  " + dim + "answer times:", "  defaults for fewer", "  than 20" + reset])
  }

  @Test func `colour codes do not count toward the width and are never split`() {
    let bold = "\u{1B}[1m"
    let reset = "\u{1B}[0m"
    let lines = TextLayout.wrap(bold + "Q: " + reset + "one two three", columns: 10)
    #expect(lines == [bold + "Q: " + reset + "one two", "three"])
  }

  @Test func `truncating keeps the first line within the width and marks the cut`() {
    #expect(TextLayout.truncate("What is the SI symbol for the second?", columns: 12) == "What is the…")
    #expect(TextLayout.truncate("short", columns: 12) == "short")
    #expect(TextLayout.truncate("two\nlines", columns: 12) == "two…")
  }
}
