import Testing

@testable import EngramCore

/// A whole-log replay over columns equals `Replayer.apply` on each event in the replay order,
/// on random histories: both the front-to-back replay of a log written in time order and the
/// settled, sorted replay of any other log (shuffled lines, undos, cards sharing a millisecond,
/// ids whose order differs from the file's).
@Suite struct CollectionReplayOrderTests {
  let scheduler = Scheduler(settings: SchedulerSettings(enableFuzz: true))
  var replayer: Replayer { Replayer(scheduler: scheduler, dayStart: at("2026-06-01T04:00:00Z")) }
  static let cards = (0..<24).map { "d/c\($0)" }

  /// `count` events in time order over a few cards: every kind a log holds (reviews with
  /// ratings outside 1…4 too, a scenario line, an unknown kind), minutes to weeks apart, so
  /// cards go through learning, review and lapses and the balancer moves due days. Two
  /// different cards never share a millisecond unless `sharedMilliseconds`; a card's own
  /// events sometimes do (a leech with its review).
  static func history(seed: UInt64, count: Int, sharedMilliseconds: Bool = false) -> [ReviewEvent] {
    var random = SeededRandom(seed: seed)
    var time = at("2025-01-01T09:00:00Z")
    var events: [ReviewEvent] = []
    var previousCard = ""
    for _ in 0..<count {
      var card = cards[Int(random.next() % UInt64(cards.count))]
      let gap = random.next() % 8
      if gap == 0 && !events.isEmpty {
        // Same millisecond as the line before: the same card, unless cards may share one.
        if !sharedMilliseconds { card = previousCard }
      } else {
        let minutes = Int64(1 + random.next() % (gap < 4 ? 60 : 60 * 24 * 9))
        time = time + .minutes(minutes) + Interval(milliseconds: Int64(random.next() % 1000))
      }
      previousCard = card
      let pick = random.next() % 100
      let kind: ReviewEvent.Kind
      var rating = 0
      switch pick {
      case 0..<66:
        kind = .review
        // Mostly Good, some Again/Hard/Easy, and a few ratings no review has.
        let roll = random.next() % 20
        rating = roll == 0 ? 0 : roll == 1 ? 5 : roll < 5 ? 1 : roll < 7 ? 2 : roll < 9 ? 4 : 3
      case 66..<70:
        kind = .quiz
        rating = Int(1 + random.next() % 4)
      case 70..<72: kind = .weak
      case 72..<75: kind = .suspend
      case 75..<79: kind = .unsuspend
      case 79..<82: kind = .bury
      case 82..<84: kind = .unbury
      case 84..<85: kind = .forget
      case 85..<88:
        kind = .leech
        rating = Int(random.next() % 2)
      case 88..<93:
        kind = pick % 2 == 0 ? .postpone : .advance
        rating = Int(random.next() % 40)
      case 93..<96:
        kind = .scenario
        card = "drill"
        rating = Int(random.next() % 4)
      default: kind = .other("future")
      }
      // Through the log's own mapping, as the parser would read such a line: a review rated 0 or
      // 5 (which the parser refuses) becomes a line of unknown meaning, which replay ignores.
      let action = RatingColumn.storedAction(kind: kind, value: Int64(rating))
      events.append(ReviewEvent(time: time, card: card, action: action, durationMilliseconds: 900))
    }
    return events
  }

  /// The rule by hand: each card's standing events (`Replayer.standing`), merged by time, then
  /// key, then the card's own order, each applied with `Replayer.apply`.
  func stepwise(_ events: [ReviewEvent]) -> (records: [String: CardRecord], balancer: LoadBalancer) {
    var balancer = LoadBalancer()
    var records: [String: CardRecord] = [:]
    let keys = Set(events.filter(\.kind.isAboutCard).map(\.card))
    let standing = keys.sorted().flatMap { key in
      Replayer.standing(events.filter { $0.card == key && $0.kind.isAboutCard })
    }
    let ordered = standing.enumerated().sorted {
      let (a, b) = ($0.element, $1.element)
      return a.time != b.time ? a.time < b.time : a.card != b.card ? a.card < b.card : $0.offset < $1.offset
    }.map(\.element)
    for event in ordered {
      replayer.apply(event, card: event.card, to: &records[event.card, default: CardRecord()], balancer: &balancer)
    }
    // A card whose events were all undone has an empty record, as the replay gives it.
    for key in keys where records[key] == nil { records[key] = CardRecord() }
    return (records, balancer)
  }

  /// Checks both replays (balanced and not) against the rule; gives their records.
  @discardableResult
  func expectReplayFollowsTheRule(_ events: [ReviewEvent], sourceLocation: SourceLocation = #_sourceLocation)
    -> (balanced: [String: CardRecord], plain: [String: CardRecord])
  {
    let columns = EventColumns(events)
    var balancer: LoadBalancer? = LoadBalancer()
    let balanced = CollectionReplay.replay(columns, replayer: replayer, balancer: &balancer)
    let expected = stepwise(events)
    #expect(balanced.dictionary(keys: columns.keys) == expected.records, sourceLocation: sourceLocation)
    #expect(balancer == expected.balancer, sourceLocation: sourceLocation)
    #expect(!expected.records.isEmpty, sourceLocation: sourceLocation)
    var none: LoadBalancer? = nil
    let plain = CollectionReplay.replay(columns, replayer: replayer, balancer: &none).dictionary(keys: columns.keys)
    for (key, record) in plain {
      #expect(
        record == replayer.replay(card: key, events: events.filter { $0.card == key }),
        sourceLocation: sourceLocation)
    }
    #expect(Set(plain.keys) == Set(expected.records.keys), sourceLocation: sourceLocation)
    return (balanced.dictionary(keys: columns.keys), plain)
  }

