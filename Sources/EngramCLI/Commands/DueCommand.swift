import ArgumentParser
import EngramCore
import EngramStore

/// `due [--json]`: per deck, the due, learning and new cards available today.
struct DueCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "due", abstract: "Counts of due, learning and new cards available today, per deck.")

  @Flag(help: "Print JSON (see README: machine-readable outputs).")
  var json = false

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let counts = workspace.counts()
    let decks = workspace.summaries.sorted { $0.id < $1.id }
    if json {
      session.terminal.write(JSONOutput.due(decks: decks, counts: counts))
      return
    }
    for deck in decks {
      let count = counts[deck.id] ?? StudyQueue.Counts()
      session.terminal.line(
        "\(deck.id): \(count.due) due · \(count.learning) learning · \(count.new) new")
    }
  }
}
