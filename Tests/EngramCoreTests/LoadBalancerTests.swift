import Testing

@testable import EngramCore

@Suite struct LoadBalancerTests {
  @Test(arguments: [(Int64(0), 3), (Int64(4), 0), (Int64(10), 6), (Int64(-1), 2), (Int64(20_423), 0)])
  func `study day numbers map to weekdays from Monday`(day: Int64, weekday: Int) {
    // Day 0 is 1970-01-01, a Thursday; day 20,423 is 2025-12-01, a Monday.
    #expect(LoadBalancer.weekday(ofDay: day) == weekday)
  }

  @Test func `the study day of a time counts whole days after the offset, flooring before 1970`() {
    let balancer = LoadBalancer(dayOffset: -4 * 3_600_000)
    #expect(balancer.day(of: at("2026-01-02T03:59:59Z")) == balancer.day(of: at("2026-01-01T04:00:00Z")))
    #expect(balancer.day(of: at("2026-01-02T04:00:00Z")) == balancer.day(of: at("2026-01-01T04:00:00Z")) + 1)
    #expect(LoadBalancer().day(of: Timestamp(milliseconds: -1)) == -1)
  }

  func card(dueDay: Int64) -> CardRecord {
    var record = CardRecord()
    let due = Timestamp(milliseconds: dueDay * 86_400_000 + 3_600_000)
    record.schedule = CardSchedule(phase: .review, step: nil, stability: 10, difficulty: 5, due: due, lastReview: due)
    return record
  }

  @Test func `an empty range day wins over loaded ones for most draws`() {
    var balancer = LoadBalancer()
    for day: Int64 in [101, 102, 104] {
      for _ in 0..<9 { balancer.add(card(dueDay: day)) }
    }
    // Weights ∝ (1/10)²/1, (1/10)²/2, (1/1)²/3, (1/10)²/4: day 103 takes 0.333/0.3516 of the mass.
    let picks = (0..<1000).compactMap { balancer.interval(in: 1...4, reviewDay: 100, draw: Double($0) / 1000) }
    let share = Double(picks.filter { $0 == 3 }.count) / 1000
    #expect(abs(share - (1.0 / 3) / (0.01 + 0.005 + 1.0 / 3 + 0.0025)) < 0.002)
  }

  @Test func `a day with share zero is never chosen and all-zero ranges give nil`() {
    // Day 100 is a Saturday (weekday 5); 101 Sunday.
    #expect(LoadBalancer.weekday(ofDay: 101) == 6)
    let balancer = LoadBalancer(easyDays: [1, 1, 1, 1, 1, 1, 0])
    let picks = (0..<200).compactMap { balancer.interval(in: 1...3, reviewDay: 100, draw: Double($0) / 200) }
    #expect(picks.count == 200)
    #expect(!picks.contains(1))
    #expect(balancer.interval(in: 1...1, reviewDay: 100, draw: 0.5) == nil)
  }

  /// The weighted pick written plainly, day by day through `due(onDay:)`: what `interval`
  /// must give whatever days its counts hold.
  func plainPick(_ balancer: LoadBalancer, in range: ClosedRange<Int>, reviewDay: Int64, draw: Double) -> Int? {
    let weights = range.map { days -> Double in
      let day = reviewDay + Int64(days)
      let relative = balancer.easyDays[LoadBalancer.weekday(ofDay: day)] / Double(balancer.due(onDay: day) + 1)
      return relative * relative / Double(max(days, 1))
    }
    let total = weights.reduce(0, +)
    guard total > 0 else { return nil }
    var point = min(max(draw, 0), 1) * total
    for (offset, value) in weights.enumerated() where value > 0 {
      if point < value { return range.lowerBound + offset }
      point -= value
    }
    return range.last { weights[$0 - range.lowerBound] > 0 }
  }

