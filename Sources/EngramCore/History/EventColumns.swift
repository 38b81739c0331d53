/// A log's events as columns, cards as numbers: what a whole-collection replay reads.
///
/// A million events take about 23 bytes each here (a `ReviewEvent` per line would take 56 MB
/// and a retain of its key per copy), and a replay groups and orders them by sorting integers,
/// never strings. Card numbers follow first appearance; each card's key is stored once.
public struct EventColumns: Sendable {
  /// Card keys by number.
  public private(set) var keys: [String] = []
  /// Kinds by number: a log has a handful.
  public private(set) var kinds: [ReviewEvent.Kind] = []
  public private(set) var cards: [Int32] = []
  public private(set) var times: [Int64] = []
  /// The rating column as the log holds it: read through `action(at:)`, which decodes it.
  private var ratings: [Int32] = []
  public private(set) var durations: [Int64] = []
  public private(set) var kindNumbers: [UInt16] = []
  /// Each event's device: 0 for a line without an id, else 1 + its index in `devices`.
  public private(set) var deviceNumbers: [UInt16] = []
  /// Each event's sequence in its device's log (0 without an id).
  public private(set) var sequences: [UInt32] = []
  /// Device names by number - 1: a data directory has a handful.
  public private(set) var devices: [String] = []
  /// The targets of the few events that name one (undo, unbury, leech), by event index.
  public private(set) var targets: [Int32: EventID] = [:]
  private var lastDevice: (name: String, number: UInt16) = ("", 0)
  private var kindIndex: [ReviewEvent.Kind: UInt16] = [:]
  /// Card numbers by key, built on the first append by key (a parser numbers cards itself).
  private var numbers: [String: Int32]?

  public init() {}

  /// Events in order (file order).
  public init(_ events: [ReviewEvent]) {
    for event in events { append(event) }
  }

  public var count: Int { times.count }

  /// One event as numbers, as a log parser reads it: card, kind and device are numbers into
  /// names the parser keeps (see `init(keys:kinds:devices:rows:)`), so a line costs no string.
  public struct Row: Sendable {
    public var time: Int64
    public var card: Int32
    public var rating: Int32
    public var duration: Int64
    public var kind: UInt16
    /// 0 for a line without an id, else 1 + the device's number.
    public var device: UInt16
    /// The sequence of the event's id (0 without one).
    public var sequence: UInt32
    public var target: EventID?

    public init(
      time: Int64, card: Int32, rating: Int32, duration: Int64, kind: UInt16, device: UInt16, sequence: UInt32,
      target: EventID?
    ) {
      self.time = time
      self.card = card
      self.rating = rating
      self.duration = duration
      self.kind = kind
      self.device = device
      self.sequence = sequence
      self.target = target
    }
  }

  /// Room for `count` events, so that a reader that knows about how many lines come does not
  /// grow the columns by doubling (which briefly holds two copies of each).
  public mutating func reserveCapacity(_ count: Int) {
    cards.reserveCapacity(count)
    times.reserveCapacity(count)
    ratings.reserveCapacity(count)
    durations.reserveCapacity(count)
    kindNumbers.reserveCapacity(count)
    deviceNumbers.reserveCapacity(count)
    sequences.reserveCapacity(count)
  }

  /// Appends the rows gathered in `batch`, in order, and empties it: one move per column. Their
  /// numbers refer to the names given to `name(...)`.
  public mutating func append(_ batch: Batch) {
    let start = times.count
    cards.append(contentsOf: UnsafeBufferPointer(start: batch.cards, count: batch.count))
    times.append(contentsOf: UnsafeBufferPointer(start: batch.times, count: batch.count))
    ratings.append(contentsOf: UnsafeBufferPointer(start: batch.ratings, count: batch.count))
    durations.append(contentsOf: UnsafeBufferPointer(start: batch.durations, count: batch.count))
    kindNumbers.append(contentsOf: UnsafeBufferPointer(start: batch.kinds, count: batch.count))
    deviceNumbers.append(contentsOf: UnsafeBufferPointer(start: batch.devices, count: batch.count))
    sequences.append(contentsOf: UnsafeBufferPointer(start: batch.sequences, count: batch.count))
    for (index, target) in batch.targets { targets[Int32(start + index)] = target }
    batch.removeAll()
  }

