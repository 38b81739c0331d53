import EngramCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Imports decks from Markdown, Anki-style CSV/TSV or Anki packages into `$ENGRAM_HOME/decks/`,
/// all or nothing.
///
/// Every deck lands as a plain deck file. Cards keep stable ids (an Anki GUID, a `#guid column:`
/// value, else a slug of the front; Markdown cards keep their own), so re-importing an updated
/// file updates cards in place and their history still applies. Cards missing from the file are
/// kept and reported. A package's review history is appended to the log, skipping events the log
/// already has, so importing the same package twice adds nothing. Files are staged and validated
/// first; only then are they renamed into place, inside the log's lock, together with the history.
public struct Importer {
  /// What to do with an imported card whose front matches a different card already in the deck.
  public enum DuplicatePolicy: String, Sendable, CaseIterable {
    case skip, update
    case keepBoth = "keep-both"
  }

  /// What an import did (or, with a dry run, would do).
  /// The reviewable cards of `note` (a cloze note has one per blank).
  static func cardCount(of note: Note) -> Int {
    if case .cloze(let text) = note.content { return max(1, Cloze.blanks(in: text).count) }
    return 1
  }

  /// Counts are of cards, as everywhere in Engram (a cloze note with three blanks is three
  /// cards).
  public struct Summary: Sendable, Equatable {
    public var decks: [String] = []
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var skipped = 0
    /// Review events appended to the log (Anki packages).
    public var historyAdded = 0
    /// Review events the log already had, from an earlier import of the same package.
    public var historyPresent = 0
    /// Cards newly marked suspended because they are suspended in the package.
    public var suspended = 0
    /// Media files the imported cards show, kept in `$ENGRAM_HOME/media/`.
    public var mediaKept = 0
    /// For a package: every card and review-log row, imported or not.
    public var account: Account?
    /// Incoming cards skipped because their front matches another card of the deck:
    /// "incoming id → deck/existing id".
    public var duplicates: [String] = []
    /// Cards already in a target deck but not in the file: kept, listed here.
    public var notInSource: [String] = []
    /// What completing an import a crash interrupted found (shown before `warnings`).
    public var recovered: [StoreWarning] = []
    /// What the conversion left out or changed, in the converter's words, for the user to read:
    /// nothing decides on them.
    public var warnings: [String] = []
  }

  /// Where each card and review-log row of a package went; left out = total − imported
  /// (− already present, for reviews), each reason named in a warning.
  public struct Account: Sendable, Equatable {
    public var cards = 0
    public var cardsImported = 0
    public var reviews = 0
    public var reviewsImported = 0
    public var reviewsPresent = 0
    public var cardsLeftOut: Int { cards - cardsImported }
    public var reviewsLeftOut: Int { reviews - reviewsImported - reviewsPresent }
  }

  public enum Failure: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case unsupported(file: String)
    case text(AnkiTextFile.Problem)
    case package(PackageProblem)
    case deck(DeckProblems)
    case shippedDeck(file: String, id: String)
    case empty(file: String)
    /// A text file whose only row was read as column names.
    case onlyColumnNames(file: String, names: [String])
    case cannotWrite(reason: String)
    /// The learner asked to stop (Ctrl-C in the REPL) before the commit point.
    case stopped
    /// The import is committed but a step after the commit point failed; the next start ends it.
    case unfinished(reason: String)
    /// A deck id the import would write is declared by another file in `decks/`.
    case deckIDTaken(file: String, id: String, otherFile: String)
    /// A note over one of the import limits (`ImportLimits`).
    case overLimit(file: String, note: String, problem: String)
    /// Bytes that are not usable text.
    case badText(SourceText.Problem)

