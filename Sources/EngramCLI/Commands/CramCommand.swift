import ArgumentParser
import EngramCore
import EngramStore

/// `cram TOPIC [--days N]`: review cards of a topic before they are due.
struct CramCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "cram",
    abstract: "Review ahead: cards of a topic that are not yet due, logged as (early) reviews.")

  @Argument(help: "A deck id, title, topic, tag or words in the cards.")
  var topic: [String]

  @Option(parsing: .unconditional, help: "Only cards due within this many days (default: every card not yet due).")
  var days: Int?

  func validate() throws {
    if topic.isEmpty { throw ValidationError("name a topic, e.g. 'cram scrum'") }
    if let days, days < 1 { throw ValidationError("--days must be at least 1") }
  }

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let selection = try TopicSelection.resolve(topic.joined(separator: " "), workspace: workspace, session: session)
    let now = session.now()
    let horizon = days.map { now + .days(Int64($0)) }
    let groups = selection.keys.map { key in workspace.card(key)?.siblingGroup ?? key }
    // Built from the log at the start and after an undo: answered cards and their siblings drop out.
    let makeQueue = {
      StudyQueue(
        reviewAhead: zip(selection.keys, groups).map { ($0, $1, workspace.record(for: $0)) }, now: now,
        horizon: horizon, burying: workspace.siblingBurying, dayStart: workspace.dayStart,
        tomorrowStart: workspace.tomorrowStart)
    }
    let ahead = makeQueue().counts.due
    guard ahead > 0 else {
      session.terminal.line(
        "No \(selection.label.hasPrefix("cards ") ? selection.label : "cards in \(selection.label)") can be reviewed ahead\(days.map { " within \(counted($0, "day"))" } ?? ""): cards must have been reviewed and not be due yet.\nNext: quiz \(ShellWords.quote(selection.query))"
      )
      return
    }
    try ReviewSession(workspace: workspace, app: session, keys: selection.keys, makeQueue: makeQueue)
      .run(title: selection.label, cramming: true)
    workspace.saveCache()
  }
}
