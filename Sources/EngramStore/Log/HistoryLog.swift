import EngramCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The whole review history of a data directory: the union of every device's log file.
///
/// Each device appends only to its own `reviews/<device>.tsv`, so a directory synced by
/// Syncthing, Dropbox, `rsync -u` or `git pull` never has two versions of one file to merge;
/// the shared `reviews.tsv` of older versions is read as before and never written again. Every
/// event a device writes carries an id (`device.sequence`); replay orders a card's events by
/// time, then device, then sequence (`ReviewEvent.replaysBefore`), so the state does not depend
/// on the order the files arrived in, and an id seen twice (a file copied under another name)
/// counts once.
public struct HistoryLog: Sendable {
  public let directory: DataDirectory
  /// This device's name, or nil when it cannot be known (then nothing is appended and only
  /// legacy conflict copies are merged).
  public let device: String?

  public init(directory: DataDirectory, device: String?) {
    self.directory = directory
    self.device = device
  }

  /// The folder of the device files.
  public var folder: String { directory.path + "/reviews" }

  /// One log file of the history.
  public struct File: Sendable, Equatable {
    /// Relative to the data directory: `reviews.tsv` or `reviews/<device>.tsv`.
    public var name: String
    public var path: String
    /// The device whose file it is; nil for the shared `reviews.tsv`.
    public var device: String?
    /// A Syncthing or Dropbox conflict copy of `device`'s file (or of `reviews.tsv`).
    public var isConflictCopy = false
  }

  /// This device's log file.
  public func ownFile(device: String) -> ReviewLog {
    ReviewLog(path: folder + "/" + device + ".tsv", header: ReviewLog.deviceHeader)
  }

  /// The files of the history in reading order: `reviews.tsv`, then each device's file by
  /// name, then conflict copies (read as extra sources until they are merged). Other files in
  /// `reviews/` are left alone and reported.
  public func files() -> (files: [File], ignored: [String]) {
    var found: [File] = []
    var copies: [File] = []
    var ignored: [String] = []
    if access(directory.logPath, F_OK) == 0 {
      found.append(File(name: "reviews.tsv", path: directory.logPath, device: nil))
    }
    for name in ImportTransaction.entries(of: directory.path) where HistoryLog.isLegacyConflictCopy(name) {
      // A copy of the shared log: no device owns it.
      copies.append(File(name: name, path: directory.path + "/" + name, device: nil, isConflictCopy: true))
    }
    for name in ImportTransaction.entries(of: folder) where name.hasSuffix(".tsv") {
      let stem = String(name.dropLast(4))
      let path = folder + "/" + name
      if EventID.isValidDevice(stem) {
        found.append(File(name: "reviews/" + name, path: path, device: stem))
      } else if let owner = HistoryLog.conflictOwner(stem) {
        copies.append(File(name: "reviews/" + name, path: path, device: owner, isConflictCopy: true))
      } else {
        ignored.append("reviews/" + name)
      }
    }
    return (found + copies, ignored)
  }

  /// Whether `name` (in the data directory) is a conflict copy of `reviews.tsv`:
  /// `reviews.sync-conflict-….tsv` (Syncthing) or `reviews (… conflicted copy ….tsv` (Dropbox).
  static func isLegacyConflictCopy(_ name: String) -> Bool {
    name.hasSuffix(".tsv") && conflictOwner(String(name.dropLast(4)), legacy: true) != nil
  }

  /// The device whose file `stem` is a conflict copy of (`laptop.sync-conflict-20261130-…`,
  /// `laptop (Ann's conflicted copy 2026-11-30)`), or nil. With `legacy`, the owner must be
  /// `reviews` (the shared file).
  static func conflictOwner(_ stem: String, legacy: Bool = false) -> String? {
    var owner: Substring?
    if let range = stem.range(of: ".sync-conflict-") {
      owner = stem[..<range.lowerBound]
    } else if let open = stem.range(of: " ("), stem.contains("conflicted copy") {
      owner = stem[..<open.lowerBound]
    }
    guard let owner else { return nil }
    if legacy { return owner == "reviews" ? "reviews" : nil }
    return EventID.isValidDevice(owner) ? String(owner) : nil
  }

