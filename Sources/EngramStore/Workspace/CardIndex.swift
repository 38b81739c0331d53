import EngramCore

/// Finds a card by its key, parsing as little as it can: the note alone when the decks are the
/// snapshot's, else the card's own deck, and keeping what it parsed for the next lookup.
///
/// Its own value because its state (the notes parsed so far) belongs to lookups alone: a
/// session's first card should not wait for every deck, and a session over all decks should not
/// hold every card of every deck it visited.
struct CardIndex {
  /// Notes `card(_:)` has needed so far, by deck id and note id: every note of the decks in
  /// `parsedDecks`, the notes parsed alone of the others.
  private var notesByDeck: [String: [String: Note]] = [:]
  private var parsedDecks: Set<String> = []
  /// Deck texts read to parse notes alone, by source, with the file's size and change time
  /// when read: `stats` looks up about a hundred questions in 375 KB decks, and reading and
  /// decoding a deck per note was a quarter of its time. A file changed since is read again,
  /// so a deck edited during a session is seen as it is when a new note is shown.
  private var texts: [String: (text: String, stamp: FileStamp)] = [:]

  /// The card with this key, if a deck has it. Without a parsed library, only the card's own
  /// deck file is parsed, so a session's first card does not wait for every deck.
  ///
  /// - Parameters:
  ///   - loadedLibrary: every deck, when parsed already.
  ///   - fromSnapshot: whether the decks are the snapshot's, which parsed without problems and
  ///     have not changed since, so that one note can be parsed alone.
  ///   - source: the file a deck comes from, by deck id.
  mutating func card(
    _ key: String, loadedLibrary: DeckLibrary?, fromSnapshot: Bool, source: (_ deckID: String) -> String?
  ) -> Card? {
    guard let parsed = CardKey(key) else { return nil }
    let deckID = parsed.deckID
    let note = parsed.noteID
    if notesByDeck[deckID]?[note] == nil, !parsedDecks.contains(deckID), loadedLibrary == nil, fromSnapshot,
      let source = source(deckID), let text = text(of: source),
      let found = DeckParser.parseNote(note, in: text, file: source)
    {
      // Started from the snapshot, whose decks parsed without problems and have not changed
      // since: the note is parsed alone, not its whole deck.
      notesByDeck[deckID, default: [:]][note] = found
    }
    if notesByDeck[deckID]?[note] == nil, !parsedDecks.contains(deckID) {
      parsedDecks.insert(deckID)
      // One deck at a time, and only its notes: cards are made when asked for. Indexing every
      // card of every visited deck cost a session over all decks tens of megabytes.
      let deck: Deck?
      if let loadedLibrary {
        deck = loadedLibrary.decks.first { $0.id == deckID }
      } else if let source = source(deckID) {
        deck = DeckLibrary.parseOne(source: source)
      } else {
        deck = nil
      }
      guard let deck else { return nil }
      var notes: [String: Note] = [:]
      notes.reserveCapacity(deck.notes.count)
      for note in deck.notes where notes[note.id] == nil { notes[note.id] = note }
      notesByDeck[deckID] = notes
    }
    guard let found = notesByDeck[deckID]?[note] else { return nil }
    return found.cards(deckID: deckID).first { $0.key == key }
  }

  /// The text of a deck's file (`DeckLibrary.sourceText`), kept while the file is unchanged.
  private mutating func text(of source: String) -> String? {
    let stamp = source.hasPrefix("Decks/") ? nil : FileStamp(path: source)
    if let stamp, let kept = texts[source], kept.stamp == stamp { return kept.text }
    guard let text = DeckLibrary.sourceText(source) else { return nil }
    if let stamp { texts[source] = (text, stamp) }
    return text
  }
}
