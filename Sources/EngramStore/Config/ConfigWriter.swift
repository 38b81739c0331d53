import EngramCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Edits `config.toml` in place for commands that change settings, keeping everything else the
/// user wrote (comments, order, other keys).
public enum ConfigWriter {
  /// Replaces `fsrs_parameters` with `parameters`, leaving the previous value in a comment
  /// with the date, and writes the file atomically (temporary file, fsync, rename).
  public static func replaceParameters(
    in path: String, with parameters: [Double], previous: [Double], date: String
  ) throws(FileError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    var text = ""
    if fd >= 0 {
      defer { close(fd) }
      text = String(decoding: try POSIXFile.readAll(fd: fd, path: path), as: UTF8.self)
    }
    let updated = replacing(text, parameters: parameters, previous: previous, date: date)
    try AtomicFile.write([Array(updated.utf8)], to: path)
  }

  /// The config text with the parameters replaced (pure, for tests).
  public static func replacing(_ text: String, parameters: [Double], previous: [Double], date: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    var kept: [String] = []
    var index = 0
    while index < lines.count {
      let line = lines[index]
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      if trimmed.hasPrefix("fsrs_parameters") {
        // Skip the entry, which may span lines up to its closing bracket.
        var end = index
        while end < lines.count && !lines[end].contains("]") { end += 1 }
        index = end + 1
        continue
      }
      kept.append(line)
      index += 1
    }
    func list(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
    kept.append("# fsrs_parameters before 'engram optimize' on \(date): \(list(previous))")
    kept.append("fsrs_parameters = \(list(parameters.map { ($0 * 10000).rounded() / 10000 }))")
    return kept.joined(separator: "\n") + "\n"
  }
}
