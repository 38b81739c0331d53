import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `simulate`: what a desired retention costs in daily minutes and brings in cards remembered.
struct SimulateCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Simulate your reviews ahead: reviews and minutes a day, and cards memorised, at a desired retention.",
    discussion: """
      Runs FSRS forward over your collection (or --deck-size new cards) with your parameters and \
      the rating odds and answer times measured from your log (fsrs-rs's defaults where the log \
      is thin; the output says which).
      """)

  @Option(parsing: .unconditional, help: "Days to simulate (1 to 3650).")
  var days = 365

  @Option(parsing: .unconditional, help: "Desired retention to simulate (default: your desired_retention).")
  var retention: Double?

  @Option(help: "A range of desired retentions, FROM:TO:STEP (e.g. 0.70:0.97:0.01), compared in a chart.")
  var retentionRange: String?

  @Option(parsing: .unconditional, help: "Simulate this many new cards instead of your collection.")
  var deckSize: Int?

  @Option(parsing: .unconditional, help: "New cards introduced a day (default: new_cards_per_day).")
  var newPerDay: Int?

  @Option(parsing: .unconditional, help: "Seed of the random draws (the same seed repeats a run).")
  var seed: UInt64 = 42

  @Flag(help: "Print JSON.")
  var json = false

  /// The most retentions a range may hold.
  static let maximumRetentions = 100

  func validate() throws {
    guard (1...3650).contains(days) else { throw ValidationError("--days must be from 1 to 3650") }
    if retention != nil && retentionRange != nil {
      throw ValidationError("give --retention or --retention-range, not both")
    }
    if let retention, !(0.5...0.99).contains(retention) {
      throw ValidationError("--retention must be from 0.5 to 0.99")
    }
    if let retentionRange { _ = try SimulateCommand.retentions(retentionRange) }
    if let deckSize, !(1...1_000_000).contains(deckSize) {
      throw ValidationError("--deck-size must be from 1 to 1000000")
    }
    if let newPerDay, !(0...9999).contains(newPerDay) { throw ValidationError("--new-per-day must be from 0 to 9999") }
  }

  /// The retentions of `FROM:TO:STEP`, each within 0.5…0.99.
  static func retentions(_ text: String) throws -> [Double] {
    let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 3, let from = parts[0], let to = parts[1], let step = parts[2] else {
      throw ValidationError("--retention-range must be FROM:TO:STEP, e.g. 0.70:0.97:0.01")
    }
    guard (0.5...0.99).contains(from), (0.5...0.99).contains(to), from <= to else {
      throw ValidationError("--retention-range: FROM and TO must be from 0.5 to 0.99, FROM no more than TO")
    }
    guard step > 0, ((to - from) / step).rounded(.down) + 1 <= Double(maximumRetentions) else {
      throw ValidationError("--retention-range: STEP must be positive and give at most \(maximumRetentions) retentions")
    }
    let count = Int(((to - from) / step + 1e-9).rounded(.down)) + 1
    return (0..<count).map { ((from + Double($0) * step) * 10_000).rounded() / 10_000 }
  }

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let config = workspace.config
    let now = session.now()
    let profile = SimulatorProfile.measured(from: try workspace.reviewFacts())
    let start: (cards: [Simulator.Card], newCards: Int) =
      deckSize.map { ([], $0) } ?? workspace.simulationStart(now: now)
    let simulator = Simulator(
      parameters: config.parameters, profile: profile, learningSteps: config.learningSteps.count,
      relearningSteps: config.relearningSteps.count, maximumInterval: config.maximumInterval)
    let perDay = newPerDay ?? config.newCardsPerDay
    let list = try retentionRange.map(SimulateCommand.retentions) ?? [retention ?? config.desiredRetention]
    // One retention: the mean of four runs; a range: one run each (the chart compares them).
    let runs = list.count == 1 ? 4 : 1
    // A range takes seconds: a progress line on a terminal, and Ctrl-C in the REPL stops it.
    let line = ProgressLine("simulate")
    var outcomes: [Simulator.Outcome] = []
    for retention in list {
      line.update("retentions", outcomes.count, of: list.count)
      if Interruption.requested() {
        line.finish()
        throw UserError(
          "simulate stopped (Ctrl-C) after \(outcomes.count) of \(counted(list.count, "retention")); a shorter range or a larger STEP is quicker"
        )
      }
      outcomes.append(
        simulator.expected(
          retention: retention, days: days, cards: start.cards, newCards: start.newCards, newPerDay: perDay, seed: seed,
          runs: runs))
    }
    line.finish()
    let terminal = session.terminal
    if json {
      let objects = outcomes.map(SimulateCommand.json)
      terminal.write((retentionRange == nil ? objects[0] : "[\n" + objects.joined(separator: ",\n") + "\n]") + "\n")
      return
    }
    terminal.line(
      "Simulating \(days) days: \(start.cards.count) cards learned, \(start.newCards) new at \(perDay) a day.")
    for note in profile.notes { terminal.line(terminal.dim("  " + note)) }
    if outcomes.count == 1 {
      SimulateCommand.table(outcomes[0], terminal: terminal)
    } else {
      SimulateCommand.chart(
        outcomes, current: config.desiredRetention, terminal: terminal,
        width: Terminal.width(environment: session.environment))
    }
  }

  static func json(_ outcome: Simulator.Outcome) -> String {
    func list(_ values: [Double]) -> String {
      "[" + values.map { JSONOutput.number(($0 * 1000).rounded() / 1000) }.joined(separator: ", ") + "]"
    }
    return "{\"days\": \(outcome.reviews.count), \"retention\": \(JSONOutput.number(outcome.retention)), "
      + "\"reviews_per_day\": \(list(outcome.reviews)), "
      + "\"minutes_per_day\": \(list(outcome.minutes)), \"memorized\": \(list(outcome.memorized))}"
  }

  /// Averages over periods (first day, first week, month, quarter, …) and the end state.
  static func table(_ outcome: Simulator.Outcome, terminal: Terminal) {
    let days = outcome.reviews.count
    terminal.line("")
    terminal.line("  days        reviews/day  minutes/day  memorised at end")
    var start = 0
    for end in [1, 7, 30, 90, 180, 365, 730, 1825, 3650] where end <= days || start < days {
      let stop = min(end, days)
      guard stop > start else { continue }
      let span = Double(stop - start)
      let reviews = outcome.reviews[start..<stop].reduce(0, +) / span
      let minutes = outcome.minutes[start..<stop].reduce(0, +) / span
      let label = stop - start == 1 ? "\(start + 1)" : "\(start + 1)–\(stop)"
      terminal.line(
        "  " + label.padding(toLength: 12, withPad: " ", startingAt: 0)
          + String(format: "%11.1f  %11.1f  %16.0f", reviews, minutes, outcome.memorized[stop - 1]))
      start = stop
    }
    let reviews = outcome.reviews.reduce(0, +) / Double(days)
    let minutes = outcome.minutes.reduce(0, +) / Double(days)
    terminal.line("")
    terminal.line(
      String(
        format:
          "At retention %.2f: %.1f reviews and %.1f minutes a day on average; %.0f cards memorised after %d days.",
        outcome.retention, reviews, minutes, outcome.memorized.last ?? 0, days))
  }

  /// Daily minutes and cards memorised against desired retention, the current setting marked.
  static func chart(_ outcomes: [Simulator.Outcome], current: Double, terminal: Terminal, width: Int) {
    let minutes = outcomes.map { $0.minutes.reduce(0, +) / Double($0.minutes.count) }
    let memorized = outcomes.map { $0.memorized.last ?? 0 }
    let bar = max(8, (width - 40) / 2)
    // Bars are to scale from zero, the longest filling the column: a bar twice as long is
    // twice the work (bars from the lowest value made 3x the minutes look like 20x).
    func length(_ value: Double, _ values: [Double]) -> Int {
      let high = values.max() ?? 0
      guard high > 0 else { return 0 }
      return max(value > 0 ? 1 : 0, Int((value / high * Double(bar)).rounded()))
    }
    let nearest = outcomes.indices.min { abs(outcomes[$0].retention - current) < abs(outcomes[$1].retention - current) }
    terminal.line("")
    terminal.line(
      "  retention  " + "minutes/day".padding(toLength: bar + 7, withPad: " ", startingAt: 0) + "memorised at end")
    for index in outcomes.indices {
      let minuteBar = String(repeating: "█", count: length(minutes[index], minutes))
      let memoryBar = String(repeating: "█", count: length(memorized[index], memorized))
      let mark = index == nearest ? terminal.bold(" ◀ current") : ""
      terminal.line(
        String(format: "  %.2f       ", outcomes[index].retention)
          + terminal.cyan(minuteBar.padding(toLength: bar, withPad: " ", startingAt: 0))
          + String(format: " %5.1f ", minutes[index])
          + terminal.green(memoryBar.padding(toLength: bar, withPad: " ", startingAt: 0))
          + String(format: " %6.0f", memorized[index])
          + mark)
    }
    terminal.line(
      terminal.dim(
        String(
          format: "Bars are to scale from zero: minutes %.1f–%.1f a day, memorised %.0f–%.0f cards.",
          minutes.min() ?? 0, minutes.max() ?? 0, memorized.min() ?? 0, memorized.max() ?? 0)))
  }
}
