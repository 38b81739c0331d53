import EngramCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// All decks: the shipped ones embedded in the binary, then the user's from `decks/`.
public struct DeckLibrary: Sendable {
  public private(set) var decks: [Deck]
  /// Problems found while loading; a deck with problems is left out, the rest still load.
  public private(set) var problems: [DeckError]

  public init(decks: [Deck], problems: [DeckError] = []) {
    self.decks = decks
    self.problems = problems
  }

  /// The decks shipped in the binary (`Decks/*.md` at build time).
  public static func shipped() -> DeckLibrary {
    var library = DeckLibrary(decks: [])
    for file in shippedDeckFiles {
      library.add(source: "Decks/" + file.name) { () throws(DeckProblems) in
        try DeckParser.parse(file.text, file: "Decks/" + file.name)
      }
    }
    return library
  }

  /// Shipped decks plus every `*.md` in `directory` (sorted by name). A user deck with a
  /// shipped deck's id overrides it (a fixed typo keeps the card keys, so the history).
  public static func load(userDecks directory: String) -> DeckLibrary {
    var library = shipped()
    for path in markdownFiles(in: directory) {
      library.add(source: path) { () throws(DeckProblems) in
        try DeckParser.parse(bytes: try readFile(path), file: path)
      }
    }
    return library
  }

  /// Shipped decks that user files override: deck id → the user file.
  public private(set) var overrides: [String: String] = [:]

  /// Adds one deck, rejecting an id that another deck already uses; a deck with the id of a
  /// shipped deck not yet overridden takes that deck's place.
  public mutating func add(source: String, parse: () throws(DeckProblems) -> Deck) {
    do {
      let deck = try parse()
      if !deck.source.hasPrefix("Decks/"), overrides[deck.id] == nil,
        let index = decks.firstIndex(where: { $0.id == deck.id && $0.source.hasPrefix("Decks/") })
      {
        decks[index] = deck
        overrides[deck.id] = source
      } else if let other = decks.first(where: { $0.id == deck.id }) {
        problems.append(.duplicateDeckID(id: deck.id, file: source, otherFile: other.source))
      } else {
        decks.append(deck)
      }
    } catch {
      problems.append(contentsOf: error.errors)
    }
  }

  public func deck(id: String) -> Deck? { decks.first { $0.id == id } }

  /// For a user deck overriding a shipped one: the shipped copy's cards that differ from the
  /// user's (changed in either, or only in the shipped copy), so updates to the shipped deck
  /// are not missed.
  public func shippedDifferences(of id: String) -> [String] {
    guard overrides[id] != nil, let mine = deck(id: id), let original = DeckLibrary.shipped().deck(id: id) else {
      return []
    }
    var own: [String: Note] = [:]
    for note in mine.notes { own[note.id] = note }
    // Compared as written: a copy written out by an import reads back with the same text.
    func written(_ note: Note) -> String {
      var deck = Deck(id: id, title: id)
      deck.notes = [note]
      return DeckWriter.markdown(deck)
    }
    return original.notes.filter { note in
      guard let other = own[note.id] else { return true }
      return written(note) != written(other)
    }.map(\.id)
  }

  /// Parses one deck by its source (`Decks/<file>` for a shipped deck, else a path); nil if it
  /// cannot be read or has problems.
  public static func parseOne(source: String) -> Deck? {
    if source.hasPrefix("Decks/"), let file = shippedDeckFiles.first(where: { "Decks/" + $0.name == source }) {
      return try? DeckParser.parse(file.text, file: source)
    }
    guard let bytes = try? readFile(source) else { return nil }
    return try? DeckParser.parse(bytes: bytes, file: source)
  }

  /// A deck's text by its source (a shipped deck's as built in), for parsing one note alone
  /// (`DeckParser.parseNote`); nil when the file cannot be read or is not text.
  public static func sourceText(_ source: String) -> String? {
    if source.hasPrefix("Decks/"), let shipped = shippedText(source: source) { return shipped }
    guard let bytes = try? readFile(source) else { return nil }
    return try? SourceText.decode(bytes, file: source)
  }

  /// A shipped deck's file as written (`Decks/<file>`), for `engram edit` to copy.
  public static func shippedText(source: String) -> String? {
    shippedDeckFiles.first { "Decks/" + $0.name == source }?.text
  }

  /// `See:` links that name no card or note of the loaded decks, for `lint`; at study time such
  /// a link is simply passed over.
  public func danglingLinks(in sources: Set<String>? = nil) -> [DeckError] {
    var known = Set<String>()
    for deck in decks {
      for note in deck.notes {
        known.insert("\(deck.id)/\(note.id)")
        if case .cloze = note.content {
          for card in note.cards(deckID: deck.id) { known.insert(card.key) }
        }
      }
    }
    var problems: [DeckError] = []
    for deck in decks where sources?.contains(deck.source) ?? true {
      for note in deck.notes {
        for link in note.see where !known.contains(link) {
          problems.append(.danglingLink(file: deck.source, line: note.line, card: note.id, link: link))
        }
      }
    }
    return problems
  }

  /// Every card of every deck, deck by deck in file order.
  public var cards: [Card] { decks.flatMap(\.cards) }

  /// The `*.md` files of a directory (not hidden ones), sorted by name; none when it is missing.
  public static func markdownFiles(in directory: String) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name.hasSuffix(".md") && !name.hasPrefix(".") { names.append(name) }
    }
    return names.sorted().map { directory + "/" + $0 }
  }

  static func readFile(_ path: String) throws(DeckProblems) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw DeckProblems(errors: [.unreadable(file: path, reason: FileError.reason())])
    }
    defer { close(fd) }
    do { return try POSIXFile.readAll(fd: fd, path: path) } catch {
      throw DeckProblems(errors: [.unreadable(file: path, reason: error.description)])
    }
  }
}
