import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `postpone [DECK|TOPIC] [--days N | --count N]`: push overdue cards out, least loss first.
struct PostponeCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "postpone",
    abstract:
      "Push overdue review cards out (those that lose least retrievability first), logged so undo and replay work.",
    discussion: """
      Without --days or --count, postpones all overdue cards but the reviews_per_day that lose \
      most by waiting. Each card's interval grows by 5-10% from today (at least a day), as the \
      FSRS Helper does; --days N moves every chosen card N days out instead.
      """)

  @Argument(help: "Only cards of this deck, topic or tag.")
  var topic: [String] = []

  @Option(parsing: .unconditional, help: "Postpone each chosen card this many days from today.")
  var days: Int?

  @Option(parsing: .unconditional, help: "Postpone this many cards (those that lose least first).")
  var count: Int?

  @Flag(help: "Show the plan and change nothing.")
  var dryRun = false

  @Flag(help: "Do it without asking.")
  var yes = false

  @Flag(help: "Take back the latest postpone.")
  var undo = false

  func validate() throws {
    if days != nil && count != nil { throw ValidationError("give --days or --count, not both") }
    if let days, !(1...Replayer.longestMove).contains(days) {
      throw ValidationError("--days must be from 1 to \(Replayer.longestMove)")
    }
    if let count, count < 1 { throw ValidationError("--count must be at least 1") }
  }

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    if undo { return try BacklogRun.undo(.postpone, workspace: workspace, session: session) }
    let keys = try BacklogRun.keys(topic, workspace: workspace, session: session)
    let now = session.now()
    let candidates = workspace.backlogCandidates(keys: keys)
    let overdue = candidates.filter { $0.schedule.due < workspace.tomorrowStart }.count
    let chosenCount = count ?? (days != nil ? overdue : max(0, overdue - workspace.config.reviewsPerDay))
    let plan = BacklogPlan.postpone(
      candidates, scheduler: workspace.scheduler, now: now, tomorrowStart: workspace.tomorrowStart, days: days,
      count: chosenCount, draw: { FuzzSeed.draw(card: $0, time: now) })
    guard !plan.moves.isEmpty else {
      session.terminal.line(
        overdue == 0
          ? "Nothing to postpone: no review card is overdue."
          : "Nothing to postpone: \(counted(overdue, "overdue card")) \(overdue == 1 ? "fits" : "fit") within reviews_per_day (\(workspace.config.reviewsPerDay)); use --count or --days to postpone some anyway."
      )
      return
    }
    try BacklogRun.carryOut(
      plan, kind: .postpone,
      headline: "Postpone \(plan.moves.count) of \(counted(plan.candidates, "overdue card")):",
      workspace: workspace, session: session, now: now, dryRun: dryRun, yes: yes)
  }
}

/// `advance [--count N]`: bring forward the cards whose early review costs least.
struct AdvanceCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "advance",
    abstract: "Bring forward review cards whose early review costs least, logged so undo and replay work.",
    discussion: """
      Without --count, fills today up to reviews_per_day. The cards chosen are those with the \
      lowest recall now among cards not yet due: reviewing them early gives up the least.
      """)

  @Option(parsing: .unconditional, help: "Advance this many cards.")
  var count: Int?

  @Flag(help: "Show the plan and change nothing.")
  var dryRun = false

  @Flag(help: "Do it without asking.")
  var yes = false

  @Flag(help: "Take back the latest advance.")
  var undo = false

  func validate() throws {
    if let count, count < 1 { throw ValidationError("--count must be at least 1") }
  }

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    if undo { return try BacklogRun.undo(.advance, workspace: workspace, session: session) }
    let now = session.now()
    let candidates = workspace.backlogCandidates()
    let dueToday = candidates.filter { $0.schedule.due < workspace.tomorrowStart }.count
    let room = max(0, workspace.config.reviewsPerDay - dueToday)
    guard let chosen = count ?? (room > 0 ? room : nil) else {
      session.terminal.line(
        "Nothing to advance: \(counted(dueToday, "card")) \(dueToday == 1 ? "is" : "are") due today, which fills reviews_per_day (\(workspace.config.reviewsPerDay)); use --count to advance some anyway."
      )
      return
    }
    let plan = BacklogPlan.advance(
      candidates, scheduler: workspace.scheduler, now: now, tomorrowStart: workspace.tomorrowStart, count: chosen)
    guard !plan.moves.isEmpty else {
      session.terminal.line("Nothing to advance: no review card is waiting for a later day.")
      return
    }
    try BacklogRun.carryOut(
      plan, kind: .advance,
      headline: "Advance \(plan.moves.count) of \(counted(plan.candidates, "card")) not yet due, to today:",
      workspace: workspace, session: session, now: now, dryRun: dryRun, yes: yes)
  }
}

