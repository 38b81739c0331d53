import EngramTestSupport
import Foundation
import Testing

/// Screens in a real terminal at 60, 80 and 120 columns: every word on screen is whole.
///
/// A word broken across lines (by our wrapping, or by the terminal wrapping a line we made too
/// wide) shows up on screen as fragments. So the words seen in tmux must all be words of the
/// same session run unwrapped (piped, 1000 columns) from the same data, with the clock pinned.
@Suite(.serialized) struct LayoutEndToEndTests {
  typealias TmuxSession = TerminalEndToEndTests.TmuxSession

  static let deck = """
    # Japanese Words
    id: cjk
    topics: japanese

    ## study
    Q: 日本語 の 単語 「勉強」 は 英語 で 何 と 言います か？ Answer with the one English word a student would use every single day of the school year.
    A: study
    Why: 勉強 (べんきょう) means study or learning; 勉 is effort and 強 is strength, so the word pictures learning as a strong effort kept up over many quiet evenings.
    Tags: vocabulary

    ## tokyo
    C: 東京 は 日本 の 首都 です — Tokyo is the capital of {{Japan}}, and the seat of its government has been there since the year 1869.
    Tags: vocabulary
    """

  /// The lines typed, in order: a review (an answer typed, the explanation, ratings), a typed
  /// quiz, stats and help.
  static let commands: [(text: String, waitFor: String)] = [
    ("review cjk", "answer>"), ("study", "rate 1-4>"), ("e", "rate 1-4>"), ("3", "answer>"), ("", "rate 1-4>"),
    ("3", "engram>"),
    ("quiz cjk -n 2 --seed 3 --mode typed", "answer>"), ("x", "answer>"), ("x", "engram>"),
    ("stats", "engram>"), ("help", "engram>"), ("help review", "engram>"),
  ]

  /// Whole words of a text: letters, with inner hyphens and apostrophes, two or more long.
  /// Words cut with `…` (a truncated line, not a broken one) are left out.
  static func words(_ text: String) -> Set<String> {
    var result = Set<String>()
    for token in text.split(whereSeparator: { $0.isWhitespace }) where !token.contains("…") {
      let trimmed = token.drop { !$0.isLetter }.reversed().drop { !$0.isLetter }.reversed()
      let word = String(trimmed)
      guard word.count >= 2, word.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "'" || $0 == "’" }) else { continue }
      result.insert(word)
    }
    return result
  }

  @Test(arguments: [60, 80, 120])
  func `no word is broken across lines on the review, quiz, stats and help screens`(columns: Int) throws {
    let environment = ["ENGRAM_NOW": "2026-03-02T10:00:00Z"]
    // The reference: the same lines piped, unwrapped, from an identical data directory.
    let reference = TemporaryDirectory()
    reference.write("decks/cjk.md", Self.deck)
    reference.write("config.toml", "learning_steps = []\n")
    let piped = try runEngram(
      [], home: reference.path, input: Self.commands.map { $0.text + "\n" }.joined(),
      environment: environment.merging(["COLUMNS": "1000"]) { $1 })
    #expect(piped.stdout.contains("勉強"))
    var known = Self.words(piped.stdout)
    known.formUnion(Self.words(Self.commands.map(\.text).joined(separator: " ") + " engram answer rate"))

    let home = TemporaryDirectory()
    home.write("decks/cjk.md", Self.deck)
    home.write("config.toml", "learning_steps = []\n")
    let terminal = try TmuxSession(home: home.path, columns: columns, rows: 50, environment: environment)
    try terminal.waitForIdlePrompt()
    // Only the session's own screens: the greeting (not in the piped run) is cleared away.
    try terminal.send("C-l")
    _ = try terminal.wait(for: "a cleared screen") { !$0.contains("Type 'help'") }
    try terminal.tmux(["clear-history", "-t", terminal.name])
    var screens = ""
    for (index, command) in Self.commands.enumerated() {
      let before = try terminal.tmux(["capture-pane", "-p", "-S", "-", "-t", terminal.name])
      if command.text.isEmpty {
        try terminal.send("Enter")
      } else {
        try terminal.type(command.text)
        try terminal.send("Enter")
      }
      let after = try terminal.wait(for: "step \(index): \(command.text)") { _ in
        guard let all = try? terminal.tmux(["capture-pane", "-p", "-S", "-", "-t", terminal.name]), all != before
        else { return false }
        let last = all.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        return last.hasPrefix(command.waitFor) && last.trimmingCharacters(in: .whitespaces) == command.waitFor
      }
      _ = after
      screens = try terminal.tmux(["capture-pane", "-p", "-S", "-", "-t", terminal.name])
    }
    #expect(screens.contains("Why:"))
    #expect(screens.contains("Score:"))
    #expect(screens.contains("Forecast"))
    #expect(screens.contains("USAGE: engram review"))
    let broken = Self.words(screens).subtracting(known)
    #expect(broken.isEmpty, "fragments at \(columns) columns: \(broken.sorted())\n\(screens)")
    // The long lines did wrap: the CJK question takes more than one line below 120 columns.
    if columns < 120 {
      #expect(!screens.split(separator: "\n").contains { $0.contains("日本語") && $0.contains("school year") })
    }
  }
}
