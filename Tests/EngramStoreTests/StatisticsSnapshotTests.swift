import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// `stats` from the snapshot's per-day review tally equals `stats` from a full replay, whatever
/// happened to the log: reviews, undos, buries, forgets, postpones, scenario choices, two
/// devices writing into one directory (one with its clock behind), and study days rolling over
/// between commands.
@Suite struct StatisticsSnapshotTests {
  static let cards = ["d/a", "d/b", "d/c", "d/d", "d/e", "d/f"]
  static let start = Timestamp(milliseconds: 1_774_800_000_000)  // 2026-03-29T16:00:00Z, a DST change in Berlin
  static let zone = TimeZoneSource(identifier: "Europe/Berlin")

  let root = TemporaryDirectory()

  func directory(_ device: String) -> DataDirectory {
    DataDirectory(
      path: root.path + "/home", historyPath: root.path + "/home/history", cachePath: root.path + "/home/state.cache",
      device: .fixed(device))
  }

  func open(_ device: String, now: Timestamp) throws -> Workspace {
    try Workspace(directory: directory(device), now: now, timeZone: StatisticsSnapshotTests.zone)
  }

  /// Device "main" answers d/a and d/b Good, a few seconds apart, and saves its snapshot (no
  /// load balancing): where the undo tests begin. Returns the time of the first answer.
  func answeredTwoAndSaved() throws -> Timestamp {
    setUp(balanced: false)
    let start = StatisticsSnapshotTests.start
    let first = try open("main", now: start)
    try first.append([ReviewEvent(time: start, card: "d/a", action: .review(.good))])
    try first.append([ReviewEvent(time: start + .seconds(5), card: "d/b", action: .review(.good))])
    first.saveCache()
    return start
  }

  func setUp(balanced: Bool) {
    let deck =
      "# D\nid: d\n\n"
      + StatisticsSnapshotTests.cards.map { "## \($0.dropFirst(2))\nQ: q\($0)\nA: a\($0)\n" }.joined(separator: "\n")
    root.write("home/decks/d.md", deck)
    root.write("home/config.toml", "load_balance = \(balanced)\nleech_threshold = 3\n")
  }

  /// Statistics as a full replay gives them, through the review facts rather than the per-day
  /// tally: the log replayed (load balancing as configured) in a workspace with no snapshot.
  func reference(now: Timestamp) throws -> Statistics {
    let cachePath = root.path + "/reference.cache"
    unlink(cachePath)
    let workspace = try Workspace(
      directory: DataDirectory(
        path: root.path + "/home", historyPath: root.path + "/home/history", cachePath: cachePath,
        device: .fixed("reader")),
      now: now, timeZone: StatisticsSnapshotTests.zone)
    let (columns, _) = try Workspace.columns(of: workspace.history)
    var balancer = workspace.balancing
    let replayed = CollectionReplay.replay(
      columns, replayer: Replayer(scheduler: workspace.scheduler, dayStart: workspace.dayStart), balancer: &balancer,
      collectFacts: true)
    let earliest = replayed.facts.map(\.time).min()
    let past = earliest.map { workspace.clock.dayNumber(of: now) - workspace.clock.dayNumber(of: $0) } ?? 0
    return Statistics.compute(
      facts: replayed.facts, records: replayed.dictionary(keys: columns.keys), decks: workspace.summaries,
      days: workspace.clock.studyDays(around: now, past: max(370, past + 1), future: 32), now: now,
      scheduler: workspace.scheduler, leechThreshold: workspace.config.leechPolicy.threshold)
  }

  /// Every scenario event of the log in replay order, read from the files.
  func referenceScenarioEvents() throws -> [ReviewEvent] {
    let events = try HistoryLog(directory: directory("reader"), device: nil).read().events
    return SnapshotLoader.replayOrder(events.filter { $0.kind == .scenario })
  }

  struct Step {
    var random: SeededRandom
    /// Each device's clock; "other" runs up to a day behind "main".
    var clock = StatisticsSnapshotTests.start
    var own: [String: [String]] = [:]

    mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
    mutating func below(_ bound: UInt64) -> UInt64 { random.next() % bound }

