import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `lint [FILE...]`: validates deck files, printing `path:line: message` for every problem.
struct LintCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Check deck files (default: the shipped decks and your decks/ directory).")

  @Argument(help: "Deck files to check.", completion: .file(extensions: ["md"]))
  var files: [String] = []

  func run(in session: AppSession) throws {
    let terminal = session.terminal
    let shipped = DeckLibrary.shipped()
    // Linting a shipped deck's own source (`Decks/x.md` in a checkout, being edited) checks it
    // in place of the embedded copy, rather than reporting a clash with itself.
    let replaced = Set(
      files.compactMap { path -> String? in
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let source = url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
        return shipped.decks.contains { $0.source == source } ? source : nil
      })
    var library = DeckLibrary(decks: shipped.decks.filter { !replaced.contains($0.source) }, problems: shipped.problems)
    var problems = library.problems
    let paths =
      files.isEmpty
      ? ((try? FileManager.default.contentsOfDirectory(atPath: session.directory.decksPath)) ?? [])
        .filter { $0.hasSuffix(".md") }.sorted().map { session.directory.decksPath + "/" + $0 }
      : files
    var checked = files.isEmpty ? library.decks.map { ($0.source, $0.cards.count) } : []
    for path in paths {
      let before = library.problems.count
      library.add(source: path) { () throws(DeckProblems) in
        guard let data = FileManager.default.contents(atPath: path) else {
          throw DeckProblems(errors: [.unreadable(file: path, reason: "no such file or not readable")])
        }
        return try DeckParser.parse(bytes: Array(data), file: path)
      }
      problems += library.problems[before...]
      if library.problems.count == before, let deck = library.decks.last {
        checked.append((path, deck.cards.count))
      }
    }
    for problem in problems { terminal.error(problem.description) }
    for (path, count) in checked { terminal.line("\(path): ok (\(counted(count, "card")))") }
    if !problems.isEmpty {
      throw UserError("\(counted(problems.count, "problem")) found")
    }
  }
}
