/// One line of the review log.
public struct ReviewEvent: Sendable, Equatable {
  /// What happened; unknown kinds from newer versions are kept, never dropped.
  public enum Kind: Sendable, Equatable, Hashable, CustomStringConvertible {
    case review, quiz, undo, suspend, unsuspend, bury, unbury, forget
    /// A choice or an ending in a scenario drill; its key names the scenario, not a card.
    case scenario
    /// A card marked weak by a poor scenario choice, until it is next answered right.
    case weak
    /// A card that reached the leech threshold; the rating column says what was done (1: it was
    /// suspended, 0: only tagged).
    case leech
    /// A review card's due date moved: the rating column holds the whole days from the event's
    /// time to the new due time. `postpone` pushes an overdue card out, `advance` brings one in.
    case postpone, advance
    case other(String)

    public init(_ text: String) {
      switch text {
      case "review": self = .review
      case "quiz": self = .quiz
      case "undo": self = .undo
      case "suspend": self = .suspend
      case "unsuspend": self = .unsuspend
      case "bury": self = .bury
      case "unbury": self = .unbury
      case "forget": self = .forget
      case "scenario": self = .scenario
      case "weak": self = .weak
      case "leech": self = .leech
      case "postpone": self = .postpone
      case "advance": self = .advance
      default: self = .other(text)
      }
    }

    /// Whether the event is about a card; scenario events are not, and make no card record.
    public var isAboutCard: Bool { self != .scenario }

    /// Whether the event moves a card's due date without a review (an undo can take it back).
    public var isReschedule: Bool { self == .postpone || self == .advance }

    public var description: String {
      switch self {
      case .review: "review"
      case .quiz: "quiz"
      case .undo: "undo"
      case .suspend: "suspend"
      case .unsuspend: "unsuspend"
      case .bury: "bury"
      case .unbury: "unbury"
      case .forget: "forget"
      case .scenario: "scenario"
      case .weak: "weak"
      case .leech: "leech"
      case .postpone: "postpone"
      case .advance: "advance"
      case .other(let text): text
      }
    }
  }

  public var time: Timestamp
  /// Card key, `deck-id/card-id` (or `…#n` for a cloze blank).
  public var card: String
  /// 1–4 for reviews and quiz verdicts, 0 where the kind carries none.
  public var rating: Int
  public var durationMilliseconds: Int64
  public var kind: Kind

  public init(time: Timestamp, card: String, rating: Int, durationMilliseconds: Int64 = 0, kind: Kind) {
    self.time = time
    self.card = card
    self.rating = rating
    self.durationMilliseconds = durationMilliseconds
    self.kind = kind
  }
}
