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
public final class Workspace {
  public let directory: DataDirectory
  public let config: Config
  public let log: ReviewLog
  public let scheduler: Scheduler
  public let clock: DayClock
  /// Start of the study day the records' per-day counts refer to.
  public let dayStart: Timestamp
  /// Replayed state per card key (only cards with history); built on first use when the
  /// workspace started from the cache.
  public var records: [String: CardRecord] { materializedRecords() }
  /// Deck ids, titles and card keys, in library order.
  public var summaries: [DeckSummary] {
    if let summaryStorage { return summaryStorage }
    let made = cachedDecks?.map(\.summary) ?? library.decks.map(\.summary)
    summaryStorage = made
    return made
  }
  /// Deck count, ids and titles without decoding card keys.
  public var deckTitles: [(id: String, title: String, cards: Int)] {
    if let cachedDecks { return cachedDecks.map { ($0.id, $0.title, $0.records.count) } }
    return summaries.map { ($0.id, $0.title, $0.cardKeys.count) }
  }
  /// Messages to show the user once (deck problems, a torn log line set aside).
  public private(set) var warnings: [String]
  /// Whether this open used the cache (for benchmarks and tests).
  public let startedFromCache: Bool
  /// Whether this open kept the cache's replayed records while parsing changed decks again.
  public private(set) var reusedCachedRecords = false

  private var loadedLibrary: DeckLibrary?
  private var recordStorage: [String: CardRecord]?
  private var summaryStorage: [DeckSummary]?
  /// The cache's per-deck records, while nothing has changed since it was loaded.
  private var cachedDecks: [StateCache.CachedDeck]?
  private var cachedOrphans: [String: CardRecord] = [:]
  /// Notes of the decks `card(_:)` has needed so far, by deck id and note id.
  private var notesByDeck: [String: [String: Note]] = [:]
  /// Events per card key, in file order; nil until needed when started from the cache.
  private var events: [String: [ReviewEvent]]?
  private let fingerprint: StateCache.Fingerprint
  private var logSize: Int
  /// Whether the state changed since the cache was read or written.
  private var dirty = false

  /// Opens (and on first use creates) the data directory.
  ///
  /// - Throws: `ConfigError` for a bad config.toml, `FileError` when the directory or the log
  ///   cannot be read.
  public init(directory: DataDirectory, now: Timestamp, timeZone: TimeZoneSource = .current) throws {
    try directory.create()
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
    log = ReviewLog(path: directory.logPath)
    scheduler = Scheduler(settings: config.schedulerSettings)
    let zone = timeZone.zone
    clock = DayClock(dayStartsAt: config.dayStartsAt, timeZone: zone)
    dayStart = clock.dayStart(containing: now)
    fingerprint = StateCache.fingerprint(
      configBytes: configBytes ?? [], decksDirectory: directory.decksPath, timeZone: zone.identifier)

    if let cache = StateCache.load(
      path: directory.cachePath, fingerprint: fingerprint, logPath: log.path, dayStart: dayStart)
    {
      let contents = try log.read(from: cache.logSize)
      if !cache.decksMatch {
        // A deck file changed (an edit, an import): the replayed records do not depend on the
        // decks, so they are kept and only the decks are parsed again.
        var records = Workspace.records(of: cache)
        if Workspace.applyTail(contents, to: &records, scheduler: scheduler, dayStart: dayStart) {
          let library = DeckLibrary.load(userDecks: directory.decksPath)
          loadedLibrary = library
          summaryStorage = library.decks.map(\.summary)
          recordStorage = records
          warnings = recovered + library.problems.map(\.description) + contents.warnings
          logSize = contents.byteCount
          startedFromCache = false
          reusedCachedRecords = true
          dirty = true
          saveCache()
          return
        }
      } else if contents.events.isEmpty && contents.warnings.isEmpty {
        cachedDecks = cache.decks
        cachedOrphans = cache.orphans
        warnings = recovered + cache.deckProblems
        logSize = contents.byteCount
        startedFromCache = true
        return
      }
      var records = Workspace.records(of: cache)
      if cache.decksMatch, Workspace.applyTail(contents, to: &records, scheduler: scheduler, dayStart: dayStart) {
        recordStorage = records
        summaryStorage = cache.decks.map(\.summary)
        warnings = recovered + cache.deckProblems + contents.warnings
        logSize = contents.byteCount
        startedFromCache = true
        dirty = true
        saveCache()
        return
      }
    }

    // Parsing the decks and replaying the log do not depend on each other: on two cores the
    // decks are parsed while the log is read and replayed.
    let parsed = ResultBox<DeckLibrary>()
    let decksPath = directory.decksPath
    let parsing = Thread { parsed.set(DeckLibrary.load(userDecks: decksPath)) }
    parsing.stackSize = 8 << 20
    parsing.start()
    let compact: CompactLog
    do { compact = try CompactLog(log) } catch {
      _ = parsed.wait()
      throw error
    }
    let contents = compact.contents
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    var records: [String: CardRecord] = [:]
    records.reserveCapacity(compact.keys.count)
    let hasScenarios = compact.kinds.contains(.scenario)
    for number in compact.keys.indices {
      var cardEvents = compact.events(of: number)
      if hasScenarios {
        cardEvents.removeAll { !$0.kind.isAboutCard }
        if cardEvents.isEmpty { continue }
      }
      records[compact.keys[number]] = replayer.replay(card: compact.keys[number], events: cardEvents)
    }
    // The events are not kept: an undo or an older event re-reads the log (`allEvents`), as it
    // does after a start from the cache.
    recordStorage = records
    let library = parsed.wait()
    loadedLibrary = library
    summaryStorage = library.decks.map(\.summary)
    warnings = recovered + library.problems.map(\.description) + contents.warnings
    logSize = contents.byteCount
    startedFromCache = false
    dirty = true
    saveCache()
  }

