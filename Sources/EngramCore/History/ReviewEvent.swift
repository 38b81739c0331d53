/// One line of the review log.
public struct ReviewEvent: Sendable, Equatable {
  /// What happened, with what it carries: a review's rating, a quiz answer's verdict, the days a
  /// due date moved. The log writes each as a kind name and a number in its rating column;
  /// `RatingColumn` is the one place that maps the two, so nothing else takes integers apart.
  public enum Action: Sendable, Equatable, Hashable {
    /// A card answered in a review session.
    case review(Rating)
    /// A typed quiz answer and how it was judged (only `correct` counts as right).
    case quiz(AnswerGrader.Verdict)
    case undo, suspend, unsuspend, bury, unbury, forget
    /// A step of a scenario drill (its key names the scenario, not a card): a choice
    /// (`scenario/node/letter`) with its verdict, or nil for an ending reached (`scenario/node`).
    case scenario(Scenario.Verdict?)
    /// A card marked weak by a poor scenario choice, until it is next answered right.
    case weak
    /// A card that reached the leech threshold, and what was done about it.
    case leech(LeechPolicy.Action)
    /// A review card's due date pushed out to `days` whole days after the event's time.
    case postpone(days: Int)
    /// A review card's due date brought in to `days` whole days after the event's time.
    case advance(days: Int)
    /// A kind from a newer version, kept with its rating column so it is written back unchanged.
    case other(kind: String, rating: Int)

    /// The action's kind, without what it carries.
    public var kind: Kind {
      switch self {
      case .review: .review
      case .quiz: .quiz
      case .undo: .undo
      case .suspend: .suspend
      case .unsuspend: .unsuspend
      case .bury: .bury
      case .unbury: .unbury
      case .forget: .forget
      case .scenario: .scenario
      case .weak: .weak
      case .leech: .leech
      case .postpone: .postpone
      case .advance: .advance
      case .other(let kind, _): .other(kind)
      }
    }
  }

  /// What happened, without what it carries: the tag a log's kind column names, which event
  /// lists and columns number and group by. Unknown kinds from newer versions are kept, never
  /// dropped.
  public enum Kind: Sendable, Equatable, Hashable, CustomStringConvertible {
    case review, quiz, undo, suspend, unsuspend, bury, unbury, forget, scenario, weak, leech, postpone, advance
    case other(String)

    /// Every kind this version knows (each one's name is its `description`).
    public static let known: [Kind] = [
      .review, .quiz, .undo, .suspend, .unsuspend, .bury, .unbury, .forget, .scenario, .weak, .leech, .postpone,
      .advance,
    ]

    /// The known kinds by name, made from `known` and `description`: the names are written once.
    private static let byName = Dictionary(uniqueKeysWithValues: known.map { ($0.description, $0) })

    /// The kind a log's kind column names; any other name is kept as `other`.
    public init(_ text: String) {
      self = Kind.byName[text] ?? .other(text)
    }

    /// Whether the event is about a card; scenario events are not, and make no card record.
    public var isAboutCard: Bool { self != .scenario }

    /// Whether the event moves a card's due date without a review (an undo can take it back).
    public var isReschedule: Bool { self == .postpone || self == .advance }

    /// Whether an undo can take the event back: a rating, a postpone or an advance.
    public var isUndoable: Bool { self == .review || isReschedule }

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
  /// Card key, `deck-id/card-id` (or `…#n` for a cloze blank); a scenario event's names the
  /// scenario step.
  public var card: String
  public var action: Action
  public var durationMilliseconds: Int64
  /// The event's identity (`device.sequence`), written by every Engram that keeps one log file
  /// per device; nil for a line of the shared `reviews.tsv` of older versions.
  public var id: EventID?
  /// The event this one refers to: what an `undo` cancels, the `bury` an `unbury` takes back,
  /// the review a `leech` event follows. Nil on lines that name none (their old meaning holds).
  public var target: EventID?

  public init(
    time: Timestamp, card: String, action: Action, durationMilliseconds: Int64 = 0, id: EventID? = nil,
    target: EventID? = nil
  ) {
    self.time = time
    self.card = card
    self.action = action
    self.durationMilliseconds = durationMilliseconds
    self.id = id
    self.target = target
  }

  /// What happened, without what it carries.
  public var kind: Kind { action.kind }

  /// Whether the event takes back another one (an undo, or an unbury naming its bury): applying
  /// it on top of a record is not enough, the card is replayed.
  public var cancelsAnother: Bool { action == .undo || (action == .unbury && target != nil) }

  /// The replay order of two events of one card: time, then device name, then sequence. Lines
  /// without an id count as device "" (before every device) and keep their file order.
  public static func replaysBefore(_ a: ReviewEvent, _ b: ReviewEvent) -> Bool {
    if a.time != b.time { return a.time < b.time }
    switch (a.id, b.id) {
    case (let x?, let y?): return x < y
    case (nil, .some): return true
    default: return false
    }
  }
}

/// A unique name for one event: the device that wrote it and its number in that device's log
/// (1, 2, ...). Written `device.sequence`; device names are made of letters, digits, `-` and `_`.
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var device: String
  public var sequence: Int

  public init(device: String, sequence: Int) {
    self.device = device
    self.sequence = sequence
  }

  /// Parses `device.sequence`; nil unless the device is a valid name and the sequence a whole
  /// number from 1 to `maximumSequence`.
  public init?(_ text: Substring) {
    guard let dot = text.lastIndex(of: "."), EventID.isValidDevice(text[..<dot]) else { return nil }
    let digits = text[text.index(after: dot)...]
    guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      let number = Int(digits), (1...EventID.maximumSequence).contains(number)
    else { return nil }
    device = String(text[..<dot])
    sequence = number
  }

  /// Sequences fit 32 bits: four billion events from one device.
  public static let maximumSequence = Int(UInt32.max)

  /// A device name is 1 to 64 ASCII letters, digits, `-` or `_`: safe as a file name on every
  /// system, and it never contains the `.` that ends it in an id.
  public static func isValidDevice<S: StringProtocol>(_ name: S) -> Bool {
    isValidDevice(bytes: name.utf8)
  }

  /// The same rule on a name's UTF-8 bytes (a log parser checks ids without making strings).
  public static func isValidDevice<C: Collection<UInt8>>(bytes name: C) -> Bool {
    !name.isEmpty && name.count <= 64
      && name.allSatisfy { byte in
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 45
          || byte == 95
      }
  }

  public static func < (a: EventID, b: EventID) -> Bool {
    a.device != b.device ? a.device < b.device : a.sequence < b.sequence
  }

  public var description: String { "\(device).\(sequence)" }
}
