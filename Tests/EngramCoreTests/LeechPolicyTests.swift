import Testing

@testable import EngramCore

/// A review card that lapses `lapses` times: Easy (straight to review), then Again and Good in
/// turn, one day apart, so each Again falls on a card in review.
func lapsingHistory(_ card: String, lapses: Int, start: Int64 = 0) -> [ReviewEvent] {
  let origin = at("2026-01-01T10:00:00Z")
  var events = [ReviewEvent(time: origin + .days(start), card: card, action: .review(.easy))]
  for index in 0..<lapses {
    let day = origin + .days(start + Int64(2 * index + 1))
    events.append(ReviewEvent(time: day, card: card, action: .review(.again)))
    events.append(ReviewEvent(time: day + .minutes(10), card: card, action: .review(.good)))
  }
  return events
}

@Suite struct LeechPolicyTests {
  let replayer = Replayer(scheduler: Scheduler(settings: plainSettings), dayStart: at("2026-03-01T04:00:00Z"))

  @Test(arguments: [(7, false), (8, true), (9, false), (11, false), (12, true), (16, true), (17, false)])
  func `a card becomes a leech at the threshold and every half threshold after`(lapses: Int, leech: Bool) {
    #expect(LeechPolicy(threshold: 8).triggers(lapses: lapses) == leech)
  }

  @Test func `a threshold of one triggers on every lapse`() {
    #expect((1...5).allSatisfy { LeechPolicy(threshold: 1).triggers(lapses: $0) })
    #expect(!LeechPolicy(threshold: 1).triggers(lapses: 0))
  }

  @Test func `the review that reaches the threshold is followed by a leech event at its time`() {
    let history = lapsingHistory("d/c", lapses: 8)
    let before = replayer.replay(card: "d/c", events: Array(history.dropLast(2)))
    #expect(before.lapses == 7)
    let batch = [history[history.count - 2]]
    let treated = LeechPolicy(threshold: 8, action: .suspend).treating(
      batch, record: { $0 == "d/c" ? before : nil }, replayer: replayer)
    #expect(treated.count == 2)
    #expect(treated[1] == ReviewEvent(time: batch[0].time, card: "d/c", action: .leech(.suspend)))
  }

  @Test func `tagging logs a leech event that only tags and a good review logs none`() {
    let history = lapsingHistory("d/c", lapses: 8)
    let before = replayer.replay(card: "d/c", events: Array(history.dropLast(2)))
    let policy = LeechPolicy(threshold: 8, action: .tag)
    let tagged = policy.treating([history[history.count - 2]], record: { _ in before }, replayer: replayer)
    #expect(tagged.last?.action == .leech(.tag))
    let good = ReviewEvent(time: history[history.count - 2].time, card: "d/c", action: .review(.good))
    #expect(policy.treating([good], record: { _ in before }, replayer: replayer) == [good])
  }

  @Test func `lapses within one batch are counted in order`() {
    let history = lapsingHistory("d/c", lapses: 3)
    let treated = LeechPolicy(threshold: 3).treating(history, record: { _ in nil }, replayer: replayer)
    #expect(treated.count == history.count + 1)
    #expect(treated[treated.count - 2].kind == .leech)
    #expect(treated[treated.count - 3] == history[history.count - 2])
  }
}
