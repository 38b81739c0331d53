import EngramTestSupport
import Foundation
import Testing

@testable import EngramCLI

/// The REPL read from a pipe behaves like the shell: help per command, errors in one form,
/// "did you mean" for a mistyped command.
@Suite struct REPLTests {
  let home = TemporaryDirectory()

  @Test(arguments: ["review --help\n", "help review\n", "review -h\n"])
  func `a command's help inside the REPL is that command's, with engram usage`(line: String) throws {
    let result = try runEngram([], home: home.path, input: line)
    #expect(result.stdout.contains("USAGE: engram review [<target> ...]"))
    #expect(result.stdout.contains("OVERVIEW: Review today's due cards"))
    #expect(!result.stdout.contains("<subcommand>"))
  }

  @Test func `a piped session exits with the worst status of its lines, after running them all`() throws {
    let good = try runEngram([], home: home.path, input: "decks\nstats\n")
    #expect(good.status == 0)
    let mixed = try runEngram([], home: home.path, input: "decks\nbogus\nunsuspend no-such/card\nstats\n")
    #expect(mixed.status == 2)  // the unknown command is bad usage
    #expect(mixed.stdout.contains("agile-scrum"))
    #expect(mixed.stdout.contains("Reviews"))  // stats still ran after the failures
    let userError = try runEngram([], home: home.path, input: "unsuspend no-such/card\nquit\ndecks\n")
    #expect(userError.status == 1)
    #expect(!userError.stdout.contains("agile-scrum"))  // nothing runs after quit
  }

  @Test func `q leaves the REPL like quit, and a one-letter typo is not offered '?'`() throws {
    let result = try runEngram([], home: home.path, input: "b\nq\ndecks\n")
    #expect(!result.stdout.contains("agile-scrum"))
    #expect(result.stderr.contains("unknown command 'b'"))
    #expect(!result.stderr.contains("'?'"))
  }

  @Test func `:q at the prompt leaves the REPL as it ends a review`() throws {
    let result = try runEngram([], home: home.path, input: ":q\ndecks\n")
    #expect(result.status == 0)
    #expect(!result.stdout.contains("agile-scrum"))
    #expect(!result.stderr.contains("unknown command"))
  }

  @Test func `a broken config fails every piped line with status 1`() throws {
    home.write("config.toml", "[section]\n")
    let result = try runEngram([], home: home.path, input: "decks\n")
    #expect(result.status == 1)
    #expect(result.stderr.contains("config.toml:1:"))
  }

  @Test func `parse errors point at the command's help as it is typed where the learner is`() throws {
    let repl = try runEngram([], home: home.path, input: "export-log\nquiz capitals -n 0\nreveiw\n")
    // At the prompt commands are typed without 'engram'.
    #expect(repl.stderr.contains("Usage: export-log "))
    #expect(repl.stderr.contains("See 'export-log --help' for more information."))
    #expect(repl.stderr.contains("See 'help' for the commands."))
    #expect(!repl.stderr.contains("engram"))
    let shell = try runEngram(["export-log"], home: home.path)
    #expect(shell.status == 2)
    #expect(shell.stderr.contains("See 'engram export-log --help' for more information."))
    // The same error otherwise, word for word.
    #expect(repl.stderr.hasPrefix(shell.stderr.replacingOccurrences(of: "engram ", with: "")))
    let validation = try runEngram(["quiz", "capitals", "-n", "0"], home: home.path)
    #expect(validation.stderr.hasPrefix("error: -n must be between 1 and 500"))
    #expect(repl.stderr.contains(validation.stderr.replacingOccurrences(of: "engram ", with: "")))
  }

  @Test func `an unknown command gets did you mean, in the REPL and the shell`() throws {
    let repl = try runEngram([], home: home.path, input: "revew\nhelp stat\n")
    #expect(repl.stderr.contains("error: unknown command 'revew'; did you mean 'review'?"))
    #expect(repl.stderr.contains("error: unknown command 'stat'; did you mean 'state' or 'stats'?"))
    let shell = try runEngram(["expor"], home: home.path)
    #expect(shell.status == 2)
    #expect(shell.stderr.contains("error: unknown command 'expor'; did you mean 'export' or 'export-log'?"))
  }

  @Test func `engram --version prints the version`() throws {
    let result = try runEngram(["--version"], home: home.path)
    #expect(result.status == 0)
    #expect(result.stdout == Engram.version + "\n")
    // Only the root command has --version; subcommands' help stays uncluttered.
    let help = try runEngram(["quiz", "--help"], home: home.path)
    #expect(!help.stdout.contains("--version"))
    let root = try runEngram(["--help"], home: home.path)
    #expect(root.stdout.contains("--version"))
  }

  @Test func `the suggestion for a typo is the nearest command name`() {
    #expect(throws: UnknownCommand.self) { try UnknownCommand.check(["quizz"], known: ["quiz", "quit"]) }
    do {
      try UnknownCommand.check(["quizz"], known: ["quiz", "review"])
    } catch {
      #expect(error.suggestions == ["quiz"])
    }
    #expect(throws: Never.self) { try UnknownCommand.check(["--version"], known: []) }
  }
}