  /// The whole log grouped by card, in file order within each card. Cards are grouped by the
  /// number the parser gives them, so no card key is hashed per line; each event is kept in 24
  /// bytes without its key (a million events would take 56 MB as `ReviewEvent`s).
  private struct CompactLog {
    struct Event {
      var time: Int64
      var duration: Int64
      var rating: Int32
      var kind: UInt16
    }

    var contents: ReviewLog.Contents
    /// Card keys by number, in order of first appearance.
    var keys: [String] = []
    var lists: [[Event]] = []
    /// Kinds by number: a log has a handful.
    var kinds: [ReviewEvent.Kind] = []

    init(_ log: ReviewLog) throws(FileError) {
      var keys: [String] = []
      var lists: [[Event]] = []
      var kinds: [ReviewEvent.Kind] = []
      var kindNumbers: [ReviewEvent.Kind: UInt16] = [:]
      contents = try log.read { event, number in
        let kind: UInt16
        if let known = kindNumbers[event.kind] {
          kind = known
        } else {
          kind = UInt16(kinds.count)
          kinds.append(event.kind)
          kindNumbers[event.kind] = kind
        }
        let compact = Event(
          time: event.time.milliseconds, duration: event.durationMilliseconds, rating: Int32(clamping: event.rating),
          kind: kind)
        if number == lists.count {
          keys.append(event.card)
          lists.append([compact])
        } else {
          lists[number].append(compact)
        }
      }
      self.keys = keys
      self.lists = lists
      self.kinds = kinds
    }

    func events(of number: Int) -> [ReviewEvent] {
      lists[number].map { event in
        ReviewEvent(
          time: Timestamp(milliseconds: event.time), card: keys[number], rating: Int(event.rating),
          durationMilliseconds: event.duration, kind: kinds[Int(event.kind)])
      }
    }

    var grouped: [String: [ReviewEvent]] {
      var grouped: [String: [ReviewEvent]] = [:]
      grouped.reserveCapacity(keys.count)
      for number in keys.indices { grouped[keys[number]] = events(of: number) }
      return grouped
    }
  }

  /// Applies log lines appended since the cache was written; false when they cannot be
  /// applied incrementally (an undo, an event older than the card's latest, an unreadable line).
  private static func applyTail(
    _ contents: ReviewLog.Contents, to records: inout [String: CardRecord], scheduler: Scheduler,
    dayStart: Timestamp
  ) -> Bool {
    guard contents.warnings.allSatisfy({ !$0.contains("unreadable line") }) else { return false }
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    for event in contents.events where event.kind.isAboutCard {
      if event.kind == .undo { return false }
      var record = records[event.card] ?? CardRecord()
      if let last = record.lastEvent, event.time < last { return false }
      replayer.apply(event, card: event.card, to: &record)
      records[event.card] = record
    }
    return true
  }

  private static func records(of cache: StateCache) -> [String: CardRecord] {
    var records = cache.orphans
    for deck in cache.decks {
      for (key, record) in zip(deck.cardKeys, deck.records) where record != nil { records[key] = record }
    }
    return records
  }

