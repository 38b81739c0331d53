/// Everything derived about one card from its log events.
///
/// The fields a review reads and writes come first, so that in a whole-log replay (100,000
/// records visited in time order, each a cache miss) a review touches two cache lines of the
/// record rather than all three.
public struct CardRecord: Sendable, Equatable {
  /// Scheduling state; nil while the card is new (never reviewed, or forgotten).
  public var schedule: CardSchedule?
  public var suspended = false
  /// Latest event time of any kind.
  public var lastEvent: Timestamp?
  /// Reviews (not undone) ever.
  public var reviewCount = 0
  /// Again ratings given while the card was in review.
  public var lapses = 0
  /// Reviews at or after the start of the day the replay was asked about, of cards already in review.
  public var reviewsToday = 0
  /// When a poor scenario choice marked the card weak; cleared once it is answered right
  /// (a quiz answer marked correct, or a review rated Good or Easy). Weak cards come first in
  /// quizzes.
  public var weakSince: Timestamp?
  /// The first review since the card was last new: counts against the daily new-card limit.
  public var introducedAt: Timestamp?
  /// When the card was last buried; it stays hidden until the next day starts.
  public var buriedAt: Timestamp?
  public var quizCorrect = 0
  public var quizTotal = 0
  /// When the card was last treated as a leech (a `leech` event); nil if never.
  public var leechedAt: Timestamp?

  public init() {}

  /// Whether the card is hidden by a bury that happened on or after `dayStart`.
  public func isBuried(dayStart: Timestamp) -> Bool {
    guard let buriedAt else { return false }
    return buriedAt >= dayStart
  }
}