    /// One command's worth of events for `device` at `time`.
    mutating func events(device: String, time: Timestamp) -> [ReviewEvent] {
      var batch: [ReviewEvent] = []
      var time = time
      for _ in 0..<(1 + below(4)) {
        time = time + .seconds(Int64(1 + below(90)))
        let card = pick(StatisticsSnapshotTests.cards)
        switch below(12) {
        case 0...5:
          batch.append(
            ReviewEvent(
              time: time, card: card, action: .review(Rating(rawValue: 1 + Int(below(4)))!),
              durationMilliseconds: Int64(below(20_000))))
          own[device, default: []].append(card)
        case 6, 7:
          guard let undone = own[device]?.popLast() else { continue }
          batch.append(ReviewEvent(time: time, card: undone, action: .undo))
        case 8: batch.append(ReviewEvent(time: time, card: card, action: .bury))
        case 9: batch.append(ReviewEvent(time: time, card: card, action: .forget))
        case 10: batch.append(ReviewEvent(time: time, card: card, action: .postpone(days: 1 + Int(below(5)))))
        default:
          let node = pick(["start/a", "start/b", "mid/a", "end"])
          batch.append(
            ReviewEvent(
              time: time, card: "s/" + node,
              action: RatingColumn.storedAction(kind: .scenario, value: Int64(1 + below(3)))))
        }
      }
      return batch
    }
  }

