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
    // Deck ids only: the decks' card keys (100,000 strings from the cache) are not needed.
    let ids = workspace.deckTitles.map(\.id).sorted()
    if json {
      session.terminal.write(JSONOutput.due(deckIDs: ids, counts: counts))
      return
    }
    for id in ids {
      let count = counts[id] ?? StudyQueue.Counts()
      session.terminal.line(
        "\(id): \(count.due) due · \(count.learning) learning · \(count.new) new")
    }
  }
}
