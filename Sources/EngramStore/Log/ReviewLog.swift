import EngramCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One append-only review log file: the shared `reviews.tsv` of older versions, or one device's
/// `reviews/<device>.tsv` (see `HistoryLog`, which reads them all as one history).
///
/// Every append takes an exclusive `flock`, writes whole lines with one `write` on an
/// `O_APPEND` descriptor and fsyncs before returning, so a review is durable before it is
/// acknowledged and two processes never interleave. A line torn by a crash is moved to
/// `reviews.tsv.torn` the next time the log is opened, never parsed as history.
public struct ReviewLog: Sendable {
  public static let header = "# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n"
  /// The header of a device's log: two more columns, the event's id and the id it refers to.
  public static let deviceHeader = "# engram review log v2\ntime\tcard\trating\tduration_ms\tkind\tid\ttarget\n"

  public let path: String
  /// What a new file starts with.
  public let header: String
  public var tornPath: String { path + ".torn" }

  public init(path: String, header: String = ReviewLog.header) {
    self.path = path
    self.header = header
  }

  /// What reading the log found.
  public struct Contents: Sendable {
    /// Events in file order.
    public var events: [ReviewEvent]
    /// Problems to tell the user about once (a torn line set aside, unreadable lines).
    public var warnings: [StoreWarning]
    /// Size of the log in bytes after any repair.
    public var byteCount: Int
    /// Lines that could not be read (each also has a warning): a snapshot cannot be brought up
    /// to date by applying only the lines that could.
    public var unreadableLines = 0
  }

  /// Reads every event from byte `offset` on (0: the whole log), first setting aside a torn
  /// last line if there is one. `offset` must be a line boundary, such as a size read earlier.
  ///
  /// - Parameter repairing: false reads without writing anything (an import's dry run): a torn
  ///   last line is only left unread.
  public func read(from offset: Int = 0, repairing: Bool = true) throws(FileError) -> Contents {
    var events: [ReviewEvent] = []
    var contents = try read(from: offset, pieceSize: ReviewLog.pieceSize, repairing: repairing) { event, _ in
      events.append(event)
    }
    contents.events = events
    return contents
  }

  /// Reads like `read(from:)` but hands each event to `handle` with its card's number (0 for
  /// the first card key in the file, then 1, ...) instead of collecting them, so a caller that
  /// groups them never holds two copies of a million events nor hashes a million strings. The
  /// returned `Contents` has no events.
  public func read(from offset: Int = 0, handle: (ReviewEvent, _ cardNumber: Int) -> Void) throws(FileError) -> Contents
  {
    try read(from: offset, pieceSize: ReviewLog.pieceSize, handle: handle)
  }

