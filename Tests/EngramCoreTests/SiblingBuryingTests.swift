import Testing

@testable import EngramCore

/// Siblings (cards of one note) in today's queue: derived from the log, one per note a day.
@Suite struct SiblingBuryingTests {
  let dayStart = at("2026-01-05T04:00:00Z")
  let tomorrow = at("2026-01-06T04:00:00Z")
  let scheduler = Scheduler(settings: plainSettings)

  /// A three-blank cloze and a reversed pair (the back card names the front one).
  let notes = [
    Note(id: "cloze", content: .cloze("Water boils at {{100}} degrees at {{sea level}} and {{1 atm}}.")),
    Note(id: "front", content: .basic(question: "dog in French?", answer: "chien")),
    Note(id: "back", content: .basic(question: "chien in English?", answer: "dog"), sibling: "front"),
  ]
  var cards: [Card] { notes.flatMap { $0.cards(deckID: "d") } }

  func records(_ events: [ReviewEvent]) -> [String: CardRecord] {
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    return Dictionary(grouping: events, by: \.card).mapValues { replayer.replay(card: $0[0].card, events: $0) }
  }

  func queue(_ events: [ReviewEvent], burying: SiblingBurying = .all) -> StudyQueue {
    StudyQueue(
      cards: cards, records: records(events), limits: .init(newPerDay: 20, reviewsPerDay: 100, burying: burying),
      dayStart: dayStart, tomorrowStart: tomorrow)
  }

  /// The keys a session would show, in order, taking every card as it comes.
  func order(_ queue: StudyQueue) -> [String] { drain(queue) }

  func drain(_ queue: StudyQueue) -> [String] {
    var queue = queue
    var shown: [String] = []
    while case .card(let key) = queue.next(at: at("2026-01-05T10:00:00Z")) {
      shown.append(key)
      queue.remove(key)
    }
    return shown
  }

  @Test func `a cloze's blanks and a reversed pair are siblings, and other notes are not`() {
    let groups = cards.map(\.siblingGroup)
    #expect(groups == ["d/cloze", "d/cloze", "d/cloze", "d/front", "d/front"])
    let deck = Deck(id: "d", title: "D", notes: notes)
    #expect(deck.siblingGroups == [0, 0, 0, 3, 3])
    #expect(deck.summary.siblingGroups == [0, 0, 0, 3, 3])
  }

  @Test func `a fresh day queues one new card per note`() {
    #expect(drain(queue([])) == ["d/cloze#1", "d/front"])
  }

  @Test func `once a sibling is answered today the others wait until the next day`() {
    let answered = [
      review("d/cloze#2", .good, "2026-01-05T09:00:00Z"), review("d/back", .good, "2026-01-05T09:01:00Z"),
    ]
    // The answered cards are in learning (due at 09:10 and 09:11); their siblings are not shown.
    #expect(drain(queue(answered)) == ["d/cloze#2", "d/back"])
    let learning = queue(answered)
    #expect(learning.counts == StudyQueue.Counts(due: 0, learning: 2, new: 0))
    // The next day the siblings are back (the ones answered are still learning, due by then).
    let nextDay = StudyQueue(
      cards: cards, records: records(answered), limits: .init(newPerDay: 20, reviewsPerDay: 100),
      dayStart: tomorrow, tomorrowStart: tomorrow + .days(1))
    #expect(nextDay.counts.new == 0)  // one card per note: the learning ones take their notes
    #expect(nextDay.counts.learning == 2)
  }

  @Test func `review siblings and learning siblings from earlier days are buried too`() {
    // Day before: both cards of the pair studied; cloze#1 into review (Easy), cloze#2 left in
    // learning (Again). Today: the front card is answered.
    let history = [
      review("d/cloze#1", .easy, "2025-12-01T09:00:00Z"),
      review("d/cloze#2", .again, "2026-01-04T09:00:00Z"),
      review("d/front", .easy, "2025-12-01T09:00:00Z"),
      review("d/back", .easy, "2025-12-01T09:00:00Z"),
    ]
    // cloze#1 is a due review, cloze#2 an interday learning card: only the first of them is
    // queued (learning first), and cloze#3 (new) waits as well.
    let before = drain(queue(history))
    #expect(before.filter { $0.hasPrefix("d/cloze") } == ["d/cloze#2"])
    // Front and back are both due reviews; one is queued.
    #expect(before.filter { !$0.hasPrefix("d/cloze") }.count == 1)
    let today = history + [review("d/front", .good, "2026-01-05T08:00:00Z")]
    #expect(!drain(queue(today)).contains("d/back"))
  }

