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

  /// The version `engram --version` prints.
  public static let version = "0.10.0"

  static let commandTypes: [ParsableCommand.Type] = [
    ReviewCommand.self, DecksCommand.self, DueCommand.self, StateCommand.self, LintCommand.self,
    QuizCommand.self, CramCommand.self, StatsCommand.self, OptimizeCommand.self, ImportCommand.self, ExportCommand.self,
    EditCommand.self, ExportLogCommand.self, UnsuspendCommand.self,
    ScenarioCommand.self, LeechesCommand.self, PostponeCommand.self, AdvanceCommand.self,
    SimulateCommand.self, DevicesCommand.self,
  ]

  /// `--version` is the root command's own flag: ArgumentParser's `version:` setting would add
  /// it to every subcommand's help, where it only clutters.
  @Flag(help: "Show the version.")
  var version = false

  public init() {}

  public func run() throws {
    if version {
      Terminal(environment: ProcessInfo.processInfo.environment).write(Engram.version + "\n")
      return
    }
    let status = REPL(session: AppSession()).run()
    if status != 0 { throw ExitCode(status) }
  }

  /// Parses `arguments`, runs the command and returns the process exit status: 0 success,
  /// 1 a user error (message on stderr), 2 bad usage.
  public static func main(arguments: [String]) -> Int32 {
    do {
      try UnknownCommand.check(arguments, known: UnknownCommand.names(of: Engram.self) + ["help"])
      var command = try parseAsRoot(arguments)
      try command.run()
      return 0
    } catch {
      let rendered = CommandFailure.render(error, root: Engram.self)
      // A piped REPL session's status: its errors were shown as they came.
      if rendered.text.isEmpty { return rendered.status }
      let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
      // Help, version and completion scripts come formatted by ArgumentParser (help to the
      // terminal's width); a script must reach its file exactly as generated.
      if rendered.isError { terminal.error(rendered.text) } else { terminal.write(rendered.text + "\n") }
      return rendered.status
    }
  }
}
