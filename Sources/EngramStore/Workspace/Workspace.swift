import EngramCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open data directory: configuration, decks, and every card's state replayed from the log.
///
/// A class because it owns identity: one open directory whose in-memory state follows each
/// append. It is used from one thread (the command or REPL loop), so it is not `Sendable`.
///
/// Starting from a valid `state.cache` skips parsing decks and replaying the log; deck
/// contents are then parsed on first use of `library`.
///
/// Its parts, each in its own file under `Workspace/`:
/// - Opening (here): the configuration, the device name, the scheduler and study day, and what
///   `SnapshotLoader` found: every card's record in its deck's array, as the snapshot holds
///   them (`cardRecords`, a `DeckRecords`), whichever way they were found, and the parsed
///   library when the load parsed it (`loadedLibrary`).
/// - The deck library (here: `library`, `summaries`, `deckTitles`) and card lookup
///   (`CardIndex`, which parses one note or one deck on demand and keeps it).
/// - The log as this open knows it (`OpenLog`): the bytes of each file the records include,
///   the whole log held as columns once a replay needs it, grouped by card on demand.
/// - Appending (here: `append`, `stamp`, `apply`, `replayEverything`) with the memory of what
///   this process applied (`AppliedEvents`: the undoable events, the replay-order journal
///   under load balancing, the state numbers, and the undo and insert logic over them).
/// - Whole-history queries that read the log (`HistoryQueries`): `statistics`, `events(of:)`,
///   `leechReports`, `latestBatch`, `scenarioEvents`, `reviewFacts`, `trainingSet`. Over every
///   card, `statistics` and `scenarioEvents` answer from what the snapshot keeps beside the
///   records (`statisticsHistory`: a per-study-day review tally and the scenario events), which
///   opening and appending keep exact.
/// - Today's study (here): `queue`, `counts`, `usage`, `limits`, `siblingBurying`,
///   `nextStates`, `preview`, `backlogCandidates`, `simulationStart`.
/// - Saving the snapshot (here): `saveCache`, from the per-deck arrays.
public final class Workspace {
  public let directory: DataDirectory
  public let config: Config
  /// Every device's log file, read as one history; this device appends to its own.
  public let history: HistoryLog
  /// This device's name, or why there is none (then reading works and appending fails).
  let deviceName: Result<String, DeviceName.Failure>
  public let scheduler: Scheduler
  public let clock: DayClock
  /// Start of the study day the records' per-day counts refer to.
  public let dayStart: Timestamp
  /// Replayed state per card key (only cards with history); built on first use from the
  /// decks' arrays.
  public var records: [String: CardRecord] { materializedRecords() }
  /// Deck ids, titles and card keys, in library order.
  public var summaries: [DeckSummary] {
    if let summaryStorage { return summaryStorage }
    let made = cardRecords.decks.map(\.summary)
    summaryStorage = made
    return made
  }
  /// Deck count, ids and titles without decoding card keys.
  public var deckTitles: [(id: String, title: String, cards: Int)] {
    cardRecords.decks.map { ($0.id, $0.title, $0.records.count) }
  }
  /// Messages to show the user once (deck problems, a torn log line set aside).
  public private(set) var warnings: [StoreWarning]
  /// The deck problems among `warnings`, which the snapshot cache keeps to show again; the
  /// log's own warnings are about this run and are not kept.
  private var deckProblems: [String] = []
  /// How this open found the state: from the snapshot, brought up to date, or rebuilt (and why).
  let snapshotOutcome: SnapshotLoader.Outcome
  /// Whether this open used the snapshot's records for its decks (for benchmarks and tests).
  public var startedFromCache: Bool {
    switch snapshotOutcome {
    case .fresh, .tailApplied: true
    case .decksReparsed, .rebuilt: false
    }
  }
  /// Whether this open kept the snapshot's replayed records while parsing changed decks again.
  public var reusedCachedRecords: Bool {
    if case .decksReparsed = snapshotOutcome { return true }
    return false
  }

  private var loadedLibrary: DeckLibrary?
  /// Every card's record in its deck's array (updated in place by `append`), those of cards in
  /// no deck by key, and where cards are found (kept between appends).
  private var cardRecords: DeckRecords
  /// The records by key, made on first use of `records` and dropped when a record changes.
  private var recordsByKey: [String: CardRecord]?
  private var summaryStorage: [DeckSummary]?
  /// The notes `card(_:)` has parsed so far.
  private var cardIndex = CardIndex()
  /// The log as this open knows it: the sizes the records cover, the events once held.
  private var log: OpenLog
  /// The whole log, once a replay needed it (see `OpenLog.held`).
  private var heldLog: EventColumns? { log.held }
  /// How far before an out-of-order event the journal starts: later out-of-order answers of
  /// the same session fall inside it.
  static let journalMargin = Interval.days(1)
  /// The most events a journal holds; a journal that would hold more is not kept.
  static let journalLimit = 200_000