  /// - Parameter pieceSize: how much is read at once (tests make it tiny).
  func read(
    from offset: Int, pieceSize: Int, repairing: Bool = true, handle: (ReviewEvent, _ cardNumber: Int) -> Void
  ) throws(FileError) -> Contents {
    // Read-only: reading never needs write access, so a read-only directory still serves
    // every read command. Only setting a torn tail aside writes, and it reopens for that.
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return Contents(events: [], warnings: [], byteCount: 0) }
      throw .cannotOpen(path: path, reason: FileError.reason())
    }
    defer { close(fd) }
    // Under the lock, settle how far the complete lines go. The file only grows by whole lines
    // appended under the lock, so those bytes can then be read without holding it.
    try POSIXFile.lock(fd: fd, exclusive: false, path: path)
    var size = try POSIXFile.size(fd: fd, path: path)
    var warnings: [StoreWarning] = []
    var unreadable = 0
    if size > offset, try POSIXFile.byte(fd: fd, at: size - 1, path: path) != 10, !repairing {
      // Read only the complete lines: the torn tail stays where it is (a dry run writes nothing).
      size = max(offset, try lastLineEnd(fd: fd, size: size))
      POSIXFile.unlock(fd: fd)
    } else if size > offset, try POSIXFile.byte(fd: fd, at: size - 1, path: path) != 10 {
      POSIXFile.unlock(fd: fd)
      let writable = open(path, O_RDWR | O_CLOEXEC)
      if writable >= 0 {
        // Exclusive, and look again: only a crash leaves a line unfinished, since writers hold
        // the lock until their line is complete.
        defer { close(writable) }
        try POSIXFile.lock(fd: writable, exclusive: true, path: path)
        defer { POSIXFile.unlock(fd: writable) }
        if let warning = try repairTornTail(fd: writable) { warnings.append(warning) }
        size = try POSIXFile.size(fd: writable, path: path)
      } else {
        // Read-only: leave the file alone and read up to its last complete line.
        try POSIXFile.lock(fd: fd, exclusive: false, path: path)
        defer { POSIXFile.unlock(fd: fd) }
        size = try lastLineEnd(fd: fd, size: try POSIXFile.size(fd: fd, path: path))
        warnings.append(.tornLineIgnored(file: path))
      }
    } else {
      POSIXFile.unlock(fd: fd)
    }
    // Read and parse a few megabytes at a time rather than holding the whole file in memory.
    var keys = ReviewLogParser.KeyTable()
    var line = offset == 0 ? 1 : 4
    var position = offset
    var carry: [UInt8] = []
    while position < size {
      if carry.count >= ReviewLog.maximumLineLength {
        // A line this long is no event: skip to its end without holding it.
        let end = try nextLineEnd(fd: fd, from: position, size: size)
        warnings.append(.overlongLogLine(file: path, line: line, limitKiB: ReviewLog.maximumLineLength / 1024))
        unreadable += 1
        line += 1
        position = end
        carry = []
        continue
      }
      var piece = carry
      try POSIXFile.read(fd: fd, from: position, count: min(pieceSize, size - position), into: &piece, path: path)
      guard piece.count > carry.count else { break }  // the file ended early
      position += piece.count - carry.count
      guard let lastNewline = piece.lastIndex(of: 10) else {
        carry = piece
        continue
      }
      piece.withUnsafeBufferPointer { buffer in
        line += ReviewLogParser.parse(
          UnsafeBufferPointer(rebasing: buffer[...lastNewline]), firstLine: line, keys: &keys
        ) { result, number in
          switch result {
          case .event(let event): handle(event, number)
          case .unreadable(let line, let reason):
            unreadable += 1
            warnings.append(.unreadableLogLine(file: path, line: line, reason: reason))
          }
        }
      }
      carry = Array(piece[(lastNewline + 1)...])
    }
    return Contents(events: [], warnings: warnings, byteCount: size, unreadableLines: unreadable)
  }

  /// Lines longer than this are unreadable: a real event line is well under a kilobyte.
  static let maximumLineLength = 64 << 10

  /// The offset just past the first newline at or after `start` (or `size`), read in pieces.
  private func nextLineEnd(fd: Int32, from start: Int, size: Int) throws(FileError) -> Int {
    var position = start
    var chunk: [UInt8] = []
    while position < size {
      chunk.removeAll(keepingCapacity: true)
      try POSIXFile.read(fd: fd, from: position, count: min(1 << 20, size - position), into: &chunk, path: path)
      if let newline = chunk.firstIndex(of: 10) { return position + newline + 1 }
      position += chunk.count
    }
    return size
  }

  /// The offset just past the last newline before `size` (0 if there is none), scanning
  /// backwards in pieces: linear in the length of the unfinished tail.
  private func lastLineEnd(fd: Int32, size: Int) throws(FileError) -> Int {
    var end = size
    var chunk: [UInt8] = []
    while end > 0 {
      let start = max(0, end - (1 << 20))
      chunk.removeAll(keepingCapacity: true)
      try POSIXFile.read(fd: fd, from: start, count: end - start, into: &chunk, path: path)
      if let newline = chunk.lastIndex(of: 10) { return start + newline + 1 }
      end = start
    }
    return 0
  }

  /// How much of the log is read at once.
  static let pieceSize = 4 << 20

  /// Appends events as one locked, fsync'd write.
  ///
  /// - Parameter sync: fsync before returning; only benchmarks turn this off.
  ///
  /// - Returns: the byte range the events took in the file, so that a caller that knew the
  ///   file up to `lowerBound` knows it up to `upperBound` (and otherwise, that another process
  ///   wrote in between).
  @discardableResult
  public func append(_ events: [ReviewEvent], sync: Bool = true) throws(FileError) -> Range<Int> {
    try append(events, sync: sync) { () throws(FileError) in }
  }

  /// Appends events and, still holding the lock, runs `commit` (an import moving its decks into
  /// place). If `commit` fails the log is cut back to its size before the append, so the
  /// events and the decks they belong to land together or not at all.
  ///
  /// A crash may have left a torn last line: it is set aside first rather than glued to these
  /// lines. A failed write is cut back too, so a log never keeps half an append.
  @discardableResult
  public func append(
    _ events: [ReviewEvent], sync: Bool = true, committing commit: () throws(FileError) -> Void
  ) throws(FileError) -> Range<Int> {
    if events.isEmpty {
      try commit()
      return 0..<0
    }
    return try append(sync: sync, making: { _ in events }, committing: commit)
  }

  /// Appends the events `make` returns, called under the lock with the file's descriptor (after
  /// any torn tail is set aside), so that what it reads of the file (the last sequence number)
  /// stays true until the write.
  @discardableResult
  func append(
    sync: Bool = true, making make: (_ fd: Int32) throws(FileError) -> [ReviewEvent],
    committing commit: () throws(FileError) -> Void
  ) throws(FileError) -> Range<Int> {
    let existed = access(path, F_OK) == 0
    let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw .cannotWrite(path: path, reason: FileError.reason()) }
    defer { close(fd) }
    try POSIXFile.lock(fd: fd, exclusive: true, path: path)
    defer { POSIXFile.unlock(fd: fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, reason: FileError.reason()) }
    if info.st_size > 0 {
      _ = try repairTornTail(fd: fd)
      guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, reason: FileError.reason()) }
    }
    let size = info.st_size
    let events = try make(fd)
    if events.isEmpty {
      try commit()
      return Int(size)..<Int(size)
    }
    func rollBack() {
      if !existed {
        unlink(path)
      } else if ftruncate(fd, size) == 0 {
        _ = fsync(fd)
      }
    }
    var bytes = size == 0 ? Array(header.utf8) : []
    bytes.reserveCapacity(bytes.count + events.count * 64)
    for event in events { ReviewLogParser.append(event, to: &bytes) }
    do {
      try POSIXFile.writeAll(fd: fd, bytes: bytes, path: path)
      if sync { try POSIXFile.sync(fd: fd, path: path) }
    } catch {
      rollBack()
      throw error
    }
    do { try commit() } catch {
      rollBack()
      throw error
    }
    // The header of a new log is not an event: the events start after it.
    let start = Int(size) + (size == 0 ? header.utf8.count : 0)
    return start..<(Int(size) + bytes.count)
  }

  /// The highest sequence of `device`'s ids in the file (0: none), with a lock held on `fd`.
  /// Sequences grow with the file, so the last 4 KiB are looked at first (a few lines); only
  /// when they hold none of the device's ids is the whole file read.
  func lastSequence(fd: Int32, device: String) throws(FileError) -> Int {
    let size = try POSIXFile.size(fd: fd, path: path)
    var start = max(0, size - 4096)
    let suffix = Array(("." as String).utf8)
    let name = Array(device.utf8) + suffix
    var bytes: [UInt8] = []
    while true {
      bytes.removeAll(keepingCapacity: true)
      try POSIXFile.read(fd: fd, from: start, count: size - start, into: &bytes, path: path)
      var best = 0
      var lineStart = 0
      while lineStart < bytes.count {
        var lineEnd = lineStart
        while lineEnd < bytes.count && bytes[lineEnd] != 10 { lineEnd += 1 }
        // The sixth field: after the fifth tab, up to the next tab or the line's end.
        var tabs = 0
        var field = lineStart
        while field < lineEnd && tabs < 5 {
          if bytes[field] == 9 { tabs += 1 }
          field += 1
        }
        if tabs == 5 {
          var fieldEnd = field
          while fieldEnd < lineEnd && bytes[fieldEnd] != 9 && bytes[fieldEnd] != 13 { fieldEnd += 1 }
          if fieldEnd - field > name.count, bytes[field..<(field + name.count)].elementsEqual(name) {
            var number = 0
            var digits = 0
            for byte in bytes[(field + name.count)..<fieldEnd] {
              guard byte >= 48 && byte <= 57, digits < 10 else {
                digits = 0
                break
              }
              number = number * 10 + Int(byte - 48)
              digits += 1
            }
            if digits > 0 && number <= EventID.maximumSequence { best = max(best, number) }
          }
        }
        lineStart = lineEnd + 1
      }
      if best > 0 || start == 0 { return best }
      start = 0
    }
  }

  /// With an exclusive lock held on `fd`: moves bytes after the last newline into the side
  /// file (appended and fsync'd first, copied in pieces), then truncates the log to its last
  /// complete line.
  func repairTornTail(fd: Int32) throws(FileError) -> StoreWarning? {
    let size = try POSIXFile.size(fd: fd, path: path)
    guard size > 0 else { return nil }
    let cut = try lastLineEnd(fd: fd, size: size)
    guard cut < size else { return nil }
    let side = open(tornPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard side >= 0 else { throw .cannotOpen(path: tornPath, reason: FileError.reason()) }
    defer { close(side) }
    var position = cut
    var chunk: [UInt8] = []
    while position < size {
      chunk.removeAll(keepingCapacity: true)
      try POSIXFile.read(fd: fd, from: position, count: min(1 << 20, size - position), into: &chunk, path: path)
      try POSIXFile.writeAll(fd: side, bytes: chunk, path: tornPath)
      position += chunk.count
    }
    try POSIXFile.writeAll(fd: side, bytes: [10], path: tornPath)
    try POSIXFile.sync(fd: side, path: tornPath)
    guard ftruncate(fd, off_t(cut)) == 0 else { throw .cannotWrite(path: path, reason: FileError.reason()) }
    try POSIXFile.sync(fd: fd, path: path)
    return .tornLineSetAside(file: path, movedTo: tornPath)
  }
}
