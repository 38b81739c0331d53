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
    // Sorted by id, as `due` lists them and as new cards are dealt.
    let decks = workspace.deckTitles.sorted { $0.id < $1.id }
    guard !decks.isEmpty else {
      terminal.line("No decks. Put Markdown decks in \(workspace.directory.decksPath).")
      return
    }
    // A table keeps its columns at any width: the numbers have fixed columns, a long id is cut
    // (with …) only when the title would otherwise get fewer than ten columns, and the title
    // takes what is left, cut with … (rows are written as laid out, never re-wrapped).
    let numbers = 28  // " " + due 5 + " " + learn 6 + " " + new 5 + " " + cards 6 + "  "
    let columns = terminal.columns
    let longest = max(4, decks.map { TextLayout.width($0.id) }.max() ?? 4)
    let idWidth = max(8, min(longest, columns - numbers - 10))
    let titleRoom = max(1, columns - idWidth - numbers)
    terminal.write(terminal.dim(pad("deck", idWidth) + "   due  learn   new  cards  title") + "\n")
    var total = StudyQueue.Counts()
    for deck in decks {
      let count = counts[deck.id] ?? StudyQueue.Counts()
      total.due += count.due
      total.learning += count.learning
      total.new += count.new
      let row =
        pad(TextLayout.truncate(deck.id, columns: idWidth), idWidth) + " " + number(count.due, 5) + " "
        + number(count.learning, 6) + " " + number(count.new, 5) + " " + number(deck.cards, 6) + "  "
        + TextLayout.truncate(deck.title, columns: titleRoom)
      terminal.write(row + "\n")
    }
    terminal.line(
      terminal.dim(
        "\(total.due) due · \(total.learning) learning · \(total.new) new today across \(counted(decks.count, "deck"))")
    )
  }

  private func pad(_ text: String, _ width: Int) -> String {
    let shown = TextLayout.width(text)
    return shown >= width ? text : text + String(repeating: " ", count: width - shown)
  }

  private func number(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }
}