  @Test func `the pick reads days before, inside and after the counted days and crowded days alike`() {
    var balancer = LoadBalancer(easyDays: [1, 0.5, 1, 1, 0.25, 1, 0])
    // Counts from day 1,000 on (the storage then starts 256 days earlier); one crowded day.
    for day: Int64 in [1000, 1001, 1001, 1003, 1700, 2100] { balancer.add(card(dueDay: day)) }
    for _ in 0..<600 { balancer.add(card(dueDay: 1002)) }
    for reviewDay: Int64 in [600, 700, 990, 1000, 1650, 2000, 2500] {
      for range in [2...4, 3...40, 200...260, 900...1100] {
        for draw in stride(from: 0.0, through: 1.0, by: 0.0625) {
          #expect(
            balancer.interval(in: range, reviewDay: reviewDay, draw: draw)
              == plainPick(balancer, in: range, reviewDay: reviewDay, draw: draw))
        }
      }
    }
  }

  @Test func `a balanced review picks from the load without the card, as fuzzing then moving the day did`() {
    let scheduler = Scheduler(settings: SchedulerSettings(relearningSteps: []))
    let replayer = Replayer(scheduler: scheduler, dayStart: at("2026-06-01T04:00:00Z"))
    var balancer = LoadBalancer(easyDays: [1, 1, 0.5, 1, 1, 0, 1])
    var plain = balancer
    let ratings: [Rating] = [.easy, .good, .again, .hard, .good, .easy, .again, .good, .good, .hard, .easy, .good]
    var records = [CardRecord](repeating: CardRecord(), count: 5)
    var expected = records
    for (step, rating) in ratings.enumerated() {
      for card in records.indices {
        let key = "deck/card-\(card)"
        let time = at("2026-01-05T09:00:00Z") + .days(Int64(step * 9 + card)) + .minutes(Int64(card * 7))
        let event = ReviewEvent(time: time, card: key, action: .review(card == 3 ? .good : rating))
        replayer.apply(event, card: key, to: &records[card], balancer: &balancer)
        // Session 6's rule: the fuzzed review, then the balancer's pick from the same range.
        plain.remove(expected[card])
        replayer.apply(event, card: key, to: &expected[card])
        if let schedule = expected[card].schedule, schedule.phase == .review {
          let days = scheduler.nextInterval(stability: schedule.stability)
          if days >= 3,
            let chosen = plain.interval(
              in: scheduler.fuzzRange(days: days), reviewDay: plain.day(of: time),
              draw: FuzzSeed.draw(card: key, time: time))
          {
            expected[card].schedule?.due = time + .days(Int64(chosen))
          }
        }
        plain.add(expected[card])
        #expect(records[card] == expected[card])
      }
    }
    #expect(balancer == plain)
  }

  @Test func `suspended and non-review cards do not count`() {
    var balancer = LoadBalancer()
    var suspended = card(dueDay: 5)
    suspended.suspended = true
    balancer.add(suspended)
    var learning = card(dueDay: 5)
    learning.schedule?.phase = .learning
    balancer.add(learning)
    #expect(balancer.due(onDay: 5) == 0)
    balancer.add(card(dueDay: 5))
    balancer.add(card(dueDay: 5))
    balancer.remove(card(dueDay: 5))
    #expect(balancer.due(onDay: 5) == 1)
  }
}

/// The acceptance: 2,000 identical cards with identical histories.
@Suite struct CollectionReplayTests {
  static let cardCount = 2000
  let scheduler = Scheduler(settings: SchedulerSettings(enableFuzz: true))
  var replayer: Replayer { Replayer(scheduler: scheduler, dayStart: at("2026-04-01T04:00:00Z")) }

  /// Easy on 2 Feb 2026 (straight to review), Good on 10 Feb, every card at the same instants.
  var cards: [(key: String, events: [ReviewEvent])] {
    (0..<CollectionReplayTests.cardCount).map { index in
      let key = "deck/card-\(index)"
      return (
        key,
        [
          ReviewEvent(time: at("2026-02-02T09:00:00Z"), card: key, action: .review(.easy)),
          ReviewEvent(time: at("2026-02-10T09:00:00Z"), card: key, action: .review(.good)),
        ]
      )
    }
  }

