import EngramCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A rebuildable snapshot of replayed state (`state.cache`), so that starting Engram does not
/// re-parse every deck and replay the whole log.
///
/// It is only ever a copy: valid while the configuration, the deck files, the study day and
/// the log prefix it was built from are unchanged, and safe to delete at any time. Lines
/// appended to the log after it was written are applied on top when they are in time order.
public struct StateCache {
  /// Bumped whenever the layout or the meaning of a field changes.
  static let formatVersion = "engram-state-cache-10"

  /// Everything the cached state depends on, besides the log.
  /// What the cache was built from, besides the log, in two parts: replayed records depend
  /// only on `state` (config and time zone); the deck layout depends on `decks`. After a deck
  /// edit or an import the records are reused and only the decks are parsed again.
  public struct Fingerprint: Sendable, Equatable {
    public var state: UInt64
    public var decks: UInt64
  }

  public var fingerprint: Fingerprint
  /// The log files the records include, each up to the size it had.
  public var logs: [LogBinding]
  /// The study day the records' per-day counts (`reviewsToday`) refer to.
  public var dayStart: Timestamp
  /// The latest event time in the records: when a new study day starts after it, the cache
  /// stays valid with every per-day count reset to zero.
  public var latestEvent: Timestamp
  /// Each deck with its cards' records in deck order (nil for a card never seen).
  public var decks: [CachedDeck]
  /// Records of cards that are in no deck (deleted cards keep their history).
  public var orphans: [String: CardRecord]
  /// Deck problems found when the decks were parsed, shown again on a cache hit.
  public var deckProblems: [String]
  /// Whether the decks are still those the cache was built from; when false, only the records
  /// may be used.
  public var decksMatch = true
  /// What `stats` needs of the log besides the records.
  public var history = History()

  /// What `stats` needs of the log besides the records (the file's history section), kept exact
  /// through every change the records follow, or marked unknown (nil) where a change makes
  /// that hard: `stats` then replays the log and gives the snapshot the figures back.
  public struct History: Sendable, Equatable {
    /// Standing reviews per study day. Days follow the time zone and `day_starts_at`, which
    /// the fingerprint's `state` part covers, so a snapshot with other days is never read.
    public var reviews: DailyReviewTally?
    /// Every scenario choice and ending in the log, in replay order (time, then device and
    /// sequence; lines without an id first, in file order).
    public var scenarioEvents: [ReviewEvent]?

    public init(reviews: DailyReviewTally? = nil, scenarioEvents: [ReviewEvent]? = nil) {
      self.reviews = reviews
      self.scenarioEvents = scenarioEvents
    }
  }

  /// One deck's part of the cache. Card keys stay undecoded until asked for: counting what
  /// is due needs only the records, and making 100,000 strings would dominate start-up.
  public struct CachedDeck {
    // Any change makes the deck's entry as read (`encodedEntry`) stale.
    public var id: String { didSet { encodedEntry = nil } }
    public var title: String { didSet { encodedEntry = nil } }
    public var source: String { didSet { encodedEntry = nil } }
    public var records: [CardRecord?] { didSet { encodedEntry = nil } }
    /// Where this deck's entry (id to last record) is in the records section of the file it
    /// was read from, while nothing in it has changed: saving copies those bytes as they are,
    /// so closing a session re-encodes only the decks it answered cards of.
    var encodedEntry: Range<Int>?
    /// For each card, the position of the first card of its note (`DeckSummary.siblingGroups`).
    public var siblingGroups: [Int] { didSet { encodedEntry = nil } }
    var keys: KeySource

    enum KeySource {
      case decoded([String])
      /// Deck `index` of the cache file's key section, decoded on first use.
      case encoded(KeySection, index: Int)
    }

    public init(
      id: String, title: String, source: String, keys: [String], records: [CardRecord?], siblingGroups: [Int]? = nil
    ) {
      self.id = id
      self.title = title
      self.source = source
      self.keys = .decoded(keys)
      self.records = records
      self.siblingGroups = siblingGroups ?? Array(keys.indices)
    }

