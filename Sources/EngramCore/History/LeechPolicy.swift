/// When a card becomes a leech and what is done about it.
///
/// A card is a leech when its lapses (Again on a review card) reach `threshold`, and again every
/// half threshold after that (as Anki does), so a card unsuspended and still failing is caught
/// again. The treatment is logged as a `leech` event right after the review that caused it, so
/// replay reproduces it and an undo of that review takes it back.
public struct LeechPolicy: Sendable, Equatable {
  /// What happens to a leech.
  public enum Action: String, Sendable, CaseIterable {
    /// Suspended until the learner unsuspends it.
    case suspend
    /// Only marked: it stays in reviews and is listed by `leeches`.
    case tag
  }

  public var threshold: Int
  public var action: Action

  public init(threshold: Int = 8, action: Action = .tag) {
    self.threshold = threshold
    self.action = action
  }

  /// Whether reaching `lapses` lapses makes the card a leech (at the threshold, then every half
  /// threshold).
  public func triggers(lapses: Int) -> Bool {
    guard threshold > 0, lapses >= threshold else { return false }
    let repeatEvery = max(1, threshold / 2)
    return (lapses - threshold) % repeatEvery == 0
  }

  /// `batch` with a `leech` event inserted after every review that makes its card a leech.
  ///
  /// - Parameters:
  ///   - record: each card's record before the batch.
  ///   - replayer: applies the batch to copies of the records to count lapses (lapses depend on
  ///     phases and ratings only, never on due dates).
  public func treating(
    _ batch: [ReviewEvent], record: (String) -> CardRecord?, replayer: Replayer
  ) -> [ReviewEvent] {
    guard batch.contains(where: { $0.kind == .review }) else { return batch }
    var copies: [String: CardRecord] = [:]
    var result: [ReviewEvent] = []
    result.reserveCapacity(batch.count + 1)
    for event in batch {
      result.append(event)
      guard event.kind.isAboutCard else { continue }
      var current = copies[event.card] ?? record(event.card) ?? CardRecord()
      let lapsesBefore = current.lapses
      replayer.apply(event, card: event.card, to: &current)
      copies[event.card] = current
      if event.kind == .review, current.lapses > lapsesBefore, triggers(lapses: current.lapses) {
        let leech = ReviewEvent(time: event.time, card: event.card, action: .leech(action))
        replayer.apply(leech, card: event.card, to: &current)
        copies[event.card] = current
        result.append(leech)
      }
    }
    return result
  }
}
