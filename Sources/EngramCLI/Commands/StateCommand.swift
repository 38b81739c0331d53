import ArgumentParser
import EngramCore
import EngramStore

/// `state --json [--at TIME]`: every card with history, its memory state derived from the log.
struct StateCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "state", abstract: "Per-card memory state derived from the review log.")

  @Flag(help: "Print JSON (see README: machine-readable outputs).")
  var json = false

  @Option(help: "Compute retrievability at this ISO 8601 UTC time (default: now).")
  var at: String?

  func validate() throws {
    if let at, ISO8601.parse(at) == nil {
      throw ValidationError("--at '\(at)' is not an ISO 8601 UTC time such as 2026-11-25T09:00:00Z")
    }
  }

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let time = at.flatMap(ISO8601.parse) ?? session.now()
    if json {
      JSONOutput.state(workspace: workspace, at: time) { session.terminal.write(bytes: $0) }
      return
    }
    let terminal = session.terminal
    var any = false
    workspace.forEachRecordInKeyOrder { key, record in
      any = true
      var text = String(decoding: key, as: UTF8.self) + ": "
      if let schedule = record.schedule {
        let recall = workspace.scheduler.retrievability(of: schedule, at: time)
        text +=
          "\(schedule.phase) · due \(workspace.clock.dateTimeText(schedule.due)) · S \(String(format: "%.1f", schedule.stability))d · D \(String(format: "%.1f", schedule.difficulty)) · R \(Int((recall * 100).rounded()))%"
      } else {
        text += "new"
      }
      if record.suspended { text += " · suspended" }
      terminal.line(text)
    }
    if !any { terminal.line("No review history yet. Start with 'review'.") }
  }
}
