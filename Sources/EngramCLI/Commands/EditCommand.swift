import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `edit KEY`: opens the card's note in `$VISUAL`/`$EDITOR` (else `vi`) at its line — in the
/// user's own deck file, or for a shipped deck in the user's file that overrides it (a copy of
/// the shipped file, made the first time) — then checks the file as `lint` does and offers to
/// reopen it while it has problems. The note id is the card key, so the history stays.
struct EditCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit",
    abstract:
      "Fix a card in your editor ($VISUAL, $EDITOR, else vi); a shipped deck gets your own overriding copy. The card keeps its history."
  )

  @Argument(help: ArgumentHelp("The card's key, e.g. ml-fundamentals/overfitting (Tab completes).", valueName: "key"))
  var key: String

  func run(in session: AppSession) throws {
    let terminal = session.terminal
    let workspace = try session.openWorkspace()
    let decksPath = session.directory.decksPath
    let target: CardEditing.Target
    do { target = try CardEditing.target(for: key, in: workspace.library, decksPath: decksPath) } catch {
      throw UserError(error.description)
    }
    if target.created {
      terminal.line(
        "Made \(target.path), your copy of a shipped deck: it overrides the shipped one from now on, and 'lint' lists the shipped copy's later changes."
      )
    }
    let editor = EditCommand.editor(session.environment)
    var line = target.line
    defer { session.decksChanged() }
    while true {
      let status = EditCommand.runEditor(editor, line: line, path: target.path)
      guard status == 0 else {
        throw UserError(
          "the editor '\(editor)' ended with status \(status); set VISUAL or EDITOR to an editor on your PATH (\(target.path) is as it was left)"
        )
      }
      let check = CardEditing.check(target.path, note: target.note, userDecks: decksPath)
      for problem in check.problems { terminal.error(problem.description) }
      if check.problems.isEmpty {
        if check.noteKept {
          terminal.line("\(target.path): ok; \(key) keeps its key and its history.")
        } else {
          terminal.error(
            "warning: \(target.path) has no card '\(target.note)' any more: its history stays with the old key (rename it back to keep it)"
          )
        }
        return
      }
      switch session.lineReader().read(prompt: "Edit again? [Y/n] ") {
      case .line(let answer) where !["n", "no"].contains(answer.lowercased().trimmingCharacters(in: .whitespaces)):
        line = check.firstProblemLine ?? line
      default:
        throw UserError(
          "\(counted(check.problems.count, "problem")) left in \(target.path); until they are fixed Engram leaves that deck out ('edit \(key)' or 'lint \(target.path)')"
        )
      }
    }
  }

  /// `$VISUAL`, else `$EDITOR`, else `vi`, as other terminal programs choose.
  static func editor(_ environment: [String: String]) -> String {
    for name in ["VISUAL", "EDITOR"] {
      if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
    }
    return "vi"
  }

  /// Runs `editor +LINE PATH` through the shell, so an editor given with options
  /// (`EDITOR="code -w"`) works; returns its exit status.
  static func runEditor(_ editor: String, line: Int, path: String) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", editor + " \"$@\"", "engram-edit", "+\(max(line, 1))", path]
    do { try process.run() } catch { return 127 }
    process.waitUntilExit()
    return process.terminationStatus
  }
}
