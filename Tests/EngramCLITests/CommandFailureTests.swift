import ArgumentParser
import Testing

@testable import EngramCLI

/// The one renderer for failures: the form of the message, the stream and the exit status.
@Suite struct CommandFailureTests {
  private func failure(_ arguments: [String]) -> CommandFailure.Rendered {
    do {
      _ = try Engram.parseAsRoot(arguments)
      Issue.record("\(arguments) parsed")
      return CommandFailure.Rendered(text: "", isError: false, status: -1)
    } catch {
      return CommandFailure.render(error, root: Engram.self)
    }
  }

  @Test func `help goes to standard output with status 0`() {
    let rendered = CommandFailure.render(CleanExit.helpRequest(Engram.self), root: Engram.self)
    #expect(!rendered.isError)
    #expect(rendered.status == 0)
    #expect(rendered.text.contains("USAGE: engram"))
  }

  @Test func `the version is printed plainly with status 0`() {
    let rendered = CommandFailure.render(CleanExit.message(Engram.version), root: Engram.self)
    #expect(rendered == CommandFailure.Rendered(text: Engram.version, isError: false, status: 0))
  }

  @Test func `bad usage is an error with status 2 in lower case`() {
    let rendered = failure(["review", "--no-such-option"])
    #expect(rendered.isError)
    #expect(rendered.status == 2)
    #expect(rendered.text.hasPrefix("error: Unknown option '--no-such-option'"))
    #expect(!rendered.text.contains("Error: "))
  }

  @Test func `a validation failure is bad usage too`() {
    let rendered = CommandFailure.render(ValidationError("pick one deck"), root: Engram.self)
    #expect(rendered.isError)
    #expect(rendered.status == 2)
    #expect(rendered.text.hasPrefix("error: pick one deck"))
  }

  @Test func `a problem the user can fix has status 1 and its own words`() {
    let rendered = CommandFailure.render(UserError("no deck 'x'; see 'engram decks'"), root: Engram.self)
    #expect(
      rendered == CommandFailure.Rendered(text: "error: no deck 'x'; see 'engram decks'", isError: true, status: 1))
  }

  @Test func `an unknown command suggests the nearest names and where to look`() {
    let known = UnknownCommand.names(of: Engram.self)
    #expect(known.contains("review") && known.contains("stats"))
    let error = #expect(throws: UnknownCommand.self) { try UnknownCommand.check(["reveiw"], known: known) }
    #expect(error?.suggestions.first == "review")
    let rendered = CommandFailure.render(error!, root: Engram.self)
    #expect(rendered.status == 2)
    #expect(rendered.text.hasPrefix("error: unknown command 'reveiw'; did you mean 'review'"))
    #expect(rendered.text.hasSuffix("\n  See 'engram help' for the commands."))
    let typed = CommandFailure.render(error!, root: Engram.self, context: .repl)
    #expect(typed.text.hasSuffix("\n  See 'help' for the commands."))
    #expect(typed.status == 2)
  }

  @Test func `in the REPL usage and hints name commands without the program name`() {
    do {
      _ = try Engram.parseAsRoot(["quiz"])
      Issue.record("quiz without a topic parsed")
    } catch {
      let shell = CommandFailure.render(error, root: Engram.self)
      let repl = CommandFailure.render(error, root: Engram.self, context: .repl)
      #expect(shell.text.contains("Usage: engram quiz <topic>"))
      #expect(shell.text.contains("  See 'engram quiz --help' for more information."))
      #expect(repl.text.contains("Usage: quiz <topic>"))
      #expect(repl.text.contains("  See 'quiz --help' for more information."))
      #expect(repl.status == shell.status)
    }
  }

  @Test func `a word far from every command gets no suggestion, and options or known names pass`() throws {
    let known = UnknownCommand.names(of: Engram.self)
    let error = #expect(throws: UnknownCommand.self) { try UnknownCommand.check(["zzzzzzzzzz"], known: known) }
    #expect(error?.description == "unknown command 'zzzzzzzzzz'")
    try UnknownCommand.check(["--help"], known: known)
    try UnknownCommand.check(["stats", "ml"], known: known)
    try UnknownCommand.check([], known: known)
  }
}
