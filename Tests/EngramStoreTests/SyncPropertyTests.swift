import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// Several devices study offline at random times and exchange their log files in random orders
/// and partial states; in the end every device has the same state, equal to one replay of the
/// union, and every review stands unless the device that made it undid it.
@Suite struct SyncPropertyTests {
  static let devices = ["alpha", "bravo", "charlie"]
  static let cards = ["d/a", "d/b", "d/c", "d/d", "d/e"]
  static let start = Timestamp(milliseconds: 1_767_261_600_000)  // 2026-01-01T10:00:00Z
  let utc = TimeZoneSource(identifier: "UTC")

  struct Simulation {
    var random: SeededRandom
    let root: TemporaryDirectory
    let config: String
    /// Each device's clock: it only moves on, but the devices' clocks interleave.
    var clocks: [String: Timestamp] = [:]
    /// Reviews that must stand in the end: (device, card, time), removed when that device undoes.
    var standing = Set<String>()
    /// Each device's own reviews still standing, per card, latest last (what its undo takes).
    var own: [String: [String: [Timestamp]]] = [:]
    /// The cards each device buried or suspended itself (what it may take back).
    var hidden: [String: [(card: String, kind: ReviewEvent.Kind)]] = [:]
    /// When every event is over: each device's workspace opens at this time.
    let now = start + .days(40)
    /// Each device's open workspace, as a session keeps it; reopened (from its cache) after a
    /// file arrived, as the next command would.
    var open: [String: Workspace] = [:]

    func directory(_ device: String) -> DataDirectory {
      DataDirectory(path: root.path + "/" + device, device: .fixed(device))
    }

    func open(_ device: String) throws -> Workspace {
      try Workspace(directory: directory(device), now: now, timeZone: TimeZoneSource(identifier: "UTC"))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

    /// One step: a device studies, or a file travels to another device.
    mutating func step() throws {
      let device = pick(SyncPropertyTests.devices)
      if random.next() % 4 == 0 {
        try exchange(to: device)
        return
      }
      let time =
        (clocks[device] ?? SyncPropertyTests.start + .minutes(Int64(random.next() % 600)))
        + .minutes(Int64(1 + random.next() % 1500))
      clocks[device] = time
      let workspace = try open[device] ?? open(device)
      open[device] = workspace
      let card = pick(SyncPropertyTests.cards)
      switch random.next() % 10 {
      case 0...3:
        let rating = Rating.allCases[Int(random.next() % 4)]
        try workspace.append([ReviewEvent(time: time, card: card, action: .review(rating))])
        standing.insert("\(device) \(card) \(time.milliseconds)")
        own[device, default: [:]][card, default: []].append(time)
      case 4, 5:
        // Undo this device's latest review of a card it reviewed (as `u` in a session does).
        guard let (undoCard, times) = own[device]?.first(where: { !$0.value.isEmpty }), let last = times.last else {
          return
        }
        try workspace.append([ReviewEvent(time: time, card: undoCard, action: .undo)])
        standing.remove("\(device) \(undoCard) \(last.milliseconds)")
        own[device]?[undoCard]?.removeLast()
      case 6:
        let hide: ReviewEvent.Action = random.next() % 2 == 0 ? .suspend : .bury
        try workspace.append([ReviewEvent(time: time, card: card, action: hide)])
        hidden[device, default: []].append((card, hide.kind))
      case 7:
        guard let last = hidden[device]?.popLast() else { return }
        let reveal: ReviewEvent.Action = last.kind == .suspend ? .unsuspend : .unbury
        try workspace.append([ReviewEvent(time: time, card: last.card, action: reveal)])
      default:
        let verdict: AnswerGrader.Verdict = random.next() % 2 == 0 ? .wrong : .correct
        try workspace.append([ReviewEvent(time: time, card: card, action: .quiz(verdict))])
      }
    }

    /// Copies one file from another device: whole, or as it stood earlier (a prefix of whole
    /// lines), never older than what the receiver has (`rsync -u`, a sync tool catching up).
    mutating func exchange(to device: String) throws {
      let source = pick(SyncPropertyTests.devices.filter { $0 != device })
      let folder = root.path + "/" + source + "/reviews"
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? []
      guard !names.isEmpty else { return }
      let name = pick(names)
      guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return }
      var bytes = [UInt8](data)
      if random.next() % 3 == 0 {
        let ends = bytes.indices.filter { bytes[$0] == 10 }
        bytes = Array(bytes[...pick(ends)])
      }
      let target = root.path + "/" + device + "/reviews/" + name
      let present = FileManager.default.contents(atPath: target)?.count ?? 0
      guard bytes.count > present else { return }
      try FileManager.default.createDirectory(
        atPath: root.path + "/" + device + "/reviews", withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: target + ".part"))
      rename(target + ".part", target)
      open[device]?.saveCache()
      open[device] = nil
    }