  private func materializedRecords() -> [String: CardRecord] {
    if let recordStorage { return recordStorage }
    var records = cachedOrphans
    for deck in cachedDecks ?? [] {
      for (key, record) in zip(deck.cardKeys, deck.records) where record != nil { records[key] = record }
    }
    recordStorage = records
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
  /// deck file is parsed, so a session's first card does not wait for every deck.
  public func card(_ key: String) -> Card? {
    guard let slash = key.firstIndex(of: "/") else { return nil }
    let deckID = String(key[..<slash])
    var noteID = key[key.index(after: slash)...]
    if let hash = noteID.firstIndex(of: "#") { noteID = noteID[..<hash] }
    if notesByDeck[deckID] == nil {
      // One deck at a time, and only its notes: cards are made when asked for. Indexing every
      // card of every visited deck cost a session over all decks tens of megabytes.
      let deck: Deck?
      if let loadedLibrary {
        deck = loadedLibrary.decks.first { $0.id == deckID }
      } else if let source = source(ofDeck: deckID) {
        deck = DeckLibrary.parseOne(source: source)
      } else {
        deck = nil
      }
      guard let deck else { return nil }
      var notes: [String: Note] = [:]
      notes.reserveCapacity(deck.notes.count)
      for note in deck.notes where notes[note.id] == nil { notes[note.id] = note }
      notesByDeck[deckID] = notes
    }
    guard let note = notesByDeck[deckID]?[String(noteID)] else { return nil }
    return note.cards(deckID: deckID).first { $0.key == key }
  }

  /// The file a deck comes from, without decoding any card keys.
  private func source(ofDeck id: String) -> String? {
    if let cachedDecks { return cachedDecks.first { $0.id == id }?.source }
    return summaries.first { $0.id == id }?.source
  }


  /// The start of tomorrow's study day.
  public var tomorrowStart: Timestamp { clock.nextDayStart(after: dayStart) }

  /// Writes events durably (fsync) and only then updates the in-memory state.
  public func append(_ newEvents: [ReviewEvent], sync: Bool = true) throws {
    // A batch that needs a card replayed (an undo, or an event older than what is known) needs
    // the log as it was before the batch: read it now, not half-way through.
    if events == nil {
      var latest: [String: Timestamp] = [:]
      let needsReplay = newEvents.contains { event in
        let known = latest[event.card] ?? record(for: event.card)?.lastEvent
        latest[event.card] = max(known ?? event.time, event.time)
        return event.kind == .undo || known.map { event.time < $0 } == true
      }
      if needsReplay { _ = try allEvents() }
    }
    try log.append(newEvents, sync: sync)
    dirty = true
    logSize = -1  // our picture of the file is no longer its exact size: re-read on save
    var records = materializedRecords()
    recordStorage = nil  // keep the dictionary uniquely referenced while it changes
    // Keep the deck layout the cache gave: without it, saving would parse every deck.
    if summaryStorage == nil, let cachedDecks { summaryStorage = cachedDecks.map(\.summary) }
    cachedDecks = nil
    defer { recordStorage = records }
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    for event in newEvents {
      if events != nil { events?[event.card, default: []].append(event) }
      guard event.kind.isAboutCard else { continue }
      let isLatest = (records[event.card]?.lastEvent).map { event.time >= $0 } ?? true
      if isLatest && event.kind != .undo {
        replayer.apply(event, card: event.card, to: &records[event.card, default: CardRecord()])
      } else {
        let cardEvents = try allEvents()[event.card] ?? []
        records[event.card] = replayer.replay(card: event.card, events: cardEvents)
      }
    }
  }

  /// Every event grouped by card, reading the log now if the workspace started from the cache.
  private func allEvents() throws -> [String: [ReviewEvent]] {
    if let events { return events }
    let grouped = try CompactLog(log).grouped
    events = grouped
    return grouped
  }

  /// Saves the current state as the cache if it changed, so that the next start is fast.
  public func saveCache() {
    guard dirty else { return }
    dirty = false
    var info = stat()
    let size = stat(log.path, &info) == 0 ? Int(info.st_size) : 0
    // Only the writer of the last line knows the state matches the whole file; if another
    // process appended meanwhile, the next start replays (the cache is then simply stale).
    if logSize >= 0 && size != logSize { return }
    guard let tail = StateCache.tailHash(logPath: log.path, size: size) else { return }
    let records = self.records
    var inDecks = Set<String>()
    var decks: [StateCache.CachedDeck] = []
    for summary in summaries {
      inDecks.formUnion(summary.cardKeys)
      // Records are written straight from the dictionary (see `save`), not copied here.
      decks.append(
        StateCache.CachedDeck(
          id: summary.id, title: summary.title, source: summary.source, keys: summary.cardKeys, records: []))
    }
    let latest = records.values.compactMap(\.lastEvent).max() ?? Timestamp(milliseconds: 0)
    StateCache(
      fingerprint: fingerprint, logSize: size, logTailHash: tail, dayStart: dayStart, latestEvent: latest,
      decks: decks,
      orphans: records.filter { !inDecks.contains($0.key) },
      deckProblems: warnings.filter { !$0.contains(log.path) }
    ).save(path: directory.cachePath, recordsByKey: records)
  }

  /// The record of one card (nil: never seen), without building the whole dictionary when
  /// the workspace started from the cache.
  public func record(for key: String) -> CardRecord? {
    if let recordStorage { return recordStorage[key] }
    guard let cachedDecks else { return records[key] }
    if let slash = key.firstIndex(of: "/"), let deck = cachedDecks.first(where: { $0.id == key[..<slash] }),
      let index = deck.cardKeys.firstIndex(of: key)
    {
      return deck.records[index]
    }
    return cachedOrphans[key]
  }

  /// Today's queue over `cards` (default: every card of every deck).
  public func queue(cards: [Card]? = nil) -> StudyQueue {
    if cards == nil, let cachedDecks {
      return StudyQueue(
        classified: cachedDecks.map {
          ($0.cardKeys, StudyQueue.classify($0.records, limits: limits, dayStart: dayStart, tomorrowStart: tomorrowStart))
        }, tomorrowStart: tomorrowStart)
    }
    if let cards {
      return StudyQueue(
        cards: cards, records: records, limits: limits, dayStart: dayStart, tomorrowStart: tomorrowStart)
    }
    let records = self.records
    return StudyQueue(
      entries: summaries.flatMap { deck in deck.cardKeys.map { ($0, deck.id) } }, record: { records[$0] },
      limits: limits, dayStart: dayStart, tomorrowStart: tomorrowStart)
  }

  /// Counts per deck of what is available today.
  public func counts() -> [String: StudyQueue.Counts] {
    if let cachedDecks {
      // Straight from the cache's per-deck records: no keys, no lookups.
      var result: [String: StudyQueue.Counts] = [:]
      for deck in cachedDecks {
        result[deck.id] = StudyQueue.classify(
          deck.records, limits: limits, dayStart: dayStart, tomorrowStart: tomorrowStart
        ).counts
      }
      return result
    }
    let records = self.records
    return StudyQueue.counts(
      decks: summaries, record: { records[$0] }, limits: limits, dayStart: dayStart,
      tomorrowStart: tomorrowStart)
  }

  /// Statistics over `keys` (default: every card), replaying the whole log for per-review facts.
  public func statistics(now: Timestamp, keys: Set<String>? = nil) throws -> Statistics {
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    var facts: [ReviewFact] = []
    var records: [String: CardRecord] = [:]
    for (card, cardEvents) in try allEvents() where keys?.contains(card) ?? true {
      guard cardEvents.contains(where: { $0.kind.isAboutCard }) else { continue }
      let (record, cardFacts) = replayer.replayWithFacts(card: card, events: cardEvents)
      records[card] = record
      facts += cardFacts
    }
    let decks = summaries.compactMap { deck -> DeckSummary? in
      guard let keys else { return deck }
      let inside = deck.cardKeys.filter(keys.contains)
      return inside.isEmpty ? nil : DeckSummary(id: deck.id, title: deck.title, cardKeys: inside, source: deck.source)
    }
    return Statistics.compute(
      facts: facts, records: records, decks: decks, days: clock.studyDays(around: now, past: 370, future: 32),
      now: now, scheduler: scheduler)
  }

  /// Every scenario choice and ending in the log, in time order (file order for ties).
  public func scenarioEvents() throws -> [ReviewEvent] {
    let found = try allEvents().values.flatMap { $0.filter { $0.kind == .scenario } }
    return found.enumerated().sorted {
      $0.element.time != $1.element.time ? $0.element.time < $1.element.time : $0.offset < $1.offset
    }.map(\.element)
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

  /// The daily limits from the configuration.
  public var limits: StudyQueue.Limits {
    StudyQueue.Limits(newPerDay: config.newCardsPerDay, reviewsPerDay: config.reviewsPerDay)
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

/// A value produced on another thread, handed over once under a condition variable.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var value: Value?

  func set(_ newValue: Value) {
    condition.lock()
    value = newValue
    condition.signal()
    condition.unlock()
  }

  func wait() -> Value {
    condition.lock()
    defer { condition.unlock() }
    while value == nil { condition.wait() }
    return value!
  }
}
