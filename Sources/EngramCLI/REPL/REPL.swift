import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// The interactive prompt. Each line is parsed against the REPL's own command set (never the
/// root command, whose empty invocation would open a nested REPL).
final class REPL {
  private let session: AppSession

  init(session: AppSession) { self.session = session }

  /// The commands a line may start with.
  struct Commands: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "", subcommands: Engram.commandTypes)
  }

  func run() throws {
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
        return
      case .line(let line):
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { continue }
        reader.remember(text)
        if !execute(text) { return }
      }
    }
  }

  /// Runs one line; false when the REPL should end.
  func execute(_ text: String) -> Bool {
    let terminal = session.terminal
    let words: [String]
    do { words = try ShellWords.split(text) } catch {
      terminal.error("error: \(error)")
      return true
    }
    guard let first = words.first else { return true }
    switch first {
    case "quit", "exit":
      return false
    case "help", "?":
      help(words.dropFirst().first)
      return true
    default:
      break
    }
    do {
      let parsed = try Commands.parseAsRoot(words)
      if let command = parsed as? SessionCommand {
        try command.run(in: session)
      } else {
        terminal.line(Commands.helpMessage())
      }
    } catch let error where Commands.exitCode(for: error) != .failure || error is ValidationError {
      let message = Commands.fullMessage(for: error)
      if Commands.exitCode(for: error) == .success {
        terminal.line(message)
      } else {
        terminal.error(message)
      }
    } catch {
      terminal.error("error: \(error)")
    }
    return true
  }

  private func greet() {
    let terminal = session.terminal
    guard let workspace = try? session.openWorkspace() else {
      terminal.line(terminal.bold("Engram") + " — type 'help' for commands.")
      return
    }
    let counts = workspace.queue().counts
    terminal.line(
      terminal.bold("Engram") + " — \(workspace.summaries.count) decks · \(counts.due) due · "
        + "\(counts.learning) learning · \(counts.new) new today. Type 'help' for commands, Tab to complete.")
  }

  private func help(_ topic: String?) {
    let terminal = session.terminal
    if let topic, let type = Engram.commandTypes.first(where: { $0.configuration.commandName == topic }) {
      terminal.line(type.helpMessage())
      return
    }
    terminal.line(
      """
      Commands:
        review [TOPIC]            review today's due cards: all, or a deck, topic, tag or words
        decks                     decks with today's due, learning and new counts
        due [--json]              today's counts per deck
        state [--json] [--at T]   memory state of every reviewed card
        quiz TOPIC [-n N] [--mode typed|choice|flip|mixed] [--seed S] [--study]
                                  practise a topic now, whether or not it is due
        cram TOPIC [--days N]     review ahead: cards of a topic that are not yet due
        stats [TOPIC] [--json]    today, streaks, forecast, a year of reviews, retention
        optimize [--dry-run]      fit FSRS-6 to your history; shows before/after, asks to save
        import FILE [--deck N] [--on-duplicate skip|update|keep-both] [--dry-run]
                                  decks from Markdown, an Anki CSV/TSV export or an
                                  Anki package (.apkg, with its review history)
        export DECK FILE.md|.tsv  a deck as Markdown or Anki-importable TSV
        export-log FILE           the review history as CSV for FSRS tools (--format fsrs)
        lint [FILE...]            check deck files
        unsuspend [CARD|DECK]     list suspended cards, or bring them back
        help [command]            this list, or one command's options
        quit                      leave (or Ctrl-D)
      In a review: Enter shows the answer (type yours first to compare), then rate
      1 again · 2 hard · 3 good · 4 easy. u undo · s suspend · b bury · e why · q quit.
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
    let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
      (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./:@%+=,".unicodeScalars.contains(scalar))
    }
    if plain { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  static func split(_ text: String) throws -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in text {
      if escaped {
        current.append(character)
        escaped = false
        continue
      }
      if let open = quote {
        if character == open {
          quote = nil
        } else if character == "\\" && open == "\"" {
          escaped = true
        } else {
          current.append(character)
        }
        continue
      }
      switch character {
      case "\\":
        escaped = true
        inWord = true
      case "\"", "'":
        quote = character
        inWord = true
      case " ", "\t":
        if inWord { words.append(current) }
        current = ""
        inWord = false
      default:
        current.append(character)
        inWord = true
      }
    }
    if quote != nil { throw UnterminatedQuote() }
    if inWord { words.append(current) }
    return words
  }
}
