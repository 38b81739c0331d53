import ArgumentParser
import EngramCore
import EngramStore

/// `decks`: every deck with what is due today.
struct DecksCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "decks", abstract: "List decks with today's due, learning and new counts.")

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let counts = workspace.counts()
    let terminal = session.terminal
    let decks = workspace.deckTitles
    guard !decks.isEmpty else {
      terminal.line("No decks. Put Markdown decks in \(workspace.directory.decksPath).")
      return
    }
    let idWidth = max(4, decks.map(\.id.count).max() ?? 4)
    terminal.line(
      terminal.dim(pad("deck", idWidth) + "   due  learn   new  cards  title"))
    var total = StudyQueue.Counts()
    for deck in decks {
      let count = counts[deck.id] ?? StudyQueue.Counts()
      total.due += count.due
      total.learning += count.learning
      total.new += count.new
      terminal.line(
        pad(deck.id, idWidth) + " " + number(count.due, 5) + " " + number(count.learning, 6) + " "
          + number(count.new, 5) + " " + number(deck.cards, 6) + "  " + deck.title)
    }
    terminal.line(
      terminal.dim(
        "\(total.due) due · \(total.learning) learning · \(total.new) new today across \(counted(decks.count, "deck"))"))
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  private func number(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }
}
