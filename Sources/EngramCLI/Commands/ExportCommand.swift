import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `export DECK FILE`: a deck as Markdown (`.md`, everything) or Anki-importable TSV (`.tsv`).
struct ExportCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Write a deck to FILE.md (Engram Markdown) or FILE.tsv (Anki text import).")

  @Argument(help: "Deck id.")
  var deck: String

  @Argument(help: "Output file ending in .md or .tsv.", completion: .file())
  var file: String

  func validate() throws {
    let lower = file.lowercased()
    if !lower.hasSuffix(".md") && !lower.hasSuffix(".tsv") {
      throw ValidationError("the output file must end in .md or .tsv")
    }
  }

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    guard let found = workspace.library.deck(id: deck) else {
      throw UserError("no deck '\(deck)'; decks: \(workspace.library.decks.map(\.id).joined(separator: ", "))")
    }
    let text = file.lowercased().hasSuffix(".md") ? DeckWriter.markdown(found) : DeckExporter.tsv(found)
    do { try AtomicFile.write([Array(text.utf8)], to: file) } catch {
      throw UserError("\(error.description); check the directory exists and is writable")
    }
    session.terminal.line("Wrote \(counted(found.cards.count, "card")) of \(deck) to \(file).")
  }
}