  /// Cards due per study day, from the first to the last day any card falls on.
  func dailyCounts(_ records: [String: CardRecord]) -> [Int64: Int] {
    var counts: [Int64: Int] = [:]
    for record in records.values {
      guard let due = record.schedule?.due else { continue }
      counts[due.milliseconds / 86_400_000, default: 0] += 1
    }
    return counts
  }

  func variation(_ counts: [Int64: Int]) -> Double {
    guard let first = counts.keys.min(), let last = counts.keys.max() else { return 0 }
    let values = (first...last).map { Double(counts[$0] ?? 0) }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return variance.squareRoot() / mean
  }

  @Test func `load balancing at least halves the day-to-day spread of fuzz alone`() {
    let fuzzOnly = Dictionary(
      uniqueKeysWithValues: cards.map { ($0.key, replayer.replay(card: $0.key, events: $0.events)) })
    var balancer = LoadBalancer()
    let balanced = CollectionReplay.replay(cards: cards, replayer: replayer, balancer: &balancer).records
    let plain = variation(dailyCounts(fuzzOnly))
    let even = variation(dailyCounts(balanced))
    #expect(plain > 0.05)
    #expect(even <= plain / 2, "CV balanced \(even) vs fuzz alone \(plain)")
    // Balancing moves a due day only within the fuzz range.
    let stability = balanced["deck/card-0"]?.schedule?.stability ?? 0
    let range = scheduler.fuzzRange(days: scheduler.nextInterval(stability: stability))
    for record in balanced.values {
      let days = Int(
        ((record.schedule?.due ?? at("2026-02-10T09:00:00Z")) - at("2026-02-10T09:00:00Z")).milliseconds / 86_400_000)
      #expect(range.contains(days))
    }
  }

  @Test func `with Sunday at zero at most two percent fall on a Sunday`() {
    var balancer = LoadBalancer(easyDays: [1, 1, 1, 1, 1, 1, 0])
    let records = CollectionReplay.replay(cards: cards, replayer: replayer, balancer: &balancer).records
    let sundays = records.values.filter {
      LoadBalancer.weekday(ofDay: balancer.day(of: $0.schedule?.due ?? Timestamp(milliseconds: 0))) == 6
    }
    #expect(Double(sundays.count) / Double(CollectionReplayTests.cardCount) <= 0.02)
    // Without easy days about a seventh or more of a 9-day range lands on the Sunday.
    var plain = LoadBalancer()
    let spread = CollectionReplay.replay(cards: cards, replayer: replayer, balancer: &plain).records
    #expect(
      spread.values.filter {
        LoadBalancer.weekday(ofDay: plain.day(of: $0.schedule?.due ?? Timestamp(milliseconds: 0))) == 6
      }.count > 100)
  }

  @Test func `applying events one by one in replay order equals the full replay`() {
    var full = LoadBalancer()
    let replayed = CollectionReplay.replay(cards: cards, replayer: replayer, balancer: &full).records
    var stepwise = LoadBalancer()
    var records: [String: CardRecord] = [:]
    let ordered = cards.flatMap(\.events).sorted {
      CollectionReplay.Position(time: $0.time, card: $0.card) < CollectionReplay.Position(time: $1.time, card: $1.card)
    }
    for event in ordered {
      replayer.apply(event, card: event.card, to: &records[event.card, default: CardRecord()], balancer: &stepwise)
    }
    #expect(records == replayed)
    #expect(stepwise == full)
  }

  @Test func `the replay does not depend on the order cards and events are given in`() {
    var first = LoadBalancer()
    let forward = CollectionReplay.replay(cards: cards, replayer: replayer, balancer: &first).records
    var second = LoadBalancer()
    let backward = CollectionReplay.replay(
      cards: cards.reversed().map { ($0.key, $0.events.reversed()) }, replayer: replayer, balancer: &second
    ).records
    #expect(forward == backward)
  }
}
