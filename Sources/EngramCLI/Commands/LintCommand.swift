import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `lint [FILE...]`: validates deck and scenario files, printing `path:line: message` for every
/// problem.
struct LintCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Check deck and scenario files (default: the shipped ones and your decks/ and scenarios/).")

  @Argument(help: "Deck or scenario files to check.", completion: .file(extensions: ["md"]))
  var files: [String] = []

  func run(in session: AppSession) throws {
    let scenarioFiles = files.filter(LintCommand.isScenarioFile)
    let deckFiles = files.filter { !LintCommand.isScenarioFile($0) }
    var problems = lintDecks(deckFiles, all: files.isEmpty, in: session)
    if files.isEmpty || !scenarioFiles.isEmpty {
      problems += lintScenarios(scenarioFiles, in: session)
    }
    if !problems.isEmpty {
      throw UserError("\(problems.count) problem\(problems.count == 1 ? "" : "s") found")
    }
  }

  /// A scenario file lives in a `Scenarios/` or `scenarios/` folder, or declares `measures:`
  /// in its header (which no deck has).
  static func isScenarioFile(_ path: String) -> Bool {
    let url = URL(fileURLWithPath: path)
    if ["Scenarios", "scenarios"].contains(url.deletingLastPathComponent().lastPathComponent) { return true }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      return false
    }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("## ") { return false }
      if line.hasPrefix("measures:") { return true }
    }
    return false
  }

  /// Checks scenario files (default: shipped and the user's), including their card links
  /// against the loaded decks; returns the problems printed.
  private func lintScenarios(_ paths: [String], in session: AppSession) -> [String] {
    let terminal = session.terminal
    var library = ScenarioLibrary()
    let shipped = ScenarioLibrary.shipped()
    let replaced = Set(paths.map(LintCommand.shippedSource))
    for scenario in shipped.scenarios where !replaced.contains(scenario.source) {
      library.add(source: scenario.source) { () throws(ScenarioProblems) in scenario }
    }
    var problems: [String] = paths.isEmpty ? shipped.problems.map(\.description) : []
    let targets =
      paths.isEmpty
      ? DeckLibrary.markdownFiles(in: session.directory.scenariosPath)
      : paths
    var checked: [String] = []
    for path in targets {
      let before = library.problems.count
      library.add(source: path) { () throws(ScenarioProblems) in
        guard let data = FileManager.default.contents(atPath: path) else {
          throw ScenarioProblems(errors: [.unreadable(file: path, reason: "no such file or not readable")])
        }
        return try ScenarioParser.parse(bytes: Array(data), file: path)
      }
      problems += library.problems[before...].map(\.description)
      if library.problems.count == before { checked.append(path) }
    }
    let decks = DeckLibrary.load(userDecks: session.directory.decksPath)
    let checkedSources = paths.isEmpty ? nil : Set(checked)
    let dangling = library.danglingCards(in: decks, sources: checkedSources)
    problems += dangling.map(\.description)
    for problem in problems { terminal.error(problem) }
    let bad = Set(dangling.compactMap { $0.description.split(separator: ":").first.map(String.init) })
    for scenario in library.scenarios where (checkedSources?.contains(scenario.source) ?? true) {
      guard !bad.contains(scenario.source) else { continue }
      terminal.line(
        "\(scenario.source): ok (scenario, \(scenario.decisionPoints) decisions, \(scenario.endings) endings)")
    }
    return problems
  }

  /// `Scenarios/x.md` for a path inside a checkout's Scenarios folder, else the path itself.
  private static func shippedSource(_ path: String) -> String {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    return url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
  }

  /// Checks deck files (default: shipped and the user's) and their `See:` links; returns the
  /// problems printed.
  private func lintDecks(_ files: [String], all: Bool, in session: AppSession) -> [String] {
    guard all || !files.isEmpty else { return [] }
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
      // The deck read from this file (an override takes the shipped deck's place, not the end).
      if library.problems.count == before, let deck = library.decks.first(where: { $0.source == path }) {
        checked.append((path, deck.cards.count))
      }
    }
    let full = DeckLibrary(
      decks: library.decks
        + (files.isEmpty
          ? []
          : DeckLibrary.load(userDecks: session.directory.decksPath).decks.filter { deck in
            !library.decks.contains { $0.id == deck.id }
          }))
    let links = full.danglingLinks(in: files.isEmpty ? nil : Set(checked.map(\.0)))
    problems += links
    for problem in problems { terminal.error(problem.description) }
    let withLinkProblems = Set(links.map(\.file))
    for (path, count) in checked where !withLinkProblems.contains(path) {
      terminal.line("\(path): ok (\(counted(count, "card")))")
    }
    for (id, path) in library.overrides.sorted(by: { $0.key < $1.key }) {
      let differing = library.shippedDifferences(of: id)
      terminal.line(
        "\(path): overrides the shipped deck '\(id)' (history kept)"
          + (differing.isEmpty
            ? "; no card differs from the shipped copy"
            : "; \(counted(differing.count, "card")) \(differing.count == 1 ? "differs" : "differ") from the shipped copy: "
              + differing.prefix(10).joined(separator: ", ")))
    }
    warnUnnumberedBlanks(in: library.decks.filter { !$0.source.hasPrefix("Decks/") }, session: session)
    return problems.map(\.description)
  }

  /// Cloze notes with history whose blanks are unnumbered: adding a blank before the others
  /// would move every later blank's history, so they are worth numbering. A warning, not a problem.
  private func warnUnnumberedBlanks(in decks: [Deck], session: AppSession) {
    guard let records = try? session.openWorkspace().records, !records.isEmpty else { return }
    for deck in decks {
      for note in deck.notes {
        guard case .cloze(let text) = note.content, Cloze.parse(text).contains(where: { $0.number == nil }),
          note.cards(deckID: deck.id).contains(where: { records[$0.key] != nil })
        else { continue }
        session.terminal.error(
          "\(deck.source):\(note.line): warning: card '\(note.id)' has history and unnumbered blanks; "
            + "number them ({{c1::…}}, {{c2::…}} in their current order keeps every key) so that adding a blank moves no history"
        )
      }
    }
  }
}
