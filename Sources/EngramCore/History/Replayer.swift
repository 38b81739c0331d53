/// Derives a card's state by replaying its log events through the scheduler.
///
/// Replay, not stored state, is the source of truth: changing the configuration (desired
/// retention, steps, parameters) re-derives every card the next time the log is read.
public struct Replayer: Sendable {
  public let scheduler: Scheduler
  /// Start of "today" (the day rollover), for the per-day counts in `CardRecord`.
  public let dayStart: Timestamp

  /// The longest move a `postpone` or `advance` event may make, in days (the longest interval).
  public static let longestMove = 36500

  public init(scheduler: Scheduler, dayStart: Timestamp) {
    self.scheduler = scheduler
    self.dayStart = dayStart
  }

  /// The record of a card from its events in any order: they are sorted by time, ties keeping
  /// the given (file) order.
  public func replay(card: String, events: [ReviewEvent]) -> CardRecord {
    var record = CardRecord()
    for event in Replayer.standing(events) { apply(event, card: card, to: &record) }
    return record
  }

  /// A card's events in replay order (by time, then device and sequence; lines without an id
  /// first, in file order) with every undo removed together with the event it cancels, and
  /// every unbury that names its bury removed with that bury.
  ///
  /// An undo that names its target (`target`) cancels exactly that review, postpone or advance
  /// (with the leech events that name it or came with it), whichever device's events lie
  /// between them. An undo that names none (older logs) cancels the latest review, postpone or
  /// advance still standing before it among the events of its own origin (the same device, or
  /// the lines without an id): one device's undo never cancels another's review.
  public static func standing(_ events: [ReviewEvent]) -> [ReviewEvent] {
    standingPositions(events).map { events[$0] }
  }

  /// The rule of `standing(_:)` as positions in `events` (file order): the positions that
  /// stand, in replay order. One rule for a card's event list and for a replay over
  /// `EventColumns`, which settles only the cards whose events are out of order or cancel
  /// another.
  public static func standingPositions(_ events: [ReviewEvent]) -> [Int] {
    var ordered = Array(events.indices)
    if !isSorted(events) {
      ordered.sort {
        ReviewEvent.replaysBefore(events[$0], events[$1])
          || (!ReviewEvent.replaysBefore(events[$1], events[$0]) && $0 < $1)
      }
    }
    var cancelled = Set<Int>()
    // Undoable events per origin (a handful: looked up by a linear search), each with the leech
    // events that came with it. Ids are indexed only when some event names a target.
    var origins: [String] = []
    var stacks: [[(index: Int, attached: [Int])]] = []
    func stack(_ origin: String) -> Int {
      if let found = origins.lastIndex(of: origin) { return found }
      origins.append(origin)
      stacks.append([])
      return stacks.count - 1
    }
    let named = events.contains { $0.target != nil }
    var byID: [EventID: (stack: Int, index: Int)] = [:]
    var buries: [EventID: Int] = [:]
    func cancel(_ entry: (index: Int, attached: [Int]), by undo: Int) {
      cancelled.insert(undo)
      cancelled.insert(entry.index)
      cancelled.formUnion(entry.attached)
    }
    for (index, position) in ordered.enumerated() {
      let event = events[position]
      switch event.kind {
      case .review, .postpone, .advance:
        let origin = stack(event.id?.device ?? "")
        stacks[origin].append((index, []))
        if named, let id = event.id { byID[id] = (origin, index) }
      case .leech:
        if let target = event.target {
          guard let found = byID[target],
            let place = stacks[found.stack].lastIndex(where: { $0.index == found.index })
          else { continue }
          stacks[found.stack][place].attached.append(index)
        } else {
          let origin = stack(event.id?.device ?? "")
          if let last = stacks[origin].last, events[ordered[last.index]].kind == .review,
            events[ordered[last.index]].time == event.time
          {
            stacks[origin][stacks[origin].count - 1].attached.append(index)
          }
        }
      case .bury:
        if named, let id = event.id { buries[id] = index }
      case .unbury:
        if let target = event.target, let buryIndex = buries[target], !cancelled.contains(buryIndex) {
          cancelled.insert(buryIndex)
          cancelled.insert(index)
        }
      case .undo:
        if let target = event.target {
          guard let found = byID[target],
            let place = stacks[found.stack].lastIndex(where: { $0.index == found.index })
          else { continue }
          cancel(stacks[found.stack].remove(at: place), by: index)
        } else {
          let origin = stack(event.id?.device ?? "")
          if let last = stacks[origin].popLast() { cancel(last, by: index) }
        }
      default:
        break
      }
    }
    return ordered.enumerated().filter { !cancelled.contains($0.offset) }.map(\.element)
  }

  /// The event an undo written now by `device` cancels: the latest review, postpone or advance
  /// of this card that `device` wrote and that still stands (nil: none). Only that device's
  /// own events are candidates, so an undo never takes back what another device did.
  public static func undoTarget(in events: [ReviewEvent], device: String) -> EventID? {
    standing(events).last {
      $0.id?.device == device && $0.kind.isUndoable
    }?.id
  }

  /// The bury an unbury written now by `device` takes back: its latest bury still standing.
  public static func unburyTarget(in events: [ReviewEvent], device: String) -> EventID? {
    standing(events).last { $0.id?.device == device && $0.kind == .bury }?.id
  }

