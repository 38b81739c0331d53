/// One `## card-id` block of a deck file: a question and answer, or a cloze sentence.
public struct Note: Sendable, Equatable {
  /// What the note asks.
  public enum Content: Sendable, Equatable {
    case basic(question: String, answer: String)
    /// Text with `{{…}}` blanks: each blank is its own card, or with numbered blanks
    /// (`{{c1::…}}`) each number (see `Cloze`).
    case cloze(String)
  }

  /// `[a-z0-9-]+`, unique in its deck, stable across edits: history is keyed by it.
  public var id: String
  public var content: Content
  /// The tutor's explanation shown after answering.
  public var why: String
  public var tags: [String]
  /// Wrong options for multiple choice.
  public var choices: [String]
  /// Other answers a typed quiz accepts.
  public var accept: [String]
  /// Related cards (`deck-id/card-id` keys, `See:`) a learner who missed this one should try
  /// next; the first choice for a follow-up question.
  public var see: [String]
  /// The id of another note of the deck this one belongs with (`Sibling:`): a reversed card
  /// or another template of one Anki note. Cards of notes sharing it are siblings.
  public var sibling: String?
  /// Line of the `## ` heading in the source file (1-based), for messages.
  public var line: Int

  public init(
    id: String, content: Content, why: String = "", tags: [String] = [], choices: [String] = [],
    accept: [String] = [], see: [String] = [], sibling: String? = nil, line: Int = 0
  ) {
    self.id = id
    self.content = content
    self.why = why
    self.tags = tags
    self.choices = choices
    self.accept = accept
    self.see = see
    self.sibling = sibling
    self.line = line
  }

  /// True when `text` has the shape of a `See:` link: `deck-id/card-id`, optionally with a
  /// cloze blank number (`#2`): a `CardKey`.
  public static func isValidLink(_ text: some StringProtocol) -> Bool {
    CardKey.isValid(text)
  }

  /// The keys of `cards(deckID:)`, in order, without rendering any card (what a deck's
  /// summary needs).
  public func cardKeys(deckID: String) -> [String] {
    switch content {
    case .basic: [CardKey(deckID: deckID, noteID: id).description]
    case .cloze(let text):
      Cloze.cardNumbers(in: text).map { CardKey(deckID: deckID, noteID: id, blank: $0).description }
    }
  }

  /// The reviewable cards of this note.
  public func cards(deckID: String) -> [Card] {
    switch content {
    case .basic(let question, let answer):
      return [
        Card(
          key: CardKey(deckID: deckID, noteID: id).description, deckID: deckID, noteID: id, front: question,
          back: answer, note: self)
      ]
    case .cloze(let text):
      return Cloze.cards(in: text).map { card in
        Card(
          key: CardKey(deckID: deckID, noteID: id, blank: card.number).description, deckID: deckID, noteID: id,
          front: card.front, back: card.back,
          note: self)
      }
    }
  }
}
