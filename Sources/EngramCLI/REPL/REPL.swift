import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// The interactive prompt. Each line is parsed against the REPL's own command set (never the
/// root command, whose empty invocation would open a nested REPL).
final class REPL {
  private let session: AppSession

  /// The highest exit status of the lines run so far (0 when all succeeded): a script piping
  /// commands in learns that one failed, as it would running them one by one.
  private(set) var worstStatus: Int32 = 0

  init(session: AppSession) { self.session = session }

  /// The commands a line may start with. Named `engram`, so that help, usage and errors read
  /// as they do in a shell (`engram review --help`); a line never runs it (an empty line is
  /// skipped), so it never opens a nested REPL.
  struct Commands: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "engram", subcommands: Engram.commandTypes)
  }

  /// Words the REPL itself understands besides the commands (completion offers them; a typo is
  /// matched against them). `?` and `q` are their short forms, understood but never suggested.
  static let builtins = ["exit", "help", "quit"]

  /// Reads and runs lines until `quit` or the end of input. Returns the exit status for the
  /// process: 0 on a terminal (the learner saw each error as it came), else the worst status of
  /// any line.
  func run() -> Int32 {
    let terminal = session.terminal
    let reader = session.lineReader()
    let interactive = terminal.inputIsTerminal
    if interactive { greet() }
    while true {
      switch reader.read(prompt: "engram> ") {
      case .interrupted:
        continue
      case .endOfInput:
        if interactive { terminal.line() }
        return interactive ? 0 : worstStatus
      case .line(let line):
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { continue }
        reader.remember(text)
        if !execute(text) { return interactive ? 0 : worstStatus }
      }
    }
  }

  /// Runs one line; false when the REPL should end.
  func execute(_ text: String) -> Bool {
    let terminal = session.terminal
    do {
      let words = try ShellWords.split(text)
      guard let first = words.first else { return true }
      switch first {
      // ":q" too: the key that ends a review session, typed again once it has ended.
      case "quit", "exit", "q", ":q":
        return false
      case "help", "?":
        try help(words.dropFirst().first)
        return true
      default:
        break
      }
      try UnknownCommand.check(words, known: UnknownCommand.names(of: Commands.self) + REPL.builtins)
      var parsed = try Commands.parseAsRoot(words)
      if let command = parsed as? SessionCommand {
        try command.run(in: session)
      } else {
        // `CMD --help` parses to ArgumentParser's help command, whose run throws that
        // command's help for the renderer below.
        try parsed.run()
      }
    } catch {
      let rendered = CommandFailure.render(error, root: Commands.self, context: .repl)
      if rendered.isError { terminal.error(rendered.text) } else { terminal.line(rendered.text) }
      worstStatus = max(worstStatus, rendered.status)
    }
    return true
  }

  private func greet() {
    let terminal = session.terminal
    let workspace: Workspace
    do { workspace = try session.openWorkspace() } catch {
      // Said at once, not at every command: most commands need the data directory.
      terminal.error(CommandFailure.render(error, root: Commands.self, context: .repl).text)
      terminal.line(terminal.bold("Engram") + " — fix the problem above, then try again; 'help' lists the commands.")
      return
    }
    let counts = workspace.queue().counts
    terminal.line(
      terminal.bold("Engram") + " — \(counted(workspace.summaries.count, "deck")) · \(counts.due) due · "
        + "\(counts.learning) learning · \(counts.new) new today. Type 'help' for commands, Tab to complete.")
  }

  /// `help`: every command with its usage and summary, from the command definitions; `help
  /// CMD`: that command's full help, as `engram CMD --help` prints it.
  private func help(_ topic: String?) throws {
    let terminal = session.terminal
    if let topic {
      guard let type = Engram.commandTypes.first(where: { $0.configuration.commandName == topic }) else {
        try UnknownCommand.check([topic], known: UnknownCommand.names(of: Commands.self))
        return
      }
      terminal.line(Commands.helpMessage(for: type))
      return
    }
    var lines = ["Commands ('help COMMAND' or 'COMMAND --help' for one command's options):"]
    for type in Engram.commandTypes {
      let usage = Commands.usageString(for: type)
      lines.append("  " + (usage.hasPrefix("engram ") ? String(usage.dropFirst("engram ".count)) : usage))
      lines.append("      " + type.configuration.abstract)
    }
    lines.append("  help [COMMAND]")
    lines.append("      This list, or one command's options.")
    lines.append("  quit")
    lines.append("      Leave (or Ctrl-D).")
    terminal.line(lines.joined(separator: "\n"))
    terminal.line(
      """
      In a review: Enter shows the answer (type yours first to compare), then rate
      1 again · 2 hard · 3 good · 4 easy. u undo · s suspend · b bury · e why · q quit
      (at the answer prompt :u :s :b :e :q, so typed text is always an answer).
      """)
  }
}

/// Splits a command line into words, honouring single and double quotes and backslashes.
enum ShellWords {
  struct UnterminatedQuote: Error, CustomStringConvertible {
    var description: String { "unterminated quote" }
  }

  /// `word` written so that `split` gives it back as one word: as it is when it has nothing
  /// special, else in single quotes (a quote inside as `'\''`). Commands suggested to the learner
  /// use it, so they run as printed in the REPL and in a POSIX shell alike.
  static func quote(_ word: String) -> String {
    let plain =
      !word.isEmpty
      && word.unicodeScalars.allSatisfy { scalar in
        (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./:@%+=,".unicodeScalars.contains(scalar))
      }
    if plain { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  static func split(_ text: String) throws -> [String] {
    let line = LineWords(text)
    if line.quote != nil { throw UnterminatedQuote() }
    return line.inWord ? line.words + [line.current] : line.words
  }
}
