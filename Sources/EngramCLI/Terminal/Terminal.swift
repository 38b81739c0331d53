import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The terminal edge: whether we talk to a person, colours, width, and writing text.
public struct Terminal: Sendable {
  /// Standard input is a terminal (interactive line editing) rather than a pipe or file.
  public let inputIsTerminal: Bool
  /// Standard output is a terminal.
  public let outputIsTerminal: Bool
  /// ANSI colour is on (see `colorEnabled`).
  public let color: Bool
  /// Standard error is a terminal (its messages are wrapped too; in a pipe they stay one line
  /// each, as `path:line: message` tools expect).
  public let errorIsTerminal: Bool
  /// `COLUMNS` from the environment, used when the output is not a terminal.
  private let columnsVariable: Int?

  public init(environment: [String: String]) {
    inputIsTerminal = isatty(STDIN_FILENO) == 1
    outputIsTerminal = isatty(STDOUT_FILENO) == 1
    errorIsTerminal = isatty(STDERR_FILENO) == 1
    columnsVariable = environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    color = Terminal.colorEnabled(environment: environment, outputIsTerminal: outputIsTerminal)
  }

  /// Whether to colour output, by the common conventions: never when `NO_COLOR` is set and not
  /// empty (no-color.org, which wins over everything); always when `CLICOLOR_FORCE` is set and
  /// not `0` (even into a pipe); otherwise only on a terminal that is not `TERM=dumb`.
  public static func colorEnabled(environment: [String: String], outputIsTerminal: Bool) -> Bool {
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
    if let force = environment["CLICOLOR_FORCE"], !force.isEmpty, force != "0" { return true }
    return outputIsTerminal && environment["TERM"] != "dumb"
  }

  /// Columns available: the terminal's width (TIOCGWINSZ), else `COLUMNS`, else 80.
  public static func width(environment: [String: String]) -> Int {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
    return 80
  }

  /// The width now: asked of the terminal each time a screen is drawn, so a resized window
  /// (SIGWINCH) is followed from the next line on.
  public var columns: Int {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return columnsVariable ?? 80
  }

  /// Writes text exactly as given (machine-readable output, prompts).
  public func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Writes UTF-8 bytes exactly as given (large machine-readable outputs, written in pieces).
  public func write(bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = writeStandardOutput(buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        // A failed write (a closed pipe) ends the output.
        guard count > 0 else { return }
        offset += count
      }
    }
  }

  /// Writes a line, word-wrapped to the width; continuation lines keep the line's indent.
  public func line(_ text: String = "") {
    write(TextLayout.wrap(text, columns: columns).joined(separator: "\n") + "\n")
  }

  /// Writes a labelled block (`Q: `, `A: `, `Why: `, `  B) `): the text wraps under itself,
  /// hanging after the label.
  public func block(_ label: String, _ text: String) {
    write(TextLayout.wrap(text, columns: columns, label: label).joined(separator: "\n") + "\n")
  }

  /// Writes a message to standard error, wrapped when it goes to a terminal.
  public func error(_ text: String) {
    let shown = errorIsTerminal ? TextLayout.wrap(text, columns: columns).joined(separator: "\n") : text
    FileHandle.standardError.write(Data((shown + "\n").utf8))
  }

  // MARK: Styles (no-ops without colour)

  public func bold(_ text: String) -> String { style(text, "1") }
  public func dim(_ text: String) -> String { style(text, "2") }
  public func green(_ text: String) -> String { style(text, "32") }
  public func red(_ text: String) -> String { style(text, "31") }
  public func yellow(_ text: String) -> String { style(text, "33") }
  public func cyan(_ text: String) -> String { style(text, "36") }

  private func style(_ text: String, _ code: String) -> String {
    color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}

/// `write(2)` to standard output (a free function: inside `Terminal`, `write` is its own).
private func writeStandardOutput(_ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(STDOUT_FILENO, bytes, count)
}
