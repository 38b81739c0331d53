import ArgumentParser
import EngramCore
import EngramStore

/// `leeches`: the cards you keep forgetting, with their history and how to fix them.
struct LeechesCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "leeches",
    abstract: "List leeches: question, lapses, review timeline, quiz misses and advice on fixing each.")

  /// Reviews shown per card; older ones are counted.
  static let timelineLength = 12

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let terminal = session.terminal
    let reports = try workspace.leechReports()
    let policy = workspace.config.leechPolicy
    guard !reports.isEmpty else {
      terminal.line(
        "No leeches: no card has \(policy.threshold) lapses (leech_threshold) yet.")
      return
    }
    for report in reports {
      var status = "\(report.lapses) lapses"
      if report.suspended { status += " · suspended" }
      terminal.line(terminal.bold(report.key) + terminal.dim("  " + status))
      if let question = report.question {
        terminal.line("  Q: " + question)
        if let answer = report.answer { terminal.line(terminal.dim("  A: " + answer)) }
      } else {
        terminal.line(terminal.dim("  (no deck has this card any more)"))
      }
      let shown = report.timeline.suffix(LeechesCommand.timelineLength)
      let earlier = report.timeline.count - shown.count
      let marks = shown.map { review in
        let day = workspace.clock.dayLabel(containing: review.time)
        let text = "\(day) \(review.rating)"
        return review.rating == .again ? terminal.red(text) : text
      }
      terminal.line(
        "  reviews: " + (earlier > 0 ? terminal.dim("(\(earlier) earlier) ") : "") + marks.joined(separator: " · "))
      if !report.quizMisses.isEmpty {
        terminal.line(
          "  quiz misses: \(report.quizMisses.count) ("
            + report.quizMisses.suffix(5).map { workspace.clock.dayLabel(containing: $0) }.joined(separator: ", ") + ")"
        )
      }
      for advice in report.advice { terminal.line(terminal.cyan("  → ") + advice.description) }
      terminal.line()
    }
    let action = policy.action == .suspend ? "suspended" : "tagged"
    terminal.line(
      terminal.dim(
        "\(counted(reports.count, "leech", plural: "leeches")). A card is \(action) when it reaches \(policy.threshold) lapses (leech_threshold, leech_action in config.toml); typed answers are not logged, so they cannot be shown."
      ))
  }
}