  /// What reading the history found.
  public struct Contents: Sendable {
    /// Events in reading order (only from `read(repairing:)`).
    public var events: [ReviewEvent] = []
    /// Problems to tell the user about once.
    public var warnings: [StoreWarning] = []
    /// Lines that could not be read.
    public var unreadableLines = 0
    /// Each file's size after any repair, by name: what a snapshot covers.
    public var sizes: [String: Int] = [:]
    /// Whether some event sits in a file not its device's (a copied or renamed file, a conflict
    /// copy not merged yet, a line without an id in a device file): reading only what was
    /// appended since cannot then tell a new event from one seen under another name.
    public var hasForeignEvents = false
  }

  /// Reads the whole history (or what follows `offsets`), collecting the events.
  public func read(from offsets: [String: Int] = [:], repairing: Bool = true) throws(FileError) -> Contents {
    var events: [ReviewEvent] = []
    var contents = try read(from: offsets, repairing: repairing) { event, _ in events.append(event) }
    contents.events = events
    return contents
  }

  /// Reads every file from the offsets given (a file not named is read from its start), handing
  /// each event to `handle` with its card's number, the same for one card across files (0 for
  /// the first card key seen, then 1, ...). An id already seen is skipped. Events come in file
  /// order, files in `files()` order; replay sorts each card's events (`Replayer.standing`).
  ///
  /// - Parameter repairing: false reads without writing anything (no torn tail set aside).
  public func read(
    from offsets: [String: Int] = [:], repairing: Bool = true, handle: (ReviewEvent, _ cardNumber: Int) -> Void
  ) throws(FileError) -> Contents {
    var names = ReviewLogParser.Names()
    return try readRows(from: offsets, repairing: repairing, names: &names) { row, names in
      handle(names.event(row), Int(row.card))
    }
  }

  /// The whole history (or what follows `offsets`) as columns, numbered as `read(handle:)`
  /// numbers cards: each line goes from its bytes into the columns, with no `ReviewEvent` made.
  public func readColumns(
    from offsets: [String: Int] = [:], repairing: Bool = true
  ) throws(FileError) -> (columns: EventColumns, contents: Contents) {
    var names = ReviewLogParser.Names()
    var columns = EventColumns()
    // About one event per 60 bytes (a legacy line is 59): reserved once rather than grown by
    // doubling, which would briefly hold two copies of every column.
    var bytes = 0
    for file in files().files {
      var info = stat()
      if stat(file.path, &info) == 0 { bytes += max(0, Int(info.st_size) - (offsets[file.name] ?? 0)) }
    }
    columns.reserveCapacity(bytes / 56 + 16)
    let batch = EventColumns.Batch()
    let contents = try readRows(from: offsets, repairing: repairing, names: &names) { row, _ in
      batch.append(row)
      if batch.isFull { columns.append(batch) }
    }
    columns.append(batch)
    columns.name(keys: names.keys.keys, kinds: names.kinds, devices: names.devices)
    return (columns, contents)
  }

