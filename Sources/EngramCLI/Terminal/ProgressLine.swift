import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A one-line progress display on standard error for work that runs longer than a second:
/// the stage, how far it is (items done of its total), its rate and the time so far, redrawn in
/// place at most ten times a second. Nothing is shown when standard error is not a terminal
/// (a pipe or a file gets only the results), and `finish` clears the line, so the screen ends
/// with the results alone.
final class ProgressLine {
  private let label: String
  private let enabled: Bool
  private let start: Date
  private var stage = ""
  private var stageStart: Date
  private var lastDrawn = Date.distantPast
  private var shown = false

  init(_ label: String, enabled: Bool = isatty(STDERR_FILENO) == 1, start: Date = Date()) {
    self.label = label
    self.enabled = enabled
    self.start = start
    stageStart = start
  }

  /// `done` of `total` items of `stage` (a total of 0: not counted); a new stage name starts a
  /// new stage.
  func update(_ stage: String, _ done: Int, of total: Int = 0) {
    guard enabled else { return }
    let now = Date()
    let newStage = stage != self.stage
    if newStage {
      self.stage = stage
      stageStart = now
    }
    guard now.timeIntervalSince(start) >= 1, newStage || now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
    lastDrawn = now
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + text(done: done, total: total, now: now)).utf8))
    shown = true
  }

  /// The line: `import: converting 40000/100000 · 31250/s · 2.3 s`.
  func text(done: Int, total: Int, now: Date) -> String {
    var line = "\(label): \(stage)"
    if total > 0 {
      line += " \(min(done, total))/\(total)"
    } else if done > 0 {
      line += " \(done)"
    }
    let stageSeconds = now.timeIntervalSince(stageStart)
    if done > 0, stageSeconds >= 0.05 { line += " · \(Int(Double(done) / stageSeconds))/s" }
    return line + " · " + String(format: "%.1f", now.timeIntervalSince(start)) + " s"
  }

  /// Clears the line, if anything was shown.
  func finish() {
    if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    shown = false
  }
}