  /// What this process applied, for taking it back or putting an earlier event in place.
  private var applied = AppliedEvents()
  private let fingerprint: StateCache.Fingerprint
  /// Bytes of each log file the records include (see `OpenLog.sizes`).
  private var logSizes: [String: Int]? { log.sizes }
  /// Whether the state changed since the cache was read or written.
  private var dirty = false
  /// What `stats` needs of the log besides the records, for the events the records include:
  /// kept with them through each change (see `tallied`); unknown (nil) only when the snapshot
  /// had none or a review to take back was not in it, and then `statistics` replays the log and
  /// fills it in again.
  private var statisticsHistory: StateCache.History
  /// Finds the study day of the reviews counted in `statisticsHistory`.
  private var dayTallier: ReviewDayTallier
  /// The load balancer's settings, when `load_balance` (and fuzz) are on; nil otherwise.
  public let balancing: LoadBalancer?
  /// The balancer with the counts of the current records, built on first use.
  private var balancerState: LoadBalancer?
  /// Where the latest event replayed so far stands in the replay order (load balancing only).
  private var latestPosition: CollectionReplay.Position?

  /// Opens (and on first use creates) the data directory.
  ///
  /// - Throws: `ConfigError` for a bad config.toml, `FileError` when the directory or the log
  ///   cannot be read.
  public init(directory: DataDirectory, now: Timestamp, timeZone: TimeZoneSource = .current) throws {
    try directory.create()
    // Temporary files of a process killed mid-write (config, cache, exports into the directory).
    for folder in [directory.path, directory.decksPath, DataDirectory.parent(of: directory.cachePath)] {
      AtomicFile.clearLeftovers(in: folder)
    }
    // An import a crash interrupted is completed (or its leftovers cleared) before anything reads.
    let recovered = ImportTransaction.recover(in: directory)
    self.directory = directory
    let configBytes = Workspace.readIfPresent(directory.configPath)
    if let configBytes {
      guard let text = String(validating: configBytes, as: UTF8.self) else {
        throw ConfigError.unreadable(file: directory.configPath, reason: "not valid UTF-8")
      }
      config = try Config.parse(text, file: directory.configPath)
    } else {
      config = Config()
    }
    let device = Result { () throws(DeviceName.Failure) in try directory.device.name() }
    deviceName = device
    history = HistoryLog(directory: directory, device: try? device.get())
    // Conflict copies a sync tool made are merged before the cache is checked against the files.
    let merged = history.mergeConflictCopies()
    scheduler = Scheduler(settings: config.schedulerSettings)
    let zone = timeZone.zone
    clock = DayClock(dayStartsAt: config.dayStartsAt, timeZone: zone)
    dayStart = clock.dayStart(containing: now)
    balancing =
      config.loadBalance && config.enableFuzz
      ? LoadBalancer(
        easyDays: config.easyDays, dayOffset: Workspace.dayOffset(zone: zone, dayStartsAt: config.dayStartsAt))
      : nil
    fingerprint = StateCache.fingerprint(
      configBytes: configBytes ?? [], decksDirectory: directory.decksPath, timeZone: zone.identifier)

    let loaded = try SnapshotLoader(
      directory: directory, history: history, fingerprint: fingerprint, dayStart: dayStart, clock: clock,
      scheduler: scheduler, balancing: balancing
    ).load()
    snapshotOutcome = loaded.outcome
    statisticsHistory = loaded.history
    dayTallier = ReviewDayTallier(clock: clock)
    log = OpenLog(history: history, sizes: loaded.logSizes)
    cardRecords = loaded.state.records
    loadedLibrary = loaded.state.library
    summaryStorage = loaded.state.summaries
    deckProblems = loaded.state.deckProblems
    balancerState = loaded.state.balancer
    dirty = loaded.outcome != .fresh
    warnings = recovered + merged + deckProblems.map(StoreWarning.deckProblem) + loaded.logWarnings
    saveCache()
  }

  /// Every device's log as columns (cards numbered as the reader numbers them, so no card key
  /// is hashed per line), with what reading it found.
  static func columns(of history: HistoryLog) throws(FileError) -> (EventColumns, HistoryLog.Contents) {
    try history.readColumns()
  }

  private func materializedRecords() -> [String: CardRecord] {
    if let recordsByKey { return recordsByKey }
    let records = cardRecords.byKey
    recordsByKey = records
    return records
  }

  private static func readIfPresent(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    return try? POSIXFile.readAll(fd: fd, path: path)
  }

  /// Every deck, parsed (on first use when the workspace started from the cache).
  public var library: DeckLibrary {
    if let loadedLibrary { return loadedLibrary }
    let library = DeckLibrary.load(userDecks: directory.decksPath)
    loadedLibrary = library
    return library
  }

