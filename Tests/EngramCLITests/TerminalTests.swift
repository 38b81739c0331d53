import EngramTestSupport
import Foundation
import Testing

@testable import EngramCLI

/// Colour follows NO_COLOR, CLICOLOR_FORCE, TERM=dumb and whether output is a terminal.
@Suite struct TerminalTests {
  @Test(
    arguments: [
      ([:], true, true),
      ([:], false, false),  // a pipe
      (["TERM": "dumb"], true, false),
      (["NO_COLOR": "1"], true, false),
      (["NO_COLOR": ""], true, true),  // set but empty: ignored
      (["CLICOLOR_FORCE": "1"], false, true),  // forced into a pipe
      (["CLICOLOR_FORCE": "1", "TERM": "dumb"], true, true),
      (["CLICOLOR_FORCE": "0"], false, false),
      (["CLICOLOR_FORCE": ""], false, false),
      (["CLICOLOR_FORCE": "1", "NO_COLOR": "1"], true, false),  // NO_COLOR wins
    ] as [([String: String], Bool, Bool)])
  func `colour follows the environment conventions`(environment: [String: String], terminal: Bool, color: Bool) {
    #expect(Terminal.colorEnabled(environment: environment, outputIsTerminal: terminal) == color)
  }

  @Test func `a forced colour reaches a pipe and NO_COLOR takes it away`() throws {
    let home = TemporaryDirectory()
    let forced = try runEngram(["stats"], home: home.path, environment: ["CLICOLOR_FORCE": "1"])
    #expect(forced.stdout.contains("\u{1B}["))
    let plain = try runEngram(["stats"], home: home.path, environment: ["CLICOLOR_FORCE": "1", "NO_COLOR": "1"])
    #expect(!plain.stdout.contains("\u{1B}["))
    let piped = try runEngram(["stats"], home: home.path)
    #expect(!piped.stdout.contains("\u{1B}["))
  }
}
