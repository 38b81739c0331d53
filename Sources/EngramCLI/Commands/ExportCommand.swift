import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `export DECK FILE` / `export --all FILE.apkg`: a deck as Markdown (`.md`, everything),
/// Anki-importable TSV (`.tsv`), or an Anki package (`.apkg`) with its history.
struct ExportCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Write a deck to FILE.md (Engram Markdown), FILE.tsv (Anki text import) or FILE.apkg (Anki package with history); --all FILE.apkg writes every deck."
  )

  @Flag(help: "Export every deck (shipped and yours) to one Anki package.")
  var all = false

  @Flag(help: "Replace FILE if it exists.")
  var force = false

  @Argument(
    help: ArgumentHelp(
      "DECK FILE (FILE ending in .md, .tsv or .apkg), or with --all only FILE.apkg.", valueName: "deck-and-file"),
    completion: .file())
  var arguments: [String] = []

  var deck: String? { all ? nil : arguments.first }
  var file: String { arguments.last ?? "" }

  func validate() throws {
    if all {
      guard arguments.count == 1 else { throw ValidationError("export --all takes one FILE.apkg") }
      guard file.lowercased().hasSuffix(".apkg") else {
        throw ValidationError("export --all writes an Anki package: FILE.apkg")
      }
      return
    }
    guard arguments.count == 2 else { throw ValidationError("export takes DECK FILE (or --all FILE.apkg)") }
    let lower = file.lowercased()
    if !lower.hasSuffix(".md") && !lower.hasSuffix(".tsv") && !lower.hasSuffix(".apkg") {
      throw ValidationError("the output file must end in .md, .tsv or .apkg")
    }
  }

  func run(in session: AppSession) throws {
    // Checked before the seconds a large export takes, so a typo costs nothing.
    try ExportCommand.checkWritable(file, replacing: force)
    // Opening a large collection (a replay of its history) and writing a package can take
    // seconds: a progress line shows on a terminal after the first.
    let line = ProgressLine("export")
    defer { line.finish() }
    line.update("reading", 0)
    let workspace = try session.openWorkspace()
    var decks = workspace.library.decks
    if let deck { decks = [try ExportCommand.deck(named: deck, in: workspace.library)] }
    let lower = file.lowercased()
    if lower.hasSuffix(".apkg") {
      line.update("reading history", 0)
      let events = try workspace.history.read().events
      let counts = try AnkiPackageWriter.write(
        decks, records: workspace.records, events: events, to: file, directory: session.directory, now: session.now(),
        progress: { stage, done, total in line.update(stage, done, of: total) })
      line.finish()
      session.terminal.line(
        "Wrote \(counted(counts.decks, "deck")), \(counted(counts.notes, "note")), \(counted(counts.cards, "card")) and "
          + "\(counted(counts.reviews, "review")) to \(file).")
      return
    }
    guard let found = decks.first else { return }
    line.update("writing", 0)
    let text = lower.hasSuffix(".md") ? DeckWriter.markdown(found) : DeckExporter.tsv(found)
    do { try AtomicFile.write([Array(text.utf8)], to: file) } catch {
      throw UserError("cannot write \(file): \(error.reason); nothing was written")
    }
    line.finish()
    session.terminal.line("Wrote \(counted(found.cards.count, "card")) of \(found.id) to \(file).")
  }

  /// The deck `name` names: its id, else what `quiz` would read as one deck (`ethics`,
  /// `agile scrum`, a title); several equally good readings are an error that lists them.
  static func deck(named name: String, in library: DeckLibrary) throws -> Deck {
    if let exact = library.deck(id: name) { return exact }
    let named = TopicResolver.decks(named: name, in: library.decks)
    if named.count == 1 { return named[0] }
    if named.count > 1 {
      throw UserError(
        "'\(name)' names several decks: \(named.map(\.id).joined(separator: ", ")); export one by its id")
    }
    let nearest = TopicResolver.nearest(to: name, among: library.decks.map(\.id))
    throw UserError(
      "no deck '\(name)'; "
        + (nearest.isEmpty
          ? "decks: \(library.decks.map(\.id).joined(separator: ", "))"
          : "did you mean: \(nearest.joined(separator: ", "))?"))
  }

  /// Refuses an existing `file` (unless replacing) and a folder that is missing or not
  /// writable, with what to do about it.
  static func checkWritable(_ file: String, replacing: Bool) throws {
    var info = stat()
    if lstat(file, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFREG else { throw UserError("\(file) exists and is not a file") }
      guard replacing else { throw UserError("\(file) exists; add --force to replace it, or choose another name") }
    }
    let slash = file.lastIndex(of: "/")
    let folder = slash.map { $0 == file.startIndex ? "/" : String(file[..<$0]) } ?? "."
    guard stat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
      throw UserError("cannot write \(file): there is no folder \(folder)")
    }
    guard access(folder, W_OK) == 0 else {
      throw UserError("cannot write \(file): you may not write in the folder \(folder)")
    }
  }
}
