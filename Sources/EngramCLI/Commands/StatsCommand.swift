import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `stats [TOPIC] [--json]`: how you are doing and what is coming.
struct StatsCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Today, streaks, a 30-day forecast, a year of reviews, retention, card states, weakest cards.")

  @Argument(help: "Limit to a deck, topic, tag or words in the cards.")
  var topic: [String] = []

  @Flag(help: "Print JSON.")
  var json = false

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    var keys: Set<String>?
    if !topic.isEmpty {
      keys = Set(try TopicSelection.resolve(topic.joined(separator: " "), workspace: workspace, session: session).keys)
    }
    let now = session.now()
    let stats = try workspace.statistics(now: now, keys: keys)
    let days = workspace.clock.studyDays(around: now, past: 370, future: 32)
    // Scenario drills are not tied to a topic: shown for the whole collection only.
    let scenarios =
      keys == nil
      ? ScenarioStats.compute(events: try workspace.scenarioEvents(), scenarios: session.scenarios().scenarios) : nil
    // A snapshot without the review tally (after a change it does not follow) gets it back.
    workspace.saveCache()
    if json {
      session.terminal.write(JSONOutput.statistics(stats, days: days, scenarios: scenarios))
      return
    }
    var questions: [String: String] = [:]
    for card in stats.weakest + stats.leeches.prefix(StatsRenderer.leechesShown) {
      questions[card.card] = workspace.card(card.card)?.front
    }
    let renderer = StatsRenderer(
      stats: stats, days: days, width: Terminal.width(environment: session.environment), color: session.terminal.color,
      scenarios: scenarios, questions: questions)
    session.terminal.write(renderer.render())
  }
}
