/// The name of one card, as the review log, the cache and the command line write it:
/// `deck-id/note-id` for a question card, `deck-id/note-id#n` for the n-th blank of a cloze
/// (and for the n-th template of an imported Anki note). The one place a key is built from its
/// parts or taken apart; the log and the cache keep the text this formats.
public struct CardKey: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The deck's id (`Deck.isValidID`).
  public var deckID: String
  /// The note's id within its deck (`Deck.isValidID`).
  public var noteID: String
  /// The blank (or template) number, from 1; nil for a question-and-answer card.
  public var blank: Int?

  /// A key from parts already known to be valid (ids as `Deck.isValidID`, `blank` ≥ 1).
  public init(deckID: String, noteID: String, blank: Int? = nil) {
    self.deckID = deckID
    self.noteID = noteID
    self.blank = blank
  }

  /// Parses `deck/note` or `deck/note#n`: both ids as `Deck.isValidID`, and n a positive
  /// decimal written without leading zeros that fits an `Int` (so every key formats back to
  /// the text it was read from). Nil for anything else.
  public init?(_ text: some StringProtocol) {
    let text = Substring(text)
    let utf8 = text.utf8
    guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
    let deck = text[..<slash]
    var note = text[utf8.index(after: slash)...]
    var blank: Int?
    if let hash = note.utf8.firstIndex(of: UInt8(ascii: "#")) {
      let digits = note.utf8[note.utf8.index(after: hash)...]
      guard let first = digits.first, first != UInt8(ascii: "0") else { return nil }
      var number = 0
      for digit in digits {
        guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
        let (tens, overflow) = number.multipliedReportingOverflow(by: 10)
        let (sum, carry) = tens.addingReportingOverflow(Int(digit &- UInt8(ascii: "0")))
        guard !overflow, !carry else { return nil }
        number = sum
      }
      blank = number
      note = note[..<hash]
    }
    // `Deck.isValidID` admits neither "/" nor "#": a second separator fails here.
    guard Deck.isValidID(deck), Deck.isValidID(note) else { return nil }
    self.init(deckID: String(deck), noteID: String(note), blank: blank)
  }

  /// The key as text: `deck/note` or `deck/note#n`.
  public var description: String {
    if let blank { return "\(deckID)/\(noteID)#\(blank)" }
    return "\(deckID)/\(noteID)"
  }

  /// The key of the note this card comes from, `deck/note`: what the blanks of a cloze share.
  public var noteKey: CardKey { CardKey(deckID: deckID, noteID: noteID) }

  /// The text before the first "/" of `text`, unchecked and without copying: for hot paths
  /// that then look the whole key up verbatim (a malformed key finds nothing there anyway).
  /// Nil when there is no "/".
  @inlinable
  public static func deckPart(of text: String) -> Substring? {
    guard let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
    return text[..<slash]
  }

  /// Whether `text` is a card key (what a deck's `See:` and a scenario's `Cards:` may name).
  public static func isValid(_ text: some StringProtocol) -> Bool { CardKey(text) != nil }

  /// Ordered as their text, so sorted keys list as the log and `state --json` write them.
  public static func < (lhs: CardKey, rhs: CardKey) -> Bool { lhs.description < rhs.description }
}
