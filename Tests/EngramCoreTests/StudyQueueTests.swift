import Testing

@testable import EngramCore

@Suite struct StudyQueueTests {
  let dayStart = at("2026-01-05T04:00:00Z")
  let tomorrow = at("2026-01-06T04:00:00Z")
  let scheduler = Scheduler(settings: plainSettings)

  func cards(_ deck: String, _ count: Int) -> [Card] {
    (0..<count).flatMap { index in
      Note(id: "c\(index)", content: .basic(question: "q\(index)", answer: "a\(index)")).cards(deckID: deck)
    }
  }

  func records(_ events: [ReviewEvent]) -> [String: CardRecord] {
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    return Dictionary(grouping: events, by: \.card).mapValues { replayer.replay(card: $0[0].card, events: $0) }
  }

  @Test func `new cards are limited per deck and introductions today count against the limit`() {
    let all = cards("a", 10) + cards("b", 10)
    let log = [review("a/c0", 3, "2026-01-05T05:00:00Z"), review("a/c1", 3, "2026-01-04T05:00:00Z")]
    let queue = StudyQueue(
      cards: all, records: records(log), limits: .init(newPerDay: 3, reviewsPerDay: 100), dayStart: dayStart,
      tomorrowStart: tomorrow)
    // Deck a: one introduced today leaves 2 of 3; deck b: 3.
    #expect(queue.counts.new == 5)
  }

  @Test func `learning cards due now come before reviews and reviews before new cards`() {
    let all = cards("a", 3)
    let log = [
      review("a/c0", 4, "2025-12-20T05:00:00Z"),  // review card, long overdue
      review("a/c1", 3, "2026-01-05T09:00:00Z"),  // learning, due 09:10
    ]
    var queue = StudyQueue(
      cards: all, records: records(log), limits: .init(newPerDay: 20, reviewsPerDay: 100), dayStart: dayStart,
      tomorrowStart: tomorrow)
    #expect(queue.next(at: at("2026-01-05T09:30:00Z")) == .card(key: "a/c1"))
    queue.remove("a/c1")
    #expect(queue.next(at: at("2026-01-05T09:30:00Z")) == .card(key: "a/c0"))
    queue.remove("a/c0")
    #expect(queue.next(at: at("2026-01-05T09:30:00Z")) == .card(key: "a/c2"))
  }

  @Test func `a learning card due later is shown ahead only within twenty minutes`() {
    let log = [review("a/c0", 3, "2026-01-05T09:00:00Z")]  // due 09:10
    let queue = StudyQueue(
      cards: cards("a", 1), records: records(log), limits: .init(newPerDay: 0, reviewsPerDay: 100),
      dayStart: dayStart, tomorrowStart: tomorrow)
    #expect(queue.next(at: at("2026-01-05T08:45:00Z")) == .wait(until: at("2026-01-05T09:10:00Z")))
    #expect(queue.next(at: at("2026-01-05T08:55:00Z")) == .card(key: "a/c0"))
  }

  @Test func `suspended and buried cards stay out of the queue`() {
    let log = [
      event(.suspend, "a/c0", "2026-01-01T05:00:00Z"),
      event(.bury, "a/c1", "2026-01-05T06:00:00Z"),
      event(.bury, "a/c2", "2026-01-04T06:00:00Z"),  // yesterday's bury has expired
    ]
    let queue = StudyQueue(
      cards: cards("a", 3), records: records(log), limits: .init(newPerDay: 20, reviewsPerDay: 100),
      dayStart: dayStart, tomorrowStart: tomorrow)
    #expect(queue.counts.new == 1)
    #expect(queue.next(at: at("2026-01-05T07:00:00Z")) == .card(key: "a/c2"))
  }

  @Test func `reviews are capped per deck by the daily review limit`() {
    let log = (0..<5).map { review("a/c\($0)", 4, "2025-12-01T05:00:00Z") }
    let queue = StudyQueue(
      cards: cards("a", 5), records: records(log), limits: .init(newPerDay: 0, reviewsPerDay: 3),
      dayStart: dayStart, tomorrowStart: tomorrow)
    #expect(queue.counts.due == 3)
  }

  @Test func `a card rated into learning returns later in the session`() {
    var queue = StudyQueue(
      cards: cards("a", 1), records: [:], limits: .init(newPerDay: 1, reviewsPerDay: 100), dayStart: dayStart,
      tomorrowStart: tomorrow)
    let record = records([review("a/c0", 1, "2026-01-05T09:00:00Z")])["a/c0"]!
    queue.update("a/c0", record: record)
    #expect(queue.counts == StudyQueue.Counts(due: 0, learning: 1, new: 0))
    #expect(queue.next(at: at("2026-01-05T09:01:00Z")) == .card(key: "a/c0"))
  }
}