  /// The card with this key, if a deck has it. Without a parsed library, only the card's own
  /// deck file is parsed (or its note alone), so a session's first card does not wait for every deck.
  public func card(_ key: String) -> Card? {
    cardIndex.card(key, loadedLibrary: loadedLibrary, fromSnapshot: startedFromCache) { source(ofDeck: $0) }
  }

  /// The file a deck comes from, without decoding any card keys.
  private func source(ofDeck id: String) -> String? {
    cardRecords.decks.first { $0.id == id }?.source
  }

  /// Whether an out-of-order event left a journal to place the next ones with, for tests.
  var isJournaled: Bool { applied.journal != nil }

  /// Whether the whole log is held in memory (read for a replay), for tests.
  var holdsLog: Bool { heldLog != nil }

  /// What the snapshot cache is checked against, for tests that load the cache directly.
  var fingerprintForTests: StateCache.Fingerprint { fingerprint }

  /// Whether `statistics` over every card can use the per-day review tally (no replay).
  var hasReviewTally: Bool { statisticsHistory.reviews != nil }

  /// The per-day review tally of the records' standing reviews (nil: unknown, see
  /// `statisticsHistory`).
  var reviewTally: DailyReviewTally? { statisticsHistory.reviews }

  /// The scenario events kept with the records (nil: unknown).
  var keptScenarioEvents: [ReviewEvent]? { statisticsHistory.scenarioEvents }

  /// Keeps what a replay of the log the records describe found (`statistics`,
  /// `scenarioEvents`), so that the snapshot saved next has it.
  func keep(reviewTally: DailyReviewTally? = nil, scenarioEvents: [ReviewEvent]? = nil) {
    if let reviewTally { statisticsHistory.reviews = reviewTally }
    if let scenarioEvents { statisticsHistory.scenarioEvents = scenarioEvents }
    dirty = true
  }

  /// Every card's record (nil: never seen) with its key, numbered alike: deck cards in deck
  /// order, then cards in no deck.
  func numberedRecords() -> (records: [CardRecord?], keys: [String]) { cardRecords.numbered() }

  /// The start of tomorrow's study day.
  public var tomorrowStart: Timestamp { clock.nextDayStart(after: dayStart) }

  /// Writes events durably (fsync) and only then updates the in-memory state.
  ///
  /// A review that makes its card a leech is followed, in the same write, by the `leech` event
  /// the configuration's policy calls for.
  public func append(_ batch: [ReviewEvent], sync: Bool = true) throws {
    guard !batch.isEmpty else { return }
    var newEvents = config.leechPolicy.treating(
      batch, record: { self.record(for: $0) }, replayer: Replayer(scheduler: scheduler, dayStart: dayStart))
    if balancing != nil {
      // Written in replay order (time, then card), so applying them in turn is a full replay;
      // events about no card (scenario choices) go first among those of their time.
      newEvents = newEvents.enumerated().sorted {
        let (a, b) = ($0.element, $1.element)
        let (keyA, keyB) = (a.kind.isAboutCard ? a.card : "", b.kind.isAboutCard ? b.card : "")
        return a.time != b.time ? a.time < b.time : keyA != keyB ? keyA < keyB : $0.offset < $1.offset
      }.map(\.element)
    }
    let device = try deviceName.get()
    // A batch that needs a card replayed (an undo, or an event older than what is known) needs
    // the log as it was before the batch: read it now, not half-way through. An undo or unbury
    // also needs it to name the event it takes back, unless the undo takes back what this
    // process applied last or what its journal holds (`namingUndoTargets`).
    newEvents = applied.namingUndoTargets(newEvents, device: device)
    if balancing != nil, applied.journal == nil {
      // Journal from the latest event on: an event this process appends at an earlier
      // position (answers within one millisecond, with keys in falling order; a clock behind
      // the log's latest) is then put in place without a replay.
      applied.journal = AppliedEvents.Journal(start: latestReplayed(), entries: [])
    }
    let needsTargets = newEvents.contains { ($0.kind == .undo || $0.kind == .unbury) && $0.target == nil }
    if heldLog == nil, needsTargets {
      try holdLog()
    } else if heldLog == nil, balancing != nil {
      let needsLog = newEvents.contains { event in
        let position = CollectionReplay.Position(time: event.time, card: event.card)
        if event.cancelsAnother { return !applied.undoesInPlace(event) && !applied.undoesInJournal(event) }
        // A tie with the latest (another device's event at the same millisecond) is replayed.
        return isAtOrBeforeLatest(event) && !(applied.journal.map { $0.start <= position } ?? false)
      }
      if needsLog { try holdLog() }
    } else if heldLog == nil {
      var latest: [String: Timestamp] = [:]
      let needsReplay = newEvents.contains { event in
        let known = latest[event.card] ?? record(for: event.card)?.lastEvent
        latest[event.card] = max(known ?? event.time, event.time)
        // A tie at the same millisecond is ordered by device name: the card is replayed.
        return (event.cancelsAnother && !applied.undoesInPlace(event)) || known.map { event.time <= $0 } == true
      }
      if needsReplay { try holdLog() }
    }
    let unstamped = newEvents
    // Every event so far by card, for stamping an undo or unbury whose target is not known.
    let known = needsTargets ? try allEvents() : [:]
    let written = try history.append(sync: sync) { first in
      Workspace.stamp(unstamped, first: first, device: device, known: known)
    } committing: {
    }
    newEvents = written.events
    dirty = true
    log.wrote(newEvents, to: written.file, at: written.range)
    if statisticsHistory.scenarioEvents != nil {
      SnapshotLoader.insertScenarioEvents(
        SnapshotLoader.replayOrder(newEvents.filter { $0.kind == .scenario }),
        into: &statisticsHistory.scenarioEvents!)
    }
    var balancer = balancing != nil ? balancerState ?? counting() : nil
    var latest = balancing != nil ? latestPosition ?? currentLatest() : nil
    let replayAll: Bool
    do {
      // The records are updated where they are, in each deck's array (held uniquely while
      // they change), so no dictionary of every card is built.
      var table = cardRecords
      cardRecords = DeckRecords()
      recordsByKey = nil
      defer { cardRecords = table }
      replayAll = try apply(newEvents, to: &table, balancer: &balancer, latest: &latest)
    }
    if replayAll {
      try replayEverything(after: newEvents, balancer: &balancer, latest: &latest)
    }
    if balancing != nil {
      balancerState = balancer
      latestPosition = latest
    }
  }

