import ArgumentParser
import EngramCore

/// A command line that names no command: what was typed and the nearest command names.
struct UnknownCommand: Error, CustomStringConvertible {
  let name: String
  let suggestions: [String]

  var description: String {
    "unknown command '\(name)'"
      + (suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?")
  }

  /// Command names of `root` (with their aliases), from its configuration.
  static func names(of root: ParsableCommand.Type) -> [String] {
    var names: [String] = []
    for command in root.configuration.subcommands {
      let configuration = command.configuration
      if let name = configuration.commandName { names.append(name) }
      names += configuration.aliases
    }
    return names
  }

  /// Checks the first word of `words` against `known` names; an option or a known name passes.
  static func check(_ words: [String], known: [String]) throws(UnknownCommand) {
    guard let first = words.first, !first.hasPrefix("-"), !known.contains(first) else { return }
    let limit = max(2, first.count / 3)
    var ranked: [(name: String, distance: Int)] = []
    for name in known {
      let distance = TextNormalizer.editDistance(first, name)
      if distance <= limit || name.hasPrefix(first) { ranked.append((name, distance)) }
    }
    ranked.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
    throw UnknownCommand(name: first, suggestions: ranked.prefix(3).map(\.name))
  }
}

/// How a failure is shown and which exit status it gives: one renderer for subcommands and
/// the REPL, so every message has the same form (`error: …`, then where to look for help).
enum CommandFailure {
  /// What to print, where, and the exit status.
  struct Rendered: Equatable {
    var text: String
    /// Help and version requests go to standard output; problems to standard error.
    var isError: Bool
    /// 0 success, 1 a problem the user can fix, 2 bad usage.
    var status: Int32
  }

  /// Where the command was typed: the hints name commands as they are typed there.
  enum Context {
    /// A shell: `engram quiz --help`, `engram help`.
    case shell
    /// The REPL, where commands are typed without `engram`: `quiz --help`, `help`.
    case repl
  }

  /// Renders `error` raised while parsing or running a command of `root`, with its hints
  /// worded for `context`.
  static func render(_ error: Error, root: ParsableCommand.Type, context: Context = .shell) -> Rendered {
    var rendered = renderForShell(error, root: root)
    if context == .repl {
      // ArgumentParser words usage and hints for a shell ("Usage: engram quiz …", "See 'engram
      // quiz --help'"); at the REPL's prompt the program name is not typed.
      let program = root.configuration.commandName ?? "engram"
      rendered.text = rendered.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        var line = String(line)
        for prefix in ["Usage: ", "  See '", "See '"] where line.hasPrefix(prefix + program + " ") {
          line = prefix + line.dropFirst(prefix.count + program.count + 1)
        }
        return line
      }.joined(separator: "\n")
    }
    return rendered
  }

  private static func renderForShell(_ error: Error, root: ParsableCommand.Type) -> Rendered {
    // An exit status alone (a piped REPL session whose lines failed): the messages are out.
    if let exit = error as? ExitCode { return Rendered(text: "", isError: exit != .success, status: exit.rawValue) }
    if let unknown = error as? UnknownCommand {
      let name = root.configuration.commandName ?? "engram"
      return Rendered(text: "error: \(unknown)\n  See '\(name) help' for the commands.", isError: true, status: 2)
    }
    if let usage = error as? UsageError { return Rendered(text: "error: \(usage)", isError: true, status: 2) }
    let code = root.exitCode(for: error)
    if code == .success { return Rendered(text: root.fullMessage(for: error), isError: false, status: 0) }
    // Bad usage, decided by the status ArgumentParser gives the error (every parse error and
    // every `ValidationError` has it), never by the error's type name or words. (Commands throw
    // only `ValidationError` from `validate()`: any other error thrown while parsing reaches
    // here wrapped in ArgumentParser's own type, with status 1.)
    if code == .validationFailure {
      var text = root.fullMessage(for: error)
      // Only the form changes: ArgumentParser's "Error: " prefix becomes ours.
      if text.hasPrefix("Error: ") { text = "error: " + text.dropFirst("Error: ".count) }
      return Rendered(text: text, isError: true, status: 2)
    }
    return Rendered(text: "error: \(error)", isError: true, status: 1)
  }
}