  @Test func `burying a card sets its note aside for the day, and suspending one does not`() {
    #expect(drain(queue([event(.bury, "d/cloze#1", "2026-01-05T09:00:00Z")])) == ["d/front"])
    #expect(drain(queue([event(.suspend, "d/cloze#1", "2026-01-05T09:00:00Z")])) == ["d/cloze#2", "d/front"])
  }

  @Test func `answering a card in a session takes out the siblings the settings bury, as a rebuilt queue would`() {
    // New siblings are not buried, review siblings are: the pair's due review and the cloze's
    // new blanks are all queued; answering the back card (new) buries the front one (review).
    let settings = SiblingBurying(new: false, review: true, interdayLearning: true)
    let history = [review("d/front", .easy, "2025-12-01T09:00:00Z")]
    var session = queue(history, burying: settings)
    #expect(order(session).contains("d/front") && order(session).contains("d/back"))
    let answered = history + [review("d/back", .good, "2026-01-05T10:00:00Z")]
    let record = records(answered)["d/back"] ?? CardRecord()
    session.update("d/back", record: record)
    session.buryingSiblings(of: "d/back")
    let rebuilt = queue(answered, burying: settings)
    #expect(!order(session).contains("d/front"))
    #expect(order(session) == order(rebuilt))
  }

  @Test func `reverting to a mark takes an answer and its burials back, as rebuilding the queue before it would`() {
    let settings = SiblingBurying(new: true, review: true, interdayLearning: true)
    let history = [review("d/front", .easy, "2025-12-01T09:00:00Z")]
    var session = queue(history, burying: settings)
    let before = order(session)
    let mark = session.mark
    let answered = history + [review("d/front", .again, "2026-01-05T10:00:00Z")]
    session.update("d/front", record: records(answered)["d/front"] ?? CardRecord())
    session.buryingSiblings(of: "d/front")
    #expect(order(session) != before)
    session.revert(to: mark)
    #expect(order(session) == before)
    #expect(order(session) == order(queue(history, burying: settings)))
    // A restore after the revert is itself taken back by an older mark.
    session.restore("d/front", record: records(history)["d/front"] ?? CardRecord())
    session.revert(to: 0)
    #expect(order(session) == before)
  }

  @Test func `turning burying off queues every sibling`() {
    #expect(drain(queue([], burying: .none)) == ["d/cloze#1", "d/cloze#2", "d/cloze#3", "d/front", "d/back"])
    let onlyReviews = SiblingBurying(new: false, review: true, interdayLearning: true)
    #expect(drain(queue([], burying: onlyReviews)).count == 5)
  }

  @Test func `cramming takes one card per note and none of a note answered today`() {
    let history = [
      review("d/cloze#1", .easy, "2026-01-01T09:00:00Z"),
      review("d/cloze#2", .easy, "2026-01-01T09:00:00Z"),
      review("d/front", .easy, "2026-01-01T09:00:00Z"),
      review("d/back", .easy, "2026-01-05T08:00:00Z"),  // answered today
    ]
    let records = records(history)
    let entries = cards.map { ($0.key, $0.siblingGroup, records[$0.key]) }
    let now = at("2026-01-05T10:00:00Z")
    let cram = StudyQueue(
      reviewAhead: entries, now: now, horizon: nil, burying: .all, dayStart: dayStart, tomorrowStart: tomorrow)
    // One cloze blank; the pair's back card was answered today, so neither of the pair.
    #expect(drain(cram).count == 1)
    #expect(drain(cram).allSatisfy { $0.hasPrefix("d/cloze") })
    let all = StudyQueue(
      reviewAhead: entries, now: now, horizon: nil, burying: .none, dayStart: dayStart, tomorrowStart: tomorrow)
    #expect(drain(all).count == 4)
  }
}