  /// Applies a written batch to `records`; true when it needs the whole log replayed instead
  /// (an undo of something older, or an earlier event, under load balancing).
  private func apply(
    _ newEvents: [ReviewEvent], to records: inout DeckRecords, balancer: inout LoadBalancer?,
    latest: inout CollectionReplay.Position?
  ) throws -> Bool {
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    var replayAll = false
    // Cards with an event earlier in this batch: a tie with it is in replay order already.
    var inBatch = Set<String>()
    for (offset, event) in newEvents.enumerated() {
      guard event.kind.isAboutCard, !replayAll else { continue }
      defer { inBatch.insert(event.card) }
      if event.kind == .undo, applied.undoesInPlace(event), let entry = applied.undoables.last {
        // The latest thing applied, taken back: the state before it is what a replay gives.
        applied.undoables.removeLast()
        let restored = entry.before ?? CardRecord()
        balancer?.remove(records[event.card] ?? CardRecord())
        balancer?.add(restored)
        records[event.card] = restored
        if let counted = entry.counted { forget(counted) }
        latest = entry.latestBefore
        applied.state = entry.stateBefore
        // The journal's last entries were this event's; one from the restored latest is valid.
        if balancer != nil {
          applied.journal = AppliedEvents.Journal(start: latest ?? Workspace.earliestPosition, entries: [])
        }
        continue
      }
      if event.kind == .undo, balancer != nil, applied.undoesInJournal(event) {
        applied.undo(
          event, inJournalOf: &records, balancer: &balancer!, latest: &latest, replayer: replayer, tally: retally)
        applied.undoables.removeAll()
        applied.lastState += 1
        applied.state = applied.lastState
        continue
      }
      let position = CollectionReplay.Position(time: event.time, card: event.card)
      if balancer != nil, !event.cancelsAnother, let start = applied.journal?.start, start <= position,
        let last = latest, position < last, !applied.journalHolds(position)
      {
        applied.insert(event, at: position, into: &records, balancer: &balancer!, replayer: replayer, tally: retally)
        applied.undoables.removeAll()
        applied.lastState += 1
        applied.state = applied.lastState
        continue
      }
      if balancer != nil {
        // A tie with the latest (the same card at the same millisecond, from another device or
        // an earlier batch) is ordered by device name and sequence.
        if event.cancelsAnother
          || latest.map({ position < $0 || (position == $0 && !inBatch.contains(event.card)) }) == true
        {
          // An undo of something older, or an earlier event, changes the load every later
          // review saw: everything is replayed below.
          replayAll = true
          continue
        }
      } else {
        let isLatest =
          (records[event.card]?.lastEvent).map { event.time > $0 || (event.time == $0 && inBatch.contains(event.card)) }
          ?? true
        if !isLatest || event.cancelsAnother {
          // The log as held or read holds this whole batch: its later events are applied in
          // turn below (replayed here too, a later answer of the card counted twice).
          let later = Set(newEvents[(offset + 1)...].compactMap(\.id))
          let cardEvents = try logColumns().events(ofCard: event.card).filter {
            $0.id.map { !later.contains($0) } ?? true
          }
          if statisticsHistory.reviews != nil {
            // The card's standing reviews before (its events without this one and the batch's
            // later ones: what its record holds) leave the tally, those after come in.
            let excluded = Set(newEvents[offset...].compactMap(\.id))
            let earlier = cardEvents.filter { $0.id.map { !excluded.contains($0) } ?? true }
            let (_, before) = replayer.replayWithFacts(card: event.card, events: earlier)
            let (_, after) = replayer.replayWithFacts(card: event.card, events: cardEvents)
            for fact in before { forget(tallied(fact)) }
            for fact in after { statisticsHistory.reviews?.add(tallied(fact)) }
          }
          records[event.card] = replayer.replay(card: event.card, events: cardEvents)
          applied.undoables.removeAll()
          applied.lastState += 1
          applied.state = applied.lastState
          continue
        }
      }
      let before = records[event.card]
      applied.journal?.entries.append((position, event, before))
      // Counted whether or not the tally is known now: `statistics` may make it known before
      // an undo takes this review back.
      let counted = tallied(event, before: before)
      if let counted { statisticsHistory.reviews?.add(counted) }
      if balancer != nil {
        replayer.apply(event, card: event.card, to: &records[event.card, default: CardRecord()], balancer: &balancer!)
      } else {
        replayer.apply(event, card: event.card, to: &records[event.card, default: CardRecord()])
      }
      applied.lastState += 1
      let isUndoable = event.kind.isUndoable
      if isUndoable {
        applied.undoables.append(
          AppliedEvents.Undoable(
            card: event.card, id: event.id, time: event.time, isReview: event.kind == .review, before: before,
            latestBefore: latest, counted: counted, stateBefore: applied.state, stateAfter: applied.lastState))
      } else if event.kind == .leech, let entry = applied.undoables.last, entry.stateAfter == applied.state,
        entry.card == event.card,
        entry.isReview, entry.time == event.time, event.target == nil || event.target == entry.id
      {
        // A leech event logged with the review it followed goes with that review.
        applied.undoables[applied.undoables.count - 1].stateAfter = applied.lastState
      }
      applied.state = applied.lastState
      latest = position
    }
    return replayAll
  }