  /// The reading loop of `read(handle:)` and `readColumns`, over rows: files in `files()`
  /// order, an id already seen skipped, events in a file not their device's noted.
  func readRows(
    from offsets: [String: Int], repairing: Bool, names: inout ReviewLogParser.Names,
    row handleRow: (EventColumns.Row, _ names: ReviewLogParser.Names) -> Void
  ) throws(FileError) -> Contents {
    var contents = Contents()
    let (files, ignored) = files()
    for name in ignored {
      contents.warnings.append(.strayLogFile(path: directory.path + "/" + name))
    }
    // Sequences seen, by device number (names are numbered across files, so one set per device).
    var seen: [SequenceSet] = []
    for file in files {
      if file.isConflictCopy && file.device == nil {
        // A copy of the shared log has no ids: it is only read once merged into reviews.tsv.
        contents.warnings.append(.sharedConflictCopyWaiting(path: file.path))
        continue
      }
      var lastDevice: UInt16 = 0
      var lastIsFiles = false
      var foreign = file.isConflictCopy
      let log = ReviewLog(path: file.path)
      let read = try log.readRows(
        from: offsets[file.name] ?? 0, pieceSize: ReviewLog.pieceSize, repairing: repairing, names: &names
      ) { row, names in
        if row.device != 0 {
          let device = Int(row.device)
          if device > seen.count { seen.append(contentsOf: repeatElement(SequenceSet(), count: device - seen.count)) }
          guard seen[device - 1].insert(Int(row.sequence)) else { return }
          if row.device != lastDevice {
            lastDevice = row.device
            lastIsFiles = names.devices[device - 1] == file.device
          }
          if !lastIsFiles { foreign = true }
        } else if file.device != nil {
          foreign = true
        }
        handleRow(row, names)
      }
      if foreign { contents.hasForeignEvents = true }
      contents.warnings += read.warnings
      contents.unreadableLines += read.unreadableLines
      contents.sizes[file.name] = read.byteCount
    }
    return contents
  }

  /// Appends events to this device's file as one locked, fsync'd write (see `ReviewLog`).
  ///
  /// - Parameter stamp: called under the file's lock with the first free sequence number;
  ///   returns the events to write, with their ids.
  /// - Returns: the file's name, the byte range the events took and the events as written.
  @discardableResult
  public func append(
    sync: Bool = true, stamp: (_ firstSequence: Int) -> [ReviewEvent],
    committing commit: () throws(FileError) -> Void = {}
  ) throws(FileError) -> (file: String, range: Range<Int>, events: [ReviewEvent]) {
    guard let device else {
      throw .cannotWrite(
        path: folder, reason: "this device has no name (set ENGRAM_DEVICE to a name of letters, digits, '-' and '_')")
    }
    try makeFolder()
    let log = ownFile(device: device)
    var stamped: [ReviewEvent] = []
    let range = try log.append(
      sync: sync,
      making: { fd throws(FileError) in
        stamped = stamp(try log.lastSequence(fd: fd, device: device) + 1)
        return stamped
      }, committing: commit)
    return ("reviews/" + device + ".tsv", range, stamped)
  }

  /// Creates `reviews/` and, the first time, a `.gitignore` for the files that stay on one
  /// machine.
  func makeFolder() throws(FileError) {
    guard access(folder, F_OK) != 0 else { return }
    try POSIXFile.makeDirectories(folder)
    HistoryLog.writeGitignore(in: directory.path)
  }

  /// What a data directory kept in git should not commit: the local cache and line history
  /// (there when `ENGRAM_HOME` is set), imports in progress, torn lines set aside, temporary
  /// files. An existing `.gitignore` is left as it is.
  public static let gitignore = """
    # Written by engram: files that belong to one machine, not to the synced history.
    /state.cache
    /history
    /.staging/
    *.torn
    *.engram-tmp-*

    """

  static func writeGitignore(in path: String) {
    let file = path + "/.gitignore"
    guard access(file, F_OK) != 0 else { return }
    try? AtomicFile.write([Array(gitignore.utf8)], to: file, mode: 0o644, durable: false)
  }

  /// Merges conflict copies into their files and removes them: a device's copies by this device
  /// only (the owner of the file, so a file still changes on one device only), copies of
  /// `reviews.tsv` by any. Lines already there (by id; lines without one by their text) are not
  /// added again. Each step is safe to repeat, so a crash part-way loses nothing: the lines are
  /// appended and fsync'd under the file's lock before the copy is unlinked.
  public func mergeConflictCopies() -> [StoreWarning] {
    var messages: [StoreWarning] = []
    for file in files().files where file.isConflictCopy {
      let legacy = file.device == nil
      guard legacy || file.device == device else { continue }
      let target = legacy ? ReviewLog(path: directory.logPath) : ownFile(device: file.device ?? "")
      do {
        let copy = try ReviewLog(path: file.path).read(repairing: false)
        if !legacy { try makeFolder() }
        try target.append(
          sync: true,
          making: { fd throws(FileError) in
            let present = try ReviewLog(path: target.path).readLocked(fd: fd)
            return HistoryLog.missing(copy.events, from: present)
          }, committing: {})
        unlink(file.path)
        try? ImportTransaction.syncFolder(DataDirectory.parent(of: file.path))
        messages.append(.conflictCopyMerged(copy: file.path, into: target.path))
      } catch {
        messages.append(.conflictCopyNotMerged(copy: file.path, error: error))
      }
    }
    return messages
  }