    init(
      id: String, title: String, source: String, section: KeySection, index: Int, records: [CardRecord?],
      siblingGroups: [Int], entry: Range<Int>
    ) {
      self.id = id
      self.title = title
      self.source = source
      self.keys = .encoded(section, index: index)
      self.records = records
      self.siblingGroups = siblingGroups
      self.encodedEntry = entry
    }

    /// Calls `body` with this deck's entry as it was read, if it is unchanged since.
    func withEncodedEntry(_ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
      guard let entry = encodedEntry, case .encoded(let section, _) = keys else { return false }
      section.withBytes { body(UnsafeRawBufferPointer(rebasing: $0[entry])) }
      return true
    }

    /// Calls `body` with the UTF-8 bytes of the card keys (in deck order, each as a range of
    /// `base`) without making a string per key: `state --json` sorts 100,000 keys by their bytes.
    func withKeyBytes<Result>(_ body: (_ base: UnsafeRawBufferPointer, _ ranges: [Range<Int>]) -> Result) -> Result {
      if case .encoded(let section, let index) = keys,
        let ranges = section.keyRanges(deck: index, expected: records.count)
      {
        return section.withBytes { body($0, ranges) }
      }
      var blob: [UInt8] = []
      var ranges: [Range<Int>] = []
      ranges.reserveCapacity(records.count)
      for key in cardKeys {
        let start = blob.count
        blob.append(contentsOf: key.utf8)
        ranges.append(start..<blob.count)
      }
      return blob.withUnsafeBytes { body($0, ranges) }
    }

    /// The card keys, in deck order.
    public var cardKeys: [String] {
      switch keys {
      case .decoded(let keys): return keys
      case .encoded(let section, let index): return section.keys(deck: index, expected: records.count)
      }
    }

    public var summary: DeckSummary {
      DeckSummary(id: id, title: title, cardKeys: cardKeys, source: source, siblingGroups: siblingGroups)
    }
  }

  /// The key section of a mapped cache file, decoded for all decks at once on first use.
  ///
  /// Not `Sendable` (nor are the decks and the snapshot that hold it): its keys are decoded
  /// lazily, on first use, which is safe only on the one thread that reads them, the command
  /// or REPL loop that owns the `Workspace`.
  final class KeySection {
    private let file: MappedFile
    private let start: Int
    private let deckSizes: [Int]
    private var decoded: [[String]]?

    init(file: MappedFile, start: Int, deckSizes: [Int]) {
      self.file = file
      self.start = start
      self.deckSizes = deckSizes
    }

    /// Where each deck's keys start in the file, found by skipping the keys before it.
    private var deckStarts: [Int]?

    /// The byte ranges (in the mapped file) of deck `deck`'s keys; nil when the section does
    /// not hold `expected` keys for it.
    func keyRanges(deck: Int, expected: Int) -> [Range<Int>]? {
      if deckStarts == nil {
        var reader = BinaryReader(file.bytes)
        reader.offset = start
        var starts: [Int] = []
        for size in deckSizes {
          starts.append(reader.offset)
          for _ in 0..<size where !reader.skipString() { return nil }
        }
        deckStarts = starts
      }
      guard let deckStarts, deck < deckStarts.count, deckSizes[deck] == expected else { return nil }
      var reader = BinaryReader(file.bytes)
      reader.offset = deckStarts[deck]
      var ranges: [Range<Int>] = []
      ranges.reserveCapacity(expected)
      for _ in 0..<expected {
        guard let length = reader.varint(), length <= UInt64(file.bytes.count - reader.offset) else { return nil }
        ranges.append(reader.offset..<(reader.offset + Int(length)))
        reader.offset += Int(length)
      }
      return ranges
    }

    /// The mapped file's bytes, valid while `body` runs.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
      withExtendedLifetime(file) { body(file.bytes) }
    }

