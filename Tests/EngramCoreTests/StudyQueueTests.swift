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
    let log = [review("a/c0", .good, "2026-01-05T05:00:00Z"), review("a/c1", .good, "2026-01-04T05:00:00Z")]
    let queue = StudyQueue(
      cards: all, records: records(log), limits: .init(newPerDay: 3, reviewsPerDay: 100), dayStart: dayStart,
      tomorrowStart: tomorrow)
    // Deck a: one introduced today leaves 2 of 3; deck b: 3.
    #expect(queue.counts.new == 5)
  }

  @Test func `learning cards due now come before reviews and reviews before new cards`() {
    let all = cards("a", 3)
    let log = [
      review("a/c0", .easy, "2025-12-20T05:00:00Z"),  // review card, long overdue
      review("a/c1", .good, "2026-01-05T09:00:00Z"),  // learning, due 09:10
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
    let log = [review("a/c0", .good, "2026-01-05T09:00:00Z")]  // due 09:10
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
    let log = (0..<5).map { review("a/c\($0)", .easy, "2025-12-01T05:00:00Z") }
    let queue = StudyQueue(
      cards: cards("a", 5), records: records(log), limits: .init(newPerDay: 0, reviewsPerDay: 3),
      dayStart: dayStart, tomorrowStart: tomorrow)
    #expect(queue.counts.due == 3)
  }

  @Test func `a card rated into learning returns later in the session`() {
    var queue = StudyQueue(
      cards: cards("a", 1), records: [:], limits: .init(newPerDay: 1, reviewsPerDay: 100), dayStart: dayStart,
      tomorrowStart: tomorrow)
    let record = records([review("a/c0", .again, "2026-01-05T09:00:00Z")])["a/c0"]!
    queue.update("a/c0", record: record)
    #expect(queue.counts == StudyQueue.Counts(due: 0, learning: 1, new: 0))
    #expect(queue.next(at: at("2026-01-05T09:01:00Z")) == .card(key: "a/c0"))
  }

  /// Keys a session shows, in order, with nothing answered.
  func order(_ queue: StudyQueue, at time: String = "2026-01-05T10:00:00Z") -> [String] {
    var queue = queue
    var shown: [String] = []
    while case .card(let key) = queue.next(at: at(time)) {
      shown.append(key)
      queue.remove(key)
    }
    return shown
  }

  @Test func `new cards are dealt from the decks in turn, up to the collection-wide limit`() {
    let all = cards("a", 5) + cards("b", 5) + cards("c", 1)
    let queue = StudyQueue(
      cards: all, records: [:], limits: .init(newPerDay: 20, reviewsPerDay: 100, newTotal: 6), dayStart: dayStart,
      tomorrowStart: tomorrow)
    // Turn 0: a, b, c; turn 1: a, b (c has no more); turn 2: a — six in all.
    #expect(order(queue) == ["a/c0", "b/c0", "c/c0", "a/c1", "b/c1", "a/c2"])
  }

  @Test func `the deal does not restart after an answer: a deck that just gave a card waits its turn`() {
    let all = cards("a", 5) + cards("b", 5)
    // a/c0 was introduced today, so deck a's next new card is its second of the day.
    let log = [review("a/c0", .good, "2026-01-05T05:00:00Z")]
    let queue = StudyQueue(
      cards: all, records: records(log), limits: .init(newPerDay: 20, reviewsPerDay: 100, newTotal: 4),
      dayStart: dayStart, tomorrowStart: tomorrow)
    // Learning a/c0 (due 05:10) first, then three new cards (4 - 1 introduced): b's first, then a's second.
    #expect(order(queue) == ["a/c0", "b/c0", "a/c1", "b/c1"])
  }

  @Test func `new cards over the five shipped decks total twenty by default, four from each`() {
    let all = ["a", "b", "c", "d", "e"].flatMap { cards($0, 30) }
    let queue = StudyQueue(
      cards: all, records: [:], limits: .init(newPerDay: 20, reviewsPerDay: 200, newTotal: 20), dayStart: dayStart,
      tomorrowStart: tomorrow)
    let shown = order(queue)
    #expect(shown.count == 20)
    #expect(Set(shown.prefix(10).map { $0.prefix(1) }).count == 5)
    for deck in ["a", "b", "c", "d", "e"] { #expect(shown.filter { $0.hasPrefix(deck + "/") }.count == 4) }
  }

  @Test func `reviews of several decks are ordered by due day, then by relative overdueness`() {
    // Each rated Easy once (no fuzz): the first interval is w3 = 8.2956 days, rounded to 8.
    // b/c0 is due 27 days ago, a/c0 and c/c0 8 days ago with equal ratios (deck order).
    let log = [
      review("a/c0", .easy, "2025-12-20T05:00:00Z"),  // due 2025-12-28
      review("b/c0", .easy, "2025-12-01T05:00:00Z"),  // due 2025-12-09: oldest due day
      review("c/c0", .easy, "2025-12-20T05:00:00Z"),  // due 2025-12-28, same as a/c0
      review("c/c1", .hard, "2025-12-10T05:00:00Z"),  // Hard on a new card: learning, due the same day
    ]
    let all = cards("a", 1) + cards("b", 1) + cards("c", 2)
    let queue = StudyQueue(
      cards: all, records: records(log), limits: .init(newPerDay: 0, reviewsPerDay: 100), dayStart: dayStart,
      tomorrowStart: tomorrow)
    // Learning first (c/c1, due long ago), then b/c0, then a/c0 and c/c0 (equal, deck order).
    #expect(order(queue) == ["c/c1", "b/c0", "a/c0", "c/c0"])
  }

  @Test func `relative overdueness breaks ties within a due day`() {
    // Same due day; the card with the shorter interval is relatively more overdue.
    let short = CardSchedule(
      phase: .review, step: nil, stability: 1, difficulty: 5, due: at("2026-01-01T10:00:00Z"),
      lastReview: at("2025-12-31T10:00:00Z"))
    let long = CardSchedule(
      phase: .review, step: nil, stability: 1, difficulty: 5, due: at("2026-01-01T09:00:00Z"),
      lastReview: at("2025-12-01T09:00:00Z"))
    let dayStart = at("2026-01-05T04:00:00Z")
    // Overdue ratio by hand: short waited 4.75 days for a 1-day interval (4.75); long 34.8 days for 31 (1.12).
    #expect(StudyQueue.ReviewPriority(short, dayStart: dayStart) < StudyQueue.ReviewPriority(long, dayStart: dayStart))
    #expect(StudyQueue.ReviewPriority(short, dayStart: dayStart).dueDay == -4)
  }

  @Test func `the collection-wide review limit caps reviews over all decks, counting today's`() {
    let log =
      (0..<4).map { review("a/c\($0)", .easy, "2025-12-01T05:00:00Z") }
      + (0..<4).map { review("b/c\($0)", .easy, "2025-12-01T05:00:00Z") }
    let all = cards("a", 4) + cards("b", 4)
    let limits = StudyQueue.Limits(newPerDay: 0, reviewsPerDay: 100, reviewsTotal: 5)
    let queue = StudyQueue(
      cards: all, records: records(log), limits: limits, dayStart: dayStart, tomorrowStart: tomorrow)
    #expect(queue.counts.due == 5)
    // Two reviews done today leave three.
    let done = log + [review("a/c0", .good, "2026-01-05T05:00:00Z"), review("b/c0", .good, "2026-01-05T05:00:00Z")]
    let later = StudyQueue(
      cards: all, records: records(done), limits: limits, dayStart: dayStart, tomorrowStart: tomorrow)
    #expect(later.counts.due == 3)
  }

  @Test func `per-deck counts show the collection-wide limits`() {
    let lists = (0..<3).map { _ in
      StudyQueue.classify(
        Array(repeating: nil, count: 10), limits: .init(newPerDay: 10, reviewsPerDay: 0), dayStart: dayStart,
        tomorrowStart: tomorrow)
    }
    let counts = StudyQueue.counts(
      classified: zip(["a", "b", "c"], lists).map { ($0, $1) },
      limits: .init(newPerDay: 10, reviewsPerDay: 0, newTotal: 7),
      usage: StudyQueue.Usage(introduced: 2, reviews: 0))
    // Five left of seven, dealt a, b, c, a, b.
    #expect(counts["a"]?.new == 2)
    #expect(counts["b"]?.new == 2)
    #expect(counts["c"]?.new == 1)
  }
}