  /// What `event` adds to the per-day review tally, applied to a card whose record was
  /// `before`; nil for an event that is not a review.
  private func tallied(_ event: ReviewEvent, before: CardRecord?) -> DailyReviewTally.Review? {
    guard case .review(let rating) = event.action else { return nil }
    return dayTallier.review(
      time: event.time, rating: rating, durationMilliseconds: event.durationMilliseconds, before: before?.schedule)
  }

  /// What a review fact adds to the per-day review tally.
  private func tallied(_ fact: ReviewFact) -> DailyReviewTally.Review {
    DailyReviewTally.Review(
      dayStart: dayTallier.dayStart(of: fact.time), rating: fact.rating,
      durationMilliseconds: fact.durationMilliseconds, phaseBefore: fact.phaseBefore,
      intervalBefore: fact.intervalBefore)
  }

  /// Takes a review back out of the per-day tally; a tally without it did not follow the
  /// reviews, and is dropped (the next `stats` replays the log).
  private func forget(_ review: DailyReviewTally.Review) {
    if statisticsHistory.reviews?.remove(review) == false { statisticsHistory.reviews = nil }
  }

  /// Follows the journal (`AppliedEvents.insert`, `undo`) in the review tally: an event taken
  /// back (`applied` false) leaves it, one applied again comes in with its new state before.
  private func retally(_ event: ReviewEvent, before: CardRecord?, applied: Bool) {
    guard let review = tallied(event, before: before) else { return }
    if applied { statisticsHistory.reviews?.add(review) } else { forget(review) }
  }

  /// Replays the whole log after `newEvents` were written (see `apply`), the records laid out
  /// in the decks' arrays again.
  private func replayEverything(
    after newEvents: [ReviewEvent], balancer: inout LoadBalancer?, latest: inout CollectionReplay.Position?
  ) throws {
    // Held before the batch was written unless a tie needed it: then read now, with the batch.
    try holdLog()
    guard let heldLog else { return }
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    var fresh = balancing
    // Journaled from a day before the earliest event out of order, unless an undo is among
    // them (an undo changes which events stand).
    let earliest = newEvents.filter { $0.kind.isAboutCard }.map(\.time).min()
    let from = newEvents.contains(where: \.cancelsAnother) ? nil : earliest.map { $0 - Workspace.journalMargin }
    var tallier = ReviewDayTallier(clock: clock, log: heldLog)
    let replayed = CollectionReplay.replay(
      heldLog, replayer: replayer, balancer: &fresh, journalFrom: from?.milliseconds
    ) { tallier.add($0) }
    statisticsHistory.reviews = tallier.tally
    // Laid out over the decks as they are (their layout is kept, so nothing is parsed).
    let summaries = self.summaries
    cardRecords = RecordLayout(keys: heldLog.keys, decks: summaries).layOut(
      replayed.records, keys: heldLog.keys, decks: summaries)
    recordsByKey = nil
    applied.journal = nil
    if let from, replayed.journal.count <= Workspace.journalLimit {
      applied.journal = AppliedEvents.Journal(
        start: CollectionReplay.Position(time: from, card: ""),
        entries: replayed.journal.map { entry in
          let event = heldLog.event(at: entry.event)
          return (CollectionReplay.Position(time: event.time, card: event.card), event, entry.before)
        })
    }
    balancer = fresh
    latest = cardRecords.latestPosition()
    applied.undoables.removeAll()
    applied.lastState += 1
    applied.state = applied.lastState
  }

