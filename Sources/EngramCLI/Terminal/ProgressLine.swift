import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A one-line progress display on standard error for work that runs longer than a second:
/// the stage, its item count, the previous stage's rate and the time so far. Nothing is shown
/// when standard error is not a terminal (a pipe or a file gets only the results).
final class ProgressLine {
  private let label: String
  private let enabled: Bool
  private let start = Date()
  private var stageStart = Date()
  private var previous: (stage: String, count: Int)?
  private var shown = false

  init(_ label: String) {
    self.label = label
    enabled = isatty(STDERR_FILENO) == 1
  }

  /// A new stage starts with `count` items.
  func update(_ stage: String, _ count: Int) {
    guard enabled else { return }
    let now = Date()
    var rate = ""
    if let previous, previous.count > 0 {
      let seconds = max(now.timeIntervalSince(stageStart), 0.001)
      rate = " · \(previous.stage) \(Int(Double(previous.count) / seconds))/s"
    }
    previous = (stage, count)
    stageStart = now
    let elapsed = now.timeIntervalSince(start)
    guard elapsed >= 1 else { return }
    let text = "\(label): \(stage)\(count > 0 ? " \(count)" : "")\(rate) · \(String(format: "%.1f", elapsed)) s"
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    shown = true
  }

  /// Clears the line, if anything was shown.
  func finish() {
    if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    shown = false
  }
}
