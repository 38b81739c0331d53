import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// Leech treatment through the workspace: logged with the review, replayed from any cache.
@Suite struct WorkspaceTests {
  let home = TemporaryDirectory()
  let now = ISO8601.parse("2026-02-01T12:00:00Z")!
  let utc = TimeZoneSource(identifier: "UTC")

  /// Easy, then `lapses` times Again + Good one day apart: a review card with that many lapses.
  func history(lapses: Int) -> String {
    let origin = ISO8601.parse("2026-01-01T10:00:00Z")!
    var lines = ReviewLog.header + line(origin, .easy)
    for index in 0..<lapses {
      let day = origin + .days(Int64(2 * index + 1))
      lines += line(day, .again) + line(day + .minutes(10), .good)
    }
    return lines
  }

  func line(_ time: Timestamp, _ rating: Rating) -> String {
    ReviewLogParser.line(for: ReviewEvent(time: time, card: "mini/a", action: .review(rating)))
  }

  init() {
    home.write("decks/mini.md", "# Mini\nid: mini\n\n## a\nQ: Which one?\nA: This one\n")
  }

  func open() throws -> Workspace {
    try Workspace(directory: DataDirectory(path: home.path), now: now, timeZone: utc)
  }

  func lapse(_ workspace: Workspace) throws {
    try workspace.append([ReviewEvent(time: now, card: "mini/a", action: .review(.again))], sync: false)
  }

