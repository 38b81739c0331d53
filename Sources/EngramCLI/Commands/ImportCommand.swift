import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `import FILE [--deck NAME] [--on-duplicate skip|update|keep-both] [--dry-run]`: Engram Markdown,
/// Anki text exports and Anki packages (with their review history).
struct ImportCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract:
      "Import decks from Engram Markdown, an Anki text export (CSV/TSV) or an Anki package (.apkg) with its history.")

  @Argument(help: "The file to import (.md, .csv, .tsv, .txt, .apkg).", completion: .file())
  var file: String

  @Option(
    help:
      "Deck name for all imported cards (default: the package's decks, the file's deck column or header, else its name)."
  )
  var deck: String?

  @Option(
    help: "A card whose front matches another card of the deck: skip, update or keep-both.",
    completion: .list(Importer.DuplicatePolicy.allCases.map(\.rawValue)))
  var onDuplicate: String = "skip"

  @Flag(help: "Show what would be imported, changed and skipped; write nothing.")
  var dryRun = false

  func validate() throws {
    if Importer.DuplicatePolicy(rawValue: onDuplicate) == nil {
      throw ValidationError("--on-duplicate must be skip, update or keep-both")
    }
    if let deck, deck.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ValidationError("--deck needs a name, e.g. --deck \"Spanish vocabulary\"")
    }
  }

  func run(in session: AppSession) throws {
    let importer = Importer(directory: session.directory)
    let line = ProgressLine("import")
    defer { line.finish() }
    let summary = try importer.importFile(
      file, deckName: deck, onDuplicate: Importer.DuplicatePolicy(rawValue: onDuplicate) ?? .skip, dryRun: dryRun,
      now: session.now(), progress: { stage, done, total in line.update(stage, done, of: total) },
      shouldStop: Interruption.requested)
    line.finish()
    let terminal = session.terminal
    for warning in summary.recovered { terminal.error(Diagnostics.line(warning)) }
    for warning in summary.warnings { terminal.error(Diagnostics.line(conversionNote: warning)) }
    if !summary.duplicates.isEmpty {
      terminal.error(
        "warning: \(counted(summary.duplicates.count, "card")) \(summary.duplicates.count == 1 ? "has" : "have") the same front as a card already in the deck and \(summary.duplicates.count == 1 ? "was" : "were") "
          + "skipped (use --on-duplicate update or keep-both): " + summary.duplicates.prefix(5).joined(separator: ", ")
          + (summary.duplicates.count > 5 ? ", ..." : ""))
    }
    terminal.line(
      (dryRun ? "Would import into " : "Imported into ") + summary.decks.joined(separator: ", ")
        + ": \(counted(summary.added, "card")) added · \(summary.updated) updated · \(summary.unchanged) unchanged · \(summary.skipped) skipped"
    )
    if summary.historyAdded + summary.historyPresent + summary.suspended > 0 {
      var history = "History: \(counted(summary.historyAdded, "review")) \(dryRun ? "to add" : "added")"
      if summary.historyPresent > 0 { history += " · \(summary.historyPresent) already in your log" }
      if summary.suspended > 0 {
        history += " · \(counted(summary.suspended, "card")) \(dryRun ? "to suspend" : "suspended") as in Anki"
      }
      terminal.line(history)
    }
    if let account = summary.account {
      terminal.line(
        "Package: \(counted(account.cards, "card")): \(account.cardsImported) imported, \(account.cardsLeftOut) left out · "
          + "\(counted(account.reviews, "review-log row")): \(account.reviewsImported) \(dryRun ? "to import" : "imported"), "
          + "\(account.reviewsPresent) already in your log, \(account.reviewsLeftOut) left out"
          + (account.cardsLeftOut + account.reviewsLeftOut > 0 ? " (reasons above)" : ""))
    }
    if summary.mediaKept > 0 {
      terminal.line(
        "\(counted(summary.mediaKept, "image and sound file", plural: "image and sound files")) kept in \(session.directory.mediaPath)"
      )
    }
    if !summary.notInSource.isEmpty {
      terminal.line(
        "\(counted(summary.notInSource.count, "card")) already in the deck \(summary.notInSource.count == 1 ? "is" : "are") not in this file and \(summary.notInSource.count == 1 ? "was" : "were") kept: "
          + summary.notInSource.prefix(10).joined(separator: ", ") + (summary.notInSource.count > 10 ? ", ..." : ""))
    }
    if dryRun {
      terminal.line("Dry run: nothing was written.")
    } else {
      session.decksChanged()
      if summary.historyAdded > 0 {
        terminal.line("Your imported history now schedules these cards; 'optimize' fits FSRS-6 to it.")
      }
    }
  }
}
