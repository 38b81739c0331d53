/// Plans for `postpone` and `advance`: which review cards to move, and where.
///
/// Postponing follows the FSRS Helper's rule: an overdue card's interval grows by 5–10% (at
/// least a day) counted from today, and the cards that lose least retrievability by waiting
/// go first. Advancing brings forward the cards not yet due whose early review costs least:
/// those whose retrievability is lowest already, closest to what it will be when they fall due,
/// so reviewing them now gives up the least stability growth. Pure: the time and the draws come
/// in as values.
public struct BacklogPlan: Sendable, Equatable {
  /// One card to move.
  public struct Move: Sendable, Equatable {
    public var card: String
    /// Its due date before the move.
    public var due: Timestamp
    /// Whole days from now to the new due date (0: due now).
    public var days: Int
    /// Retrievability now, and at the new due date.
    public var retrievabilityNow: Double
    public var retrievabilityThen: Double
  }

  /// A review card that may be moved.
  public struct Candidate: Sendable, Equatable {
    public var card: String
    public var schedule: CardSchedule
    public init(card: String, schedule: CardSchedule) {
      self.card = card
      self.schedule = schedule
    }
  }

  /// The cards to move, in the order they were chosen.
  public var moves: [Move]
  /// How many cards could have been moved.
  public var candidates: Int

  /// The postponement of overdue cards (due before `tomorrowStart`).
  ///
  /// - Parameters:
  ///   - days: postpone every chosen card to this many days from now; nil for the Helper's
  ///     5–10% of its interval.
  ///   - count: how many to postpone (those that lose least first); nil for all.
  ///   - draw: a uniform value in [0, 1) per card, for the 5–10% (deterministic in Engram).
  public static func postpone(
    _ cards: [Candidate], scheduler: Scheduler, now: Timestamp, tomorrowStart: Timestamp, days: Int?, count: Int?,
    draw: (String) -> Double
  ) -> BacklogPlan {
    let overdue = cards.filter { $0.schedule.phase == .review && $0.schedule.due < tomorrowStart }
    var moves = overdue.map { candidate -> Move in
      let schedule = candidate.schedule
      let interval = max(1, Int((schedule.due - schedule.lastReview).milliseconds / Interval.day.milliseconds))
      let push =
        days
        ?? max(1, Int((Double(interval) * (1.05 + 0.05 * draw(candidate.card))).rounded(.up)) - interval)
      return move(candidate, days: push, scheduler: scheduler, now: now)
    }
    moves.sort { lossOrder($0, $1) }
    return BacklogPlan(moves: Array(moves.prefix(count ?? moves.count)), candidates: overdue.count)
  }

  /// The `count` review cards not yet due (due on or after `tomorrowStart`) whose early review
  /// costs least, each made due now.
  public static func advance(
    _ cards: [Candidate], scheduler: Scheduler, now: Timestamp, tomorrowStart: Timestamp, count: Int
  ) -> BacklogPlan {
    let ahead = cards.filter { $0.schedule.phase == .review && $0.schedule.due >= tomorrowStart }
    var moves = ahead.map { move($0, days: 0, scheduler: scheduler, now: now) }
    moves.sort {
      $0.retrievabilityNow != $1.retrievabilityNow
        ? $0.retrievabilityNow < $1.retrievabilityNow : $0.card < $1.card
    }
    return BacklogPlan(moves: Array(moves.prefix(count)), candidates: ahead.count)
  }

  /// Retrievability lost by the move (postpone) or given up (advance).
  public static func loss(_ move: Move) -> Double { move.retrievabilityNow - move.retrievabilityThen }

  private static func lossOrder(_ a: Move, _ b: Move) -> Bool {
    let (lossA, lossB) = (loss(a), loss(b))
    return lossA != lossB ? lossA < lossB : a.card < b.card
  }

  private static func move(_ candidate: Candidate, days: Int, scheduler: Scheduler, now: Timestamp) -> Move {
    let schedule = candidate.schedule
    return Move(
      card: candidate.card, due: schedule.due, days: days,
      retrievabilityNow: scheduler.retrievability(of: schedule, at: now),
      retrievabilityThen: scheduler.retrievability(of: schedule, at: now + .days(Int64(days))))
  }
}