  /// Applies one event to a record; also used to update a record incrementally after an answer.
  public func apply(_ event: ReviewEvent, card: String, to record: inout CardRecord) {
    apply(event, fuzzKey: FuzzSeed.keyHash(card), to: &record)
  }

  /// Applies one event to the record of the card whose `FuzzSeed.keyHash` is `fuzzKey` (the
  /// event's own `card` is not read: a replay hashes each key once).
  func apply(_ event: ReviewEvent, fuzzKey: UInt64, to record: inout CardRecord) {
    apply(event.action, time: event.time, namesTarget: event.target != nil, fuzzKey: fuzzKey, to: &record)
  }

  /// Applies one event with load balancing: the record leaves the balancer's counts, the event
  /// is applied, and a review that schedules the card in review has its due day chosen by the
  /// balancer within the fuzz range; then the record counts again.
  public func apply(_ event: ReviewEvent, card: String, to record: inout CardRecord, balancer: inout LoadBalancer) {
    apply(event, fuzzKey: FuzzSeed.keyHash(card), to: &record, balancer: &balancer)
  }

  /// The same for the card whose `FuzzSeed.keyHash` is `fuzzKey`.
  func apply(_ event: ReviewEvent, fuzzKey: UInt64, to record: inout CardRecord, balancer: inout LoadBalancer) {
    apply(
      event.action, time: event.time, namesTarget: event.target != nil, fuzzKey: fuzzKey, to: &record,
      balancer: &balancer)
  }

  // MARK: The rule

  /// The one definition of applying an event, on its parts: every other `apply` (one event
  /// after an answer, a card's replay, a whole-log replay over columns) comes here.
  ///
  /// - Parameters:
  ///   - namesTarget: whether the event names another (only an unbury's is read).
  @inline(__always)
  func apply(
    _ action: ReviewEvent.Action, time: Timestamp, namesTarget: Bool, fuzzKey: UInt64, to record: inout CardRecord
  ) {
    apply(action, time: time, namesTarget: namesTarget, fuzzKey: fuzzKey, to: &record, picker: PlainFuzz())
  }

  /// The rule with a review's fuzzed day picked by `picker` (`PlainFuzz`: the plain fuzz), as
  /// `Scheduler.review(_:rating:at:fuzz:picker:)` does.
  @inline(__always)
  private func apply<Picker: IntervalPicker>(
    _ action: ReviewEvent.Action, time: Timestamp, namesTarget: Bool, fuzzKey: UInt64, to record: inout CardRecord,
    picker: borrowing Picker
  ) {
    record.lastEvent = max(record.lastEvent ?? time, time)
    switch action {
    case .review(let rating):
      let before = record.schedule
      if before == nil { record.introducedAt = time }
      if before?.phase == .review {
        if rating == .again { record.lapses += 1 }
        if time >= dayStart { record.reviewsToday += 1 }
      }
      let fuzz = scheduler.settings.enableFuzz ? FuzzSeed.draw(keyHash: fuzzKey, time: time) : nil
      record.schedule = scheduler.review(before, rating: rating, at: time, fuzz: fuzz, picker: picker)
      record.reviewCount += 1
      if rating.rawValue >= Rating.good.rawValue { record.weakSince = nil }
    case .quiz(let verdict):
      record.quizTotal += 1
      if verdict == .correct {
        record.quizCorrect += 1
        record.weakSince = nil
      }
    case .weak:
      record.weakSince = time
    case .suspend:
      record.suspended = true
    case .unsuspend:
      record.suspended = false
    case .bury:
      record.buriedAt = time
    case .unbury:
      // One that names its bury was settled with it in `standing`; an older one clears any.
      if !namesTarget { record.buriedAt = nil }
    case .forget:
      record.schedule = nil
      record.introducedAt = nil
    case .leech(let treatment):
      record.leechedAt = time
      if treatment == .suspend { record.suspended = true }
    case .postpone(let days), .advance(let days):
      // Only a review card has a due date in days to move; on any other card it does nothing.
      guard record.schedule?.phase == .review, days >= 0 else { return }
      record.schedule?.due = time + .days(Int64(min(days, Replayer.longestMove)))
    case .undo, .scenario, .other:
      // An undo was settled before applying; scenario and unknown kinds change nothing.
      break
    }
  }

  /// The rule with load balancing (see `apply(_:card:to:balancer:)`): the record leaves the
  /// balancer's counts, a review the fuzz would spread has its day picked by the balancer from
  /// the load without it, and the record counts again. The counts are updated by the record's
  /// day, read in place: the record (177 bytes) is not handed over.
  @inline(__always)
  func apply(
    _ action: ReviewEvent.Action, time: Timestamp, namesTarget: Bool, fuzzKey: UInt64, to record: inout CardRecord,
    balancer: inout LoadBalancer
  ) {
    if let day = balancer.countedDay(record) { balancer.remove(day: day) }
    apply(action, time: time, namesTarget: namesTarget, fuzzKey: fuzzKey, to: &record, picker: balancer)
    if let day = balancer.countedDay(record) { balancer.add(day: day) }
  }

  private static func isSorted(_ events: [ReviewEvent]) -> Bool {
    var previous: ReviewEvent?
    for event in events {
      if let previous, ReviewEvent.replaysBefore(event, previous) { return false }
      previous = event
    }
    return true
  }
}
