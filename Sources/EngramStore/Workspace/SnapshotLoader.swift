import EngramCore
import Foundation

/// How an open comes to know every card's state: from the snapshot (`state.cache`) when it
/// still describes the log, brought up to date with what the log gained since when that can be
/// done event by event, or rebuilt by replaying the whole log. Each way is a named outcome, and
/// a rebuild says why, so that tests and benchmarks can tell which path ran without counting
/// milliseconds.
struct SnapshotLoader {
  let directory: DataDirectory
  let history: HistoryLog
  /// What the snapshot must have been made from (configuration, decks, time zone).
  let fingerprint: StateCache.Fingerprint
  /// Start of the study day the records' per-day counts refer to.
  let dayStart: Timestamp
  /// Where study days start, for the per-day review tally.
  let clock: DayClock
  let scheduler: Scheduler
  /// The load balancer's settings, when it is on.
  let balancing: LoadBalancer?

  /// Which way the state was found.
  enum Outcome: Equatable, Sendable {
    /// The snapshot covers every log file as it is: nothing was parsed or replayed.
    case fresh
    /// The snapshot, with `events` lines appended since applied one by one.
    case tailApplied(events: Int)
    /// A deck file changed (an edit, an import): the snapshot's records were kept (they do not
    /// depend on the decks), `tailEvents` appended lines applied, and the decks parsed again.
    case decksReparsed(tailEvents: Int)
    /// Every deck parsed and the whole log replayed.
    case rebuilt(RebuildReason)
  }

  /// Why the state was rebuilt rather than taken from the snapshot.
  enum RebuildReason: Equatable, Sendable {
    /// The snapshot could not be used (missing, other settings, damaged, a log replaced …).
    case snapshotUnusable(StateCache.Miss)
    /// The snapshot is good but what the log gained since cannot be applied event by event.
    case tailNotApplicable(TailObstacle)
  }

  /// What in the lines appended since the snapshot forces a full replay.
  enum TailObstacle: Equatable, Sendable {
    /// A line could not be read: where it belongs in the order is unknown.
    case unreadableLine
    /// An event sits in a file not its device's (a copied or renamed file, a conflict copy not
    /// merged yet): it cannot be told apart from one already applied under another name.
    case foreignEvent
    /// An undo (or unbury) takes back an event the snapshot already applied.
    case undo
    /// An event older than its card's latest (with load balancing: older than the latest of
    /// any card), which changes what came after it.
    case olderEvent
    /// An event at the same millisecond as an applied one of its card from elsewhere: their
    /// order depends on the device names.
    case sameMillisecond
  }

  /// The loaded state: every card's record where the snapshot keeps it, in its deck's array,
  /// whichever way it was found, so that an open workspace holds one shape.
  struct State {
    var records: DeckRecords
    /// The decks, when this load parsed them (a deck changed, or a rebuild).
    var library: DeckLibrary?
    /// The decks' summaries, when this load made them.
    var summaries: [DeckSummary]?
    /// Problems the decks have (kept by the snapshot to show again).
    var deckProblems: [String]
    /// The load balancer counting the records, when a replay made it.
    var balancer: LoadBalancer?
  }

  /// What `load` returns: the outcome, the state, and what reading the log found.
  struct Loaded {
    var outcome: Outcome
    var state: State
    /// Problems reading the log brought up (torn or unreadable lines, stray files): about this
    /// run, not kept by the snapshot.
    var logWarnings: [StoreWarning]
    /// Bytes of each log file the state includes, by name.
    var logSizes: [String: Int]
    /// What `stats` needs of the log, for the same lines as the state (parts unknown: nil).
    var history: StateCache.History
  }

