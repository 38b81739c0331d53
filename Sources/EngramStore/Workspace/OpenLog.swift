import EngramCore

/// The review log as one open of the data directory knows it: how many bytes of each file the
/// records include, and the whole log held in memory once a replay needs it.
///
/// Its own value, apart from `Workspace`'s records, because these facts change together and
/// only through the log: reading it can show that another device's file grew (then the sizes
/// describe nothing), and each write either extends the sizes or breaks them, and joins the
/// held log.
struct OpenLog {
  /// Every device's log file, read as one history.
  let history: HistoryLog
  /// Bytes of each log file the records include, by name; nil when another process wrote
  /// between our own lines, so that no prefix describes the records.
  private(set) var sizes: [String: Int]?
  /// The whole log as columns, with what this process appended; nil until an undo or an event
  /// out of order needs a replay (the events are not kept after a full replay: they would
  /// cost a session about 25 MB that most sessions never use).
  private(set) var held: EventColumns?
  /// `held` grouped by card key, for per-card queries; made on first use.
  private var grouped: [String: [ReviewEvent]]?

  init(history: HistoryLog, sizes: [String: Int]?) {
    self.history = history
    self.sizes = sizes
  }

  /// Every device's log as columns, read now. Another device's file that grew (or appeared)
  /// since the open brings events the records lack; a card replayed from these events then
  /// holds more than the sizes known describe, so no snapshot is saved (the next start replays
  /// what it must).
  mutating func readColumns() throws -> EventColumns {
    let (columns, contents) = try Workspace.columns(of: history)
    if let sizes, contents.sizes != sizes { self.sizes = nil }
    return columns
  }

  /// The whole log as columns, read now unless the events are already held (then made from
  /// them, with what this session appended).
  mutating func columns() throws -> EventColumns {
    if let held { return held }
    return try readColumns()
  }

  /// Reads the log into `held` unless it is held already.
  mutating func hold() throws {
    if held == nil { held = try readColumns() }
  }

  /// Every event grouped by card, reading the log now if it is not held.
  mutating func allEvents() throws -> [String: [ReviewEvent]] {
    if let grouped { return grouped }
    let events = try columns().groupedEvents()
    grouped = events
    return events
  }

  /// Takes in what this process just wrote to `file` at `range`: the sizes grow by it when it
  /// follows what had been read, and the held log gains the events.
  mutating func wrote(_ events: [ReviewEvent], to file: String, at range: Range<Int>) {
    // Our lines follow what we had read only if no other process wrote in between; otherwise
    // the records miss its lines and the sizes we know no longer describe them.
    if var sizes {
      let knownStart = sizes[file] ?? ReviewLog.deviceHeader.utf8.count
      if range.lowerBound == knownStart {
        sizes[file] = range.upperBound
        self.sizes = sizes
      } else {
        self.sizes = nil
      }
    }
    grouped = nil
    for event in events { held?.append(event) }
  }
}