/// What postpone and advance share: the scope, showing the plan, asking, logging, undoing.
enum BacklogRun {
  /// Moves listed in full up to this many; beyond, the first ones and a count.
  static let shownMoves = 10

  static func keys(_ topic: [String], workspace: Workspace, session: AppSession) throws -> [String]? {
    guard !topic.isEmpty else { return nil }
    return try TopicSelection.resolve(topic.joined(separator: " "), workspace: workspace, session: session).keys
  }

  static func carryOut(
    _ plan: BacklogPlan, kind: ReviewEvent.Kind, headline: String, workspace: Workspace, session: AppSession,
    now: Timestamp, dryRun: Bool, yes: Bool
  ) throws {
    let terminal = session.terminal
    terminal.line(headline)
    for move in plan.moves.prefix(shownMoves) {
      let target = move.days == 0 ? "today" : "in \(move.days)d"
      terminal.line(
        "  " + move.card + terminal.dim("  due \(workspace.clock.dayLabel(containing: move.due)) → \(target)")
          + "  recall " + percents(move.retrievabilityNow, move.retrievabilityThen))
    }
    if plan.moves.count > shownMoves { terminal.line(terminal.dim("  … and \(plan.moves.count - shownMoves) more")) }
    let losses = plan.moves.map(BacklogPlan.loss)
    let mean = losses.reduce(0, +) / Double(losses.count)
    let days = plan.moves.map(\.days)
    let span = days.min() == days.max() ? "\(days[0])" : "\(days.min() ?? 0)–\(days.max() ?? 0)"
    terminal.line(
      terminal.dim(
        kind == .postpone
          ? "Moved \(span) \(days.max() == 1 ? "day" : "days") out; recall falls by \(points(mean)) on average by then."
          : "Reviewing these early gives up recall still to come: \(points(-mean)) on average."))
    if dryRun {
      terminal.line("Dry run: nothing changed.")
      return
    }
    if !yes {
      switch session.lineReader().read(prompt: "Go ahead? [y/N] ") {
      case .line(let answer) where ["y", "yes"].contains(answer.lowercased().trimmingCharacters(in: .whitespaces)):
        break
      default:
        terminal.line("Nothing changed.")
        return
      }
    }
    let events = plan.moves.map { move in
      ReviewEvent(
        time: now, card: move.card, action: kind == .postpone ? .postpone(days: move.days) : .advance(days: move.days))
    }
    .sorted { $0.card < $1.card }
    try workspace.append(events, sync: session.syncWrites)
    workspace.saveCache()
    terminal.line(
      "\(kind == .postpone ? "Postponed" : "Advanced") \(counted(events.count, "card")); '\(kind) --undo' takes it back."
    )
  }

  static func undo(_ kind: ReviewEvent.Kind, workspace: Workspace, session: AppSession) throws {
    let cards = try workspace.latestBatch(of: kind)
    guard !cards.isEmpty else {
      session.terminal.line("Nothing to undo: no \(kind) stands as the latest change of any card.")
      return
    }
    let now = session.now()
    try workspace.append(
      cards.map { ReviewEvent(time: now, card: $0, action: .undo) }, sync: session.syncWrites)
    workspace.saveCache()
    session.terminal.line("Took back the latest \(kind) of \(counted(cards.count, "card")).")
  }

  /// Two recall figures, with a decimal when whole percents would read the same (96% → 96%).
  static func percents(_ before: Double, _ after: Double) -> String {
    let whole = String(format: "%.0f%%", before * 100) == String(format: "%.0f%%", after * 100)
    let format = whole && before != after ? "%.1f%%" : "%.0f%%"
    return String(format: format, before * 100) + " → " + String(format: format, after * 100)
  }

  /// A change in recall in percentage points; "under 0.1 points" rather than "0.0" or "-0.0".
  static func points(_ value: Double) -> String {
    let points = value * 100
    if abs(points) < 0.05 { return "under 0.1 points" }
    return String(format: "%.1f points", points)
  }
}
