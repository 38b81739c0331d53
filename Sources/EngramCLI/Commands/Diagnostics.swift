import EngramStore

/// How warnings read: every warning of every command and of the REPL is worded here, beside
/// `CommandFailure` (which words errors). A warning never changes the exit status: the command
/// goes on, and only a failure `CommandFailure` renders decides the status.
enum Diagnostics {
  /// The line a store warning is shown as on standard error.
  static func line(_ warning: StoreWarning) -> String { "warning: " + text(warning) }

  /// A problem of a scenario file, which is left out of the drills.
  static func line(_ problem: ScenarioError) -> String { "warning: \(problem)" }

  /// A note from converting an import (a note type left out, media not copied, …).
  static func line(conversionNote note: String) -> String { "warning: " + note }

  /// `ENGRAM_NOW` set to something that is no UTC time.
  static func line(unusableClock value: String) -> String {
    "warning: ENGRAM_NOW='\(value)' is not a UTC time such as 2026-12-01T09:00:00Z; using the real clock"
  }

  /// What a store warning says, with the file it is about first where there is one.
  static func text(_ warning: StoreWarning) -> String {
    switch warning {
    case .unreadableLogLine(let file, let line, let reason):
      "\(file):\(line): unreadable line ignored (\(reason)); it is kept in the file"
    case .overlongLogLine(let file, let line, let limit):
      "\(file):\(line): unreadable line ignored (longer than \(limit) KiB); it is kept in the file"
    case .tornLineSetAside(let file, let movedTo):
      "\(file): the last line was cut off by a crash while it was being written; it was never acknowledged and has been moved to \(movedTo)"
    case .tornLineIgnored(let file):
      "\(file): the last line is cut off (a crash while writing); it is ignored, and set aside the next time the directory is writable"
    case .strayLogFile(let path):
      "\(path): not a device's log (a device name is letters, digits, '-' and '_'); it is not read"
    case .sharedConflictCopyWaiting(let path):
      "\(path): a conflict copy of reviews.tsv; it is merged into reviews.tsv the next time the directory is writable"
    case .conflictCopyMerged(let copy, let into):
      "\(copy): a sync conflict copy; its events were merged into \(into) and the copy removed"
    case .conflictCopyNotMerged(let copy, let error):
      "\(copy): a sync conflict copy that could not be merged yet (\(error))"
    case .importRecovered:
      "An import interrupted by a crash has been completed."
    case .importNotRecovered(let error):
      "An import interrupted by a crash could not be completed yet (\(error)); the next start tries again."
    case .importRecoveryLocked(let error):
      "\(error)"
    case .deckProblem(let text):
      text
    }
  }
}
