import EngramCore

/// The questions only the whole history answers: statistics, a card's events, leeches, the
/// latest postpone or advance batch, scenario events, review facts and the optimizer's
/// training set. Each reads the log (`OpenLog`) and hands it to the core's replay, so this part
/// of `Workspace` keeps no state of its own; `statistics` and `scenarioEvents` answer from what
/// the snapshot keeps beside the records when it has it.
extension Workspace {
  /// Statistics over `keys` (default: every card). Over every card with the per-day review
  /// tally known (kept with the records: `reviewTally`), from the records and the tally alone;
  /// otherwise replaying the whole log, each standing review tallied as the replay applies it
  /// (over every card, the tally is then kept for the next time: the caller saves the cache).
  public func statistics(now: Timestamp, keys: Set<String>? = nil) throws -> Statistics {
    if keys == nil, let daily = reviewTally {
      let (records, keys) = numberedRecords()
      return Statistics.compute(
        tally: Statistics.ReviewTally(daily: daily, days: statisticsDays(for: daily, now: now)), records: records,
        keys: keys, including: nil, decks: summaries, now: now, scheduler: scheduler,
        leechThreshold: config.leechPolicy.threshold)
    }
    // Due dates depend on every card's reviews (load balancing): replay all, then keep the
    // chosen cards. The log is held: `stats` asks for the scenario events next.
    try holdLog()
    let columns = try logColumns()
    var tallier = ReviewDayTallier(clock: clock, log: columns)
    let including = keys.map { keys in columns.keys.map(keys.contains) }
    var balancer = balancing
    let replayed = CollectionReplay.replay(
      columns, replayer: Replayer(scheduler: scheduler, dayStart: dayStart), balancer: &balancer
    ) { review in
      if including?[review.card] ?? true { tallier.add(review) }
    }
    let daily = tallier.tally
    // The log just replayed is the one the records describe (read with them, or checked
    // against their sizes when read now).
    if keys == nil { keep(reviewTally: daily) }
    let decks = summaries.compactMap { deck -> DeckSummary? in
      guard let keys else { return deck }
      let inside = deck.cardKeys.filter(keys.contains)
      return inside.isEmpty ? nil : DeckSummary(id: deck.id, title: deck.title, cardKeys: inside, source: deck.source)
    }
    return Statistics.compute(
      tally: Statistics.ReviewTally(daily: daily, days: statisticsDays(for: daily, now: now)),
      records: replayed.records, keys: columns.keys, including: including, decks: decks, now: now,
      scheduler: scheduler, leechThreshold: config.leechPolicy.threshold)
  }

  /// Study days for statistics: back to the first day with a review, so that streaks are not
  /// cut at a year (days before it count nothing), at least the past year, and the month ahead.
  private func statisticsDays(for daily: DailyReviewTally, now: Timestamp) -> StudyDays {
    let past = daily.starts.first.map { clock.dayNumber(of: now) - clock.dayNumber(of: $0) } ?? 0
    return clock.studyDays(around: now, past: max(370, past + 1), future: 32)
  }

  /// One card's events in file order (empty when it has none).
  public func events(of key: String) throws -> [ReviewEvent] { try allEvents()[key] ?? [] }

  /// Every leech, most lapses first: cards a `leech` event treated, or with at least
  /// `leech_threshold` lapses.
  public func leechReports() throws -> [LeechReport] {
    let threshold = config.leechPolicy.threshold
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    return try records.filter { $0.value.leechedAt != nil || $0.value.lapses >= threshold }
      .map { key, record in
        LeechReport(key: key, card: card(key), events: try events(of: key), record: record, replayer: replayer)
      }
      .sorted { $0.lapses != $1.lapses ? $0.lapses > $1.lapses : $0.key < $1.key }
  }

  /// The cards of this device's latest still-standing batch of `kind` events (postpone or
  /// advance) whose latest undoable event of this device is that one: what an undo of that
  /// batch takes back. Another device's batch is its own to undo.
  public func latestBatch(of kind: ReviewEvent.Kind) throws -> [String] {
    let device = try deviceName.get()
    var latest: Timestamp?
    var cards: [(String, Timestamp)] = []
    for (key, cardEvents) in try allEvents() {
      let standing = Replayer.standing(cardEvents).filter { $0.id?.device == device }
      guard
        let last = standing.last(where: {
          $0.kind.isUndoable
        }), last.kind == kind
      else { continue }
      cards.append((key, last.time))
      latest = max(latest ?? last.time, last.time)
    }
    guard let latest else { return [] }
    return cards.filter { $0.1 == latest }.map(\.0).sorted()
  }

  /// Every scenario choice and ending in the log, in replay order (time, then device and
  /// sequence): kept with the records, or read from the log (and then kept).
  public func scenarioEvents() throws -> [ReviewEvent] {
    if let events = keptScenarioEvents { return events }
    let events = SnapshotLoader.scenarioEvents(in: try logColumns())
    keep(scenarioEvents: events)
    return events
  }

  /// Every standing review (undone ones removed) with the card's state before it.
  public func reviewFacts() throws -> [ReviewFact] {
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    return try allEvents().flatMap { card, cardEvents in replayer.replayWithFacts(card: card, events: cardEvents).1 }
  }

  /// The review history shaped for fitting FSRS: each card's standing reviews (undone ones
  /// removed) as study days and ratings.
  public func trainingSet() throws -> TrainingSet {
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    var histories: [(card: String, reviews: [(day: Int, rating: Int)])] = []
    for (card, cardEvents) in try allEvents() {
      let (_, facts) = replayer.replayWithFacts(card: card, events: cardEvents)
      guard facts.count >= 2 else { continue }
      histories.append((card, facts.map { (clock.dayNumber(of: $0.time), $0.rating.rawValue) }))
    }
    return TrainingSet(histories: histories)
  }
}