    public var description: String {
      switch self {
      case .unreadable(let file, let reason): "\(file): cannot read: \(reason)"
      case .unsupported(let file):
        "\(file): unsupported file type; import reads Engram Markdown (.md), Anki text exports (.csv, .tsv, .txt) and Anki packages (.apkg, .colpkg)"
      case .text(let problem): problem.description
      case .package(let problem): problem.description
      case .deck(let problems): problems.description
      case .shippedDeck(let file, let id):
        "\(file): deck id '\(id)' belongs to a shipped deck; import it under another name with --deck NAME, or import an edited Markdown copy of the deck to override it"
      case .empty(let file): "\(file): no cards to import"
      case .onlyColumnNames(let file, let names):
        "\(file): no cards to import: its only row was read as column names (\(names.joined(separator: ", "))); if it is a card, add a first row naming the columns (e.g. front, back)"
      case .cannotWrite(let reason): "import failed, nothing was changed: \(reason)"
      case .stopped: "import stopped (Ctrl-C); nothing was changed"
      case .unfinished(let reason):
        "the import is saved but could not be completed (\(reason)); the next start of engram completes it"
      case .deckIDTaken(let file, let id, let otherFile):
        "\(file): deck id '\(id)' is already used by \(otherFile); import under another name with --deck NAME, or change the id in that file"
      case .overLimit(let file, let note, let problem):
        "\(file): note '\(note)': \(problem)"
      case .badText(let problem): problem.description
      }
    }
  }

  /// A deck as read from the source, before merging with the user's deck of the same id.
  struct IncomingDeck {
    var id: String
    var title: String
    var notes: [Note]
    var topics: [String] = []
    var description = ""
  }

  let directory: DataDirectory

  public init(directory: DataDirectory) { self.directory = directory }

  /// Imports `path`. Nothing in the data directory changes unless every deck validates, and
  /// then it changes all at once (`ImportTransaction`); a dry run writes nothing at all.
  ///
  /// - Parameter now: when suspensions carried over from a package are logged.
  /// - Parameter progress: told each stage as it starts, with how many items it handles.
  /// - Parameter shouldStop: asked between stages, up to the commit point: true stops the
  ///   import with `.stopped`, nothing changed.
  public func importFile(
    _ path: String, deckName: String? = nil, onDuplicate: DuplicatePolicy = .skip, dryRun: Bool = false,
    now: Timestamp = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)),
    progress: Progress? = nil, shouldStop: () -> Bool = { false }
  ) throws(Failure) -> Summary {
    var transaction: ImportTransaction?
    do {
      return try importing(
        path, deckName: deckName, onDuplicate: onDuplicate, dryRun: dryRun, now: now, transaction: &transaction,
        progress: progress ?? { _, _, _ in }, shouldStop: shouldStop)
    } catch {
      // Its staging folder goes on every failure before the commit point.
      if case .unfinished = error {} else { transaction?.discard() }
      throw error
    }
  }

  /// Creates the data directory and opens a staging folder.
  private func begin() throws(Failure) -> ImportTransaction {
    do {
      try directory.create()
      return try ImportTransaction.begin(in: directory)
    } catch {
      throw .cannotWrite(reason: error.description)
    }
  }

  /// How far an import or export is, for a progress line: its stage (`reading`, `converting`,
  /// `merging`, `writing`…), items done and the stage's total (0 when not known in advance).
  /// A new stage name starts a new stage; calls within a stage report its progress.
  public typealias Progress = (_ stage: String, _ done: Int, _ total: Int) -> Void

  private func importing(
    _ path: String, deckName: String?, onDuplicate: DuplicatePolicy, dryRun: Bool, now: Timestamp,
    transaction: inout ImportTransaction?, progress: Progress, shouldStop: () -> Bool
  ) throws(Failure) -> Summary {
    var summary = Summary()
    progress("reading", 0, 0)
    // An import a crash interrupted is completed first: it may change the decks merged here.
    if !dryRun { summary.recovered = ImportTransaction.recover(in: directory) }
    var incoming: [IncomingDeck] = []
    var package: AnkiConverter?
    var packageFile: AnkiPackage?
    let lower = path.lowercased()
    if lower.hasSuffix(".apkg") || lower.hasSuffix(".colpkg") {
      guard FileManager.default.isReadableFile(atPath: path) else {
        throw .unreadable(file: path, reason: "no such file or not readable")
      }
      // The collection is expanded into the staging folder (a dry run keeps it in memory).
      if !dryRun { transaction = try begin() }
      let (converted, opened) = try Importer.convertPackage(
        path, folder: transaction?.path, deckName: deckName, progress: progress)
      packageFile = opened
      summary.warnings += converted.warnings
      summary.skipped += converted.skipped
      incoming = converted.decks.map { IncomingDeck(id: $0.id, title: $0.title, notes: $0.notes) }
      package = converted
    } else if lower.hasSuffix(".md") {
      let text = try read(path)
      let deck: Deck
      do { deck = try DeckParser.parse(text, file: path) } catch { throw .deck(error) }
      let id = deckName.map(Importer.deckID) ?? deck.id
      incoming.append(
        IncomingDeck(
          id: id, title: deckName ?? deck.title, notes: deck.notes, topics: deck.topics, description: deck.description))
    } else if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") {
      incoming = try Importer.textDecks(
        try read(path), file: path, deckName: deckName, summary: &summary, progress: progress)
    } else {
      throw .unsupported(file: path)
    }
    guard incoming.contains(where: { !$0.notes.isEmpty }) else { throw .empty(file: path) }
    for deck in incoming { try ImportLimits.check(deck.notes, file: path) }
    if shouldStop() { throw .stopped }
    progress("merging", 0, incoming.count)

    // Merge each deck with the user's existing deck of the same id and stage the result.
    let shippedIDs = Set(DeckLibrary.shipped().decks.map(\.id))
    let owners = Importer.deckFiles(in: directory.decksPath)
    var targets: [(deck: Deck, file: String)] = []
    var finalIDs: [String: [String: String]] = [:]
    for deck in incoming where !deck.notes.isEmpty {
      // Only an edited Markdown copy may override a shipped deck (history kept: same keys).
      let overridesShipped = shippedIDs.contains(deck.id)
      if overridesShipped && !lower.hasSuffix(".md") { throw .shippedDeck(file: path, id: deck.id) }
      let final = directory.decksPath + "/" + deck.id + ".md"
      if let owner = owners[deck.id], owner != final {
        throw .deckIDTaken(file: path, id: deck.id, otherFile: owner)
      }
      var existing: Deck?
      if FileManager.default.fileExists(atPath: final) {
        do { existing = try DeckParser.parse(bytes: try DeckLibrary.readFile(final), file: final) } catch {
          throw .deck(error)
        }
        if let existing, existing.id != deck.id {
          throw .deckIDTaken(file: path, id: existing.id, otherFile: final)
        }
      }
      var target =
        existing ?? (overridesShipped ? DeckLibrary.shipped().deck(id: deck.id) : nil)
        ?? Deck(id: deck.id, title: deck.title, topics: deck.topics, description: deck.description)
      if overridesShipped && existing == nil {
        target.title = deck.title
        target.topics = deck.topics
        target.description = deck.description
        summary.warnings.append(
          "\(path): deck '\(deck.id)' is a shipped deck; your copy in decks/\(deck.id).md now overrides it, and the history of its cards is kept"
        )
      }
      // Package notes are told apart by GUID, as Anki does, so two notes of one package with the
      // same front are both kept; the policy applies to cards the deck had before.
      finalIDs[deck.id] = merge(
        deck.notes, into: &target, onDuplicate: onDuplicate, withinImport: package == nil, summary: &summary)
      summary.decks.append(deck.id)
      targets.append((target, final))
      progress("merging", targets.count, incoming.count)
    }

    // The decks are written out and validated exactly as they will be written in a task while
    // the history is matched against the log (neither depends on the other), and this thread
    // takes the last decks once the history is done: the parse was 15% of a 100,000-note
    // package import's CPU time, the history match 4.5%. The task gets the first five eighths
    // of the notes.
    let noteCount = targets.reduce(0) { $0 + $1.deck.notes.count }
    var split = 0
    var taskNotes = 0
    while split < targets.count && taskNotes * 8 < noteCount * 5 {
      taskNotes += targets[split].deck.notes.count
      split += 1
    }
    let toWrite = Array(targets[..<split])
    var history: [ReviewEvent] = []
    var historyFailure: FileError?
    let (written, rest) = Concurrently.run {
      Result { () throws(DeckProblems) in try Importer.written(toWrite) }
    } alongside: { () -> Result<[(id: String, markdown: String)], DeckProblems> in
      if let package {
        do throws(FileError) {
          history = try newHistory(package, finalIDs: finalIDs, now: now, dryRun: dryRun, summary: &summary)
        } catch {
          historyFailure = error
        }
      }
      return Result { () throws(DeckProblems) in try Importer.written(Array(targets[split...])) }
    }
    var merged: [(id: String, markdown: String)]
    do {
      merged = try written.get()
      merged += try rest.get()
    } catch {
      throw .deck(error)
    }
    if let historyFailure { throw .cannotWrite(reason: historyFailure.description) }
    if shouldStop() { throw .stopped }
    if dryRun { return summary }
    progress("writing", 0, history.count)
    // The data directory is made only once there is something valid to put in it.
    if transaction == nil { transaction = try begin() }
    guard var staging = transaction else { return summary }
    do {
      for deck in merged { try staging.stage(deck: deck.id, markdown: deck.markdown) }
    } catch {
      throw .cannotWrite(reason: error.description)
    }
    if let packageFile, let package, !package.referencedMedia.isEmpty {
      do { staging.media = try packageFile.stageMedia(package.referencedMedia, into: staging.path) } catch {
        throw .package(error)
      }
      summary.mediaKept = staging.media.count
    }
    transaction = staging
    // The last moment to stop: after the commit point the import completes.
    if shouldStop() { throw .stopped }
    do { try staging.commit(history: history) } catch {
      switch error {
      case .failed(let reason): throw .cannotWrite(reason: reason.description)
      case .interrupted(let reason): throw .unfinished(reason: reason.description)
      }
    }
    return summary
  }

  /// Each deck as the Markdown it will be written as, parsed back to prove it reads as itself.
  static func written(_ targets: [(deck: Deck, file: String)]) throws(DeckProblems) -> [(id: String, markdown: String)]
  {
    try targets.map { target throws(DeckProblems) in
      let markdown = DeckWriter.markdown(target.deck)
      _ = try DeckParser.parse(markdown, file: target.file)
      return (target.deck.id, markdown)
    }
  }

  /// The decks of an Anki text export (CSV/TSV), converted but not merged: no data directory
  /// is read. Shared by `importFile` and the fuzz target's entry (`readTextExport`).
  static func textDecks(
    _ text: String, file path: String, deckName: String?, summary: inout Summary, progress: Progress
  ) throws(Failure) -> [IncomingDeck] {
    let file: AnkiTextFile
    do { file = try AnkiTextFile(text: text, file: path) } catch { throw .text(error) }
    var incoming: [IncomingDeck] = []
    summary.warnings += file.fieldText.warnings(file: path, mediaIncluded: false)
    if file.headerRow, let names = file.columnNames {
      summary.warnings.append(
        "\(path): the first row was read as column names (\(names.joined(separator: ", "))), not as a card")
    }
    if file.headerRow, file.notes.isEmpty, let names = file.columnNames {
      throw .onlyColumnNames(file: path, names: names)
    }
    // Tags columns go to Tags: as a reader expects; the others are worth a word.
    let extraNames = Set(
      file.notes.flatMap { $0.extras.map { $0.name ?? "unnamed" } }.filter { !Importer.isTagsColumn($0) })
    if !extraNames.isEmpty {
      summary.warnings.append(
        "\(path): columns beyond the front and back (\(extraNames.sorted().joined(separator: ", "))) were kept in each card's Why:"
      )
    }
    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    var order: [String] = []
    var grouped: [String: [AnkiTextFile.Note]] = [:]
    for note in file.notes {
      let name = deckName ?? note.deck.flatMap { $0.isEmpty ? nil : $0 } ?? file.deck ?? stem
      if grouped[name] == nil { order.append(name) }
      grouped[name, default: []].append(note)
    }
    var converted = 0
    progress("converting", 0, file.notes.count)
    for name in order {
      var used = Set<String>()
      var notes: [Note] = []
      for row in grouped[name] ?? [] {
        converted += 1
        if converted % 1_000 == 0 { progress("converting", converted, file.notes.count) }
        guard let note = Importer.note(from: row, used: &used, file: path, warnings: &summary.warnings) else {
          summary.skipped += 1
          continue
        }
        notes.append(note)
      }
      incoming.append(IncomingDeck(id: Importer.deckID(name), title: AnkiConverter.title(name), notes: notes))
    }
    return incoming
  }

  /// An Anki text export's bytes read as an import reads them (decoded, parsed, converted,
  /// checked against the limits) and each deck validated as it would be written, without a
  /// data directory or the shipped decks: the fuzz target's way in (hundreds of inputs a
  /// second under AddressSanitizer, where a dry-run import managed about four).
  public static func readTextExport(_ bytes: [UInt8], file: String) throws(Failure) -> [Deck] {
    let text: String
    do { text = try SourceText.decode(bytes, file: file) } catch { throw .badText(error) }
    var summary = Summary()
    let incoming = try textDecks(text, file: file, deckName: nil, summary: &summary, progress: { _, _, _ in })
    var decks: [Deck] = []
    for deck in incoming {
      try ImportLimits.check(deck.notes, file: file)
      var written = Deck(id: deck.id, title: deck.title)
      written.notes = deck.notes
      do { decks.append(try DeckParser.parse(DeckWriter.markdown(written), file: file)) } catch { throw .deck(error) }
    }
    return decks
  }

  /// Reads and converts a package; the collection's rows are released as soon as they are
  /// converted (a million review-log rows need not stay for the merge and commit).
  private static func convertPackage(
    _ path: String, folder: String?, deckName: String?, progress: Progress
  ) throws(Failure) -> (AnkiConverter, AnkiPackage) {
    let collection: AnkiCollection
    let opened: AnkiPackage
    do {
      opened = try AnkiPackage(path: path, folder: folder)
      collection = try AnkiCollection.read(opened) { table, rows in progress("reading \(table)", rows, 0) }
      opened.dropCollection()
    } catch {
      throw .package(error)
    }
    progress("converting", 0, collection.notes.count)
    return (
      try AnkiConverter(collection, file: path, deckName: deckName) {
        progress("converting", $0, collection.notes.count)
      },
      opened
    )
  }

  /// The deck id each `*.md` in `folder` declares (its `id:` header line), with the file.
  static func deckFiles(in folder: String) -> [String: String] {
    var owners: [String: String] = [:]
    for path in DeckLibrary.markdownFiles(in: folder) {
      guard let bytes = try? DeckLibrary.readFile(path) else { continue }
      for line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
        if line.starts(with: Array("## ".utf8)) { break }
        guard line.starts(with: Array("id:".utf8)) else { continue }
        let id = String(decoding: line.dropFirst(3), as: UTF8.self).trimmingWhitespace()
        if owners[id] == nil { owners[id] = path }
        break
      }
    }
    return owners
  }

  /// The package's history as log events, minus what the log already has: reviews it already
  /// holds (same card, time and rating) and suspensions of cards already suspended.
  func newHistory(
    _ package: AnkiConverter, finalIDs: [String: [String: String]], now: Timestamp, dryRun: Bool = false,
    summary: inout Summary
  ) throws(FileError) -> [ReviewEvent] {
    struct Known: Hashable {
      var card: String
      var time: Int64
      var rating: Rating
    }
    func key(_ ref: AnkiConverter.CardRef) -> String? {
      finalIDs[ref.deck]?[ref.note].map { ref.key(note: $0) }
    }
    // Only events of the decks being imported can match; on a first import there are none.
    let importedDecks = Set(finalIDs.keys)
    func imported(_ card: String) -> Bool {
      guard let deck = CardKey.deckPart(of: card) else { return false }
      return importedDecks.contains(String(deck))
    }
    // Each card's key once: a million events share a hundred thousand cards.
    let cardKeys = package.importedCards.map(key)
    let suspendKeys = Set(package.suspended.compactMap(key))
    var known = Set<Known>()
    var latest: [String: Timestamp] = [:]
    var suspended: [String: (time: Timestamp, on: Bool)] = [:]
    for event in try HistoryLog(directory: directory, device: nil).read(repairing: !dryRun).events
    where imported(event.card) {
      if suspendKeys.contains(event.card) { latest[event.card] = max(latest[event.card] ?? event.time, event.time) }
      switch event.action {
      case .review(let rating): known.insert(Known(card: event.card, time: event.time.milliseconds, rating: rating))
      case .suspend, .unsuspend:
        if let current = suspended[event.card], current.time > event.time { continue }
        suspended[event.card] = (event.time, event.kind == .suspend)
      default: break
      }
    }
    var events: [ReviewEvent] = []
    events.reserveCapacity(package.events.count + suspendKeys.count)
    var ofSkippedCards = 0
    for event in package.events {
      guard let card = cardKeys[event.card] else {
        ofSkippedCards += 1
        continue
      }
      if !known.isEmpty && known.contains(Known(card: card, time: event.time.milliseconds, rating: event.rating)) {
        summary.historyPresent += 1
        continue
      }
      events.append(
        ReviewEvent(
          time: event.time, card: card, action: .review(event.rating), durationMilliseconds: event.milliseconds))
      if !suspendKeys.isEmpty && suspendKeys.contains(card) {
        latest[card] = max(latest[card] ?? event.time, event.time)
      }
    }
    summary.historyAdded = events.count
    // Cards whose note the merge skipped as a duplicate (none unless some were skipped).
    let skippedCards = summary.duplicates.isEmpty ? 0 : cardKeys.filter { $0 == nil }.count
    if skippedCards > 0 {
      summary.warnings.append(
        "\(counted(skippedCards, "card")) \(skippedCards == 1 ? "was" : "were") not imported because \(skippedCards == 1 ? "its" : "their") note was skipped as a duplicate; \(counted(ofSkippedCards, "review-log row")) of \(skippedCards == 1 ? "it" : "them") not imported"
      )
    }
    summary.account = Account(
      cards: package.packageCards, cardsImported: package.importedCards.count - skippedCards,
      reviews: package.packageReviews, reviewsImported: summary.historyAdded, reviewsPresent: summary.historyPresent)
    for card in package.suspended.compactMap(key) where suspended[card]?.on != true {
      // After the card's last event, so replay sees it suspended.
      let time = latest[card].map { max(now, $0 + Interval(milliseconds: 1)) } ?? now
      events.append(ReviewEvent(time: time, card: card, action: .suspend))
      summary.suspended += 1
    }
    return events
  }

  /// Adds or updates `notes` in `deck`, counting what happened; returns each incoming note's id
  /// in the deck (absent when it was skipped).
  ///
  /// - Parameter withinImport: also treat two incoming notes with the same front as duplicates.
  @discardableResult
  func merge(
    _ notes: [Note], into deck: inout Deck, onDuplicate: DuplicatePolicy, withinImport: Bool = true,
    summary: inout Summary
  ) -> [String: String] {
    // Indexes keep a 100,000-card import linear: position by id, first position by front.
    var position: [String: Int] = [:]
    var byFront: [String: Int] = [:]
    for (index, note) in deck.notes.enumerated() {
      position[note.id] = index
      let front = Importer.front(of: note)
      if byFront[front] == nil { byFront[front] = index }
    }
    var finalIDs: [String: String] = [:]
    // Deck cards the file speaks for, including those a skipped duplicate matched.
    var matched = Set<String>()
    for note in notes {
      var note = note
      note.line = 0
      if let index = position[note.id] {
        var old = deck.notes[index]
        old.line = 0
        if old == note {
          summary.unchanged += Importer.cardCount(of: note)
        } else {
          deck.notes[index] = note
          summary.updated += Importer.cardCount(of: note)
        }
        finalIDs[note.id] = note.id
        continue
      }
      // A front is normalised only when something can match it (a first import of a package
      // into a new deck has nothing to compare with).
      let front = withinImport || !byFront.isEmpty ? Importer.front(of: note) : nil
      if let front, let index = byFront[front] {
        let other = deck.notes[index].id
        switch onDuplicate {
        case .skip:
          summary.skipped += Importer.cardCount(of: note)
          summary.duplicates.append("\(note.id) → \(deck.id)/\(other)")
          matched.insert(other)
          continue
        case .update:
          finalIDs[note.id] = other
          note.id = other
          deck.notes[index] = note
          summary.updated += Importer.cardCount(of: note)
          continue
        case .keepBoth:
          break
        }
      }
      var id = note.id
      var counter = 2
      while position[id] != nil {
        id = "\(note.id)-\(counter)"
        counter += 1
      }
      finalIDs[note.id] = id
      note.id = id
      position[id] = deck.notes.count
      if withinImport, let front, byFront[front] == nil { byFront[front] = deck.notes.count }
      deck.notes.append(note)
      summary.added += Importer.cardCount(of: note)
    }
    matched.formUnion(finalIDs.values)
    for note in deck.notes where !matched.contains(note.id) {
      summary.notInSource.append("\(deck.id)/\(note.id)")
    }
    return finalIDs
  }

  static func front(of note: Note) -> String {
    switch note.content {
    case .basic(let question, _): TextNormalizer.normalized(question)
    case .cloze(let text): TextNormalizer.normalized(text)
    }
  }

  /// A note from a text row: a cloze when the note type says so (Anki's `{{c1::…}}` becomes
  /// `{{…}}`, its extra field the explanation), else a question and answer.
  static func note(
    from row: AnkiTextFile.Note, used: inout Set<String>, file: String, warnings: inout [String]
  ) -> Note? {
    var id =
      row.guid.flatMap { $0.isEmpty ? nil : AnkiConverter.noteID(guid: $0) }
      ?? slug(row.front.split(separator: " ").prefix(6).joined(separator: " "))
    // A front in a script a slug cannot spell (向量, кошка) gets a stable hash of its text, never
    // a number that depends on its row.
    if id.isEmpty || hasUnsluggableLetters(row.front) { id = textID(row.front) }
    var unique = id
    var counter = 2
    while used.contains(unique) {
      unique = "\(id)-\(counter)"
      counter += 1
    }
    used.insert(unique)
    var tags = row.tags.map { slug($0) }.filter { !$0.isEmpty }
    // Extra columns: tags by name, the rest into the explanation, labelled with their names.
    var why: [String] = []
    for extra in row.extras {
      let name = extra.name?.lowercased() ?? ""
      if isTagsColumn(name) {
        tags += extra.value.split(separator: " ").map { slug(String($0)) }.filter { !$0.isEmpty }
      } else if ["why", "explanation", "extra", "back extra", "notes", ""].contains(name) {
        why.append(extra.value)
      } else {
        why.append("\(extra.name ?? ""): \(extra.value)")
      }
    }
    if row.notetype?.lowercased().contains(ascii: "cloze") == true || row.front.contains(ascii: "{{c") {
      let text = AnkiConverter.cloze(row.front).0
      guard Cloze.problem(in: text) == nil else {
        warnings.append("\(file):\(row.line): the cloze has no usable {{c1::...}} blank; skipped")
        return nil
      }
      return Note(
        id: unique, content: .cloze(text), why: ([row.back] + why).filter { !$0.isEmpty }.joined(separator: "\n\n"),
        tags: tags)
    }
    guard !row.back.isEmpty else {
      warnings.append("\(file):\(row.line): no back (answer) for '\(row.front.prefix(40))'; skipped")
      return nil
    }
    return Note(
      id: unique, content: .basic(question: row.front, answer: row.back), why: why.joined(separator: "\n\n"), tags: tags
    )
  }

  /// Whether a text file's column of this name holds tags (it goes to `Tags:`).
  static func isTagsColumn(_ name: String) -> Bool { ["tags", "tag"].contains(name.lowercased()) }

  /// Whether `text` has letters outside the Latin script (which `slug` would drop).
  static func hasUnsluggableLetters(_ text: String) -> Bool {
    guard !text.utf8.allSatisfy({ $0 < 128 }) else { return false }
    return text.folding(options: .diacriticInsensitive, locale: nil).unicodeScalars.contains {
      $0.properties.isAlphabetic && !$0.isASCII
    }
  }

  /// A stable id from a card's front text: "t" and a base-36 hash of its normalised text.
  static func textID(_ front: String) -> String {
    var hash = FNV1a()
    hash.add(TextNormalizer.normalized(front))
    return "t" + String(hash.value, radix: 36)
  }

  /// A deck id for a deck name: its slug, or for a name a slug cannot spell at all ("日本語")
  /// "d" and a base-36 hash of the name, stable across imports.
  static func deckID(_ name: String) -> String {
    let slugged = slug(name)
    guard slugged.isEmpty else { return slugged }
    var hash = FNV1a()
    hash.add(name)
    return "d" + String(hash.value, radix: 36)
  }

  /// `[a-z0-9-]` from any name: "Parent::Child Deck" → "parent-child-deck".
  public static func slug(_ text: String) -> String {
    var out = ""
    var dash = false
    let plain =
      text.utf8.allSatisfy { $0 < 128 }
      ? text.lowercased() : text.lowercased().folding(options: .diacriticInsensitive, locale: nil)
    for scalar in plain.unicodeScalars {
      if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
        out.unicodeScalars.append(scalar)
        dash = false
      } else if !dash && !out.isEmpty {
        out += "-"
        dash = true
      }
    }
    while out.hasSuffix("-") { out.removeLast() }
    return String(out.prefix(60))
  }

  /// The file as text, through the decoder `lint` and start-up use (`SourceText`).
  func read(_ path: String) throws(Failure) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .unreadable(file: path, reason: "no such file or not readable")
    }
    do { return try SourceText.decode([UInt8](data), file: path) } catch { throw .badText(error) }
  }
}