  /// Finds the state, by the cheapest way that gives exactly what a full replay gives.
  ///
  /// - Throws: `FileError` when the log cannot be read.
  func load() throws -> Loaded {
    let cache: StateCache
    switch StateCache.load(
      path: directory.cachePath, fingerprint: fingerprint, directory: directory.path, dayStart: dayStart)
    {
    case .failure(let miss): return try rebuild(.snapshotUnusable(miss))
    case .success(let found): cache = found
    }
    // What the files gained since (files that appeared are read whole), in replay order.
    var contents = try history.read(from: Dictionary(cache.logs.map { ($0.name, $0.size) }) { $1 })
    contents.events = SnapshotLoader.replayOrder(contents.events)
    let snapshot = DeckRecords(decks: cache.decks, orphans: cache.orphans)
    if cache.decksMatch && contents.events.isEmpty && contents.warnings.isEmpty {
      return Loaded(
        outcome: .fresh, state: State(records: snapshot, deckProblems: cache.deckProblems), logWarnings: [],
        logSizes: contents.sizes, history: cache.history)
    }
    var records = snapshot
    var history = cache.history
    if let obstacle = applyTail(contents, to: &records, history: &history) {
      return try rebuild(.tailNotApplicable(obstacle))
    }
    let events = contents.events.count
    if cache.decksMatch {
      return Loaded(
        outcome: .tailApplied(events: events), state: State(records: records, deckProblems: cache.deckProblems),
        logWarnings: contents.warnings, logSizes: contents.sizes, history: history)
    }
    // The records do not depend on the decks: laid out again over the decks as they are now.
    let library = DeckLibrary.load(userDecks: directory.decksPath)
    let summaries = library.decks.map(\.summary)
    let (numbered, keys) = records.numbered()
    return Loaded(
      outcome: .decksReparsed(tailEvents: events),
      state: State(
        records: RecordLayout(keys: keys, decks: summaries).layOut(numbered, keys: keys, decks: summaries),
        library: library, summaries: summaries, deckProblems: library.problems.map(\.description)),
      logWarnings: contents.warnings, logSizes: contents.sizes, history: history)
  }

  /// Parses every deck and replays the whole log.
  private func rebuild(_ reason: RebuildReason) throws -> Loaded {
    // Parsing the decks and replaying the log do not depend on each other: on two cores the
    // decks are parsed and summarised while the log is read, and once the log's card keys are
    // known the deck side finds each deck card among them while the log side replays. (The
    // deck parser reads line by line without recursion, so any task's stack is enough:
    // `DeepDeckTests`.)
    let decksPath = directory.decksPath
    let clock = self.clock
    let logKeys = Handoff<[String]>()
    let ((library, summaries, layout), (replayed, keys, balancer, contents, history)) = try Concurrently.run {
      let library = DeckLibrary.load(userDecks: decksPath)
      let summaries = library.decks.map(\.summary)
      return (library, summaries, logKeys.receive().map { RecordLayout(keys: $0, decks: summaries) })
    } alongside: { () throws(FileError) in
      var sentKeys = false
      defer { if !sentKeys { logKeys.send(nil) } }
      var balancer = balancing
      // The columns (32 MB for a million events) end with this scope: only the records by
      // card number and the keys are kept. The events are not kept: an undo or an older
      // event re-reads the log (`allEvents`), as it does after a start from the snapshot.
      let (columns, contents) = try Workspace.columns(of: self.history)
      logKeys.send(columns.keys)
      sentKeys = true
      // Each standing review is counted per day as it is applied, for `stats`.
      var tallier = ReviewDayTallier(clock: clock, log: columns)
      let replayed = CollectionReplay.replay(
        columns, replayer: Replayer(scheduler: scheduler, dayStart: dayStart), balancer: &balancer
      ) { tallier.add($0) }
      let history = StateCache.History(
        reviews: tallier.tally, scenarioEvents: SnapshotLoader.scenarioEvents(in: columns))
      return (replayed.records, columns.keys, balancer, contents, history)
    }
    // Sent whenever the log side returned.
    guard let layout else { preconditionFailure("the log's card keys were not handed to the deck side") }
    return Loaded(
      outcome: .rebuilt(reason),
      state: State(
        records: layout.layOut(replayed, keys: keys, decks: summaries), library: library, summaries: summaries,
        deckProblems: library.problems.map(\.description), balancer: balancer),
      logWarnings: contents.warnings, logSizes: contents.sizes, history: history)
  }

