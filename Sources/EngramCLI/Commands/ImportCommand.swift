import ArgumentParser
import EngramCore
import EngramStore

/// `import FILE [--deck NAME] [--on-duplicate skip|update|keep-both] [--dry-run]`.
struct ImportCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import a deck from Engram Markdown or an Anki text export (CSV/TSV) into your decks.")

  @Argument(help: "The file to import (.md, .csv, .tsv, .txt).", completion: .file())
  var file: String

  @Option(help: "Deck name for the imported cards (default: the file's deck column or header, else its name).")
  var deck: String?

  @Option(help: "A card whose front matches another card of the deck: skip, update or keep-both.")
  var onDuplicate: String = "skip"

  @Flag(help: "Show what would be imported, changed and skipped; write nothing.")
  var dryRun = false

  func validate() throws {
    if Importer.DuplicatePolicy(rawValue: onDuplicate) == nil {
      throw ValidationError("--on-duplicate must be skip, update or keep-both")
    }
  }

  func run(in session: AppSession) throws {
    try session.directory.create()
    let importer = Importer(directory: session.directory)
    let summary = try importer.importFile(
      file, deckName: deck, onDuplicate: Importer.DuplicatePolicy(rawValue: onDuplicate) ?? .skip, dryRun: dryRun)
    let terminal = session.terminal
    for warning in summary.warnings { terminal.error("warning: \(warning)") }
    terminal.line(
      (dryRun ? "Would import into " : "Imported into ") + summary.decks.joined(separator: ", ")
        + ": \(summary.added) added · \(summary.updated) updated · \(summary.unchanged) unchanged · \(summary.skipped) skipped")
    if !summary.notInSource.isEmpty {
      terminal.line(
        "\(summary.notInSource.count) card(s) already in the deck are not in this file and were kept: "
          + summary.notInSource.prefix(10).joined(separator: ", ") + (summary.notInSource.count > 10 ? ", ..." : ""))
    }
    if dryRun { terminal.line("Dry run: nothing was written.") }
  }
}