  @Test(arguments: [(UInt64(1), false), (2, true), (3, false), (4, true), (5, false), (6, true)])
  func `stats from the snapshot equal stats from a full replay`(seed: UInt64, balanced: Bool) throws {
    setUp(balanced: balanced)
    var step = Step(random: SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15))
    var fromSnapshot = 0
    for _ in 0..<40 {
      // Commands come minutes to a day and a half apart: study days roll over between them.
      step.clock = step.clock + .minutes(Int64(1 + step.below(2200)))
      let device = step.below(4) == 0 ? "other" : "main"
      let time = device == "other" ? step.clock - .minutes(Int64(step.below(1500))) : step.clock
      let now = step.clock + .seconds(600)
      let workspace = try open(device, now: now)
      // The session's commands, each with what it wrote applied in memory.
      for _ in 0..<(1 + step.below(3)) {
        try workspace.append(step.events(device: device, time: time))
      }
      let expected = try reference(now: now)
      #expect(try workspace.statistics(now: now) == expected)
      #expect(try workspace.scenarioEvents() == (try referenceScenarioEvents()))
      workspace.saveCache()
      // The next command, from the snapshot the session saved.
      let next = try open("main", now: now)
      if next.hasReviewTally { fromSnapshot += 1 }
      #expect(workspace.hasReviewTally)
      #expect(try next.statistics(now: now) == expected)
      #expect(try next.scenarioEvents() == (try referenceScenarioEvents()))
    }
    // Every change is followed: each next command answers `stats` without a replay.
    #expect(fromSnapshot == 40)
  }

  @Test func `a session's answers and an undo of the last keep the tally without a replay`() throws {
    setUp(balanced: false)
    let start = StatisticsSnapshotTests.start
    let first = try open("main", now: start)
    try first.append([
      ReviewEvent(time: start, card: "d/a", action: .review(.good), durationMilliseconds: 4000),
      ReviewEvent(time: start + .seconds(5), card: "d/b", action: .review(.again), durationMilliseconds: 2000),
    ])
    try first.append([ReviewEvent(time: start + .seconds(9), card: "d/c", action: .review(.easy))])
    try first.append([ReviewEvent(time: start + .seconds(12), card: "d/c", action: .undo)])
    #expect(first.hasReviewTally)
    first.saveCache()
    let now = start + .minutes(1)
    let next = try open("main", now: now)
    #expect(next.snapshotOutcome == .fresh)
    #expect(next.hasReviewTally)
    let stats = try next.statistics(now: now)
    // Two reviews stand (the third was undone): one again, six seconds, two introductions.
    #expect(stats.today == Statistics.Today(reviewed: 2, again: 1, milliseconds: 6000, introduced: 2))
    #expect(stats == (try reference(now: now)))
  }

  @Test func `an undo of an earlier answer replays its card alone and keeps the tally`() throws {
    let start = try answeredTwoAndSaved()
    // Another process (the `undo` command) takes back the first answer.
    let now = start + .minutes(1)
    let second = try open("main", now: now)
    try second.append([ReviewEvent(time: start + .seconds(9), card: "d/a", action: .undo)])
    #expect(second.hasReviewTally)
    #expect(try second.statistics(now: now).today.reviewed == 1)
    #expect(try second.statistics(now: now) == (try reference(now: now)))
  }

  @Test func `a batch that undoes an earlier answer and answers the card again applies the answer once`() throws {
    let start = try answeredTwoAndSaved()
    let now = start + .minutes(1)
    let second = try open("main", now: now)
    // The undo replays d/a from the log, which holds the whole batch: the answer after it
    // must not be replayed there and applied again.
    try second.append([
      ReviewEvent(time: start + .seconds(9), card: "d/a", action: .undo),
      ReviewEvent(time: start + .seconds(20), card: "d/a", action: .review(.again)),
    ])
    #expect(second.records["d/a"]?.reviewCount == 1)
    #expect(try second.statistics(now: now) == (try reference(now: now)))
    let replayed = try open("reader-check", now: now)
    #expect(second.records == replayed.records)
  }

  @Test func `an undo through the load balancer's journal keeps the tally`() throws {
    setUp(balanced: true)
    let start = StatisticsSnapshotTests.start
    let first = try open("main", now: start)
    try first.append([ReviewEvent(time: start, card: "d/a", action: .review(.good))])
    try first.append([ReviewEvent(time: start + .seconds(5), card: "d/b", action: .review(.good))])
    // The earlier answer is taken back through the journal: the later one is applied again,
    // with the load the undo left.
    try first.append([ReviewEvent(time: start + .seconds(9), card: "d/a", action: .undo)])
    #expect(first.hasReviewTally)
    let now = start + .minutes(1)
    #expect(try first.statistics(now: now).today.reviewed == 1)
    #expect(try first.statistics(now: now) == (try reference(now: now)))
  }

  @Test func `a snapshot without the tally is answered by a replay, which gives it back`() throws {
    setUp(balanced: false)
    let start = StatisticsSnapshotTests.start
    let first = try open("main", now: start)
    try first.append([ReviewEvent(time: start, card: "d/a", action: .review(.good))])
    try first.append([ReviewEvent(time: start + .seconds(5), card: "d/b", action: .review(.again))])
    first.saveCache()
    // The snapshot as a change it did not follow would leave it: the tally part absent.
    let cachePath = directory("main").cachePath
    var cache = try StateCache.load(
      path: cachePath, fingerprint: first.fingerprintForTests, directory: directory("main").path,
      dayStart: first.dayStart
    ).get()
    cache.history.reviews = nil
    cache.save(path: cachePath)
    let now = start + .minutes(1)
    let second = try open("main", now: now)
    #expect(second.snapshotOutcome == .fresh)
    #expect(!second.hasReviewTally)
    #expect(try second.statistics(now: now) == (try reference(now: now)))
    #expect(second.hasReviewTally)
    second.saveCache()
    let third = try open("main", now: now)
    #expect(third.hasReviewTally)
    #expect(try third.statistics(now: now).today == Statistics.Today(reviewed: 2, again: 1, introduced: 2))
  }

  @Test func `the history section round-trips and a damaged one is refused`() throws {
    var tally = DailyReviewTally()
    tally.add(
      DailyReviewTally.Review(
        dayStart: Timestamp(milliseconds: 86_400_000), rating: .good, durationMilliseconds: 1500, phaseBefore: .review,
        intervalBefore: 30))
    let scenario = ReviewEvent(
      time: Timestamp(milliseconds: 5), card: "s/start/a", action: .scenario(.mixed),
      id: EventID(device: "laptop", sequence: 7))
    var cache = StateCache(
      fingerprint: StateCache.Fingerprint(state: 1, decks: 2), logs: [], dayStart: Timestamp(milliseconds: 0),
      latestEvent: Timestamp(milliseconds: 0), decks: [], orphans: [:], deckProblems: [])
    cache.history = StateCache.History(reviews: tally, scenarioEvents: [scenario])
    let path = root.path + "/history.cache"
    cache.save(path: path)
    let file = try #require(MappedFile(path: path))
    let read = try #require(StateCache.decode(file, expecting: cache.fingerprint))
    #expect(read.history == cache.history)
    // One flipped bit in the last byte (the section's end) fails its checksum.
    var bytes = try #require(FileManager.default.contents(atPath: path))
    bytes[bytes.count - 1] ^= 1
    try bytes.write(to: URL(fileURLWithPath: path))
    let damaged = try #require(MappedFile(path: path))
    #expect(StateCache.decode(damaged, expecting: cache.fingerprint) == nil)
  }
}
