import Testing

@testable import EngramCore

/// The log as columns, and the replay over them: the same records as replaying each card's
/// events on its own, whatever order, undo or scenario line the log holds.
@Suite struct EventColumnsTests {
  let scheduler = Scheduler(settings: SchedulerSettings(enableFuzz: true))
  var replayer: Replayer { Replayer(scheduler: scheduler, dayStart: at("2026-03-01T04:00:00Z")) }

  /// Three cards interleaved in file order: one with a line out of time order, one with an undo
  /// and a leech logged with its review, and a scenario line about no card.
  var events: [ReviewEvent] {
    [
      ReviewEvent(time: at("2026-02-01T09:00:00Z"), card: "d/a", rating: 3, kind: .review),
      ReviewEvent(time: at("2026-02-01T09:01:00Z"), card: "d/b", rating: 1, kind: .review),
      ReviewEvent(time: at("2026-02-01T09:02:00Z"), card: "drill", rating: 2, kind: .scenario),
      ReviewEvent(time: at("2026-02-03T09:00:00Z"), card: "d/a", rating: 4, kind: .review),
      // Older than the line before it for the same card: replayed first.
      ReviewEvent(time: at("2026-02-02T09:00:00Z"), card: "d/a", rating: 2, kind: .review),
      ReviewEvent(time: at("2026-02-04T09:00:00Z"), card: "d/b", rating: 1, kind: .review),
      ReviewEvent(time: at("2026-02-04T09:00:00Z"), card: "d/b", rating: 0, kind: .leech),
      ReviewEvent(time: at("2026-02-04T09:05:00Z"), card: "d/b", rating: 0, kind: .undo),
      ReviewEvent(time: at("2026-02-05T09:00:00Z"), card: "d/c", rating: 3, kind: .quiz),
    ]
  }

  @Test func `cards are numbered by first appearance and each card's events keep file order`() {
    let columns = EventColumns(events)
    #expect(columns.keys == ["d/a", "d/b", "drill", "d/c"])
    #expect(columns.count == 9)
    let (starts, indices) = columns.grouped()
    #expect(starts == [0, 3, 7, 8, 9])
    #expect(indices == [0, 3, 4, 1, 5, 6, 7, 2, 8])
    #expect(columns.event(at: 4) == events[4])
    #expect(columns.events(ofCard: "d/b") == [events[1], events[5], events[6], events[7]])
    #expect(columns.groupedEvents()["d/a"] == [events[0], events[3], events[4]])
  }

  @Test func `without a balancer the replay equals each card replayed on its own`() {
    var none: LoadBalancer? = nil
    let result = CollectionReplay.replay(EventColumns(events), replayer: replayer, balancer: &none)
    let columns = EventColumns(events)
    let records = result.dictionary(keys: columns.keys)
    #expect(records.keys.sorted() == ["d/a", "d/b", "d/c"])  // the scenario key has no record
    for key in ["d/a", "d/b", "d/c"] {
      #expect(records[key] == replayer.replay(card: key, events: events.filter { $0.card == key }))
    }
    // The undo took back the second Again and the leech event logged with it.
    #expect(records["d/b"]?.leechedAt == nil)
    #expect(records["d/b"]?.reviewCount == 1)
  }

  @Test func `facts are the standing reviews with the state before each`() {
    var none: LoadBalancer? = nil
    let facts = CollectionReplay.replay(EventColumns(events), replayer: replayer, balancer: &none, collectFacts: true)
      .facts
    #expect(facts.map(\.card).sorted() == ["d/a", "d/a", "d/a", "d/b"])
    let a = facts.filter { $0.card == "d/a" }
    #expect(a.map(\.rating) == [.good, .hard, .easy])
    #expect(a.first?.phaseBefore == nil)
    #expect(a.dropFirst().allSatisfy { $0.phaseBefore != nil })
  }

  @Test func `with a balancer the replay equals applying every event in replay order`() {
    var balancer: LoadBalancer? = LoadBalancer()
    let columns = EventColumns(events)
    let records = CollectionReplay.replay(columns, replayer: replayer, balancer: &balancer).dictionary(keys: columns.keys)
    // By hand: each card's standing events, all merged by (time, key).
    var stepwise = LoadBalancer()
    var expected: [String: CardRecord] = [:]
    let standing = ["d/a", "d/b", "d/c"].flatMap { key in Replayer.standing(events.filter { $0.card == key }) }
    let ordered = standing.enumerated().sorted {
      let (a, b) = ($0.element, $1.element)
      return a.time != b.time ? a.time < b.time : a.card != b.card ? a.card < b.card : $0.offset < $1.offset
    }.map(\.element)
    for event in ordered {
      replayer.apply(event, card: event.card, to: &expected[event.card, default: CardRecord()], balancer: &stepwise)
    }
    #expect(records == expected)
    #expect(balancer == stepwise)
  }

}