    func keys(deck: Int, expected: Int) -> [String] {
      if decoded == nil {
        var reader = BinaryReader(file.bytes)
        reader.offset = start
        decoded = deckSizes.map { size in (0..<size).map { _ in reader.string() ?? "" } }
      }
      return decoded?[deck] ?? []
    }
  }

  /// How much of one log file the records include, and what to recognise it by.
  public struct LogBinding: Sendable, Equatable {
    /// Relative to the data directory (`reviews.tsv`, `reviews/laptop.tsv`).
    public var name: String
    /// Bytes included.
    public var size: Int
    /// Hash of the last bytes of that prefix, to notice a rewritten or replaced file.
    public var tailHash: UInt64
    /// The file's identity (device and inode), or 0 when not bound to it. Files this device
    /// writes (its own and the shared `reviews.tsv`) are bound, so a cache copied beside another
    /// directory's log is not trusted; other devices' files are replaced whole by sync tools
    /// each time they grow, so only their size and tail are checked.
    public var identity: UInt64

    public init(name: String, size: Int, tailHash: UInt64, identity: UInt64) {
      self.name = name
      self.size = size
      self.tailHash = tailHash
      self.identity = identity
    }
  }

  static let tailLength = 4096

  /// The fingerprint of the inputs other than the log.
  static func fingerprint(
    configBytes: [UInt8], decksDirectory: String, timeZone: String
  ) -> Fingerprint {
    var state = FNV1a()
    state.add(formatVersion)
    state.add(configBytes)
    state.add(Int64(configBytes.count))
    state.add(timeZone)
    var hash = FNV1a()
    hash.add(formatVersion)
    for file in shippedDeckFiles {
      hash.add(file.name)
      hash.add(Int64(file.text.utf8.count))
      hash.add(file.text.utf8.prefix(64))
      hash.add(file.text.utf8.suffix(64))
    }
    for path in DeckLibrary.markdownFiles(in: decksDirectory) {
      guard let stamp = FileStamp(path: path) else { continue }
      hash.add(path)
      hash.add(stamp.size)
      hash.add(stamp.seconds)
      hash.add(stamp.nanoseconds)
    }
    return Fingerprint(state: state.value, decks: hash.value)
  }

  /// Hash of the `tailLength` bytes of the log that end at `size`.
  static func tailHash(logPath: String, size: Int) -> UInt64? {
    let fd = open(logPath, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return size == 0 ? FNV1a().value : nil }
    defer { close(fd) }
    let start = max(0, size - tailLength)
    var buffer = [UInt8](repeating: 0, count: size - start)
    let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size - start, off_t(start)) }
    guard count == size - start else { return nil }
    var hash = FNV1a()
    hash.add(buffer)
    return hash.value
  }

  // MARK: Encoding

  /// The file as its three parts (header, records, keys and the rest), written one after the
  /// other so that saving never holds a concatenated copy of a many-megabyte cache.
  func encodedParts() -> [[UInt8]] {
    var records = BinaryWriter()
    // Sized up front (about 45 bytes a record): doubling as it grows would briefly need twice.
    let cardCount = decks.reduce(0) { $0 + $1.records.count }
    records.reserve(cardCount * 45 + 64)
    records.varint(UInt64(decks.count))
    for deck in decks {
      if deck.withEncodedEntry({ records.raw($0) }) { continue }
      records.string(deck.id)
      records.string(deck.title)
      records.string(deck.source)
      // Sibling groups sparsely: only cards that follow an earlier card of their note.
      let linked = deck.siblingGroups.enumerated().filter { $0.offset != $0.element }
      records.varint(UInt64(linked.count))
      for (index, first) in linked {
        records.varint(UInt64(index))
        records.varint(UInt64(first))
      }
      records.varint(UInt64(deck.records.count))
      for record in deck.records { StateCache.write(record, to: &records) }
    }
    var rest = BinaryWriter()
    rest.varint(UInt64(deckProblems.count))
    for problem in deckProblems { rest.string(problem) }
    rest.varint(UInt64(orphans.count))
    for (key, record) in orphans {
      rest.string(key)
      StateCache.write(record, to: &rest)
    }
    // Keys as bytes: a deck read from a cache file copies them from it, without a string each.
    for deck in decks {
      deck.withKeyBytes { base, ranges in
        for range in ranges { rest.bytes(UnsafeRawBufferPointer(rebasing: base[range])) }
      }
    }
    let history = StateCache.encode(history)
    var file = BinaryWriter()
    file.string(StateCache.formatVersion)
    file.u64(fingerprint.state)
    file.u64(fingerprint.decks)
    file.varint(UInt64(logs.count))
    for log in logs {
      file.string(log.name)
      file.int(log.size)
      file.u64(log.tailHash)
      file.u64(log.identity)
    }
    file.i64(dayStart.milliseconds)
    file.i64(latestEvent.milliseconds)
    file.int(records.bytes.count)
    file.u64(records.bytes.withUnsafeBytes { wordChecksum($0) })
    file.int(rest.bytes.count)
    file.u64(rest.bytes.withUnsafeBytes { wordChecksum($0) })
    file.int(history.bytes.count)
    file.u64(history.bytes.withUnsafeBytes { wordChecksum($0) })
    // The header's own checksum last: a damaged size or offset is never trusted.
    var header = FNV1a()
    header.add(file.bytes)
    file.u64(header.value)
    return [file.bytes, records.bytes, rest.bytes, history.bytes]
  }

  /// The history section: a flag byte (1: the review tally follows, 2: the scenario events
  /// follow), then each part present.
  private static func encode(_ history: History) -> BinaryWriter {
    var body = BinaryWriter()
    body.u8((history.reviews != nil ? 1 : 0) | (history.scenarioEvents != nil ? 2 : 0))
    if let tally = history.reviews {
      body.varint(UInt64(tally.starts.count))
      for (start, day) in zip(tally.starts, tally.days) {
        body.i64(start.milliseconds)
        for count in [
          day.reviews, day.again, day.introduced, day.youngPassed, day.youngTotal, day.maturePassed, day.matureTotal,
        ] {
          body.varint(UInt64(max(0, count)))
        }
        body.i64(day.milliseconds)
      }
    }
    if let events = history.scenarioEvents {
      body.varint(UInt64(events.count))
      for event in events {
        body.i64(event.time.milliseconds)
        body.string(event.card)
        body.int(RatingColumn.value(of: event.action))
        body.i64(event.durationMilliseconds)
        if let id = event.id {
          body.u8(1)
          body.string(id.device)
          body.varint(UInt64(id.sequence))
        } else {
          body.u8(0)
        }
      }
    }
    return body
  }

  /// Reads the history section written by `encode`; nil when it is damaged.
  private static func decodeHistory(_ reader: inout BinaryReader) -> History? {
    guard let flags = reader.u8(), flags & ~3 == 0 else { return nil }
    var history = History()
    // A per-day count fits 32 bits (a larger one is damage).
    func number(_ reader: inout BinaryReader) -> Int? {
      reader.varint().flatMap { $0 <= UInt64(Int32.max) ? Int($0) : nil }
    }
    if flags & 1 != 0 {
      guard let count = reader.count() else { return nil }
      var starts: [Timestamp] = []
      var days: [DailyReviewTally.Day] = []
      for _ in 0..<count {
        guard let start = reader.i64(), let reviews = number(&reader), let again = number(&reader),
          let introduced = number(&reader), let youngPassed = number(&reader), let youngTotal = number(&reader),
          let maturePassed = number(&reader), let matureTotal = number(&reader), let milliseconds = reader.i64()
        else { return nil }
        starts.append(Timestamp(milliseconds: start))
        days.append(
          DailyReviewTally.Day(
            reviews: reviews, again: again, milliseconds: milliseconds, introduced: introduced,
            youngPassed: youngPassed, youngTotal: youngTotal, maturePassed: maturePassed, matureTotal: matureTotal))
      }
      guard let tally = DailyReviewTally(starts: starts, days: days) else { return nil }
      history.reviews = tally
    }
    if flags & 2 != 0 {
      guard let count = reader.count() else { return nil }
      var events: [ReviewEvent] = []
      for _ in 0..<count {
        guard let time = reader.i64(), let card = reader.string(), let rating = reader.int(),
          let duration = reader.i64(), let hasID = reader.u8(), hasID <= 1,
          let action = RatingColumn.action(kind: .scenario, value: Int64(rating))
        else { return nil }
        var id: EventID?
        if hasID == 1 {
          guard let device = reader.string(), EventID.isValidDevice(device), let sequence = reader.varint(),
            (1...UInt64(EventID.maximumSequence)).contains(sequence)
          else { return nil }
          id = EventID(device: device, sequence: Int(sequence))
        }
        events.append(
          ReviewEvent(
            time: Timestamp(milliseconds: time), card: card, action: action, durationMilliseconds: duration, id: id))
      }
      history.scenarioEvents = events
    }
    return reader.offset == reader.bytes.count ? history : nil
  }

  private static func write(_ record: CardRecord?, to body: inout BinaryWriter) {
    guard let record else {
      body.u8(0)
      return
    }
    var flags: UInt8 = 128
    if record.schedule != nil { flags |= 1 }
    if record.suspended { flags |= 2 }
    if record.buriedAt != nil { flags |= 4 }
    if record.introducedAt != nil { flags |= 8 }
    if record.lastEvent != nil { flags |= 16 }
    if record.weakSince != nil { flags |= 32 }
    if record.leechedAt != nil { flags |= 64 }
    body.u8(flags)
    if let schedule = record.schedule {
      body.u8(UInt8(schedule.phase.rawValue))
      body.u8(UInt8(min(schedule.step ?? 255, 255)))
      body.double(schedule.stability)
      body.double(schedule.difficulty)
      body.i64(schedule.due.milliseconds)
      body.i64(schedule.lastReview.milliseconds)
    }
    if let buried = record.buriedAt { body.i64(buried.milliseconds) }
    if let introduced = record.introducedAt { body.i64(introduced.milliseconds) }
    if let last = record.lastEvent { body.i64(last.milliseconds) }
    if let weak = record.weakSince { body.i64(weak.milliseconds) }
    if let leech = record.leechedAt { body.i64(leech.milliseconds) }
    for count in [record.reviewCount, record.lapses, record.reviewsToday, record.quizCorrect, record.quizTotal] {
      body.varint(UInt64(max(0, count)))
    }
  }

  /// Reads a record written by `write`; `.some(nil)` for "no record", nil when corrupt.
  private static func readRecord(_ reader: inout BinaryReader) -> CardRecord?? {
    guard let flags = reader.u8() else { return nil }
    if flags == 0 { return .some(nil) }
    guard flags & 128 != 0 else { return nil }
    var record = CardRecord()
    if flags & 1 != 0 {
      guard let phaseRaw = reader.u8(), let phase = Phase(rawValue: Int(phaseRaw)), let stepByte = reader.u8(),
        let stability = reader.double(), let difficulty = reader.double(), let due = reader.i64(),
        let last = reader.i64()
      else { return nil }
      record.schedule = CardSchedule(
        phase: phase, step: stepByte == 255 ? nil : Int(stepByte), stability: stability, difficulty: difficulty,
        due: Timestamp(milliseconds: due), lastReview: Timestamp(milliseconds: last))
    }
    record.suspended = flags & 2 != 0
    if flags & 4 != 0 {
      guard let value = reader.i64() else { return nil }
      record.buriedAt = Timestamp(milliseconds: value)
    }
    if flags & 8 != 0 {
      guard let value = reader.i64() else { return nil }
      record.introducedAt = Timestamp(milliseconds: value)
    }
    if flags & 16 != 0 {
      guard let value = reader.i64() else { return nil }
      record.lastEvent = Timestamp(milliseconds: value)
    }
    if flags & 32 != 0 {
      guard let value = reader.i64() else { return nil }
      record.weakSince = Timestamp(milliseconds: value)
    }
    if flags & 64 != 0 {
      guard let value = reader.i64() else { return nil }
      record.leechedAt = Timestamp(milliseconds: value)
    }
    guard let reviews = reader.count(), let lapses = reader.count(), let today = reader.count(),
      let correct = reader.count(), let total = reader.count()
    else { return nil }
    record.reviewCount = reviews
    record.lapses = lapses
    record.reviewsToday = today
    record.quizCorrect = correct
    record.quizTotal = total
    return .some(record)
  }

  static func decode(_ file: MappedFile, expecting fingerprint: Fingerprint) -> StateCache? {
    let raw = file.bytes
    var reader = BinaryReader(raw)
    guard reader.string() == formatVersion, reader.u64() == fingerprint.state, let decksValue = reader.u64(),
      let logCount = reader.count(), logCount <= 1 << 16
    else { return nil }
    var logs: [LogBinding] = []
    for _ in 0..<logCount {
      guard let name = reader.string(), let size = reader.int(), size >= 0, let tail = reader.u64(),
        let identity = reader.u64()
      else { return nil }
      logs.append(LogBinding(name: name, size: size, tailHash: tail, identity: identity))
    }
    guard let cachedDay = reader.i64(), let latest = reader.i64(),
      let recordsSize = reader.int(), let recordsChecksum = reader.u64(),
      let restSize = reader.int(), let restChecksum = reader.u64(),
      let historySize = reader.int(), let historyChecksum = reader.u64()
    else { return nil }
    var header = FNV1a()
    header.add(UnsafeRawBufferPointer(rebasing: raw[0..<reader.offset]))
    // Sizes are checked against the file without arithmetic that could overflow.
    guard reader.u64() == header.value, recordsSize >= 0, restSize >= 0, historySize >= 0,
      historySize <= raw.count - reader.offset, recordsSize <= raw.count - reader.offset - historySize,
      restSize == raw.count - reader.offset - recordsSize - historySize
    else { return nil }
    let recordsStart = reader.offset
    let restStart = recordsStart + recordsSize
    let historyStart = restStart + restSize
    guard wordChecksum(UnsafeRawBufferPointer(rebasing: raw[recordsStart..<restStart])) == recordsChecksum,
      wordChecksum(UnsafeRawBufferPointer(rebasing: raw[restStart..<historyStart])) == restChecksum,
      wordChecksum(UnsafeRawBufferPointer(rebasing: raw[historyStart...])) == historyChecksum
    else { return nil }
    var historyReader = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[historyStart...]))
    guard let history = decodeHistory(&historyReader), let deckCount = reader.count() else { return nil }
    var decks: [(id: String, title: String, source: String, records: [CardRecord?], groups: [Int], entry: Range<Int>)] =
      []
    decks.reserveCapacity(deckCount)
    for _ in 0..<deckCount {
      let entryStart = reader.offset
      guard let id = reader.string(), let title = reader.string(), let source = reader.string(),
        let linkedCount = reader.count()
      else { return nil }
      var linked: [(index: Int, first: Int)] = []
      for _ in 0..<linkedCount {
        guard let index = reader.count(), let first = reader.count(), first < index else { return nil }
        linked.append((index, first))
      }
      guard let count = reader.count(), linked.allSatisfy({ $0.index < count }) else { return nil }
      var groups = Array(0..<count)
      for link in linked { groups[link.index] = link.first }
      var records: [CardRecord?] = []
      records.reserveCapacity(count)
      for _ in 0..<count {
        guard let record = readRecord(&reader) else { return nil }
        records.append(record)
      }
      decks.append((id, title, source, records, groups, entryStart..<reader.offset))
    }
    guard reader.offset == restStart, let problemCount = reader.count() else { return nil }
    var problems: [String] = []
    for _ in 0..<problemCount {
      guard let problem = reader.string() else { return nil }
      problems.append(problem)
    }
    guard let orphanCount = reader.count() else { return nil }
    var orphans: [String: CardRecord] = [:]
    for _ in 0..<orphanCount {
      guard let key = reader.string(), let record = readRecord(&reader), let record else { return nil }
      orphans[key] = record
    }
    let section = KeySection(file: file, start: reader.offset, deckSizes: decks.map(\.records.count))
    var cache = StateCache(
      fingerprint: fingerprint, logs: logs,
      dayStart: Timestamp(milliseconds: cachedDay), latestEvent: Timestamp(milliseconds: latest),
      decks: decks.enumerated().map { index, deck in
        CachedDeck(
          id: deck.id, title: deck.title, source: deck.source, section: section, index: index, records: deck.records,
          siblingGroups: deck.groups, entry: deck.entry)
      },
      orphans: orphans, deckProblems: problems)
    cache.decksMatch = decksValue == fingerprint.decks
    cache.history = history
    return cache
  }

  /// Moves the cache to a later study day: nothing in it happened on that day yet.
  mutating func resetDailyCounts(dayStart: Timestamp) {
    self.dayStart = dayStart
    for deck in decks.indices {
      for card in decks[deck].records.indices where decks[deck].records[card]?.reviewsToday ?? 0 > 0 {
        decks[deck].records[card]?.reviewsToday = 0
      }
    }
    for key in orphans.keys where orphans[key]?.reviewsToday ?? 0 > 0 { orphans[key]?.reviewsToday = 0 }
  }

  // MARK: Files

  /// Why a snapshot could not be used (the state is then rebuilt from the log).
  public enum Miss: Error, Sendable, Equatable {
    /// No cache file (or an empty one).
    case noSnapshot
    /// Written by another version of the format.
    case otherFormat
    /// The configuration or the time zone changed since it was written.
    case settingsChanged
    /// Damaged: a checksum, a size or a value does not hold.
    case unreadable
    /// Written on a later study day, or on an earlier one with events on that day: its per-day
    /// counts are not today's.
    case otherStudyDay
    /// This log file is shorter than it covers, or no longer the file it was written from.
    case logReplaced(file: String)
  }

  /// Reads the cache at `path` if it matches `fingerprint`, every log file it covers still
  /// starts with what it was built from (`directory` holds them), and it is for study day
  /// `dayStart` — or for an earlier day with no event since that day ended, in which case the
  /// per-day counts are reset. Otherwise why not (a miss is never an error: the state is
  /// rebuilt). Files that appeared since are not its business: the caller reads them whole.
  static func load(
    path: String, fingerprint: Fingerprint, directory: String, dayStart: Timestamp
  ) -> Result<StateCache, Miss> {
    guard let file = MappedFile(path: path) else { return .failure(.noSnapshot) }
    guard var cache = decode(file, expecting: fingerprint) else {
      return .failure(whyUndecodable(file, expecting: fingerprint))
    }
    if cache.dayStart != dayStart {
      guard cache.dayStart < dayStart, cache.latestEvent < dayStart else { return .failure(.otherStudyDay) }
      cache.resetDailyCounts(dayStart: dayStart)
    }
    for log in cache.logs {
      guard !log.name.contains(".."), let bound = binding(directory: directory, name: log.name, size: log.size),
        bound.tailHash == log.tailHash, log.identity == 0 || bound.identity == log.identity
      else { return .failure(.logReplaced(file: log.name)) }
    }
    return .success(cache)
  }

  /// Why `decode` refused `file`: the header's first two fields tell another format or other
  /// settings from damage further on.
  private static func whyUndecodable(_ file: MappedFile, expecting fingerprint: Fingerprint) -> Miss {
    var reader = BinaryReader(file.bytes)
    guard reader.string() == formatVersion else { return .otherFormat }
    guard reader.u64() == fingerprint.state else { return .settingsChanged }
    return .unreadable
  }

  /// The binding of file `name` (relative to `directory`) at `size` bytes: nil when the file is
  /// shorter or cannot be read.
  static func binding(directory: String, name: String, size: Int, bindIdentity: Bool = true) -> LogBinding? {
    let path = directory + "/" + name
    var info = stat()
    guard stat(path, &info) == 0, Int(info.st_size) >= size, let tail = tailHash(logPath: path, size: size) else {
      return nil
    }
    return LogBinding(name: name, size: size, tailHash: tail, identity: bindIdentity ? identity(of: path) : 0)
  }

  /// Device and inode of the log (0 while there is none), hashed into one number.
  static func identity(of logPath: String) -> UInt64 {
    var info = stat()
    guard stat(logPath, &info) == 0 else { return 0 }
    var hash = FNV1a()
    hash.add(Int64(bitPattern: UInt64(info.st_dev)))
    hash.add(Int64(bitPattern: UInt64(info.st_ino)))
    return hash.value
  }

  /// Writes the cache atomically (temporary file, then rename); failures are ignored because
  /// the cache is only an accelerator.
  func save(path: String) {
    try? AtomicFile.write(encodedParts(), to: path, mode: 0o600, durable: false)
  }
}