  /// The events of `copy` that `present` lacks: by id, and for lines without one by their text
  /// (as many times as the copy has them more).
  static func missing(_ copy: [ReviewEvent], from present: [ReviewEvent]) -> [ReviewEvent] {
    let ids = Set(present.compactMap(\.id))
    var lines: [String: Int] = [:]
    for event in present where event.id == nil { lines[ReviewLogParser.line(for: event), default: 0] += 1 }
    var result: [ReviewEvent] = []
    var added = Set<EventID>()
    for event in copy {
      if let id = event.id {
        if !ids.contains(id), added.insert(id).inserted { result.append(event) }
        continue
      }
      let line = ReviewLogParser.line(for: event)
      if let count = lines[line], count > 0 {
        lines[line] = count - 1
      } else {
        result.append(event)
      }
    }
    return result
  }
}

extension ReviewLog {
  /// Every event of the file, read through `fd` on which the caller holds the lock.
  func readLocked(fd: Int32) throws(FileError) -> [ReviewEvent] {
    var bytes: [UInt8] = []
    let size = try POSIXFile.size(fd: fd, path: path)
    try POSIXFile.read(fd: fd, from: 0, count: size, into: &bytes, path: path)
    var events: [ReviewEvent] = []
    ReviewLogParser.parse(bytes) { line in
      if case .event(let event) = line { events.append(event) }
    }
    return events
  }
}

/// Sequence numbers seen, as a bitset: a device's are dense from 1. Numbers beyond 16 million
/// (only a damaged or hand-made file has them) go to a set, so no file makes the bitset huge.
struct SequenceSet {
  private var words: [UInt64] = []
  private var large = Set<Int>()

  /// Adds `sequence`; false when it was there already.
  mutating func insert(_ sequence: Int) -> Bool {
    if sequence >= 1 << 24 { return large.insert(sequence).inserted }
    let word = sequence >> 6
    if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
    let bit = UInt64(1) << UInt64(sequence & 63)
    if words[word] & bit != 0 { return false }
    words[word] |= bit
    return true
  }
}

extension HistoryLog {
  /// One device's share of the history, for `engram devices`.
  public struct DeviceSummary: Sendable, Equatable {
    /// Nil for the lines without an id (the shared `reviews.tsv` of older versions).
    public var device: String?
    public var events = 0
    /// Review events logged (undone ones included: the log keeps them).
    public var reviews = 0
    public var lastEvent: Timestamp?
    /// Whether it is this machine.
    public var isThisDevice = false

    public init(device: String?) { self.device = device }
  }

  /// Every device with events (ids counted once), this device too when it has none yet; the
  /// lines without an id first, then devices by name.
  public func devices() throws(FileError) -> [DeviceSummary] {
    var byDevice: [String: DeviceSummary] = [:]
    var legacy = DeviceSummary(device: nil)
    _ = try read(repairing: false) { event, _ in
      func count(_ summary: inout DeviceSummary) {
        summary.events += 1
        if event.kind == .review { summary.reviews += 1 }
        summary.lastEvent = max(summary.lastEvent ?? event.time, event.time)
      }
      if let device = event.id?.device {
        count(&byDevice[device, default: DeviceSummary(device: device)])
      } else {
        count(&legacy)
      }
    }
    if let device, byDevice[device] == nil { byDevice[device] = DeviceSummary(device: device) }
    var result = legacy.events > 0 ? [legacy] : []
    for name in byDevice.keys.sorted() {
      var summary = byDevice[name]!
      summary.isThisDevice = name == device
      result.append(summary)
    }
    return result
  }
}
