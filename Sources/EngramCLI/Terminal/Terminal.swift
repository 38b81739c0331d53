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
  /// ANSI colour is on: output is a terminal and `NO_COLOR` is unset.
  public let color: Bool

  public init(environment: [String: String]) {
    inputIsTerminal = isatty(STDIN_FILENO) == 1
    outputIsTerminal = isatty(STDOUT_FILENO) == 1
    color = outputIsTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
  }

  /// Columns available: `COLUMNS`, else the terminal's width, else 80.
  public static func width(environment: [String: String]) -> Int {
    if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return 80
  }

  public func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  public func line(_ text: String = "") { write(text + "\n") }

  public func error(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
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
