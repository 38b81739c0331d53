import EngramCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
    let count = buffer.count
    var start = 0
    var lineNumber = firstLine - 1
    while start < count {
      lineNumber += 1
      var end = start
      while end < count && buffer[end] != 10 { end += 1 }
      if end == count { break }  // no newline: not a complete line
      defer { start = end + 1 }
      var lineEnd = end
      if lineEnd > start && buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
      if lineEnd == start || buffer[start] == 35 { continue }  // blank or '#'
      // Find the tabs of five fields, or six (an id) or seven (an id and a target); more or
      // fewer is an unreadable line.
      var tabs = (0, 0, 0, 0, 0, 0)
      var found = 0
      for index in start..<lineEnd where buffer[index] == 9 {
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
      guard let time = ISO8601.parse(bytes: slice(start, tabs.0)) else {
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
      guard tabs.1 > tabs.0 + 1, let card = names.keys.number(for: slice(tabs.0 + 1, tabs.1)) else {
        unreadable(lineNumber, "empty or non-UTF-8 card key")
        continue
      }
      let (kindNumber, kind) = names.kind(slice(tabs.3 + 1, kindEnd))
      let allowed = RatingColumn.allowed(for: kind)
      guard allowed.contains(rating) else {
        unreadable(
          lineNumber, "rating \(rating) is not allowed for '\(kind)' (\(allowed.lowerBound) to \(allowed.upperBound))")
        continue
      }
      handleRow(
        EventColumns.Row(
          time: time.milliseconds, card: Int32(card), rating: Int32(rating), duration: duration, kind: kindNumber,
          device: device, sequence: sequence, target: target),
        names)
    }
    return lineNumber - (firstLine - 1)
  }

  /// The names a parse numbers, each kept once: card keys, kinds and devices. One value is
  /// carried across the pieces of a file and the files of a history, so numbers are the same
  /// throughout.
  struct Names {
    var keys = KeyTable()
    /// Kinds by number; past 65,535 kinds (only a hostile file has them) the rest share the last.
    private(set) var kinds: [ReviewEvent.Kind] = []
    private var kindNumbers: [String: UInt16] = [:]
    /// The spelling and number of the last kind that was not `review`.
    private var lastKind: (bytes: [UInt8], number: UInt16)?
    private var reviewNumber: UInt16?
    /// Device names by number - 1; past 65,535 the rest share the last number.
    private(set) var devices: [String] = []
    private var deviceNumbers: [String: UInt16] = [:]
    private var lastDevice: (bytes: [UInt8], number: UInt16)?

    /// The number and kind spelled by `bytes` (non-UTF-8 bytes decoded with replacements, as
    /// any unknown kind is kept).
    mutating func kind(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt16, ReviewEvent.Kind) {
      // "review", nearly every line's kind, compared as six bytes (no generic UTF-8 walk).
      if bytes.count == 6, bytes[0] == 114, bytes[1] == 101, bytes[2] == 118, bytes[3] == 105, bytes[4] == 101,
        bytes[5] == 119
      {
        if let reviewNumber { return (reviewNumber, .review) }
        let number = add(.review)
        reviewNumber = number
        return (number, .review)
      }
      if let lastKind, lastKind.bytes.elementsEqual(bytes) { return (lastKind.number, kinds[Int(lastKind.number)]) }
      let text = String(decoding: bytes, as: UTF8.self)
      let number = kindNumbers[text] ?? add(ReviewEvent.Kind(text))
      kindNumbers[text] = number
      lastKind = (Array(bytes), number)
      return (number, kinds[Int(number)])
    }

    /// A new kind's number (`kindNumbers` and `reviewNumber` keep each spelling to one).
    private mutating func add(_ kind: ReviewEvent.Kind) -> UInt16 {
      guard kinds.count < Int(UInt16.max) else { return UInt16(kinds.count - 1) }
      kinds.append(kind)
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

  /// Card keys by their bytes: open addressing, keys stored once. A slot holds the upper half
  /// of its key's hash beside the key's number, so a lookup reads one slot and then the key's
  /// bytes, not a separate hash array (three scattered reads per line were most of its cost).
  struct KeyTable {
    private(set) var keys: [String] = []
    /// Each key's full hash, for growing the table.
    private var hashes: [UInt64] = []
    private var offsets: [Int] = [0]
    private var storage: [UInt8] = []
    /// 0: empty; else the hash's upper 32 bits above 1 + the key's number.
    private var slots = [UInt64](repeating: 0, count: 1024)

    /// The number of the key spelled by `bytes`, adding it if new; nil for invalid UTF-8.
    mutating func number(for bytes: UnsafeBufferPointer<UInt8>) -> Int? {
      let hash = KeyTable.hash(bytes)
      let tag = hash >> 32
      let mask = slots.count - 1
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] != 0 {
        let entry = slots[slot]
        if entry >> 32 == tag {
          let number = Int(entry & 0xffff_ffff) - 1
          if matches(number, bytes) { return number }
        }
        slot = (slot + 1) & mask
      }
      guard let key = String(validating: bytes, as: UTF8.self) else { return nil }
      let number = keys.count
      keys.append(key)
      hashes.append(hash)
      storage.append(contentsOf: bytes)
      offsets.append(storage.count)
      slots[slot] = tag << 32 | UInt64(number + 1)
      if keys.count * 2 > slots.count { grow() }
      return number
    }

    /// A 64-bit hash of `bytes`, eight bytes at a time (a card key is about 20).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
      var hash = 0x9e37_79b9_7f4a_7c15 &* UInt64(bytes.count &+ 1)
      guard let base = bytes.baseAddress else { return hash }
      let raw = UnsafeRawPointer(base)
      var index = 0
      while index + 8 <= bytes.count {
        hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 29
        index += 8
      }
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while index < bytes.count {
        tail |= UInt64(bytes[index]) << shift
        shift += 8
        index += 1
      }
      hash = (hash ^ tail) &* 0xc4ce_b9fe_1a85_ec53
      return hash ^ (hash >> 32)
    }

    private func matches(_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
      let from = offsets[number]
      let to = offsets[number + 1]
      guard to - from == bytes.count else { return false }
      return storage.withUnsafeBufferPointer { stored in
        memcmp(stored.baseAddress! + from, bytes.baseAddress!, bytes.count) == 0
      }
    }

    private mutating func grow() {
      slots = [UInt64](repeating: 0, count: slots.count * 2)
      let mask = slots.count - 1
      for (number, hash) in hashes.enumerated() {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash >> 32) << 32 | UInt64(number + 1)
      }
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
