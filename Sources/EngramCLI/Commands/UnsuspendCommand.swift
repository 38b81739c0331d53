import ArgumentParser
import EngramCore
import EngramStore

/// `unsuspend [CARD...]`: lists suspended cards, or brings the named ones back into reviews.
struct UnsuspendCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "unsuspend",
    abstract: "List suspended cards, or unsuspend the given card keys (deck-id/card-id).")

  @Argument(help: "Card keys to unsuspend, or a deck id to unsuspend all of its cards.")
  var cards: [String] = []

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let suspended = workspace.records.filter(\.value.suspended).keys.sorted()
    let terminal = session.terminal
    guard !cards.isEmpty else {
      if suspended.isEmpty {
        terminal.line("No suspended cards.")
      } else {
        for key in suspended { terminal.line(key) }
        terminal.line(
          terminal.dim("\(suspended.count) suspended · 'unsuspend KEY' or 'unsuspend DECK' brings them back"))
      }
      return
    }
    var chosen: [String] = []
    for target in cards {
      let matches = suspended.filter { $0 == target || CardKey($0)?.deckID == target }
      guard !matches.isEmpty else {
        throw UserError(
          "'\(target)' is not a suspended card or a deck with suspended cards; run 'unsuspend' to list them")
      }
      chosen += matches
    }
    let now = session.now()
    try workspace.append(
      chosen.map { ReviewEvent(time: now, card: $0, action: .unsuspend) }, sync: session.syncWrites)
    workspace.saveCache()
    terminal.line("Unsuspended \(counted(chosen.count, "card")).")
  }
}
