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
      ReviewEvent(time: at("2026-02-01T09:00:00Z"), card: "d/a", action: .review(.good)),
      ReviewEvent(time: at("2026-02-01T09:01:00Z"), card: "d/b", action: .review(.again)),
      ReviewEvent(time: at("2026-02-01T09:02:00Z"), card: "drill", action: .scenario(.mixed)),
      ReviewEvent(time: at("2026-02-03T09:00:00Z"), card: "d/a", action: .review(.easy)),
      // Older than the line before it for the same card: replayed first.
      ReviewEvent(time: at("2026-02-02T09:00:00Z"), card: "d/a", action: .review(.hard)),
      ReviewEvent(time: at("2026-02-04T09:00:00Z"), card: "d/b", action: .review(.again)),
      ReviewEvent(time: at("2026-02-04T09:00:00Z"), card: "d/b", action: .leech(.tag)),
      ReviewEvent(time: at("2026-02-04T09:05:00Z"), card: "d/b", action: .undo),
      ReviewEvent(time: at("2026-02-05T09:00:00Z"), card: "d/c", action: .quiz(.correct)),
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

  @Test func `every action comes back from the columns as it went in`() {
    let actions: [ReviewEvent.Action] = [
      .review(.again), .review(.easy), .quiz(.wrong), .quiz(.close), .quiz(.correct), .scenario(nil),
      .scenario(.poor), .scenario(.good), .weak, .leech(.tag), .leech(.suspend), .postpone(days: 0),
      .postpone(days: 36500), .advance(days: 3), .undo, .suspend, .unsuspend, .bury, .unbury, .forget,
      .other(kind: "newer-kind", rating: 2), .other(kind: "other-kind", rating: 0),
    ]
    let events = actions.enumerated().map { index, action in
      ReviewEvent(time: at("2026-02-01T09:00:00Z") + .minutes(Int64(index)), card: "d/a", action: action)
    }
    let columns = EventColumns(events)
    #expect((0..<columns.count).map(columns.action(at:)) == actions)
    #expect((0..<columns.count).map(columns.event(at:)) == events)
    // The kind table holds each tag once, unknown kinds by name.
    #expect(columns.kinds.count == Set(actions.map(\.kind)).count)
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
    let records = CollectionReplay.replay(columns, replayer: replayer, balancer: &balancer).dictionary(
      keys: columns.keys)
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

  @Test func `with a balancer, cards that share a millisecond replay in key order, not in numbering or file order`() {
    // Review-phase cards (Easy, then Good days later) so the balancer moves due days: the
    // order among d/m, d/k and d/l at 09:00 on the 10th decides which day each one gets.
    var events: [ReviewEvent] = []
    for (offset, key) in ["d/m", "d/k", "d/l", "d/j"].enumerated() {
      events.append(
        ReviewEvent(time: at("2026-02-01T09:00:00Z") + .minutes(Int64(offset)), card: key, action: .review(.easy)))
    }
    for key in ["d/m", "d/l", "d/k"] {
      events.append(ReviewEvent(time: at("2026-02-10T09:00:00Z"), card: key, action: .review(.good)))
    }
    // Out of time order in the file: replayed by time.
    events.append(ReviewEvent(time: at("2026-02-05T09:00:00Z"), card: "d/j", action: .review(.good)))
    var balancer: LoadBalancer? = LoadBalancer()
    let columns = EventColumns(events)
    #expect(columns.keys == ["d/m", "d/k", "d/l", "d/j"])
    let records = CollectionReplay.replay(columns, replayer: replayer, balancer: &balancer).dictionary(
      keys: columns.keys)
    var stepwise = LoadBalancer()
    var expected: [String: CardRecord] = [:]
    let ordered = events.sorted { $0.time != $1.time ? $0.time < $1.time : $0.card < $1.card }
    for event in ordered {
      replayer.apply(event, card: event.card, to: &expected[event.card, default: CardRecord()], balancer: &stepwise)
    }
    #expect(records == expected)
    #expect(balancer == stepwise)
  }

  @Test func `each standing review is handed over with the state before it, as facts list them`() {
    var balancer: LoadBalancer? = LoadBalancer()
    let columns = EventColumns(events)
    let facts = CollectionReplay.replay(columns, replayer: replayer, balancer: &balancer, collectFacts: true).facts
    var seen: [CollectionReplay.ReviewSeen] = []
    var again: LoadBalancer? = LoadBalancer()
    let result = CollectionReplay.replay(columns, replayer: replayer, balancer: &again) { seen.append($0) }
    #expect(result.facts.isEmpty)
    #expect(again == balancer)
    #expect(seen.map { columns.keys[$0.card] } == facts.map(\.card))
    #expect(seen.map(\.time) == facts.map(\.time))
    #expect(seen.map(\.rating) == facts.map(\.rating))
    #expect(seen.map(\.before?.phase) == facts.map(\.phaseBefore))
    #expect(seen.map(\.intervalBefore) == facts.map(\.intervalBefore))
    // The undone Again of d/b and the quiz are not reviews that stand.
    #expect(seen.count == 4)
  }

  /// Two devices and lines without an id: the replay order and the undo rule are the sync
  /// rules (an undo names what it cancels, or cancels only its own origin's latest).
  var deviceEvents: [ReviewEvent] {
    func id(_ device: String, _ sequence: Int) -> EventID { EventID(device: device, sequence: sequence) }
    return [
      // d/x: the desk's undo without a target cancels the desk's Good, not the phone's later Again.
      ReviewEvent(time: at("2026-02-01T09:00:00Z"), card: "d/x", action: .review(.good), id: id("desk", 1)),
      ReviewEvent(time: at("2026-02-01T10:00:00Z"), card: "d/x", action: .review(.again), id: id("phone", 1)),
      ReviewEvent(time: at("2026-02-01T11:00:00Z"), card: "d/x", action: .undo, id: id("desk", 2)),
      // d/y: the phone's undo names its own Easy; the desk's later Hard stays.
      ReviewEvent(time: at("2026-02-01T09:00:00Z"), card: "d/y", action: .review(.easy), id: id("phone", 2)),
      ReviewEvent(time: at("2026-02-01T10:00:00Z"), card: "d/y", action: .review(.hard), id: id("desk", 3)),
      ReviewEvent(
        time: at("2026-02-01T11:00:00Z"), card: "d/y", action: .undo, id: id("phone", 3),
        target: id("phone", 2)),
      // d/z: the same millisecond on two devices, the phone's first in the file: the desk's
      // replays first (device names in order), so Again comes before Easy.
      ReviewEvent(time: at("2026-02-02T09:00:00Z"), card: "d/z", action: .review(.easy), id: id("phone", 4)),
      ReviewEvent(time: at("2026-02-02T09:00:00Z"), card: "d/z", action: .review(.again), id: id("desk", 4)),
      // d/w: a line without an id, a bury, and an unbury naming that bury.
      ReviewEvent(time: at("2026-02-01T08:00:00Z"), card: "d/w", action: .review(.good)),
      ReviewEvent(time: at("2026-02-03T09:00:00Z"), card: "d/w", action: .bury, id: id("desk", 5)),
      ReviewEvent(
        time: at("2026-02-03T10:00:00Z"), card: "d/w", action: .unbury, id: id("phone", 5),
        target: id("desk", 5)),
    ]
  }

  @Test func `ids and targets are kept and the replay follows the sync rules`() {
    let columns = EventColumns(deviceEvents)
    for index in deviceEvents.indices { #expect(columns.event(at: index) == deviceEvents[index]) }
    var none: LoadBalancer? = nil
    let result = CollectionReplay.replay(columns, replayer: replayer, balancer: &none, collectFacts: true)
    let records = result.dictionary(keys: columns.keys)
    for key in columns.keys {
      #expect(records[key] == replayer.replay(card: key, events: deviceEvents.filter { $0.card == key }))
    }
    let ratings = { (card: String) in result.facts.filter { $0.card == card }.map(\.rating) }
    #expect(ratings("d/x") == [.again])
    #expect(ratings("d/y") == [.hard])
    #expect(ratings("d/z") == [.again, .easy])
    #expect(records["d/w"]?.buriedAt == nil)
    #expect(records["d/w"]?.reviewCount == 1)
    // With a balancer: the same standing events, so the same reviews counted.
    var balancer: LoadBalancer? = LoadBalancer()
    let balanced = CollectionReplay.replay(columns, replayer: replayer, balancer: &balancer, collectFacts: true)
    #expect(balanced.facts.count == result.facts.count)
    #expect(balanced.dictionary(keys: columns.keys).mapValues(\.reviewCount) == records.mapValues(\.reviewCount))
  }

  @Test func `rows appended in batches fill the columns in order, targets by event index`() {
    // More rows than a batch holds, a target past the first batch, and an empty batch at the end.
    let count = EventColumns.Batch.capacity * 2 + 3
    let rows = (0..<count).map { index in
      EventColumns.Row(
        time: Int64(index) * 1000, card: Int32(index % 7), rating: Int32(1 + index % 4), duration: Int64(index),
        kind: 0, device: UInt16(index % 3), sequence: UInt32(index % 3 == 0 ? 0 : index),
        target: index % 100 == 99 ? EventID(device: "desk", sequence: index) : nil)
    }
    var columns = EventColumns()
    let batch = EventColumns.Batch()
    for row in rows {
      batch.append(row)
      if batch.isFull { columns.append(batch) }
    }
    columns.append(batch)
    columns.append(batch)
    #expect(batch.count == 0)
    #expect(columns.count == count)
    #expect(columns.cards == rows.map(\.card))
    #expect(columns.times == rows.map(\.time))
    #expect(columns.durations == rows.map(\.duration))
    #expect(columns.kindNumbers == rows.map(\.kind))
    #expect(columns.deviceNumbers == rows.map(\.device))
    #expect(columns.sequences == rows.map(\.sequence))
    #expect(columns.targets.keys.sorted() == [99, 199, 299, 399, 499].filter { $0 < count })
    columns.name(keys: (0..<7).map { "d/\($0)" }, kinds: [.review], devices: ["desk", "phone"])
    for (index, row) in rows.enumerated() {
      let id = row.device == 0 ? nil : EventID(device: ["desk", "phone"][Int(row.device) - 1], sequence: index)
      #expect(
        columns.event(at: index)
          == ReviewEvent(
            time: Timestamp(milliseconds: row.time), card: "d/\(row.card)",
            action: .review(Rating(rawValue: Int(row.rating))!),
            durationMilliseconds: row.duration, id: id, target: row.target))
    }
  }
}