  /// Rows gathered a few hundred at a time before they join the columns (`append(_:)`): a row
  /// appended to the seven columns one by one paid seven uniqueness and capacity checks, a
  /// tenth of reading a million-line log; a batch is filled through pointers (its capacity is
  /// fixed and checked by `isFull`) and copied into each column in one move.
  ///
  /// A class, not a struct, so that it owns its buffers and frees them once.
  public final class Batch {
    /// How many rows a batch holds: its columns (24 bytes a row) stay in the cache.
    public static let capacity = 256
    @usableFromInline let cards = UnsafeMutablePointer<Int32>.allocate(capacity: Batch.capacity)
    @usableFromInline let times = UnsafeMutablePointer<Int64>.allocate(capacity: Batch.capacity)
    @usableFromInline let ratings = UnsafeMutablePointer<Int32>.allocate(capacity: Batch.capacity)
    @usableFromInline let durations = UnsafeMutablePointer<Int64>.allocate(capacity: Batch.capacity)
    @usableFromInline let kinds = UnsafeMutablePointer<UInt16>.allocate(capacity: Batch.capacity)
    @usableFromInline let devices = UnsafeMutablePointer<UInt16>.allocate(capacity: Batch.capacity)
    @usableFromInline let sequences = UnsafeMutablePointer<UInt32>.allocate(capacity: Batch.capacity)
    /// The few rows' targets, by their index in the batch.
    @usableFromInline var targets: [(index: Int, target: EventID)] = []
    /// How many rows the batch holds.
    @usableFromInline var filled = 0

    public var count: Int { filled }

    public init() {}

    deinit {
      cards.deallocate()
      times.deallocate()
      ratings.deallocate()
      durations.deallocate()
      kinds.deallocate()
      devices.deallocate()
      sequences.deallocate()
    }

    /// Whether the batch holds `capacity` rows: it must be appended to the columns before
    /// another row is added.
    public var isFull: Bool { count == Batch.capacity }

    /// Adds a row; the batch must not be full. Inlinable: it is called for every line of a log.
    @inlinable
    public func append(_ row: Row) {
      precondition(filled < Batch.capacity, "a full batch must be appended to the columns first")
      cards[filled] = row.card
      times[filled] = row.time
      ratings[filled] = row.rating
      durations[filled] = row.duration
      kinds[filled] = row.kind
      devices[filled] = row.device
      sequences[filled] = row.sequence
      if let target = row.target { targets.append((filled, target)) }
      filled += 1
    }

    fileprivate func removeAll() {
      filled = 0
      targets.removeAll(keepingCapacity: true)
    }
  }

  /// Sets the names that appended rows' numbers refer to: card keys, kinds and devices (each
  /// distinct), as the parser numbered them. Only whole-log readers use this, before any
  /// event is appended by key.
  public mutating func name(keys: [String], kinds: [ReviewEvent.Kind], devices: [String]) {
    self.keys = keys
    self.kinds = kinds
    self.devices = devices
    kindIndex = [:]
    for (number, kind) in kinds.enumerated() where kindIndex[kind] == nil { kindIndex[kind] = UInt16(number) }
    numbers = nil
    lastDevice = ("", 0)
  }

  /// Appends an event whose card a parser has numbered: `number` is an earlier event's number
  /// for the same key, or `keys.count` for a key not seen before.
  public mutating func append(_ event: ReviewEvent, cardNumber number: Int) {
    if number == keys.count {
      keys.append(event.card)
      numbers?[event.card] = Int32(number)
    }
    store(event, card: Int32(number))
  }

  /// Appends an event, numbering its card by key.
  public mutating func append(_ event: ReviewEvent) {
    if numbers == nil {
      var table: [String: Int32] = [:]
      table.reserveCapacity(keys.count)
      for (number, key) in keys.enumerated() { table[key] = Int32(number) }
      numbers = table
    }
    if let number = numbers?[event.card] {
      store(event, card: number)
    } else {
      append(event, cardNumber: keys.count)
    }
  }

