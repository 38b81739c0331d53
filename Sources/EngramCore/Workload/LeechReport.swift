/// What Engram knows about one leech, and what to do about it.
///
/// Built from the card (when a deck still has it) and its log events: the lapses, every
/// standing review with its rating, the quiz answers marked wrong, and advice chosen from the
/// card's shape. Typed answers are not kept in the log, so they cannot be shown.
public struct LeechReport: Sendable, Equatable {
  /// One review in the card's timeline.
  public struct Review: Sendable, Equatable {
    public var time: Timestamp
    public var rating: Rating
    /// The card's phase before the review; nil when it was new.
    public var phaseBefore: Phase?
  }

  /// A piece of advice, with why it applies.
  public enum Advice: Sendable, Equatable, CustomStringConvertible {
    /// The answer holds several ideas (this many words): one card per idea.
    case split(words: Int)
    /// No `Why:`: a mnemonic or the reason behind the answer gives a miss something to hold on to.
    case addMnemonic
    /// The question is short or keeps being missed in quizzes too: ask it another way.
    case rewriteQuestion
    /// The card is suspended: after fixing it, `unsuspend KEY`.
    case unsuspendAfterFixing(key: String)

    public var description: String {
      switch self {
      case .split(let words):
        "Split it: the answer runs to \(words) words; make one card per idea, each answerable in a few words."
      case .addMnemonic:
        "Add a mnemonic, an example or the reason behind the answer to 'Why:', so a miss teaches something."
      case .rewriteQuestion:
        "Rewrite the question so it asks for one specific thing, or from another angle (a contrast, a case)."
      case .unsuspendAfterFixing(let key):
        "It is suspended: after editing it, 'unsuspend \(key)' brings it back."
      }
    }
  }

  public var key: String
  /// The prompt, or nil when no deck has the card any more.
  public var question: String?
  public var answer: String?
  public var lapses: Int
  public var suspended: Bool
  /// When the `leech` event treated it, if one did.
  public var treatedAt: Timestamp?
  public var timeline: [Review]
  /// Times of quiz answers marked wrong.
  public var quizMisses: [Timestamp]
  public var advice: [Advice]

  /// The words above which an answer is judged to hold more than one idea.
  public static let longAnswerWords = 12

  /// The report for `key` from its card (if any), its log events and the replayed record.
  public init(key: String, card: Card?, events: [ReviewEvent], record: CardRecord, replayer: Replayer) {
    self.key = key
    question = card?.front
    answer = card?.back
    lapses = record.lapses
    suspended = record.suspended
    treatedAt = record.leechedAt
    let (_, facts) = replayer.replayWithFacts(card: key, events: events)
    timeline = facts.map { Review(time: $0.time, rating: $0.rating, phaseBefore: $0.phaseBefore) }
    quizMisses = events.filter { $0.action == .quiz(.wrong) }.map(\.time).sorted()
    var advice: [Advice] = []
    if let card {
      let words = card.back.split(whereSeparator: { $0.isWhitespace }).count
      if words > LeechReport.longAnswerWords { advice.append(.split(words: words)) }
      if card.note.why.isEmpty { advice.append(.addMnemonic) }
      let questionWords = card.front.split(whereSeparator: { $0.isWhitespace }).count
      if questionWords < 6 || quizMisses.count >= 2 || advice.isEmpty { advice.append(.rewriteQuestion) }
    } else {
      advice.append(.rewriteQuestion)
    }
    if suspended { advice.append(.unsuspendAfterFixing(key: key)) }
    self.advice = advice
  }
}
