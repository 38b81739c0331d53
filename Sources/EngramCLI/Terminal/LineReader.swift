import CLineEdit
import Foundation

/// What reading one line of input gave.
public enum InputLine: Equatable, Sendable {
  case line(String)
  /// Ctrl-C: the current input was discarded.
  case interrupted
  /// Ctrl-D or the end of a piped input.
  case endOfInput
}

/// A source of input lines: libedit on a terminal, plain reads from a pipe.
public protocol LineReader: AnyObject {
  /// Reads a line, showing `prompt` where a person is typing.
  func read(prompt: String) -> InputLine
  /// Records a command line in the persistent history (answers are not recorded).
  func remember(_ line: String)
}

/// Plain line reading for pipes and scripts: no prompt, no escape codes.
public final class PlainLineReader: LineReader {
  public init() {}

  public func read(prompt: String) -> InputLine {
    guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
    return .line(line.hasSuffix("\r") ? String(line.dropLast()) : line)
  }

  public func remember(_ line: String) {}
}

/// Interactive line editing with libedit: emacs keys, history across sessions, tab completion.
public final class EditLineReader: LineReader {
  private let editor: OpaquePointer
  private let completion: CompletionBox

  /// Opens libedit on the terminal.
  ///
  /// - Parameters:
  ///   - historyPath: file the history is loaded from and saved to after every command.
  ///   - complete: given the text before the cursor, the completion to apply.
  public init?(historyPath: String?, complete: @escaping (String) -> Completion) {
    _ = le_setup_locale()
    guard let editor = le_open("engram", historyPath, 1000) else { return nil }
    self.editor = editor
    completion = CompletionBox(complete)
    le_set_completer(
      editor,
      { line, context in
        guard let context else { return nil }
        let box = Unmanaged<CompletionBox>.fromOpaque(context).takeUnretainedValue()
        let result = box.complete(String(cString: line))
        guard !result.insertion.isEmpty || result.candidates.count > 1 else { return nil }
        var text = result.insertion
        if result.candidates.count > 1 { text += "\n" + result.candidates.joined(separator: "\n") }
        return strdup(text)
      }, Unmanaged.passUnretained(completion).toOpaque())
  }

  deinit { le_close(editor) }

  public func read(prompt: String) -> InputLine {
    var status = LE_LINE
    guard let raw = le_read(editor, prompt, &status) else {
      return status == LE_INTERRUPTED ? .interrupted : .endOfInput
    }
    defer { free(raw) }
    return .line(String(cString: raw))
  }

  public func remember(_ line: String) {
    _ = le_history_add(editor, line)
  }

  /// Holds the Swift completion closure for the C callback's context pointer.
  private final class CompletionBox {
    let complete: (String) -> Completion
    init(_ complete: @escaping (String) -> Completion) { self.complete = complete }
  }
}

/// The outcome of completing the word before the cursor.
public struct Completion: Equatable, Sendable {
  /// Text to insert at the cursor (the unambiguous continuation).
  public var insertion: String
  /// All matches, listed when there is more than one.
  public var candidates: [String]

  public init(insertion: String, candidates: [String]) {
    self.insertion = insertion
    self.candidates = candidates
  }

  public static let none = Completion(insertion: "", candidates: [])
}

/// Ctrl-C while the REPL runs a command: its SIGINT handler (which keeps Ctrl-C from ending
/// the REPL) only records the key, so a command that runs for seconds asks between steps.
/// Outside the REPL Ctrl-C ends the process as usual and this stays false.
enum Interruption {
  /// Whether Ctrl-C was pressed since the last check; clears it.
  static func requested() -> Bool { le_take_interrupt() != 0 }
}
