import EngramCore

/// Converts review-log lines to and from events, working on raw bytes for speed: the log can
/// hold millions of lines and is replayed on every start.
public enum ReviewLogParser {
  /// A parsed line.
  public enum Line {
    case event(ReviewEvent)
    case unreadable(line: Int, reason: String)
  }

  /// The log line (with its newline) for an event.
  public static func line(for event: ReviewEvent) -> String {
    var bytes: [UInt8] = []
    append(event, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the event's log line (with its newline) as UTF-8.
  public static func append(_ event: ReviewEvent, to bytes: inout [UInt8]) {
    append(event, numbered: nil, to: &bytes)
  }

  /// Appends `event` as a log line, with the id `numbered` (device and sequence) in place of its
  /// own when given: an import numbers a million events without copying each one to set its id.
  static func append(_ event: ReviewEvent, numbered: (device: String, sequence: Int)?, to bytes: inout [UInt8]) {
    ISO8601.append(event.time, to: &bytes)
    bytes.append(9)
    appendSanitized(event.card, to: &bytes)
    bytes.append(9)
    DecimalText.append(RatingColumn.value(of: event.action), to: &bytes)
    bytes.append(9)
    DecimalText.append(event.durationMilliseconds, to: &bytes)
    bytes.append(9)
    appendSanitized(event.kind.description, to: &bytes)
    if let numbered {
      bytes.append(9)
      bytes.append(contentsOf: numbered.device.utf8)
      bytes.append(46)  // "."
      DecimalText.append(numbered.sequence, to: &bytes)
      if let target = event.target {
        bytes.append(9)
        append(target, to: &bytes)
      }
    } else if let id = event.id {
      bytes.append(9)
      append(id, to: &bytes)
      if let target = event.target {
        bytes.append(9)
        append(target, to: &bytes)
      }
    }
    bytes.append(10)
  }

  /// `device.sequence`, written as bytes: no string per event (`id.description` allocated one
  /// for every id past 15 bytes, a million of them in a large import).
  private static func append(_ id: EventID, to bytes: inout [UInt8]) {
    bytes.append(contentsOf: id.device.utf8)
    bytes.append(46)  // "."
    DecimalText.append(id.sequence, to: &bytes)
  }

  /// A field never contains the log's separators: tabs and line breaks become spaces.
  private static func appendSanitized(_ text: String, to bytes: inout [UInt8]) {
    // Copied whole (a native string's bytes go in one move), then the rare separator replaced.
    let start = bytes.count
    bytes.append(contentsOf: text.utf8)
    for index in start..<bytes.count where bytes[index] == 9 || bytes[index] == 10 || bytes[index] == 13 {
      bytes[index] = 32
    }
  }

  /// Calls `handle` for every non-comment line of `bytes`, in order. Only complete lines
  /// (ending in a newline) are parsed; a caller repairs a torn tail before.
  ///
  /// - Parameter firstLine: the line number of the first byte, for messages; the column
  ///   header is recognised only within the first three lines of the file.
  public static func parse(_ bytes: [UInt8], firstLine: Int = 1, handle: (Line) -> Void) {
    parse(bytes, firstLine: firstLine) { line, _ in handle(line) }
  }

  /// Parses like `parse(_:firstLine:handle:)` and also gives each event's card as a number:
  /// 0 for the first card key seen, 1 for the next new one, and so on. Events of one card share
  /// one `String`, built from the first line that named it; later lines are matched on their
  /// bytes, so a million-line log builds a hundred thousand strings, not a million.
  public static func parse(_ bytes: [UInt8], firstLine: Int = 1, handle: (Line, _ cardNumber: Int) -> Void) {
    var names = Names()
    _ = bytes.withUnsafeBufferPointer { parse($0, firstLine: firstLine, names: &names, handle: handle) }
  }

  /// Parses one piece into events (built from the rows `parseRows` reads, so both share one
  /// validation); `names` carries the numbering from piece to piece. Returns how many lines the
  /// piece held.
  @discardableResult
  static func parse(
    _ buffer: UnsafeBufferPointer<UInt8>, firstLine: Int, names: inout Names, handle: (Line, _ cardNumber: Int) -> Void
  ) -> Int {
    parseRows(buffer, firstLine: firstLine, names: &names) { row, names in
      handle(.event(names.event(row)), Int(row.card))
    } unreadable: { line, reason in
      handle(.unreadable(line: line, reason: reason), -1)
    }
  }

  /// Parses one piece of a log read in pieces straight into numbers: card keys are interned
  /// from their bytes (a string made once per distinct card), kinds and devices numbered, times,
  /// ratings and durations read as integers. `names` carries the numbering from piece to piece
  /// (and from file to file of one history). Returns how many lines the piece held.
  ///
  /// Every field is checked here, whichever caller reads the rows: a line that fails a check
  /// goes to `unreadable` with its number and the reason, never to `row`.
  @discardableResult
  static func parseRows(
    _ buffer: UnsafeBufferPointer<UInt8>, firstLine: Int, names: inout Names,
    row handleRow: (EventColumns.Row, _ names: Names) -> Void,
    unreadable: (_ line: Int, _ reason: String) -> Void
  ) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    let count = buffer.count
    var start = 0
    var lineNumber = firstLine - 1
    // Lines are found a chunk at a time, and their card keys' slots read together before any
    // line is parsed: a log in time order seldom repeats a card soon, so each lookup misses
    // the cache, and misses issued side by side overlap where one per parsed line did not.
    var chunk: [ScannedLine] = []
    chunk.reserveCapacity(ScannedLine.chunkSize)
    var complete = true
    var times = ISO8601.Reader()
    while start < count && complete {
      chunk.removeAll(keepingCapacity: true)
      var next = start
      while chunk.count < ScannedLine.chunkSize && next < count {
        let line = ScannedLine(base, from: next, count: count)
        if line.end == count {
          complete = false  // no newline: not a complete line (counted, not parsed)
          break
        }
        chunk.append(line)
        next = line.end + 1
      }
      names.keys.warm(chunk)
      for line in chunk {
        lineNumber += 1
        let (tabs, found, end) = (line.tabs, line.found, line.end)
        defer { start = end + 1 }
        var lineEnd = end
        if lineEnd > start && buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
        if lineEnd == start || buffer[start] == 35 { continue }  // blank or '#'
        func slice(_ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> {
          UnsafeBufferPointer(rebasing: buffer[from..<to])
        }
        if lineNumber <= 3, (4...6).contains(found), slice(start, tabs.0).elementsEqual("time".utf8) {
          continue  // column header
        }
        guard (4...6).contains(found) else {
          unreadable(lineNumber, "expected 5 to 7 tab-separated fields, found \(found + 1)")
          continue
        }
        let kindEnd = found == 4 ? lineEnd : tabs.4
        var device: UInt16 = 0
        var sequence: UInt32 = 0
        var target: EventID?
        if found >= 5 {
          let idEnd = found == 6 ? tabs.5 : lineEnd
          guard let id = eventID(slice(tabs.4 + 1, idEnd)) else {
            unreadable(lineNumber, "bad event id (expected device.sequence)")
            continue
          }
          device = names.device(id.device)
          sequence = id.sequence
          if found == 6 {
            guard let parsedTarget = eventID(slice(tabs.5 + 1, lineEnd)) else {
              unreadable(lineNumber, "bad target id (expected device.sequence)")
              continue
            }
            target = EventID(
              device: String(decoding: parsedTarget.device, as: UTF8.self), sequence: Int(parsedTarget.sequence))
          }
        }
        guard let time = times.parse(bytes: slice(start, tabs.0)) else {
          unreadable(lineNumber, "bad time")
          continue
        }
        guard let rating = integer(slice(tabs.1 + 1, tabs.2)), let duration = integer(slice(tabs.2 + 1, tabs.3)) else {
          unreadable(lineNumber, "rating and duration_ms must be whole numbers")
          continue
        }
        guard (0...ReviewLogParser.maximumDuration).contains(duration) else {
          unreadable(lineNumber, "duration_ms \(duration) is outside 0 to \(ReviewLogParser.maximumDuration)")
          continue
        }
        guard tabs.1 > tabs.0 + 1, let key = line.key, let card = names.keys.number(for: slice(tabs.0 + 1, tabs.1), key)
        else {
          unreadable(lineNumber, "empty or non-UTF-8 card key")
          continue
        }
        let (kindNumber, allowed) = names.kind(slice(tabs.3 + 1, kindEnd))
        guard allowed.contains(rating) else {
          let kind = names.kinds[Int(kindNumber)]
          unreadable(
            lineNumber, "rating \(rating) is not allowed for '\(kind)' (\(allowed.lowerBound) to \(allowed.upperBound))"
          )
          continue
        }
        handleRow(
          EventColumns.Row(
            time: time.milliseconds, card: Int32(card), rating: Int32(rating), duration: duration, kind: kindNumber,
            device: device, sequence: sequence, target: target),
          names)
      }
    }
    if !complete { lineNumber += 1 }
    return lineNumber - (firstLine - 1)
  }

  /// One line's place in the buffer, found before it is parsed: where it ends, its first six
  /// tabs and how many it has, and its card key's hash when it has the fields to hold one.
  struct ScannedLine {
    /// How many lines are found before they are parsed: their slots (32 bytes each) stay in
    /// the cache until used.
    static let chunkSize = 64
    var end = 0
    var tabs = (0, 0, 0, 0, 0, 0)
    var found = 0
    var key: KeyTable.Probe?

    /// The line that starts at `start`; its `end` is `count` when it has no newline.
    @inline(__always)
    init(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) {
      // One pass finds the line's end and the tabs of five fields, or six (an id) or seven (an
      // id and a target); more or fewer is an unreadable line.
      var tabs = (0, 0, 0, 0, 0, 0)
      var found = 0
      end = ReviewLogParser.lineEnd(base, from: start, count: count) { index in
        switch found {
        case 0: tabs.0 = index
        case 1: tabs.1 = index
        case 2: tabs.2 = index
        case 3: tabs.3 = index
        case 4: tabs.4 = index
        case 5: tabs.5 = index
        default: break
        }
        found += 1
      }
      self.tabs = tabs
      self.found = found
      if end < count, (4...6).contains(found), tabs.1 > tabs.0 + 1 {
        key = KeyTable.Probe(
          UnsafeBufferPointer(start: base + tabs.0 + 1, count: tabs.1 - tabs.0 - 1), readable: count - tabs.0 - 1)
      }
    }
  }

  /// The names a parse numbers, each kept once: card keys, kinds and devices. One value is
  /// carried across the pieces of a file and the files of a history, so numbers are the same
  /// throughout.
  struct Names {
    var keys = KeyTable()
    /// Kinds by number; past 65,535 kinds (only a hostile file has them) the rest share the last.
    private(set) var kinds: [ReviewEvent.Kind] = []
    /// The ratings each kind allows, by number: looked up once per kind, not once per line.
    private var allowedRatings: [ClosedRange<Int64>] = []
    private var kindNumbers: [String: UInt16] = [:]
    /// The spelling and number of the last kind that was not `review`.
    private var lastKind: (bytes: [UInt8], number: UInt16)?
    private var reviewNumber: UInt16?
    /// Device names by number - 1; past 65,535 the rest share the last number.
    private(set) var devices: [String] = []
    private var deviceNumbers: [String: UInt16] = [:]
    private var lastDevice: (bytes: [UInt8], number: UInt16)?

    /// The number of the kind spelled by `bytes` (non-UTF-8 bytes decoded with replacements, as
    /// any unknown kind is kept) and the ratings it allows.
    mutating func kind(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt16, ClosedRange<Int64>) {
      // "review", nearly every line's kind, compared as six bytes (no generic UTF-8 walk).
      if bytes.count == 6, bytes[0] == 114, bytes[1] == 101, bytes[2] == 118, bytes[3] == 105, bytes[4] == 101,
        bytes[5] == 119
      {
        if let reviewNumber { return (reviewNumber, allowedRatings[Int(reviewNumber)]) }
        let number = add(.review)
        reviewNumber = number
        return (number, allowedRatings[Int(number)])
      }
      if let lastKind, lastKind.bytes.elementsEqual(bytes) {
        return (lastKind.number, allowedRatings[Int(lastKind.number)])
      }
      let text = String(decoding: bytes, as: UTF8.self)
      let number = kindNumbers[text] ?? add(ReviewEvent.Kind(text))
      kindNumbers[text] = number
      lastKind = (Array(bytes), number)
      return (number, allowedRatings[Int(number)])
    }

    /// A new kind's number (`kindNumbers` and `reviewNumber` keep each spelling to one).
    private mutating func add(_ kind: ReviewEvent.Kind) -> UInt16 {
      guard kinds.count < Int(UInt16.max) else { return UInt16(kinds.count - 1) }
      kinds.append(kind)
      allowedRatings.append(RatingColumn.allowed(for: kind))
      return UInt16(kinds.count - 1)
    }

    /// 1 + the number of the device spelled by `bytes` (a valid device name).
    mutating func device(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt16 {
      if let lastDevice, lastDevice.bytes.elementsEqual(bytes) { return lastDevice.number }
      let name = String(decoding: bytes, as: UTF8.self)
      let number: UInt16
      if let known = deviceNumbers[name] {
        number = known
      } else if devices.count < Int(UInt16.max) {
        devices.append(name)
        number = UInt16(devices.count)
        deviceNumbers[name] = number
      } else {
        number = UInt16(devices.count)
      }
      lastDevice = (Array(bytes), number)
      return number
    }

    /// 1 + the number of `name`, if a line named it.
    func deviceNumber(of name: String) -> UInt16? { deviceNumbers[name] }

    /// The event a row stands for.
    func event(_ row: EventColumns.Row) -> ReviewEvent {
      ReviewEvent(
        time: Timestamp(milliseconds: row.time), card: keys.keys[Int(row.card)],
        action: RatingColumn.storedAction(kind: kinds[Int(row.kind)], value: Int64(row.rating)),
        durationMilliseconds: row.duration,
        id: row.device == 0 ? nil : EventID(device: devices[Int(row.device) - 1], sequence: Int(row.sequence)),
        target: row.target)
    }
  }

  /// The index of the newline that ends the line starting at `start` (`count` when there is
  /// none), calling `tab` with the index of each tab before it, in order. Eight bytes at a time:
  /// a word with neither byte is passed over in a few instructions, and a log line is about 60.
  @inline(__always)
  static func lineEnd(
    _ base: UnsafePointer<UInt8>, from start: Int, count: Int, tab: (_ index: Int) -> Void
  ) -> Int {
    var index = start
    while index + 8 <= count {
      let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
      // The high bit of each byte that may be a tab or a newline: never missed, and a byte
      // above a real one may be marked falsely (a borrow), so each candidate is looked at.
      let tabs = word ^ 0x0909_0909_0909_0909
      let newlines = word ^ 0x0a0a_0a0a_0a0a_0a0a
      var candidates =
        ((tabs &- 0x0101_0101_0101_0101) & ~tabs | (newlines &- 0x0101_0101_0101_0101) & ~newlines)
        & 0x8080_8080_8080_8080
      while candidates != 0 {
        let at = index + candidates.trailingZeroBitCount >> 3
        candidates &= candidates &- 1
        let byte = base[at]
        if byte == 10 { return at }
        if byte == 9 { tab(at) }
      }
      index += 8
    }
    while index < count {
      let byte = base[index]
      if byte == 10 { return index }
      if byte == 9 { tab(index) }
      index += 1
    }
    return count
  }

  /// Card keys by their bytes: open addressing, with each slot holding its key's first 24 bytes
  /// beside its length, number and part of its hash. A log in time order seldom repeats a card
  /// soon, so each lookup misses the cache; this way it misses once, on one 32-byte slot, where
  /// comparing against keys stored elsewhere missed three times (slot, offset, bytes) and
  /// called `memcmp` for 20 bytes.
  struct KeyTable {
    private(set) var keys: [String] = []
    /// Each key's full hash, for growing the table.
    private var hashes: [UInt64] = []
    /// Four words per slot (see `Slot`), from word `origin`, which puts every slot within one
    /// 64-byte cache line (an array's elements are only 16-byte aligned).
    private var words: [UInt64]
    private var origin = 0
    private var capacity = 0

    /// A slot's words: the key's bytes 0–7, 8–15 and 16–23 (zero past its end), then 0 for an
    /// empty slot, else the hash's top 16 bits, the length (at most 65,535: longer keys compare
    /// their full length), and 1 + the key's number, from the top down.
    private enum Slot {
      static let words = 4
      static let headBytes = 24
    }

    init() {
      words = []
      allocate(capacity: 1024)
    }

    private mutating func allocate(capacity: Int) {
      self.capacity = capacity
      words = [UInt64](repeating: 0, count: capacity * Slot.words + 4)
      origin = words.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) & 31 == 0 ? 0 : 2 }
    }

    /// A key's hash and first 24 bytes, worked out before it is looked up.
    struct Probe {
      var hash: UInt64
      var head: (UInt64, UInt64, UInt64)

      /// - Parameter readable: how many bytes from the key's start may be read (at least its
      ///   length): words are loaded whole where the buffer has them.
      @inline(__always)
      init(_ bytes: UnsafeBufferPointer<UInt8>, readable: Int) {
        let length = bytes.count
        guard let base = bytes.baseAddress else {
          // Only an empty buffer has no address: its words are all zero.
          head = (0, 0, 0)
          hash = KeyTable.hash(nil, length: 0, readable: 0, head: head)
          return
        }
        head = (
          KeyTable.word(base, at: 0, length: length, readable: readable),
          KeyTable.word(base, at: 8, length: length, readable: readable),
          KeyTable.word(base, at: 16, length: length, readable: readable)
        )
        hash = KeyTable.hash(base, length: length, readable: readable, head: head)
      }
    }

    /// The first word of each key's first slot, read but not used: brings a chunk's slots into
    /// the cache together (see `parseRows`).
    private var warmth: UInt64 = 0

    mutating func warm(_ lines: [ScannedLine]) {
      let mask = capacity - 1
      var sum: UInt64 = 0
      words.withUnsafeBufferPointer { table in
        let start = table.baseAddress! + origin
        for line in lines {
          guard let key = line.key else { continue }
          sum &+= start[(Int(truncatingIfNeeded: key.hash) & mask) * Slot.words + 3]
        }
      }
      warmth &+= sum
    }

    /// The number of the key spelled by `bytes`, adding it if new; nil for invalid UTF-8.
    ///
    /// - Parameter readable: how many bytes from the key's start may be read (at least its
    ///   length): words are loaded whole where the buffer has them.
    mutating func number(for bytes: UnsafeBufferPointer<UInt8>, readable: Int) -> Int? {
      number(for: bytes, Probe(bytes, readable: readable))
    }

    /// The number of the key spelled by `bytes`, whose probe is `probe`.
    mutating func number(for bytes: UnsafeBufferPointer<UInt8>, _ probe: Probe) -> Int? {
      let length = bytes.count
      let (hash, head) = (probe.hash, probe.head)
      let meta = KeyTable.meta(hash: hash, length: length)
      let mask = capacity - 1
      var slot = Int(truncatingIfNeeded: hash) & mask
      let found: Int? = words.withUnsafeBufferPointer { table in
        let start = table.baseAddress! + origin
        while true {
          let entry = start + slot * Slot.words
          let stored = entry[3]
          if stored == 0 { return nil }
          if stored & ~0xffff_ffff == meta, entry[0] == head.0, entry[1] == head.1, entry[2] == head.2 {
            let number = Int(stored & 0xffff_ffff) - 1
            if length <= Slot.headBytes || matchesTail(number, bytes) { return number }
          }
          slot = (slot + 1) & mask
        }
      }
      if let found { return found }
      return add(bytes, hash: hash, head: head)
    }

    /// Adds a key the table lacks.
    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, head: (UInt64, UInt64, UInt64))
      -> Int?
    {
      guard let key = String(validating: bytes, as: UTF8.self) else { return nil }
      let number = keys.count
      keys.append(key)
      hashes.append(hash)
      place(hash: hash, head: head, meta: KeyTable.meta(hash: hash, length: bytes.count) | UInt64(number + 1))
      if keys.count * 2 > capacity { grow() }
      return number
    }

    /// Writes a slot at the first free place from the hash's.
    private mutating func place(hash: UInt64, head: (UInt64, UInt64, UInt64), meta: UInt64) {
      let mask = capacity - 1
      var slot = Int(truncatingIfNeeded: hash) & mask
      let origin = origin
      words.withUnsafeMutableBufferPointer { table in
        let start = table.baseAddress! + origin
        while start[slot * Slot.words + 3] != 0 { slot = (slot + 1) & mask }
        let entry = start + slot * Slot.words
        entry[0] = head.0
        entry[1] = head.1
        entry[2] = head.2
        entry[3] = meta
      }
    }

    private mutating func grow() {
      let old = words
      let oldOrigin = origin
      let oldCapacity = capacity
      allocate(capacity: capacity * 2)
      for slot in 0..<oldCapacity {
        let at = oldOrigin + slot * Slot.words
        let meta = old[at + 3]
        guard meta != 0 else { continue }
        let number = Int(meta & 0xffff_ffff) - 1
        place(hash: hashes[number], head: (old[at], old[at + 1], old[at + 2]), meta: meta)
      }
    }

    /// The upper half of a slot's last word (see `Slot`).
    private static func meta(hash: UInt64, length: Int) -> UInt64 {
      (hash >> 48) << 48 | UInt64(min(length, 0xffff)) << 32
    }

    /// Whether key `number`, whose first 24 bytes and length (up to 65,535) match, is `bytes`.
    private func matchesTail(_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
      var key = keys[number]
      return key.withUTF8 { stored in
        stored.count == bytes.count
          && UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(stored)[Slot.headBytes...])
            .elementsEqual(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[Slot.headBytes...]))
      }
    }

    /// The key's bytes from `offset` as a little-endian word, zero past its end; loaded whole
    /// when the buffer has eight bytes there.
    @inline(__always)
    private static func word(_ base: UnsafePointer<UInt8>, at offset: Int, length: Int, readable: Int) -> UInt64 {
      let left = length - offset
      guard left > 0 else { return 0 }
      if readable - offset >= 8 {
        let word = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
        return left >= 8 ? word : word & (1 << UInt64(left * 8) - 1)
      }
      var word: UInt64 = 0
      for index in 0..<min(left, 8) { word |= UInt64(base[offset + index]) << UInt64(index * 8) }
      return word
    }

    /// A 64-bit hash of a key, from its words (the first three already loaded).
    @inline(__always)
    private static func hash(
      _ base: UnsafePointer<UInt8>?, length: Int, readable: Int, head: (UInt64, UInt64, UInt64)
    ) -> UInt64 {
      @inline(__always) func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0xff51_afd7_ed55_8ccd
        return mixed ^ (mixed >> 29)
      }
      var hash = mix(mix(mix(0x9e37_79b9_7f4a_7c15 &* UInt64(length &+ 1), head.0), head.1), head.2)
      var offset = Slot.headBytes
      while offset < length, let base {
        hash = mix(hash, word(base, at: offset, length: length, readable: readable))
        offset += 8
      }
      hash = hash &* 0xc4ce_b9fe_1a85_ec53
      return hash ^ (hash >> 32)
    }
  }

  /// The longest answer time a line may carry: about 24 days, far beyond the 10 minutes Engram
  /// logs or Anki's own cap, so any real history fits and arithmetic on it cannot overflow.
  static let maximumDuration: Int64 = Int64(Int32.max)

  /// An id `device.sequence` (see `EventID`) as the device's bytes and the sequence; nil when
  /// malformed (the rules of `EventID.init(_:)`, checked on bytes: no string per line).
  private static func eventID(
    _ bytes: UnsafeBufferPointer<UInt8>
  ) -> (device: UnsafeBufferPointer<UInt8>, sequence: UInt32)? {
    guard bytes.count <= 80, let dot = bytes.lastIndex(of: 46) else { return nil }
    let device = UnsafeBufferPointer(rebasing: bytes[..<dot])
    guard EventID.isValidDevice(bytes: device) else { return nil }
    let digits = bytes[(dot + 1)...]
    guard !digits.isEmpty, digits.count <= 10 else { return nil }
    var value = 0
    for byte in digits {
      guard byte >= 48 && byte <= 57 else { return nil }
      value = value * 10 + Int(byte - 48)
    }
    guard (1...EventID.maximumSequence).contains(value) else { return nil }
    return (device, UInt32(value))
  }

  /// A whole number of at most 18 digits (so it cannot overflow), with an optional minus sign.
  private static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard !bytes.isEmpty else { return nil }
    var value: Int64 = 0
    var negative = false
    var digits = 0
    for (index, byte) in bytes.enumerated() {
      if index == 0 && byte == 45 {
        negative = true
        continue
      }
      guard byte >= 48 && byte <= 57 else { return nil }
      digits += 1
      guard digits <= 18 else { return nil }
      value = value * 10 + Int64(byte - 48)
    }
    if digits == 0 { return nil }
    return negative ? -value : value
  }
}
