import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// Each way an open finds the state, driven by what is done to the files between two opens;
/// whatever the way, the records are the ones a replay without any snapshot gives.
@Suite struct SnapshotLoaderTests {
  let home = TemporaryDirectory()
  let now = ISO8601.parse("2026-02-01T12:00:00Z")!
  let utc = TimeZoneSource(identifier: "UTC")
  let first = ISO8601.parse("2026-01-10T10:00:00Z")!

  init() {
    home.write("decks/mini.md", "# Mini\nid: mini\n\n## a\nQ: Which one?\nA: This one\n\n## b\nQ: And?\nA: That\n")
  }

  func line(_ time: Timestamp, _ card: String, _ action: ReviewEvent.Action, id: EventID? = nil) -> String {
    ReviewLogParser.line(for: ReviewEvent(time: time, card: card, action: action, id: id))
  }

  func open(at time: Timestamp? = nil, zone: String = "UTC") throws -> Workspace {
    try Workspace(
      directory: DataDirectory(path: home.path), now: time ?? now, timeZone: TimeZoneSource(identifier: zone))
  }

  /// Appends to a file behind the workspace's back, as another process or a sync tool would.
  func append(_ name: String, _ text: String) throws {
    let handle = try #require(FileHandle(forWritingAtPath: home.path + "/" + name))
    handle.seekToEndOfFile()
    handle.write(Data(text.utf8))
    handle.closeFile()
  }

