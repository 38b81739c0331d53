import EngramCore
import Foundation

/// Where `engram edit KEY` opens a card: the user's own deck file at the card's note, or for a
/// shipped deck the user's file that overrides it, made as a copy of the shipped file the first
/// time (an override replaces the whole deck, so it starts with every card). The note keeps its
/// id, so the card keeps its key and its history.
public enum CardEditing {
  /// Why a card cannot be opened for editing.
  public enum Failure: Error, Equatable, CustomStringConvertible {
    case badKey(String)
    case unknownDeck(key: String, decks: [String])
    case unknownCard(key: String, deck: String)
    /// The file an override would be written to exists and is not that deck's.
    case fileTaken(path: String, id: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
      switch self {
      case .badKey(let key): "'\(key)' is not a card key; keys look like deck/card (or deck/card#2 for a cloze blank)"
      case .unknownDeck(let key, let decks): "no deck for '\(key)'; decks: \(decks.joined(separator: ", "))"
      case .unknownCard(let key, let deck):
        "no card '\(key)' in deck \(deck); 'review \(deck)' or the deck file lists its cards"
      case .fileTaken(let path, let id):
        "\(path) exists but is not deck '\(id)'; rename it, then edit again (the override of '\(id)' is written there)"
      case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
      }
    }
  }

  /// The file to open and the line of the card's note in it.
  public struct Target: Equatable, Sendable {
    public var path: String
    public var line: Int
    /// The file was made now, as a copy of a shipped deck (or the note was added to it).
    public var created: Bool
    /// The card's note id, which must stay as it is for the card to keep its history.
    public var note: String
  }

  /// The deck id and note id of a card key (`deck/note`, `deck/note#3`).
  public static func parts(of key: String) -> (deck: String, note: String)? {
    CardKey(key).map { ($0.deckID, $0.noteID) }
  }

  /// Finds (or makes) the file holding `key`'s note, writing a shipped deck's override when
  /// there is none yet.
  public static func target(for key: String, in library: DeckLibrary, decksPath: String) throws(Failure) -> Target {
    guard let (deckID, noteID) = parts(of: key) else { throw .badKey(key) }
    guard let deck = library.deck(id: deckID) else {
      throw .unknownDeck(key: key, decks: library.decks.map(\.id).sorted())
    }
    guard let note = deck.notes.first(where: { $0.id == noteID }) else { throw .unknownCard(key: key, deck: deckID) }
    guard deck.source.hasPrefix("Decks/") else {
      return Target(path: deck.source, line: note.line, created: false, note: noteID)
    }
    // A shipped deck not yet overridden: a verbatim copy of its file keeps its layout, every
    // field and every line number.
    guard let text = DeckLibrary.shippedText(source: deck.source) else { throw .unknownCard(key: key, deck: deckID) }
    let path = decksPath + "/" + deckID + ".md"
    if FileManager.default.fileExists(atPath: path) { throw .fileTaken(path: path, id: deckID) }
    do {
      try FileManager.default.createDirectory(atPath: decksPath, withIntermediateDirectories: true)
      try AtomicFile.write([Array(text.utf8)], to: path)
    } catch {
      throw .cannotWrite(path: path, reason: "\(error)")
    }
    return Target(path: path, line: note.line, created: true, note: noteID)
  }

  /// What the edited file holds now: its problems (each `file:line: message`), and whether the
  /// note is still there under its id.
  public struct Check: Equatable, Sendable {
    public var problems: [DeckError]
    public var noteKept: Bool
    /// The line of the first problem, to open the editor at.
    public var firstProblemLine: Int?
  }

  /// Checks the file as `lint` would, against the other decks (a clash of deck ids included).
  public static func check(_ path: String, note: String, userDecks decksPath: String) -> Check {
    var library = DeckLibrary.shipped()
    for other in DeckLibrary.markdownFiles(in: decksPath) where other != path {
      library.add(source: other) { () throws(DeckProblems) in
        try DeckParser.parse(bytes: try DeckLibrary.readFile(other), file: other)
      }
    }
    let before = library.problems.count
    var parsed: Deck?
    library.add(source: path) { () throws(DeckProblems) in
      let deck = try DeckParser.parse(bytes: try DeckLibrary.readFile(path), file: path)
      parsed = deck
      return deck
    }
    let problems = Array(library.problems[before...])
    return Check(
      problems: problems, noteKept: parsed?.notes.contains { $0.id == note } ?? false,
      firstProblemLine: problems.lazy.compactMap(\.line).first)
  }
}