  /// The position before every other.
  static let earliestPosition = CollectionReplay.Position(time: Timestamp(milliseconds: .min), card: "")

  /// The position of the latest event replayed so far (the earliest position when none).
  private func latestReplayed() -> CollectionReplay.Position {
    if latestPosition == nil { latestPosition = currentLatest() }
    return latestPosition ?? Workspace.earliestPosition
  }

  /// The card's schedule if it were rated `rating` at `time`, as a review would make it
  /// (including the load balancer's choice of day): what a session previews before rating.
  /// The card's four next states at `time`, as replay will give them (load balancing
  /// included): computed once when the answer is shown, shown, and logged at `time`.
  public func nextStates(for key: String, at time: Timestamp) -> NextStates {
    let plain = scheduler.nextStates(
      from: record(for: key)?.schedule, at: time,
      fuzz: scheduler.settings.enableFuzz ? FuzzSeed.draw(card: key, time: time) : nil)
    guard balancing != nil else { return plain }
    func state(_ rating: Rating) -> CardSchedule { preview(key, rating: rating, at: time) ?? plain[rating] }
    return NextStates(time: time, again: state(.again), hard: state(.hard), good: state(.good), easy: state(.easy))
  }

  public func preview(_ key: String, rating: Rating, at time: Timestamp) -> CardSchedule? {
    var record = record(for: key) ?? CardRecord()
    let event = ReviewEvent(time: time, card: key, action: .review(rating))
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    if balancing != nil {
      if balancerState == nil { balancerState = counting() }
      guard var balancer = balancerState else { return nil }
      replayer.apply(event, card: key, to: &record, balancer: &balancer)
    } else {
      replayer.apply(event, card: key, to: &record)
    }
    return record.schedule
  }

  /// Whether `event` comes before the latest event replayed so far (load balancing's order).
  private func isAtOrBeforeLatest(_ event: ReviewEvent) -> Bool {
    if latestPosition == nil { latestPosition = currentLatest() }
    guard let latestPosition else { return false }
    return CollectionReplay.Position(time: event.time, card: event.card) <= latestPosition
  }

  /// A balancer (with this configuration's settings) counting `records`.
  private func counting() -> LoadBalancer {
    var balancer = balancing ?? LoadBalancer()
    cardRecords.forEachRecord { balancer.add($0) }
    return balancer
  }

  /// The position of the latest event replayed so far, found where the records are (see
  /// `DeckRecords`).
  private func currentLatest() -> CollectionReplay.Position? {
    cardRecords.latestPosition()
  }

  /// Milliseconds to add to a time so that whole days count study days: the zone's standard
  /// offset (the smaller of January's and July's, so DST never moves a day) minus the rollover
  /// hour.
  static func dayOffset(zone: TimeZone, dayStartsAt: Int) -> Int64 {
    let january = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
    let july = Date(timeIntervalSince1970: 1_782_864_000)  // 2026-07-01
    let seconds = min(zone.secondsFromGMT(for: january), zone.secondsFromGMT(for: july))
    return Int64(seconds) * 1000 - Int64(dayStartsAt) * 3_600_000
  }

  /// `batch` as this device writes it: each event numbered from `first`, each undo naming the
  /// latest review, postpone or advance of its card this device wrote that still stands, each
  /// unbury its latest bury, each leech the review it follows in the batch.
  ///
  /// - Parameter known: every event so far by card (needed when the batch has an undo or unbury).
  static func stamp(_ batch: [ReviewEvent], first: Int, device: String, known: [String: [ReviewEvent]]) -> [ReviewEvent]
  {
    var stamped: [ReviewEvent] = []
    stamped.reserveCapacity(batch.count)
    for (offset, original) in batch.enumerated() {
      var event = original
      event.id = EventID(device: device, sequence: first + offset)
      if event.target == nil {
        let earlier = { (known[event.card] ?? []) + stamped.filter { $0.card == event.card } }
        switch event.kind {
        case .undo: event.target = Replayer.undoTarget(in: earlier(), device: device)
        case .unbury: event.target = Replayer.unburyTarget(in: earlier(), device: device)
        case .leech:
          event.target = stamped.last { $0.card == event.card && $0.kind == .review && $0.time == event.time }?.id
        default: break
        }
      }
      stamped.append(event)
    }
    return stamped
  }