  private mutating func store(_ event: ReviewEvent, card: Int32) {
    let kind: UInt16
    if let known = kindIndex[event.kind] {
      kind = known
    } else {
      kind = UInt16(kinds.count)
      kinds.append(event.kind)
      kindIndex[event.kind] = kind
    }
    cards.append(card)
    times.append(event.time.milliseconds)
    ratings.append(Int32(clamping: RatingColumn.value(of: event.action)))
    durations.append(event.durationMilliseconds)
    kindNumbers.append(kind)
    var device: UInt16 = 0
    if let id = event.id {
      if id.device != lastDevice.name || lastDevice.number == 0 {
        // Past 65,535 device names the rest share the last number (never seen in practice).
        let found =
          devices.firstIndex(of: id.device)
          ?? {
            devices.append(id.device)
            return devices.count - 1
          }()
        lastDevice = (id.device, UInt16(clamping: found + 1))
      }
      device = lastDevice.number
    }
    deviceNumbers.append(device)
    sequences.append(UInt32(clamping: event.id?.sequence ?? 0))
    if let target = event.target { targets[Int32(times.count - 1)] = target }
  }

  /// The id of the event at `index` (nil: a line without one).
  public func id(at index: Int) -> EventID? {
    let device = deviceNumbers[index]
    return device == 0 ? nil : EventID(device: devices[Int(device) - 1], sequence: Int(sequences[index]))
  }

  /// Whether the event at `index` replays before the one at `other` of the same card when both
  /// are at the same time: by device name, then sequence; lines without an id first.
  public func replaysBeforeAtSameTime(_ index: Int, _ other: Int) -> Bool {
    let a = deviceNumbers[index]
    let b = deviceNumbers[other]
    if a == 0 || b == 0 { return a == 0 && b != 0 }
    if a != b { return devices[Int(a) - 1] < devices[Int(b) - 1] }
    return sequences[index] < sequences[other]
  }

  /// What the event at `index` did, with what it carries (its kind and rating column decoded).
  public func action(at index: Int) -> ReviewEvent.Action {
    RatingColumn.storedAction(kind: kinds[Int(kindNumbers[index])], value: Int64(ratings[index]))
  }

  /// The event at `index` (file order).
  public func event(at index: Int) -> ReviewEvent {
    ReviewEvent(
      time: Timestamp(milliseconds: times[index]), card: keys[Int(cards[index])], action: action(at: index),
      durationMilliseconds: durations[index], id: id(at: index), target: targets.isEmpty ? nil : targets[Int32(index)])
  }

  /// Each card's event indices, in file order: `indices[starts[c]..<starts[c + 1]]` are card
  /// `c`'s. A counting sort by card number, so it is linear and keeps file order.
  public func grouped() -> (starts: [Int32], indices: [Int32]) {
    var starts = [Int32](repeating: 0, count: keys.count + 1)
    for card in cards { starts[Int(card) + 1] += 1 }
    for number in keys.indices { starts[number + 1] += starts[number] }
    var next = starts
    var indices = [Int32](repeating: 0, count: cards.count)
    for (index, card) in cards.enumerated() {
      let slot = Int(next[Int(card)])
      indices[slot] = Int32(index)
      next[Int(card)] += 1
    }
    return (starts, indices)
  }

  /// Every event grouped by card key, each card's in file order.
  public func groupedEvents() -> [String: [ReviewEvent]] {
    let (starts, indices) = grouped()
    var result: [String: [ReviewEvent]] = [:]
    result.reserveCapacity(keys.count)
    for (number, key) in keys.enumerated() {
      result[key] = (Int(starts[number])..<Int(starts[number + 1])).map { event(at: Int(indices[$0])) }
    }
    return result
  }

  /// One card's events in file order.
  public func events(ofCard key: String) -> [ReviewEvent] {
    guard let number = numbers?[key] ?? keys.firstIndex(of: key).map(Int32.init) else { return [] }
    return cards.indices.filter { cards[$0] == number }.map { event(at: $0) }
  }
}
