/// One review as statistics see it: when, how it was rated, and what the card was before.
public struct ReviewFact: Sendable, Equatable {
  public var card: String
  public var time: Timestamp
  public var rating: Rating
  public var durationMilliseconds: Int64
  /// The card's phase before this review; nil when it was new (an introduction).
  public var phaseBefore: Phase?
  /// The scheduled interval (days) the card had before this review, for review cards.
  public var intervalBefore: Double?

  public init(
    card: String, time: Timestamp, rating: Rating, durationMilliseconds: Int64, phaseBefore: Phase?,
    intervalBefore: Double?
  ) {
    self.card = card
    self.time = time
    self.rating = rating
    self.durationMilliseconds = durationMilliseconds
    self.phaseBefore = phaseBefore
    self.intervalBefore = intervalBefore
  }

  /// A review of a card whose interval was at least 21 days (Anki's "mature").
  public var isMature: Bool { (intervalBefore ?? 0) >= 21 }
}

extension Replayer {
  /// The card's record and every standing review with what the card was before it.
  public func replayWithFacts(card: String, events: [ReviewEvent]) -> (CardRecord, [ReviewFact]) {
    var record = CardRecord()
    var facts: [ReviewFact] = []
    for event in Replayer.standing(events) {
      if case .review(let rating) = event.action {
        let before = record.schedule
        let interval = before.flatMap { schedule -> Double? in
          schedule.phase == .review ? Double((schedule.due - schedule.lastReview).milliseconds) / 86_400_000 : nil
        }
        facts.append(
          ReviewFact(
            card: card, time: event.time, rating: rating, durationMilliseconds: event.durationMilliseconds,
            phaseBefore: before?.phase, intervalBefore: interval))
      }
      apply(event, card: card, to: &record)
    }
    return (record, facts)
  }
}
