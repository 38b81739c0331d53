import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `scenario list | play ID`: branching decision drills.
struct ScenarioCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scenario",
    abstract: "Practise decisions in branching scenarios: choices, feedback, endings and a debrief.",
    subcommands: [ScenarioListCommand.self, ScenarioPlayCommand.self],
    defaultSubcommand: ScenarioListCommand.self)
}

/// `scenario list [--json]`.
struct ScenarioListCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the scenario drills (shipped and your own).")

  @Flag(help: "Print JSON: [{\"id\", \"title\", \"decision_points\", \"endings\"}].")
  var json = false

  /// Words after `scenario` that name no subcommand (`scenario foo`), caught here because
  /// `list` is the default: said plainly rather than as list's usage.
  @Argument(help: .hidden)
  var unexpected: [String] = []

  func run(in session: AppSession) throws {
    // Refused here, first, rather than in `validate()`: ArgumentParser wraps an error thrown
    // while parsing in its own type, and `CommandFailure` renders our `UsageError` itself.
    if let word = unexpected.first {
      throw UsageError(
        "'\(word)' is not a scenario command; use 'scenario list', or 'scenario play \(word)' to play a drill by id")
    }
    let library = session.scenarios()
    let terminal = session.terminal
    if json {
      let items = library.scenarios.map { scenario in
        "{\"id\": \(JSONOutput.string(scenario.id)), \"title\": \(JSONOutput.string(scenario.title)), "
          + "\"decision_points\": \(scenario.decisionPoints), \"endings\": \(scenario.endings)}"
      }
      terminal.write("[" + items.joined(separator: ",\n ") + "]\n")
      return
    }
    guard !library.scenarios.isEmpty else {
      terminal.line("No scenarios. Add your own to \(session.directory.scenariosPath) (see docs/scenarios.md).")
      return
    }
    // Ids in a column and titles hanging beside them; when the longest id would leave the
    // titles too little room, each id stands on its own line with its title indented below.
    let width = library.scenarios.map(\.id.count).max() ?? 0
    let besides = width + 2 + 30 <= terminal.columns
    for scenario in library.scenarios {
      let details =
        scenario.title
        + terminal.dim(
          " · \(counted(scenario.decisionPoints, "decision point")) · \(counted(scenario.endings, "ending"))")
      if besides {
        let padding = String(repeating: " ", count: width - scenario.id.count)
        terminal.block(terminal.bold(scenario.id) + padding + "  ", details)
      } else {
        terminal.line(terminal.bold(scenario.id))
        terminal.block("  ", details)
      }
    }
    terminal.line(terminal.dim("Play one with 'scenario play ID' (Tab completes the id)."))
  }
}

/// `scenario play ID`.
struct ScenarioPlayCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "play",
    abstract: "Play a scenario: type a letter to choose; q ends it early.")

  @Argument(help: "The scenario's id (see 'scenario list').")
  var scenario: String

  func run(in session: AppSession) throws {
    let library = session.scenarios()
    let id = scenario
    guard let scenario = library.scenario(id: id) else {
      // A file of that name with problems was left out: say so, not "no scenario".
      if let broken = library.problems.first(where: { ($0.file as NSString).lastPathComponent == id + ".md" }) {
        throw UserError(
          "scenario '\(id)' (\(broken.file)) has problems and was left out; the warnings above say what, "
            + "and 'lint \(broken.file)' checks it again")
      }
      let nearest = TopicResolver.nearest(to: id, among: library.scenarios.map(\.id))
      throw UserError(
        "no scenario '\(id)'"
          + (nearest.isEmpty ? "" : "; did you mean \(nearest.map { "'\($0)'" }.joined(separator: " or "))?")
          + "; 'scenario list' shows them all")
    }
    let workspace = try session.openWorkspace()
    guard var play = ScenarioSession(scenario: scenario, workspace: workspace, app: session) else {
      throw UserError("scenario '\(id)' has no nodes; 'lint \(scenario.source)' explains")
    }
    try play.run()
    workspace.saveCache()
  }
}
