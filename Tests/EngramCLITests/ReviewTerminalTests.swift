import EngramTestSupport
import Foundation
import Testing

/// A review session in a real terminal (tmux): keys as a learner presses them.
@Suite(.serialized) struct ReviewTerminalTests {
  typealias TmuxSession = TerminalEndToEndTests.TmuxSession

  /// The last non-blank line on screen.
  static func lastLine(_ screen: String) -> String {
    String(screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "")
  }

  @Test func `Ctrl-D at the answer prompt ends the session like q, with its summary on a new line`() throws {
    let home = TemporaryDirectory()
    home.write("decks/two.md", "# Two\nid: two\n\n## a\nQ: 1+1?\nA: 2\n\n## b\nQ: 2+2?\nA: 4\n")
    let terminal = try TmuxSession(home: home.path, columns: 80, rows: 24)
    try terminal.waitForIdlePrompt()
    try terminal.type("review two")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the first question") { $0.contains("Q: 1+1?") && Self.lastLine($0) == "answer>" }
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the rating prompt") { Self.lastLine($0) == "rate 1-4>" }
    try terminal.type("3")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the second question") { $0.contains("Q: 2+2?") && Self.lastLine($0) == "answer>" }
    try terminal.send("C-d")
    let screen = try terminal.wait(for: "the summary and the prompt") { Self.lastLine($0) == "engram>" }
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let summary = try #require(lines.firstIndex { $0.hasPrefix("Session done: 1 reviewed") })
    // The summary starts a line of its own, after the answer prompt's line was ended.
    #expect(lines[..<summary].contains { $0.hasPrefix("answer>") })
    #expect(lines[(summary + 1)...].contains { $0 == "engram>" })
  }

  @Test func `typing s at the answer prompt answers the card, and :s suspends it`() throws {
    let home = TemporaryDirectory()
    home.write(
      "decks/si.md",
      "# SI\nid: si\n\n## second\nQ: What is the SI symbol for the second?\nA: s\n\n## metre\nQ: And the metre?\nA: m\n"
    )
    home.write("config.toml", "learning_steps = []\n")
    let terminal = try TmuxSession(home: home.path, columns: 60, rows: 24)
    try terminal.waitForIdlePrompt()
    try terminal.type("review si")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the first question") { $0.contains("SI symbol") && Self.lastLine($0) == "answer>" }
    try terminal.type("s")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the graded answer") { $0.contains("you: s ✓") && Self.lastLine($0) == "rate 1-4>" }
    try terminal.type("3")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the second question") { $0.contains("the metre") && Self.lastLine($0) == "answer>" }
    try terminal.type(":s")
    try terminal.send("Enter")
    let screen = try terminal.wait(for: "the suspend message") { Self.lastLine($0) == "engram>" }
    #expect(screen.contains("Suspended \"And the metre?\" (si/metre)"))
    let log = home.read("reviews/test.tsv") ?? ""
    #expect(log.contains("\tsi/second\t3\t"))
    #expect(log.contains("\tsi/metre\t0\t0\tsuspend"))
  }
}
