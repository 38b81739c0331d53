import EngramCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Imports decks from Markdown or Anki-style CSV/TSV into `$ENGRAM_HOME/decks/`, all or nothing.
///
/// Every deck lands as a plain deck file. Cards keep stable ids (a `#guid column:` value, else a
/// slug of the front; Markdown cards keep their own), so re-importing an updated file updates
/// cards in place and their history still applies. Cards missing from the file are kept and
/// reported. Files are staged and validated first; only then are they renamed into place.
public struct Importer {
  /// What to do with an imported card whose front matches a different card already in the deck.
  public enum DuplicatePolicy: String, Sendable, CaseIterable {
    case skip, update, keepBoth = "keep-both"
  }

  /// What an import did (or, with a dry run, would do).
  public struct Summary: Sendable, Equatable {
    public var decks: [String] = []
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var skipped = 0
    /// Cards already in a target deck but not in the file: kept, listed here.
    public var notInSource: [String] = []
    public var warnings: [String] = []
  }

  public enum Failure: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case unsupported(file: String)
    case text(AnkiTextFile.Problem)
    case deck(DeckProblems)
    case shippedDeck(file: String, id: String)
    case empty(file: String)
    case cannotWrite(reason: String)

    public var description: String {
      switch self {
      case .unreadable(let file, let reason): "\(file): cannot read: \(reason)"
      case .unsupported(let file):
        "\(file): unsupported file type; import reads Engram Markdown (.md) and Anki text exports (.csv, .tsv, .txt)"
      case .text(let problem): problem.description
      case .deck(let problems): problems.description
      case .shippedDeck(let file, let id):
        "\(file): deck id '\(id)' belongs to a shipped deck; import it under another name with --deck NAME"
      case .empty(let file): "\(file): no cards to import"
      case .cannotWrite(let reason): "import failed, nothing was changed: \(reason)"
      }
    }
  }

  let directory: DataDirectory

  public init(directory: DataDirectory) { self.directory = directory }

  /// Imports `path`. Nothing in the data directory changes unless every deck validates.
  public func importFile(
    _ path: String, deckName: String? = nil, onDuplicate: DuplicatePolicy = .skip, dryRun: Bool = false
  ) throws(Failure) -> Summary {
    let (text, warning) = try read(path)
    var summary = Summary()
    if let warning { summary.warnings.append(warning) }
    let lower = path.lowercased()
    var incoming: [(id: String, title: String, notes: [Note], topics: [String], description: String)] = []
    if lower.hasSuffix(".md") {
      let deck: Deck
      do { deck = try DeckParser.parse(text, file: path) } catch { throw .deck(error) }
      let id = deckName.map(Importer.slug) ?? deck.id
      incoming.append((id, deckName ?? deck.title, deck.notes, deck.topics, deck.description))
    } else if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") {
      let file: AnkiTextFile
      do { file = try AnkiTextFile(text: text, file: path) } catch { throw .text(error) }
      let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
      var order: [String] = []
      var grouped: [String: [AnkiTextFile.Note]] = [:]
      for note in file.notes {
        let name = deckName ?? note.deck.flatMap { $0.isEmpty ? nil : $0 } ?? file.deck ?? stem
        if grouped[name] == nil { order.append(name) }
        grouped[name, default: []].append(note)
      }
      for name in order {
        var used = Set<String>()
        var notes: [Note] = []
        for row in grouped[name] ?? [] {
          guard let note = Importer.note(from: row, used: &used, file: path, warnings: &summary.warnings) else {
            summary.skipped += 1
            continue
          }
          notes.append(note)
        }
        incoming.append((Importer.slug(name), name.replacingOccurrences(of: "::", with: " / "), notes, [], ""))
      }
    } else {
      throw .unsupported(file: path)
    }
    guard incoming.contains(where: { !$0.notes.isEmpty }) else { throw .empty(file: path) }

    // Merge each deck with the user's existing deck of the same id and stage the result.
    let shippedIDs = Set(DeckLibrary.shipped().decks.map(\.id))
    var staged: [(temporary: String, final: String)] = []
    func discardStaged() { for file in staged { unlink(file.temporary) } }
    for deck in incoming where !deck.notes.isEmpty {
      if shippedIDs.contains(deck.id) {
        discardStaged()
        throw .shippedDeck(file: path, id: deck.id)
      }
      let final = directory.decksPath + "/" + deck.id + ".md"
      var existing: Deck?
      if FileManager.default.fileExists(atPath: final) {
        do { existing = try DeckParser.parse(bytes: try DeckLibrary.readFile(final), file: final) } catch {
          discardStaged()
          throw .deck(error)
        }
      }
      var merged = existing ?? Deck(id: deck.id, title: deck.title, topics: deck.topics, description: deck.description)
      merge(deck.notes, into: &merged, onDuplicate: onDuplicate, summary: &summary)
      let markdown = DeckWriter.markdown(merged)
      // Validate exactly what will be written.
      do { _ = try DeckParser.parse(markdown, file: final) } catch {
        discardStaged()
        throw .deck(error)
      }
      summary.decks.append(deck.id)
      if dryRun { continue }
      let temporary = directory.decksPath + "/.import-\(getpid())-\(deck.id).tmp"
      do { try Importer.writeSynced(temporary, markdown) } catch {
        discardStaged()
        throw .cannotWrite(reason: error.description)
      }
      staged.append((temporary, final))
    }
    for file in staged where rename(file.temporary, file.final) != 0 {
      discardStaged()
      throw .cannotWrite(reason: "cannot move \(file.final) into place: \(FileError.reason())")
    }
    POSIXFile.syncDirectory(directory.decksPath)
    return summary
  }

  /// Adds or updates `notes` in `deck`, counting what happened.
  func merge(_ notes: [Note], into deck: inout Deck, onDuplicate: DuplicatePolicy, summary: inout Summary) {
    let incomingIDs = Set(notes.map(\.id))
    for note in notes {
      var note = note
      note.line = 0
      if let index = deck.notes.firstIndex(where: { $0.id == note.id }) {
        var old = deck.notes[index]
        old.line = 0
        if old == note {
          summary.unchanged += 1
        } else {
          deck.notes[index] = note
          summary.updated += 1
        }
        continue
      }
      if let index = deck.notes.firstIndex(where: { Importer.front(of: $0) == Importer.front(of: note) }) {
        let other = deck.notes[index].id
        switch onDuplicate {
        case .skip:
          summary.skipped += 1
          summary.warnings.append("'\(note.id)' has the same front as '\(deck.id)/\(other)'; skipped (use --on-duplicate update or keep-both)")
          continue
        case .update:
          note.id = other
          deck.notes[index] = note
          summary.updated += 1
          continue
        case .keepBoth:
          break
        }
      }
      var id = note.id
      var counter = 2
      while deck.notes.contains(where: { $0.id == id }) {
        id = "\(note.id)-\(counter)"
        counter += 1
      }
      note.id = id
      deck.notes.append(note)
      summary.added += 1
    }
    for note in deck.notes where !incomingIDs.contains(note.id) && !notes.contains(where: { $0.id == note.id }) {
      summary.notInSource.append("\(deck.id)/\(note.id)")
    }
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
    var id = slug(row.guid.flatMap { $0.isEmpty ? nil : $0 } ?? row.front.split(separator: " ").prefix(6).joined(separator: " "))
    if id.isEmpty { id = "card" }
    var unique = id
    var counter = 2
    while used.contains(unique) {
      unique = "\(id)-\(counter)"
      counter += 1
    }
    used.insert(unique)
    let tags = row.tags.map { slug($0) }.filter { !$0.isEmpty }
    if row.notetype?.lowercased().contains("cloze") == true || row.front.contains("{{c") {
      let text = clozeText(row.front)
      guard Cloze.problem(in: text) == nil else {
        warnings.append("\(file):\(row.line): the cloze has no usable {{c1::...}} blank; skipped")
        return nil
      }
      return Note(id: unique, content: .cloze(text), why: row.back, tags: tags)
    }
    guard !row.back.isEmpty else {
      warnings.append("\(file):\(row.line): no back (answer) for '\(row.front.prefix(40))'; skipped")
      return nil
    }
    return Note(id: unique, content: .basic(question: row.front, answer: row.back), tags: tags)
  }

  /// Anki cloze markup (`{{c1::answer::hint}}`) as Engram blanks (`{{answer}}`).
  static func clozeText(_ text: String) -> String {
    var out = ""
    var rest = Substring(text)
    while let open = rest.range(of: "{{c") {
      out += rest[..<open.lowerBound]
      let after = rest[open.upperBound...]
      guard let separator = after.range(of: "::"), after[..<separator.lowerBound].allSatisfy(\.isNumber),
        let close = after[separator.upperBound...].range(of: "}}")
      else {
        out += rest[open.lowerBound..<open.upperBound]
        rest = after
        continue
      }
      var inner = after[separator.upperBound..<close.lowerBound]
      if let hint = inner.range(of: "::") { inner = inner[..<hint.lowerBound] }
      out += "{{" + inner + "}}"
      rest = after[close.upperBound...]
    }
    return out + rest
  }

  /// `[a-z0-9-]` from any name: "Parent::Child Deck" → "parent-child-deck".
  public static func slug(_ text: String) -> String {
    var out = ""
    var dash = false
    for scalar in text.lowercased().folding(options: .diacriticInsensitive, locale: nil).unicodeScalars {
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

  /// The file as text: UTF-8, or Latin-1 with a warning.
  func read(_ path: String) throws(Failure) -> (String, String?) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .unreadable(file: path, reason: "no such file or not readable")
    }
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    if let text = String(validating: bytes, as: UTF8.self) { return (text, nil) }
    let latin1 = String(decoding: bytes.map { UInt16($0) }, as: UTF16.self)
    return (latin1, "\(path): not UTF-8; read as Latin-1 (check accented letters)")
  }

  static func writeSynced(_ path: String, _ text: String) throws(FileError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileError.reason()) }
    defer { close(fd) }
    try POSIXFile.writeAll(fd: fd, bytes: Array(text.utf8), path: path)
    try POSIXFile.sync(fd: fd, path: path)
  }
}
