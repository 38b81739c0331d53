/// The scheduling state of a card that has been reviewed at least once.
public struct CardSchedule: Sendable, Equatable {
  /// Learning, review or relearning.
  public var phase: Phase
  /// Index into the learning or relearning steps; nil in review.
  public var step: Int?
  /// Days for retrievability to fall to 90%.
  public var stability: Double
  /// 1 (easy) to 10 (hard).
  public var difficulty: Double
  /// When the card should next be shown.
  public var due: Timestamp
  /// When it was last rated.
  public var lastReview: Timestamp

  public init(
    phase: Phase, step: Int?, stability: Double, difficulty: Double, due: Timestamp,
    lastReview: Timestamp
  ) {
    self.phase = phase
    self.step = step
    self.stability = stability
    self.difficulty = difficulty
    self.due = due
    self.lastReview = lastReview
  }
}
