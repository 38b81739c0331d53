import EngramCore
import EngramStore

/// Plays one scenario in the terminal or from a pipe: shows each situation and its options,
/// takes a letter, gives feedback and the measures' changes, logs the choice, and ends with a
/// debrief naming the cards behind each principle.
struct ScenarioSession {
  let workspace: Workspace
  let app: AppSession
  var play: ScenarioPlay
  private var terminal: Terminal { app.terminal }

  /// Nil for a scenario without nodes, which the parser never gives.
  init?(scenario: Scenario, workspace: Workspace, app: AppSession) {
    guard let play = ScenarioPlay(scenario) else { return nil }
    self.workspace = workspace
    self.app = app
    self.play = play
  }

  /// - Throws: when a choice cannot be written to the log (nothing after it is shown as done).
  mutating func run() throws {
    let scenario = play.scenario
    terminal.line(terminal.bold("Scenario: \(scenario.title)"))
    terminal.line(terminal.dim(scenario.summary))
    terminal.line(terminal.dim(measuresLine(play.values, previous: nil)))
    while !play.isOver {
      let node = play.node
      terminal.line()
      terminal.line(node.text)
      terminal.line()
      for option in node.options { terminal.block("  \(option.letter)) ", option.text) }
      let letters = node.options.map(\.letter)
      let range = "\(letters.first ?? "A")–\(letters.last ?? "D")"
      let shownAt = app.now()
      var choice: ScenarioPlay.Choice?
      while choice == nil {
        switch app.lineReader().read(prompt: "choice> ") {
        case .interrupted, .endOfInput:
          stopped()
          return
        case .line(let text):
          let typed = text.trimmingCharacters(in: .whitespaces)
          if typed.lowercased() == "q" || typed.lowercased() == "quit" {
            stopped()
            return
          }
          let before = play.values
          if typed.count == 1, let letter = typed.first, let made = play.choose(letter) {
            choice = made
            try log(made, shownAt: shownAt)
            feedback(made, before: before)
          } else {
            terminal.line(terminal.yellow("Type a letter \(range) to choose, or q to stop."))
          }
        }
      }
    }
    try logEnding()
    ending()
    debrief()
  }

  // MARK: Showing

  private func feedback(_ choice: ScenarioPlay.Choice, before: [String: Int]) {
    let option = choice.option
    switch option.verdict {
    case .good: terminal.line(terminal.green("✓ sound choice"))
    case .mixed: terminal.line(terminal.yellow("≈ partly sound"))
    case .poor: terminal.line(terminal.red("✗ poor choice"))
    }
    terminal.block(terminal.cyan("Why: "), option.feedback)
    if option.verdict != .good, let best = ScenarioPlay.bestOption(at: choice.node), best.letter != option.letter {
      terminal.block(terminal.dim("Better: \(best.letter)) "), terminal.dim(best.text))
    }
    terminal.line(terminal.dim(measuresLine(choice.valuesAfter, previous: before)))
  }

  private func ending() {
    terminal.line()
    terminal.line(terminal.bold("Ending: \(play.node.endingTitle ?? "")"))
    terminal.line(play.node.text)
  }

  private func debrief() {
    let scenario = play.scenario
    terminal.line()
    terminal.line(terminal.bold("Debrief"))
    for (index, choice) in play.choices.enumerated() {
      let mark: String
      switch choice.option.verdict {
      case .good: mark = terminal.green("✓")
      case .mixed: mark = terminal.yellow("≈")
      case .poor: mark = terminal.red("✗")
      }
      terminal.block("\(index + 1). \(mark) \(choice.option.letter)) ", choice.option.text)
      terminal.block("   ", choice.option.feedback)
      if choice.option.verdict != .good, let best = ScenarioPlay.bestOption(at: choice.node),
        best.letter != choice.option.letter
      {
        terminal.block(terminal.dim("   Better: \(best.letter)) "), terminal.dim(best.text))
      }
      terminal.block(terminal.dim("   Cards: "), terminal.dim(cardNames(choice.option.cards)))
    }
    let good = play.choices.filter { $0.option.verdict == .good }.count
    terminal.line()
    terminal.line(
      "\(good) of \(play.choices.count) choices sound · " + measuresLine(play.values, previous: nil))
    let weak = play.choices.filter { $0.option.verdict == .poor }.flatMap(\.option.cards)
    if !weak.isEmpty {
      let count = Set(weak).count
      terminal.line(
        "\(count) card\(count == 1 ? "" : "s") behind your poor choices now come first in quizzes (until answered right)."
      )
    }
    if let deck = play.cardsToReview.first.flatMap({ CardKey($0) })?.deckID {
      terminal.line(
        "Next: 'quiz \(deck)' to practise the ideas behind this drill, or 'scenario play \(scenario.id)' to try another path."
      )
    } else {
      terminal.line("Next: 'scenario list' for another drill.")
    }
  }

  private func stopped() {
    terminal.line()
    terminal.line(
      "Scenario stopped after \(play.choices.count) choice\(play.choices.count == 1 ? "" : "s"). "
        + "'scenario play \(play.scenario.id)' starts it again.")
  }

  /// `trust 3 → 4/10 · risk 2/10`: every measure runs from 0 to 10, and the scale is shown so
  /// that "risk 4" is not read as four of four.
  private func measuresLine(_ values: [String: Int], previous: [String: Int]?) -> String {
    let top = "/\(Scenario.measureRange.upperBound)"
    return play.scenario.measures.map { measure in
      let now = values[measure.name] ?? measure.start
      if let before = previous?[measure.name], before != now { return "\(measure.name) \(before) → \(now)\(top)" }
      return "\(measure.name) \(now)\(top)"
    }.joined(separator: " · ")
  }

  /// Card keys with their question, so the learner recognises them.
  private func cardNames(_ keys: [String]) -> String {
    keys.map { key in
      guard let card = workspace.card(key) ?? workspace.card(key + "#1") else { return key }
      let front = card.front.count > 60 ? String(card.front.prefix(57)) + "…" : card.front
      return "\(front) (\(key))"
    }.joined(separator: "; ")
  }

  // MARK: Logging

  /// A choice: the scenario event (`scenario/node/letter`, rated by verdict), and for a poor
  /// choice a `weak` mark on each linked card.
  private func log(_ choice: ScenarioPlay.Choice, shownAt: Timestamp) throws {
    let now = app.now()
    let duration = min(max(0, (now - shownAt).milliseconds), 600_000)
    var events = [
      ReviewEvent(
        time: now, card: "\(play.scenario.id)/\(choice.node.id)/\(choice.option.letter.lowercased())",
        action: .scenario(choice.option.verdict), durationMilliseconds: duration)
    ]
    if choice.option.verdict == .poor {
      for key in choice.option.cards {
        let card = workspace.card(key) ?? workspace.card(key + "#1")
        events.append(ReviewEvent(time: now, card: card?.key ?? key, action: .weak))
      }
    }
    try workspace.append(events, sync: app.syncWrites)
  }

  private func logEnding() throws {
    let event = ReviewEvent(
      time: app.now(), card: "\(play.scenario.id)/\(play.node.id)", action: .scenario(nil))
    try workspace.append([event], sync: app.syncWrites)
  }
}