  /// Every scenario event of `log`, in replay order (see `StateCache.History`).
  static func scenarioEvents(in log: EventColumns) -> [ReviewEvent] {
    guard let scenario = log.kinds.firstIndex(of: .scenario) else { return [] }
    let found = log.kindNumbers.indices.filter { Int(log.kindNumbers[$0]) == scenario }.map(log.event(at:))
    return replayOrder(found)
  }

  /// Puts scenario events `new` (in replay order) among `events` (in replay order), after
  /// those they do not replay before.
  static func insertScenarioEvents(_ new: [ReviewEvent], into events: inout [ReviewEvent]) {
    for event in new {
      var index = events.count
      while index > 0 && ReviewEvent.replaysBefore(event, events[index - 1]) { index -= 1 }
      events.insert(event, at: index)
    }
  }

  /// Events (of several files) in replay order: time, then device and sequence; lines without
  /// an id keep their order.
  static func replayOrder(_ events: [ReviewEvent]) -> [ReviewEvent] {
    events.enumerated().sorted {
      ReviewEvent.replaysBefore($0.element, $1.element)
        || (!ReviewEvent.replaysBefore($1.element, $0.element) && $0.offset < $1.offset)
    }.map(\.element)
  }

  /// Applies log lines appended since the snapshot was written (in replay order); what stops
  /// them being applied one by one, or nil when they were.
  ///
  /// The history (what `stats` needs) follows: each review applied is counted on its day, each
  /// scenario event put in its place.
  func applyTail(
    _ contents: HistoryLog.Contents, to records: inout some RecordStore, history: inout StateCache.History
  ) -> TailObstacle? {
    if contents.unreadableLines > 0 { return .unreadableLine }
    if contents.hasForeignEvents { return .foreignEvent }
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    if history.scenarioEvents != nil {
      SnapshotLoader.insertScenarioEvents(
        contents.events.filter { $0.kind == .scenario }, into: &history.scenarioEvents!)
    }
    var tallier = ReviewDayTallier(clock: clock)
    func count(_ event: ReviewEvent, before: CardRecord?) {
      guard history.reviews != nil, case .review(let rating) = event.action else { return }
      history.reviews!.add(
        tallier.review(
          time: event.time, rating: rating, durationMilliseconds: event.durationMilliseconds, before: before?.schedule))
    }
    // Cards whose latest event came in this tail: a tie with it is in replay order already.
    var fromTail = Set<String>()
    if var balancer = balancing {
      // Only events that come after every event so far, in the replay order, may be applied
      // one by one: then the result is exactly a full replay's.
      var latest = records.latestPosition()
      records.forEachRecord { balancer.add($0) }
      for event in contents.events where event.kind.isAboutCard {
        let position = CollectionReplay.Position(time: event.time, card: event.card)
        if event.cancelsAnother { return .undo }
        if latest.map({ position < $0 }) == true { return .olderEvent }
        if latest == position, event.id != nil, !fromTail.contains(event.card) { return .sameMillisecond }
        count(event, before: records[event.card])
        replayer.apply(event, card: event.card, to: &records[event.card, default: CardRecord()], balancer: &balancer)
        latest = position
        fromTail.insert(event.card)
      }
      return nil
    }
    for event in contents.events where event.kind.isAboutCard {
      if event.cancelsAnother { return .undo }
      var record = records[event.card] ?? CardRecord()
      if let last = record.lastEvent, event.time < last { return .olderEvent }
      if record.lastEvent == event.time, event.id != nil, !fromTail.contains(event.card) { return .sameMillisecond }
      count(event, before: record)
      replayer.apply(event, card: event.card, to: &record)
      records[event.card] = record
      fromTail.insert(event.card)
    }
    return nil
  }
}