  @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
  func `a log in time order replays front to back as the rule applies it`(seed: UInt64) {
    let replayed = expectReplayFollowsTheRule(Self.history(seed: seed, count: 600))
    // The balancer moved some due day away from the plain fuzz: balanced reviews are covered.
    #expect(replayed.balanced.contains { $0.value.schedule?.due != replayed.plain[$0.key]?.schedule?.due })
  }

  @Test(arguments: [UInt64(7), 8, 9])
  func `cards that share a millisecond in a log in time order replay in key order`(seed: UInt64) {
    expectReplayFollowsTheRule(Self.history(seed: seed, count: 600, sharedMilliseconds: true))
  }

  @Test(arguments: [UInt64(10), 11, 12])
  func `shuffled lines replay as the rule orders them`(seed: UInt64) {
    var random = SeededRandom(seed: seed)
    expectReplayFollowsTheRule(Self.history(seed: seed, count: 600).shuffled(using: &random))
  }

  /// A history in time order with ids, and now and then, right after a review (or a bury), a
  /// line taking it back: an undo (naming it, or the latest of its device) or an unbury naming
  /// the bury. Each such line comes before the next line's time, so the log stays in time order.
  static func withTakeBacks(seed: UInt64, undo: Bool) -> [ReviewEvent] {
    var random = SeededRandom(seed: seed)
    var sequence = 0
    var result: [ReviewEvent] = []
    for event in history(seed: seed, count: 500) {
      sequence += 1
      var event = event
      event.id = EventID(device: "desk", sequence: sequence)
      // A millisecond later than the line before, but not past the next one (lines are at
      // least a minute apart unless they share a millisecond).
      if let last = result.last, last.time >= event.time { event.time = last.time + Interval(milliseconds: 1) }
      result.append(event)
      let roll = random.next() % 10
      guard roll < 4, event.kind == (undo ? .review : .bury) else { continue }
      sequence += 1
      result.append(
        ReviewEvent(
          time: event.time + Interval(milliseconds: 1), card: event.card, action: undo ? .undo : .unbury,
          id: EventID(device: "desk", sequence: sequence), target: roll == 0 && undo ? nil : event.id))
    }
    return result
  }

  @Test(arguments: [UInt64(13), 14, 15])
  func `undos in a log in time order are settled before the replay`(seed: UInt64) {
    let events = Self.withTakeBacks(seed: seed, undo: true)
    #expect(events.contains { $0.kind == .undo })
    let replayed = expectReplayFollowsTheRule(events)
    // Some review was taken back: fewer reviews count than the log has.
    let reviews = events.filter {
      if case .review = $0.action { true } else { false }
    }.count
    #expect(replayed.plain.values.map(\.reviewCount).reduce(0, +) < reviews)
  }

  @Test(arguments: [UInt64(17), 18])
  func `unburies naming their bury in a log in time order are settled before the replay`(seed: UInt64) {
    let events = Self.withTakeBacks(seed: seed, undo: false)
    #expect(events.contains { $0.kind == .unbury && $0.target != nil })
    expectReplayFollowsTheRule(events)
  }

  @Test func `review cards sharing a millisecond in a log in time order take due days in key order`() {
    // Forty cards made review cards a minute apart, then all rated Good at one millisecond,
    // written in the reverse of key order: the balancer gives each the emptiest day as it
    // stands, so which card goes first decides which day each gets.
    let keys = (0..<40).map { "d/k\(1000 + $0)" }
    var events: [ReviewEvent] = []
    for (offset, key) in keys.enumerated() {
      events.append(
        ReviewEvent(time: at("2026-02-01T09:00:00Z") + .minutes(Int64(offset)), card: key, action: .review(.easy)))
    }
    for key in keys.reversed() {
      events.append(ReviewEvent(time: at("2026-02-20T09:00:00Z"), card: key, action: .review(.good)))
    }
    let replayed = expectReplayFollowsTheRule(events)
    // In file order the days would differ: the order matters here.
    var inFileOrder: [String: CardRecord] = [:]
    var balancer = LoadBalancer()
    for event in events {
      replayer.apply(event, card: event.card, to: &inFileOrder[event.card, default: CardRecord()], balancer: &balancer)
    }
    #expect(inFileOrder != replayed.balanced)
  }

  @Test func `a card's lines in one millisecond whose ids order them against the file are reordered`() {
    // Two devices: the laptop's lines come after the desk's at the same millisecond, but are
    // written first in the file.
    var events = Self.history(seed: 16, count: 400)
    for index in events.indices {
      events[index].id = EventID(device: index % 2 == 0 ? "laptop" : "desk", sequence: index + 1)
    }
    let time = at("2027-01-01T09:00:00Z")
    events.append(
      ReviewEvent(
        time: time, card: "d/c1", action: .review(.again), id: EventID(device: "laptop", sequence: 1000)))
    events.append(
      ReviewEvent(time: time, card: "d/c1", action: .review(.easy), id: EventID(device: "desk", sequence: 1001)))
    expectReplayFollowsTheRule(events)
  }
}