  /// The whole log as columns (see `OpenLog.columns`).
  func logColumns() throws -> EventColumns { try log.columns() }

  /// Reads the log and keeps it (see `OpenLog.hold`).
  func holdLog() throws { try log.hold() }

  /// Every event grouped by card (see `OpenLog.allEvents`).
  func allEvents() throws -> [String: [ReviewEvent]] { try log.allEvents() }

  /// Saves the current state as the cache if it changed, so that the next start is fast.
  public func saveCache() {
    guard dirty else { return }
    dirty = false
    // The records describe exactly the first `logSizes` bytes of each log file. Lines another process
    // appended after them are fine: the next start applies them. When another process wrote
    // between our own lines, no prefix matches the records, so nothing is saved and the next
    // start brings the last good snapshot up to date from the log instead.
    guard let sizes = logSizes else { return }
    let own = (try? deviceName.get()).map { "reviews/" + $0 + ".tsv" }
    var logs: [StateCache.LogBinding] = []
    for (name, size) in sizes.sorted(by: { $0.key < $1.key }) {
      guard
        let binding = StateCache.binding(
          directory: directory.path, name: name, size: size, bindIdentity: name == "reviews.tsv" || name == own)
      else { return }
      logs.append(binding)
    }
    // The decks' arrays, updated in place by `append`: written as they are, without a
    // dictionary or a string per key (a deck unchanged since the snapshot was read is copied).
    var latest = Timestamp(milliseconds: 0)
    cardRecords.forEachRecord { record in
      if let last = record.lastEvent, last > latest { latest = last }
    }
    StateCache(
      fingerprint: fingerprint, logs: logs, dayStart: dayStart, latestEvent: latest, decks: cardRecords.decks,
      orphans: cardRecords.orphans, deckProblems: deckProblems, history: statisticsHistory
    ).save(path: directory.cachePath)
  }

  /// The record of one card (nil: never seen), without building the whole dictionary.
  public func record(for key: String) -> CardRecord? {
    if let recordsByKey { return recordsByKey[key] }
    return cardRecords[key]
  }

  /// Calls `body` with every card that has history, in key order (the order of `String`'s
  /// `<`), its key as UTF-8 bytes valid during the call.
  ///
  /// Unless a card with history is in no deck, no string or dictionary is made per card: the
  /// decks are taken in order of `id/` (every key of a deck starts with it, and no such prefix
  /// is a prefix of another), and each deck's keys are sorted by their bytes (in the mapped
  /// cache, when the keys came from it); keys are
  /// ASCII (deck and note ids are `Deck.isValidID`), so byte order is `String` order. `state --json` over 100,000
  /// cards spent most of its time hashing and sorting strings.
  public func forEachRecordInKeyOrder(_ body: (_ key: UnsafeRawBufferPointer, _ record: CardRecord) -> Void) {
    if cardRecords.orphans.isEmpty {
      let decks = cardRecords.decks.sorted { $0.id + "/" < $1.id + "/" }
      for deck in decks {
        deck.withKeyBytes { base, ranges in
          var cards = deck.records.indices.filter { deck.records[$0] != nil }
          cards.sort { Workspace.bytesPrecede(base, ranges[$0], ranges[$1]) }
          for card in cards {
            guard let record = deck.records[card] else { continue }
            body(UnsafeRawBufferPointer(rebasing: base[ranges[card]]), record)
          }
        }
      }
      return
    }
    let records = self.records
    for key in records.keys.sorted() {
      guard let record = records[key] else { continue }
      var text = key
      text.withUTF8 { body(UnsafeRawBufferPointer($0), record) }
    }
  }

  /// Whether the bytes at `a` come before those at `b` (a prefix first).
  private static func bytesPrecede(_ base: UnsafeRawBufferPointer, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
    let common = min(a.count, b.count)
    if common > 0, let start = base.baseAddress {
      let order = memcmp(start + a.lowerBound, start + b.lowerBound, common)
      if order != 0 { return order < 0 }
    }
    return a.count < b.count
  }

  /// Calls `body` with the record (nil: never seen) of every card of every deck, in deck
  /// order, straight from the decks' arrays.
  public func forEachDeckCardRecord(_ body: (CardRecord?) -> Void) {
    for deck in cardRecords.decks {
      for record in deck.records { body(record) }
    }
  }

  /// Today's queue over `cards` (default: every card of every deck).
  public func queue(cards: [Card]? = nil) -> StudyQueue {
    if let cards {
      // Each card's record looked up where it is: a topic's few cards need no dictionary of
      // every card (made again after each answer changed a record).
      return StudyQueue(
        entries: cards.map { ($0.key, $0.deckID, $0.siblingGroup) }, record: { self.record(for: $0) }, limits: limits,
        usage: usage, dayStart: dayStart, tomorrowStart: tomorrowStart)
    }
    let decks = classifiedDecks()
    return StudyQueue(
      classified: decks.lists.map { ($0.keys(), $0.lists) }, limits: limits, usage: decks.usage,
      tomorrowStart: tomorrowStart)
  }