  @Test func `the lapse that reaches the threshold is logged with a leech event that suspends`() throws {
    home.write("config.toml", "leech_threshold = 4\nleech_action = \"suspend\"\n")
    home.write("reviews.tsv", history(lapses: 3))
    let workspace = try open()
    #expect(workspace.record(for: "mini/a")?.suspended == false)
    try lapse(workspace)
    let record = try #require(workspace.record(for: "mini/a"))
    #expect(record.lapses == 4)
    #expect(record.suspended)
    #expect(record.leechedAt == now)
    let log = try #require(home.read("reviews/local.tsv"))
    // The leech event names the review it follows.
    #expect(
      log.hasSuffix(
        "2026-02-01T12:00:00.000Z\tmini/a\t1\t0\treview\tlocal.1\n2026-02-01T12:00:00.000Z\tmini/a\t1\t0\tleech\tlocal.2\tlocal.1\n"
      ))
    workspace.saveCache()
    // From the cache, and from a fresh replay without one: still suspended, same record.
    #expect(try open().record(for: "mini/a") == record)
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    let replayed = try open()
    #expect(!replayed.startedFromCache)
    #expect(replayed.records["mini/a"] == record)
  }

  @Test func `tagging leaves the leech in reviews and undo takes the treatment back`() throws {
    home.write("reviews.tsv", history(lapses: 7))
    let workspace = try open()
    try lapse(workspace)
    #expect(workspace.record(for: "mini/a")?.suspended == false)
    #expect(workspace.record(for: "mini/a")?.leechedAt == now)
    try workspace.append([ReviewEvent(time: now + .seconds(3), card: "mini/a", action: .undo)], sync: false)
    let undone = try #require(workspace.record(for: "mini/a"))
    #expect(undone.lapses == 7)
    #expect(undone.leechedAt == nil)
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    #expect(try open().records["mini/a"] == undone)
  }

  @Test func `the leech report lists the card with its question, lapses, timeline and advice`() throws {
    home.write("reviews.tsv", history(lapses: 8) + "2026-01-30T10:00:00.000Z\tmini/a\t1\t0\tquiz\n")
    let reports = try open().leechReports()
    #expect(reports.count == 1)
    let report = try #require(reports.first)
    #expect(report.question == "Which one?")
    #expect(report.lapses == 8)
    #expect(report.timeline.count == 17)
    #expect(report.timeline.filter { $0.rating == .again }.count == 8)
    #expect(report.quizMisses == [ISO8601.parse("2026-01-30T10:00:00Z")!])
    // No Why: and a two-word question.
    #expect(report.advice == [.addMnemonic, .rewriteQuestion])
  }

  @Test func `with load balancing, appends and a tail read at open equal a full replay, undo included`() throws {
    let first = ISO8601.parse("2026-01-05T09:00:00Z")!
    var log = ReviewLog.header
    for index in 0..<300 {
      log += ReviewLogParser.line(for: ReviewEvent(time: first, card: "pile/c\(index)", action: .review(.easy)))
    }
    home.write("reviews.tsv", log)
    let workspace = try open()
    #expect(workspace.balancing != nil)
    let second = ISO8601.parse("2026-01-13T09:00:00Z")!
    for batch in stride(from: 0, to: 300, by: 50) {
      // Given out of order: the workspace writes them in replay order.
      let events = (batch..<batch + 50).reversed().map {
        ReviewEvent(time: second + .seconds(Int64(batch)), card: "pile/c\($0)", action: .review(.good))
      }
      try workspace.append(events, sync: false)
    }
    let appended = workspace.records
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    let full = try open()
    #expect(!full.startedFromCache)
    #expect(full.records == appended)
    // Spread: no day in the range holds more than a fair share and a half.
    var days: [Int64: Int] = [:]
    for record in appended.values { days[(record.schedule?.due.milliseconds ?? 0) / 86_400_000, default: 0] += 1 }
    #expect(days.count >= 5)
    #expect(days.values.max() ?? 0 <= 300 * 3 / (2 * days.count))

    // Lines appended behind the workspace's back are applied at the next open from the cache.
    full.saveCache()
    let third = ISO8601.parse("2026-02-20T09:00:00Z")!
    let handle = try #require(FileHandle(forWritingAtPath: home.path + "/reviews.tsv"))
    handle.seekToEndOfFile()
    // In replay order (time, then card key), as Engram writes them.
    for key in (0..<40).map({ "pile/c\($0)" }).sorted() {
      handle.write(Data(ReviewLogParser.line(for: ReviewEvent(time: third, card: key, action: .review(.good))).utf8))
    }
    handle.closeFile()
    let tail = try open()
    #expect(tail.startedFromCache)
    let tailRecords = tail.records
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    #expect(try open().records == tailRecords)

    // An undo replays everything.
    try tail.append([ReviewEvent(time: third + .seconds(1), card: "pile/c3", action: .undo)], sync: false)
    let undone = tail.records
    #expect(undone != tailRecords)
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    #expect(try open().records == undone)
  }

  /// The records a fresh replay of the log gives (the cache removed first).
  func replayedRecords() throws -> [String: CardRecord] {
    try? FileManager.default.removeItem(atPath: home.path + "/state.cache")
    let fresh = try open()
    #expect(!fresh.startedFromCache)
    return fresh.records
  }

  func review(_ card: String, at time: Timestamp, rating: Rating = .good) -> ReviewEvent {
    ReviewEvent(time: time, card: card, action: .review(rating))
  }

  @Test func `with load balancing, answers before the log's latest event equal a full replay`() throws {
    let first = ISO8601.parse("2026-01-05T09:00:00Z")!
    let latest = ISO8601.parse("2026-01-20T09:00:00Z")!
    var log = ReviewLog.header
    for index in 0..<100 { log += ReviewLogParser.line(for: review("pile/c\(index)", at: first, rating: .easy)) }
    // Logged later than the answers below (another device, or a clock set back since).
    log += ReviewLogParser.line(for: review("pile/c99", at: latest))
    home.write("reviews.tsv", log)
    let workspace = try open()
    let answer = ISO8601.parse("2026-01-13T09:00:00Z")!
    for index in 0..<5 {
      try workspace.append([review("pile/c\(index)", at: answer + .seconds(Int64(index)))], sync: false)
      // The first is placed by a full replay, the others by the journal it left.
      #expect(workspace.isJournaled)
    }
    #expect(workspace.holdsLog)
    #expect(try workspace.records == replayedRecords())
    // One after the latest (applied in turn, and journaled), then one before it again.
    try workspace.append([review("pile/c10", at: latest + .minutes(1))], sync: false)
    try workspace.append([review("pile/c11", at: answer + .minutes(1))], sync: false)
    // Same time and card as an earlier answer: after it, as the full replay orders them.
    try workspace.append([review("pile/c2", at: answer + .seconds(2), rating: .again)], sync: false)
    #expect(workspace.isJournaled)
    #expect(try workspace.records == replayedRecords())
  }

  @Test func `with load balancing, undoing the latest answers restores them in place and equals a full replay`() throws
  {
    let first = ISO8601.parse("2026-01-05T09:00:00Z")!
    var log = ReviewLog.header
    for index in 0..<100 { log += ReviewLogParser.line(for: review("pile/c\(index)", at: first, rating: .easy)) }
    home.write("reviews.tsv", log)
    let workspace = try open()
    let answer = ISO8601.parse("2026-01-13T09:00:00Z")!
    for index in 0..<5 {
      try workspace.append([review("pile/c\(index)", at: answer + .seconds(Int64(index)))], sync: false)
    }
    let afterThree = try replayedRecordsAfter(workspace, dropping: 2)
    // Undo the latest, then the one before it: neither needs the log.
    try workspace.append(
      [ReviewEvent(time: answer + .minutes(1), card: "pile/c4", action: .undo)], sync: false)
    try workspace.append(
      [ReviewEvent(time: answer + .minutes(2), card: "pile/c3", action: .undo)], sync: false)
    #expect(!workspace.holdsLog)
    #expect(workspace.records == afterThree)
    #expect(try workspace.records == replayedRecords())
    // A card whose only review is undone keeps an empty record, as a replay gives it.
    let fresh = try open()
    try fresh.append([review("pile/c50", at: answer + .minutes(3))], sync: false)
    try fresh.append([ReviewEvent(time: answer + .minutes(4), card: "pile/c50", action: .undo)], sync: false)
    #expect(!fresh.holdsLog)
    #expect(try fresh.records == replayedRecords())
    // An undo of an answer with others after it: the journal takes back what follows it and
    // applies it again, still without the log.
    try fresh.append([review("pile/c60", at: answer + .minutes(5))], sync: false)
    try fresh.append([review("pile/c61", at: answer + .minutes(6))], sync: false)
    try fresh.append([ReviewEvent(time: answer + .minutes(7), card: "pile/c60", action: .undo)], sync: false)
    #expect(!fresh.holdsLog)
    #expect(try fresh.records == replayedRecords())
    // Answers within one millisecond, keys falling: placed by the journal, not a replay.
    let instant = answer + .minutes(8)
    for index in (70..<75).reversed() { try fresh.append([review("pile/c\(index)", at: instant)], sync: false) }
    try fresh.append([ReviewEvent(time: instant, card: "pile/c72", action: .undo)], sync: false)
    #expect(!fresh.holdsLog)
    #expect(try fresh.records == replayedRecords())
    // An undo of a card whose latest event is not undoable (a bury after the rating) replays.
    try fresh.append([ReviewEvent(time: instant + .seconds(1), card: "pile/c71", action: .bury)], sync: false)
    try fresh.append([review("pile/c80", at: instant + .seconds(2))], sync: false)
    try fresh.append([ReviewEvent(time: instant + .seconds(3), card: "pile/c71", action: .undo)], sync: false)
    #expect(fresh.holdsLog)
    #expect(try fresh.records == replayedRecords())
  }

  /// The lines of this device's own file after its header.
  func ownLines() throws -> [Substring] {
    try #require(home.read("reviews/local.tsv")).split(separator: "\n").filter {
      !$0.hasPrefix("#") && !$0.hasPrefix("time\t")
    }
  }

  @Test(arguments: [true, false])
  func `an undo in place names the answer it takes back; another device's undo never takes it back`(
    balanced: Bool
  ) throws {
    if !balanced { home.write("config.toml", "load_balance = false\n") }
    let first = ISO8601.parse("2026-01-05T09:00:00Z")!
    var log = ReviewLog.header
    for index in 0..<20 { log += ReviewLogParser.line(for: review("pile/c\(index)", at: first, rating: .easy)) }
    home.write("reviews.tsv", log)
    let answer = ISO8601.parse("2026-01-13T09:00:00Z")!
    let local = try open()
    try local.append([review("pile/c4", at: answer)], sync: false)
    try local.append([review("pile/c5", at: answer + .seconds(1))], sync: false)
    try local.append([ReviewEvent(time: answer + .seconds(2), card: "pile/c5", action: .undo)], sync: false)
    // Taken back in place, and the line names the answer (local.2), not merely "the latest".
    #expect(!local.holdsLog)
    #expect(try ownLines().last?.hasSuffix("\tundo\tlocal.3\tlocal.2") == true)
    #expect(try local.records == replayedRecords())
    #expect(local.records["pile/c5"]?.reviewCount == 1)
    // Another device answers c4 after us and undoes that answer in place: ours stands.
    let desk = try Workspace(
      directory: DataDirectory(path: home.path, device: .fixed("desk")), now: now, timeZone: utc)
    try desk.append([review("pile/c4", at: answer + .minutes(1), rating: .again)], sync: false)
    try desk.append([ReviewEvent(time: answer + .minutes(2), card: "pile/c4", action: .undo)], sync: false)
    #expect(!desk.holdsLog)
    let deskLines = try #require(home.read("reviews/desk.tsv")).split(separator: "\n")
    #expect(deskLines.last?.hasSuffix("\tundo\tdesk.2\tdesk.1") == true)
    #expect(desk.records["pile/c4"]?.reviewCount == 2)
    // A second undo finds no answer of this device standing: it names none and, being the
    // desk's, cancels nothing of ours (the older rule would have taken back our answer).
    try desk.append([ReviewEvent(time: answer + .minutes(3), card: "pile/c4", action: .undo)], sync: false)
    #expect(try #require(home.read("reviews/desk.tsv")).hasSuffix("\tundo\tdesk.3\n"))
    #expect(desk.records["pile/c4"]?.reviewCount == 2)
    #expect(desk.records["pile/c4"]?.schedule?.lastReview == answer)
    #expect(try desk.records == replayedRecords())
  }

  @Test func `with load balancing, an undo takes back only the answer it names, not another device's review after it`()
    throws
  {
    let first = ISO8601.parse("2026-01-05T09:00:00Z")!
    let latest = ISO8601.parse("2026-01-20T09:00:00Z")!
    var log = ReviewLog.header
    for index in 0..<100 { log += ReviewLogParser.line(for: review("pile/c\(index)", at: first, rating: .easy)) }
    home.write("reviews.tsv", log)
    // The desk reviewed c60 a moment after this device's answer below, and c99 later still (its
    // clock runs ahead): every answer here comes before the log's latest event.
    let answer = ISO8601.parse("2026-01-13T09:00:00Z")!
    let deskReview = ReviewEvent(
      time: answer + Interval(milliseconds: 1500), card: "pile/c60", action: .review(.again),
      id: EventID(device: "desk", sequence: 1))
    let deskLatest = ReviewEvent(
      time: latest, card: "pile/c99", action: .review(.good), id: EventID(device: "desk", sequence: 2))
    home.write(
      "reviews/desk.tsv",
      ReviewLog.deviceHeader + ReviewLogParser.line(for: deskReview) + ReviewLogParser.line(for: deskLatest))
    let workspace = try open()
    try workspace.append([review("pile/c61", at: answer)], sync: false)
    try workspace.append([review("pile/c60", at: answer + .seconds(1))], sync: false)
    #expect(workspace.isJournaled)
    // The journal holds our answer and, after it, the desk's review of the same card (the
    // card's latest undoable event before the undo). The undo names our answer: the desk's
    // review stays (the older rule took back the latest, the desk's).
    try workspace.append(
      [ReviewEvent(time: answer + .seconds(2), card: "pile/c60", action: .undo)], sync: false)
    #expect(try ownLines().last?.hasSuffix("\tundo\tlocal.3\tlocal.2") == true)
    let record = try #require(workspace.records["pile/c60"])
    #expect(record.reviewCount == 2)
    #expect(record.lapses == 1)
    #expect(record.schedule?.lastReview == deskReview.time)
    #expect(try workspace.records == replayedRecords())
    // An undo of the answer with only this device's answers after it uses the journal alone.
    try workspace.append([review("pile/c62", at: answer + .seconds(3))], sync: false)
    try workspace.append([review("pile/c63", at: answer + .seconds(4))], sync: false)
    try workspace.append(
      [ReviewEvent(time: answer + .seconds(5), card: "pile/c62", action: .undo)], sync: false)
    #expect(try ownLines().last?.hasSuffix("\tundo\tlocal.6\tlocal.4") == true)
    #expect(try workspace.records == replayedRecords())
  }

  /// The records of a fresh replay of the log without the last `dropping` lines this device
  /// wrote (its file is put back afterwards).
  func replayedRecordsAfter(_ workspace: Workspace, dropping: Int) throws -> [String: CardRecord] {
    let path = home.path + "/reviews/local.tsv"
    let whole = try #require(home.read("reviews/local.tsv"))
    var lines = whole.split(separator: "\n", omittingEmptySubsequences: false)
    lines.removeLast(dropping + 1)
    home.write("reviews/local.tsv", lines.joined(separator: "\n") + "\n")
    defer { try? whole.write(toFile: path, atomically: false, encoding: .utf8) }
    let records = try replayedRecords()
    try? FileManager.default.removeItem(atPath: home.path + "/state.cache")
    return records
  }

  @Test func `the previewed due date is the one the review then gets`() throws {
    home.write("reviews.tsv", history(lapses: 0) + "2026-01-20T10:00:00.000Z\tmini/b\t4\t0\treview\n")
    let workspace = try open()
    let time = ISO8601.parse("2026-01-25T10:00:00Z")!
    let preview = workspace.preview("mini/a", rating: .good, at: time)
    try workspace.append([ReviewEvent(time: time, card: "mini/a", action: .review(.good))], sync: false)
    #expect(workspace.record(for: "mini/a")?.schedule == preview)
  }

  @Test(arguments: [
    ("UTC", 4, Int64(-4 * 3_600_000)), ("Europe/Berlin", 4, Int64(-3 * 3_600_000)),
    ("Australia/Sydney", 0, Int64(10 * 3_600_000)),
  ])
  func `study days use the zone's standard offset minus the rollover hour`(zone: String, hour: Int, offset: Int64)
    throws
  {
    let timeZone = try #require(TimeZone(identifier: zone))
    #expect(Workspace.dayOffset(zone: timeZone, dayStartsAt: hour) == offset)
  }
}
