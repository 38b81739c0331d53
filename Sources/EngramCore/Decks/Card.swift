/// One reviewable unit: what the scheduler tracks and the review log names by `key`.
public struct Card: Sendable, Equatable {
  /// `deck-id/card-id`, or `deck-id/card-id#n` for the n-th blank of a cloze: a `CardKey`'s
  /// text, kept as text for the hot paths (the log and the cache name cards by it).
  public var key: String
  public var deckID: String
  public var noteID: String
  /// The prompt shown to the learner.
  public var front: String
  /// The expected answer.
  public var back: String
  /// The note the card comes from (explanation, tags, choices, accepted answers).
  public var note: Note

  public init(key: String, deckID: String, noteID: String, front: String, back: String, note: Note) {
    self.key = key
    self.deckID = deckID
    self.noteID = noteID
    self.front = front
    self.back = back
    self.note = note
  }

  /// The note the card belongs to for sibling burying, `deck-id/note-id`: the blanks of a
  /// cloze share their note; a note with `Sibling:` joins the named note.
  public var siblingGroup: String { CardKey(deckID: deckID, noteID: note.sibling ?? noteID).description }

  /// For a cloze card, its sentence with this card's blank filled in and passed through
  /// `mark`; nil for a question-and-answer card.
  public func revealedCloze(mark: (String) -> String) -> String? {
    guard case .cloze(let text) = note.content, let number = CardKey(key)?.blank else { return nil }
    return Cloze.render(text, revealing: number, mark: mark)
  }
}
