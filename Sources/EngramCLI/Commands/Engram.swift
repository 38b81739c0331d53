import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// The `engram` command: with no subcommand it opens the REPL.
public struct Engram: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "engram",
    abstract: "A terminal tutor for AI project management, with FSRS-6 spaced repetition.",
    discussion: """
      With no command, opens an interactive prompt with line editing, history and tab completion.
      Data lives in $ENGRAM_HOME (else $XDG_DATA_HOME/engram, else ~/.local/share/engram).
      """,
    subcommands: commandTypes)

  static let commandTypes: [ParsableCommand.Type] = [
    ReviewCommand.self, DecksCommand.self, DueCommand.self, StateCommand.self, LintCommand.self,
    QuizCommand.self, CramCommand.self, StatsCommand.self, OptimizeCommand.self, ImportCommand.self, ExportCommand.self, ExportLogCommand.self, UnsuspendCommand.self,
    ScenarioCommand.self, LeechesCommand.self, PostponeCommand.self, AdvanceCommand.self,
    SimulateCommand.self,
  ]

  public init() {}

  public func run() throws {
    try REPL(session: AppSession()).run()
  }

  /// Parses `arguments`, runs the command and returns the process exit status: 0 success,
  /// 1 a user error (message on stderr), 2 bad usage.
  public static func main(arguments: [String]) -> Int32 {
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
      return 0
    } catch {
      return report(error)
    }
  }

  /// Prints an error and gives the exit status: ArgumentParser's own errors (help, usage) are
  /// rendered by it; everything else is a user error with its message.
  static func report(_ error: Error) -> Int32 {
    let code = exitCode(for: error)
    if code == .success {
      print(fullMessage(for: error))
      return 0
    }
    if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") || code == .validationFailure {
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      return 2
    }
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    return 1
  }
}