  /// Counts per deck of what is available today, the collection-wide limits included.
  public func counts() -> [String: StudyQueue.Counts] {
    let decks = classifiedDecks()
    return StudyQueue.counts(classified: decks.lists.map { ($0.id, $0.lists) }, limits: limits, usage: decks.usage)
  }

  /// Every deck's cards classified for today, with the collection's usage of today's limits
  /// counted in the same pass (the decks' parts and the cards in no deck). Straight from the
  /// decks' arrays: no keys, no lookups; the keys are made only when asked for (`keys`).
  private func classifiedDecks() -> (
    lists: [(id: String, keys: () -> [String], lists: StudyQueue.Classified)], usage: StudyQueue.Usage
  ) {
    var lists: [(id: String, keys: () -> [String], lists: StudyQueue.Classified)] = []
    // Cards with history in no deck count too.
    var usage = StudyQueue.Usage(records: cardRecords.orphans.values.map { $0 }, dayStart: dayStart)
    for deck in cardRecords.decks {
      lists.append((deck.id, { deck.cardKeys }, classify(deck.records, groups: deck.siblingGroups)))
    }
    for deck in lists {
      usage.introduced += deck.lists.introducedToday
      usage.reviews += deck.lists.reviewsToday
    }
    return (lists, usage)
  }

  private func classify(_ records: [CardRecord?], groups: [Int]) -> StudyQueue.Classified {
    StudyQueue.classify(records, groups: groups, limits: limits, dayStart: dayStart, tomorrowStart: tomorrowStart)
  }

  /// What the whole collection used of today's limits (every card with history, in a deck
  /// or not).
  public var usage: StudyQueue.Usage {
    var usage = StudyQueue.Usage(records: cardRecords.orphans.values.map { $0 }, dayStart: dayStart)
    for deck in cardRecords.decks {
      let part = StudyQueue.Usage(records: deck.records, dayStart: dayStart)
      usage.introduced += part.introduced
      usage.reviews += part.reviews
    }
    return usage
  }

  /// Which siblings wait for another day, from the configuration.
  public var siblingBurying: SiblingBurying {
    SiblingBurying(
      new: config.buryNewSiblings, review: config.buryReviewSiblings,
      interdayLearning: config.buryInterdayLearningSiblings)
  }

  /// Review cards that `postpone` and `advance` may move: among `keys` (default every card with
  /// history), those in review and not suspended.
  public func backlogCandidates(keys: [String]? = nil) -> [BacklogPlan.Candidate] {
    let chosen = keys ?? Array(records.keys)
    return chosen.sorted().compactMap { key in
      guard let record = record(for: key), !record.suspended, let schedule = record.schedule,
        schedule.phase == .review
      else { return nil }
      return BacklogPlan.Candidate(card: key, schedule: schedule)
    }
  }

  /// The collection as the simulator starts from it: every card with a memory state (not
  /// suspended) with days counted from today, and how many cards of the decks are still new.
  public func simulationStart(now: Timestamp) -> (cards: [Simulator.Card], newCards: Int) {
    let today = clock.dayNumber(of: now)
    var cards: [Simulator.Card] = []
    var new = 0
    let records = self.records
    for summary in summaries {
      for key in summary.cardKeys {
        guard let record = records[key] else {
          new += 1
          continue
        }
        guard !record.suspended else { continue }
        guard let schedule = record.schedule else {
          new += 1
          continue
        }
        let last = clock.dayNumber(of: schedule.lastReview) - today
        let due = schedule.phase == .review ? clock.dayNumber(of: schedule.due) - today : 0
        cards.append(
          Simulator.Card(
            stability: schedule.stability, difficulty: schedule.difficulty, lastDay: min(0, last), dueDay: due))
      }
    }
    return (cards, new)
  }

  /// The daily limits from the configuration.
  public var limits: StudyQueue.Limits {
    StudyQueue.Limits(
      newPerDay: config.newCardsPerDay, reviewsPerDay: config.reviewsPerDay, newTotal: config.newCardsPerDayTotal,
      reviewsTotal: config.reviewsPerDayTotal, burying: siblingBurying)
  }
}

/// Where the local time zone comes from; tests pin one.
public struct TimeZoneSource: Sendable {
  public let identifier: String?
  public static let current = TimeZoneSource(identifier: nil)
  public init(identifier: String?) { self.identifier = identifier }
}

extension TimeZoneSource {
  var zone: TimeZone { identifier.flatMap(TimeZone.init(identifier:)) ?? .current }
}