    /// Every device receives every file.
    func exchangeAll() throws {
      for source in SyncPropertyTests.devices {
        let folder = root.path + "/" + source + "/reviews"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name == source + ".tsv" {
          for device in SyncPropertyTests.devices where device != source {
            let target = root.path + "/" + device + "/reviews/" + name
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.createDirectory(
              atPath: root.path + "/" + device + "/reviews", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: target)
          }
        }
      }
    }
  }

  @Test(arguments: [(1, true), (2, false), (3, true), (4, false), (5, true), (6, false)])
  func `every device ends with the state of one replay of the union and every review kept`(
    seed: UInt64, balanced: Bool
  ) throws {
    let root = TemporaryDirectory()
    let deck =
      "# D\nid: d\n\n"
      + SyncPropertyTests.cards.map { "## \($0.dropFirst(2))\nQ: q\($0)\nA: a\($0)\n" }.joined(separator: "\n")
    let config = "load_balance = \(balanced)\nleech_threshold = 3\nleech_action = \"suspend\"\n"
    for device in SyncPropertyTests.devices {
      root.write(device + "/decks/d.md", deck)
      root.write(device + "/config.toml", config)
    }
    var simulation = Simulation(random: SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15), root: root, config: config)
    for _ in 0..<120 { try simulation.step() }
    for workspace in simulation.open.values { workspace.saveCache() }
    try simulation.exchangeAll()
    // Each device opens with its own cache, built from whatever partial states it saw.
    let states = try SyncPropertyTests.devices.map { try simulation.open($0).records }
    for state in states.dropFirst() { #expect(state == states[0]) }
    // One replay of the union, in a directory that never had a cache.
    root.write("union/decks/d.md", deck)
    root.write("union/config.toml", config)
    try FileManager.default.copyItem(atPath: root.path + "/alpha/reviews", toPath: root.path + "/union/reviews")
    let union = try Workspace(
      directory: DataDirectory(path: root.path + "/union", device: .fixed("reader")), now: simulation.now, timeZone: utc
    )
    #expect(!union.startedFromCache)
    #expect(states[0] == union.records)
    let events = try union.history.read().events
    #expect(events.count > 40)
    if !balanced {
      // Without load balancing each card replays alone: straight through the core.
      let replayer = Replayer(scheduler: union.scheduler, dayStart: union.dayStart)
      let byCard = Dictionary(grouping: events, by: \.card)
      #expect(byCard.count == union.records.count)
      for (card, cardEvents) in byCard {
        #expect(replayer.replay(card: card, events: cardEvents) == union.records[card])
      }
    }
    // Every review stands unless the device that made it undid it; each undo names its own
    // device's review.
    var kept = Set<String>()
    for cardEvents in Dictionary(grouping: events, by: \.card).values {
      for event in Replayer.standing(cardEvents) where event.kind == .review {
        kept.insert("\(event.id?.device ?? "?") \(event.card) \(event.time.milliseconds)")
      }
    }
    #expect(kept == simulation.standing)
    for undo in events where undo.kind == .undo || undo.kind == .unbury {
      #expect(undo.target?.device == undo.id?.device)
    }
  }
}
