/// The four states a card can go to from one moment, one per rating.
///
/// Why one value: the review screen computes them once, when the answer is shown, shows their
/// intervals, and logs the chosen rating at `time`; replay then recomputes the same review at
/// the same time with the same fuzz (seeded from the card and that time's UTC day), so the
/// state a learner chose is the state the log gives, however long the prompt stayed open.
public struct NextStates: Sendable, Equatable {
  /// When they were computed: the time to log the review at.
  public let time: Timestamp
  /// The state after Again.
  public let again: CardSchedule
  /// The state after Hard.
  public let hard: CardSchedule
  /// The state after Good.
  public let good: CardSchedule
  /// The state after Easy.
  public let easy: CardSchedule

  public init(time: Timestamp, again: CardSchedule, hard: CardSchedule, good: CardSchedule, easy: CardSchedule) {
    self.time = time
    self.again = again
    self.hard = hard
    self.good = good
    self.easy = easy
  }

  /// The state after rating `rating`.
  public subscript(rating: Rating) -> CardSchedule {
    switch rating {
    case .again: again
    case .hard: hard
    case .good: good
    case .easy: easy
    }
  }

  /// How long after `time` the card comes back if rated `rating`.
  public func interval(_ rating: Rating) -> Interval { self[rating].due - time }
}