  /// The records a replay without any snapshot gives (the snapshot is put back afterwards).
  func replayedRecords() throws -> [String: CardRecord] {
    let path = home.path + "/state.cache"
    let saved = FileManager.default.contents(atPath: path)
    try? FileManager.default.removeItem(atPath: path)
    defer { if let saved { _ = FileManager.default.createFile(atPath: path, contents: saved) } }
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .rebuilt(.snapshotUnusable(.noSnapshot)))
    return workspace.records
  }

  /// A log with one review of `mini/a`, opened once so that a snapshot covers it.
  func snapshotOfOneReview() throws {
    home.write("reviews.tsv", ReviewLog.header + line(first, "mini/a", .review(.good)))
    #expect(try open().snapshotOutcome == .rebuilt(.snapshotUnusable(.noSnapshot)))
  }

  func damageCache(at offset: (Int) -> Int) throws {
    let path = home.path + "/state.cache"
    var bytes = try #require(FileManager.default.contents(atPath: path))
    bytes[offset(bytes.count)] ^= 0x20
    #expect(FileManager.default.createFile(atPath: path, contents: bytes))
  }

  @Test func `without a snapshot the state is rebuilt, and the next open finds it fresh`() throws {
    try snapshotOfOneReview()
    let again = try open()
    #expect(again.snapshotOutcome == .fresh)
    #expect(again.startedFromCache)
    #expect(again.records == (try replayedRecords()))
    #expect(again.records["mini/a"]?.reviewCount == 1)
  }

  @Test func `an empty snapshot file counts as none`() throws {
    try snapshotOfOneReview()
    home.write("state.cache", "")
    #expect(try open().snapshotOutcome == .rebuilt(.snapshotUnusable(.noSnapshot)))
  }

  @Test func `reviews appended since are applied one by one, and counted`() throws {
    try snapshotOfOneReview()
    try append(
      "reviews.tsv",
      line(first + .days(3), "mini/a", .review(.good)) + line(first + .days(3), "mini/b", .review(.again)))
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .tailApplied(events: 2))
    #expect(workspace.startedFromCache)
    #expect(workspace.records == (try replayedRecords()))
    #expect(workspace.records["mini/a"]?.reviewCount == 2)
  }

  @Test func `a changed deck is parsed again and the records kept`() throws {
    try snapshotOfOneReview()
    try append("decks/mini.md", "\n## c\nQ: Third?\nA: Yes\n")
    try append("reviews.tsv", line(first + .days(1), "mini/b", .review(.easy)))
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .decksReparsed(tailEvents: 1))
    #expect(workspace.reusedCachedRecords)
    #expect(!workspace.startedFromCache)
    #expect(workspace.summaries.first { $0.id == "mini" }?.cardKeys == ["mini/a", "mini/b", "mini/c"])
    #expect(workspace.records == (try replayedRecords()))
  }

  @Test func `another configuration or time zone rebuilds`() throws {
    try snapshotOfOneReview()
    #expect(try open(zone: "Asia/Tokyo").snapshotOutcome == .rebuilt(.snapshotUnusable(.settingsChanged)))
    home.write("config.toml", "new_cards_per_day = 7\n")
    #expect(try open().snapshotOutcome == .rebuilt(.snapshotUnusable(.settingsChanged)))
    #expect(try open().snapshotOutcome == .fresh)
  }

  @Test func `a snapshot of another format version rebuilds`() throws {
    try snapshotOfOneReview()
    // The file starts with the format's name (a length byte, then "engram-state-cache-…").
    try damageCache { _ in 3 }
    #expect(try open().snapshotOutcome == .rebuilt(.snapshotUnusable(.otherFormat)))
  }

  @Test func `a damaged snapshot rebuilds to the replayed state`() throws {
    try snapshotOfOneReview()
    try damageCache { $0 - 1 }
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .rebuilt(.snapshotUnusable(.unreadable)))
    #expect(workspace.records == (try replayedRecords()))
  }

  @Test func `a log that cannot be read fails the open, with the decks parsed beside it let go`() throws {
    // A folder where the log should be: reading it fails once the decks are being parsed on
    // the other thread, which waits for the log's card keys and must be told there are none.
    try FileManager.default.createDirectory(atPath: home.path + "/reviews.tsv", withIntermediateDirectories: true)
    #expect(throws: FileError.self) { try open() }
  }

  @Test func `a log shorter than the snapshot covers, or rewritten, rebuilds`() throws {
    try snapshotOfOneReview()
    home.write("reviews.tsv", ReviewLog.header)
    let emptied = try open()
    #expect(emptied.snapshotOutcome == .rebuilt(.snapshotUnusable(.logReplaced(file: "reviews.tsv"))))
    #expect(emptied.records.isEmpty)
    // Same length, other rating: the bytes the snapshot covers changed.
    home.write("reviews.tsv", ReviewLog.header + line(first, "mini/a", .review(.good)))
    _ = try open()
    home.write("reviews.tsv", ReviewLog.header + line(first, "mini/a", .review(.easy)))
    let rewritten = try open()
    #expect(rewritten.snapshotOutcome == .rebuilt(.snapshotUnusable(.logReplaced(file: "reviews.tsv"))))
    #expect(rewritten.records == (try replayedRecords()))
  }

  @Test func `a snapshot of a later study day, or of an earlier one with events of today, rebuilds`() throws {
    try snapshotOfOneReview()
    #expect(try open(at: now - .days(2)).snapshotOutcome == .rebuilt(.snapshotUnusable(.otherStudyDay)))
    // A device whose clock runs ahead logged a review of today's study day; the snapshot of two
    // days ago holds it, so its per-day counts are not today's.
    try append("reviews.tsv", line(now + .hours(1), "mini/a", .review(.good)))
    #expect(try open(at: now - .days(2)).snapshotOutcome == .tailApplied(events: 1))
    #expect(try open().snapshotOutcome == .rebuilt(.snapshotUnusable(.otherStudyDay)))
    // Nothing happened since the day it saw ended: its records carry over to the next day.
    #expect(try open(at: now + .days(1)).snapshotOutcome == .fresh)
  }

  @Test func `an undo appended since rebuilds`() throws {
    try snapshotOfOneReview()
    try append("reviews.tsv", line(first + .minutes(1), "mini/a", .undo))
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .rebuilt(.tailNotApplicable(.undo)))
    #expect(workspace.records["mini/a"]?.reviewCount == 0)
  }

  @Test func `an event older than its card's latest rebuilds`() throws {
    try snapshotOfOneReview()
    try append("reviews.tsv", line(first - .days(1), "mini/a", .review(.again)))
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .rebuilt(.tailNotApplicable(.olderEvent)))
    #expect(workspace.records == (try replayedRecords()))
    #expect(workspace.records["mini/a"]?.reviewCount == 2)
  }

  @Test func `with load balancing, an event older than any card's latest rebuilds`() throws {
    home.write("config.toml", "load_balance = true\nenable_fuzz = true\n")
    home.write(
      "reviews.tsv",
      ReviewLog.header + line(first, "mini/a", .review(.good)) + line(first + .hours(1), "mini/b", .review(.good)))
    _ = try open()
    // Older than mini/b's review though newer than mini/a's: the balancer's counts were other.
    try append("reviews.tsv", line(first + .minutes(30), "mini/a", .review(.good)))
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .rebuilt(.tailNotApplicable(.olderEvent)))
    #expect(workspace.records == (try replayedRecords()))
  }

  @Test func `an unreadable line appended since rebuilds and is reported`() throws {
    try snapshotOfOneReview()
    try append("reviews.tsv", "not a time\tmini/a\t3\t0\treview\n")
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .rebuilt(.tailNotApplicable(.unreadableLine)))
    #expect(
      workspace.warnings == [
        .unreadableLogLine(file: home.path + "/reviews.tsv", line: 4, reason: "bad time")
      ])
  }

  @Test func `an event in a file not its device's rebuilds`() throws {
    try snapshotOfOneReview()
    home.write(
      "reviews/laptop.tsv",
      ReviewLog.deviceHeader
        + line(first + .days(1), "mini/b", .review(.good), id: EventID(device: "desk", sequence: 1)))
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .rebuilt(.tailNotApplicable(.foreignEvent)))
    #expect(workspace.records["mini/b"]?.reviewCount == 1)
  }

  @Test func `another device's event at the same millisecond as an applied one rebuilds`() throws {
    home.write(
      "reviews/laptop.tsv",
      ReviewLog.deviceHeader + line(first, "mini/a", .review(.good), id: EventID(device: "laptop", sequence: 1)))
    _ = try open()
    home.write(
      "reviews/desk.tsv",
      ReviewLog.deviceHeader + line(first, "mini/a", .review(.again), id: EventID(device: "desk", sequence: 1)))
    let workspace = try open()
    #expect(workspace.snapshotOutcome == .rebuilt(.tailNotApplicable(.sameMillisecond)))
    #expect(workspace.records == (try replayedRecords()))
    #expect(workspace.records["mini/a"]?.reviewCount == 2)
  }

  @Test func `the loader alone gives the outcome and the state without a workspace`() throws {
    try snapshotOfOneReview()
    let workspace = try open()
    let loader = SnapshotLoader(
      directory: workspace.directory, history: workspace.history, fingerprint: workspace.fingerprintForTests,
      dayStart: workspace.dayStart, clock: workspace.clock, scheduler: workspace.scheduler, balancing: nil)
    let loaded = try loader.load()
    #expect(loaded.outcome == .fresh)
    // A fresh outcome holds the snapshot's records and parses no deck.
    #expect(loaded.state.records.byKey == workspace.records)
    #expect(loaded.state.library == nil)
    #expect(loaded.logSizes == ["reviews.tsv": (home.read("reviews.tsv") ?? "").utf8.count])
  }
}
