import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// The snapshot cache must always agree with a full replay, and a damaged or stale cache must
/// never change what the user sees.
@Suite struct StateCacheTests {
  let home = TemporaryDirectory()
  let now = ISO8601.parse("2026-01-10T12:00:00Z")!
  let utc = TimeZoneSource(identifier: "UTC")

  init() {
    _ = home.write(
      "decks/mini.md", "# Mini\nid: mini\n\n## a\nQ: a?\nA: a\n\n## b\nQ: b?\nA: b\n\n## c\nC: one {{x}} two {{y}}\n")
    _ = home.write(
      "reviews.tsv",
      ReviewLog.header + "2026-01-01T10:00:00.000Z\tmini/a\t3\t1000\treview\n"
        + "2026-01-01T10:10:00.000Z\tmini/a\t3\t1000\treview\n2026-01-02T10:00:00.000Z\tmini/b\t1\t1000\treview\n"
        + "2026-01-03T10:00:00.000Z\tgone/card\t4\t1000\treview\n")
  }

  /// Appends raw lines to the log behind the workspace's back, as another process would.
  func appendToLog(_ lines: String) throws {
    let handle = try #require(FileHandle(forWritingAtPath: home.path + "/reviews.tsv"))
    handle.seekToEndOfFile()
    handle.write(Data(lines.utf8))
    handle.closeFile()
  }

  func open() throws -> Workspace {
    try Workspace(directory: DataDirectory(path: home.path), now: now, timeZone: utc)
  }

  @Test func `a second open uses the cache and sees exactly the replayed state`() throws {
    let first = try open()
    #expect(!first.startedFromCache)
    let second = try open()
    #expect(second.startedFromCache)
    #expect(second.records == first.records)
    #expect(second.counts() == first.counts())
    #expect(second.summaries == first.summaries)
    #expect(second.record(for: "mini/a") == first.records["mini/a"])
    #expect(second.record(for: "gone/card") == first.records["gone/card"])
  }

  @Test func `sibling groups come back from the cache, Sibling: links included`() throws {
    _ = home.write(
      "decks/pair.md",
      "# Pair\nid: pair\n\n## fw\nQ: dog?\nA: chien\n\n## solo\nQ: cat?\nA: chat\n\n## bw\nQ: chien?\nA: dog\nSibling: fw\n"
    )
    let first = try open()
    let parsed = first.summaries.map(\.siblingGroups)
    let second = try open()
    #expect(second.startedFromCache)
    #expect(second.summaries.map(\.siblingGroups) == parsed)
    // Mini: a, b, then the cloze's two blanks share the first blank's position; pair: bw joins fw.
    #expect(second.summaries.first { $0.id == "mini" }?.siblingGroups == [0, 1, 2, 2])
    #expect(second.summaries.first { $0.id == "pair" }?.siblingGroups == [0, 1, 0])
    // And the queue built from the cache keeps one card per note, as the parsed one does.
    #expect(second.counts() == first.counts())
  }

  @Test func `lines appended after the cache are applied on top`() throws {
    _ = try open()
    let writer = try open()
    try writer.append([
      ReviewEvent(time: ISO8601.parse("2026-01-10T11:00:00Z")!, card: "mini/b", action: .review(.good))
    ])
    // Not saved by the writer: the next open must apply the tail itself.
    let reopened = try open()
    #expect(reopened.startedFromCache)
    let full = try Workspace(directory: DataDirectory(path: home.path), now: now, timeZone: utc)
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    let replayed = try open()
    #expect(!replayed.startedFromCache)
    #expect(reopened.records == replayed.records)
    #expect(full.records == replayed.records)
  }

  @Test func `an undo appended after the cache forces a full replay`() throws {
    _ = try open()
    try appendToLog("2026-01-02T10:00:05.000Z\tmini/b\t0\t0\tundo\n")
    let reopened = try open()
    #expect(!reopened.startedFromCache)
    #expect(reopened.records["mini/b"]?.schedule == nil)
  }

  @Test func `a changed config or deck file invalidates the cache`() throws {
    _ = try open()
    _ = home.write("config.toml", "desired_retention = 0.8\n")
    #expect(try !open().startedFromCache)
    #expect(try open().startedFromCache)
    _ = home.write("decks/mini.md", "# Mini\nid: mini\n\n## a\nQ: a?\nA: changed\n")
    #expect(try !open().startedFromCache)
  }

  @Test func `after a deck edit the records are kept and equal a full replay`() throws {
    _ = try open()
    // Card b leaves its deck (its history stays, as an orphan), a new deck arrives, and a line
    // is appended in time order.
    _ = home.write("decks/mini.md", "# Mini\nid: mini\n\n## a\nQ: a?\nA: changed\n\n## c\nC: one {{x}} two {{y}}\n")
    _ = home.write("decks/more.md", "# More\nid: more\n\n## m\nQ: m?\nA: m\n")
    try appendToLog("2026-01-09T10:00:00.000Z\tmore/m\t3\t1000\treview\n")
    let edited = try open()
    #expect(edited.reusedCachedRecords)
    #expect(!edited.startedFromCache)
    #expect(edited.summaries.map(\.id).suffix(2) == ["mini", "more"])
    let again = try open()
    #expect(again.startedFromCache)
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    let replayed = try open()
    #expect(!replayed.reusedCachedRecords && !replayed.startedFromCache)
    #expect(edited.records == replayed.records)
    #expect(again.records == replayed.records)
    #expect(again.counts() == replayed.counts())
    #expect(edited.records["mini/b"] != nil)
  }

  @Test func `after a deck edit an undo in the tail still replays everything`() throws {
    _ = try open()
    _ = home.write("decks/more.md", "# More\nid: more\n\n## m\nQ: m?\nA: m\n")
    try appendToLog("2026-01-02T10:00:05.000Z\tmini/b\t0\t0\tundo\n")
    let reopened = try open()
    #expect(!reopened.reusedCachedRecords && !reopened.startedFromCache)
    #expect(reopened.records["mini/b"]?.schedule == nil)
  }

  @Test func `a damaged cache is ignored and rebuilt`() throws {
    let reference = try open().records
    var bytes = try #require(FileManager.default.contents(atPath: home.path + "/state.cache"))
    bytes[bytes.count / 2] ^= 0xff
    try bytes.write(to: URL(fileURLWithPath: home.path + "/state.cache"))
    let reopened = try open()
    #expect(!reopened.startedFromCache)
    #expect(reopened.records == reference)
    try Data("garbage".utf8).write(to: URL(fileURLWithPath: home.path + "/state.cache"))
    #expect(try open().records == reference)
  }

  @Test func `a rewritten log is noticed even when it is longer`() throws {
    _ = try open()
    let log = try #require(home.read("reviews.tsv"))
    _ = home.write("reviews.tsv", log.replacingOccurrences(of: "\tmini/b\t1\t", with: "\tmini/b\t4\t") + "\n")
    let reopened = try open()
    #expect(!reopened.startedFromCache)
    #expect(reopened.records["mini/b"]?.schedule?.phase == .review)
  }

  @Test func `a new study day keeps the cache, with every per-day count reset`() throws {
    _ = home.write(
      "reviews.tsv",
      ReviewLog.header + "2026-01-10T10:00:00.000Z\tmini/a\t4\t1000\treview\n"
        + "2026-01-10T11:00:00.000Z\tmini/a\t3\t1000\treview\n")
    let today = try open()
    #expect(today.records["mini/a"]?.reviewsToday == 1)
    let tomorrowNow = ISO8601.parse("2026-01-11T12:00:00Z")!
    let tomorrow = try Workspace(directory: DataDirectory(path: home.path), now: tomorrowNow, timeZone: utc)
    #expect(tomorrow.startedFromCache)
    #expect(tomorrow.records["mini/a"]?.reviewsToday == 0)
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    let replayed = try Workspace(directory: DataDirectory(path: home.path), now: tomorrowNow, timeZone: utc)
    #expect(!replayed.startedFromCache)
    #expect(tomorrow.records == replayed.records)
    #expect(tomorrow.counts() == replayed.counts())
  }

  @Test func `a new study day with events already in it rebuilds`() throws {
    _ = home.write(
      "reviews.tsv", ReviewLog.header + "2026-01-11T05:00:00.000Z\tmini/a\t4\t1000\treview\n")
    _ = try open()  // today is Jan 10: the event lies in the next study day
    let tomorrow = try Workspace(
      directory: DataDirectory(path: home.path), now: ISO8601.parse("2026-01-11T12:00:00Z")!, timeZone: utc)
    #expect(!tomorrow.startedFromCache)
    #expect(tomorrow.records["mini/a"]?.introducedAt == ISO8601.parse("2026-01-11T05:00:00Z"))
  }

  @Test func `a batch with an undo appended to a cache-started workspace matches a full replay`() throws {
    _ = try open()
    let workspace = try open()
    #expect(workspace.startedFromCache)
    let time = ISO8601.parse("2026-01-10T11:00:00Z")!
    try workspace.append([
      ReviewEvent(time: time, card: "mini/c#1", action: .review(.good)),
      ReviewEvent(time: time + .seconds(1), card: "mini/c#1", action: .undo),
      ReviewEvent(time: time + .seconds(2), card: "mini/c#1", action: .review(.again)),
    ])
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    let replayed = try open()
    #expect(!replayed.startedFromCache)
    #expect(workspace.records == replayed.records)
    #expect(workspace.records["mini/c#1"]?.reviewCount == 1)
  }

  /// The records a full replay gives, with no cache at all.
  func replayed() throws -> [String: CardRecord] {
    try? FileManager.default.removeItem(atPath: home.path + "/state.cache")
    let fresh = try open()
    #expect(!fresh.startedFromCache)
    return fresh.records
  }

  @Test func `every bit flip in the header and a sample elsewhere gives the right state or a rebuild`() throws {
    let workspace = try open()
    _ = try open()  // saved now
    let path = home.path + "/state.cache"
    let original = try #require(FileManager.default.contents(atPath: path))
    func load() -> StateCache? {
      try? StateCache.load(
        path: path, fingerprint: workspace.fingerprintForTests, directory: home.path,
        dayStart: workspace.dayStart
      ).get()
    }
    let truth = try #require(load())
    func same(_ cache: StateCache) -> Bool {
      cache.logs == truth.logs && cache.orphans == truth.orphans && cache.deckProblems == truth.deckProblems
        && cache.decks.map(\.id) == truth.decks.map(\.id) && cache.decks.map(\.records) == truth.decks.map(\.records)
        && cache.decks.map(\.siblingGroups) == truth.decks.map(\.siblingGroups)
        && zip(cache.decks, truth.decks).allSatisfy { $0.cardKeys == $1.cardKeys }
    }
    var random = SystemRandomNumberGenerator()
    let headerBits = Array(0..<min(original.count * 8, 8 * 128))
    let sample = (0..<1000).map { _ in Int.random(in: 0..<(original.count * 8), using: &random) }
    var rebuilt = 0
    for bit in headerBits + sample {
      var damaged = original
      damaged[bit / 8] ^= UInt8(1 << (bit % 8))
      #expect(FileManager.default.createFile(atPath: path, contents: damaged))
      if let cache = load() {
        #expect(same(cache), "bit \(bit) changed the state")
      } else {
        rebuilt += 1
      }
    }
    #expect(rebuilt > 0)
  }

  @Test func `a cache copied beside another log with the same size and tail is not trusted`() throws {
    _ = try open()
    let other = TemporaryDirectory()
    try FileManager.default.copyItem(atPath: home.path + "/decks", toPath: other.path + "/decks")
    // Same size and same last bytes, different history in the middle.
    let log = try #require(home.read("reviews.tsv"))
    other.write("reviews.tsv", log.replacingOccurrences(of: "mini/b\t1\t", with: "mini/b\t4\t"))
    try FileManager.default.copyItem(atPath: home.path + "/state.cache", toPath: other.path + "/state.cache")
    let copied = try Workspace(directory: DataDirectory(path: other.path), now: now, timeZone: utc)
    #expect(!copied.startedFromCache)
    #expect(copied.records["mini/b"]?.lapses == 0 && copied.records["mini/b"]?.schedule?.phase == .review)
  }

  @Test func `when another process writes between our appends nothing stale is saved`() throws {
    _ = try open()
    let workspace = try open()
    let time = ISO8601.parse("2026-01-10T11:00:00Z")!
    try workspace.append([ReviewEvent(time: time, card: "mini/a", action: .review(.good))])
    // Another session answers a card in between.
    try appendToLog("2026-01-10T11:00:30.000Z\tmini/b\t4\t1000\treview\n")
    try workspace.append([ReviewEvent(time: time + .minutes(1), card: "mini/c#1", action: .review(.good))])
    workspace.saveCache()
    let next = try open()
    #expect(next.records == (try replayed()))
    #expect(next.records["mini/b"]?.reviewCount == 2)
  }

  @Test func `lines another process appends after ours are applied at the next start`() throws {
    _ = try open()
    let workspace = try open()
    let time = ISO8601.parse("2026-01-10T11:00:00Z")!
    try workspace.append([ReviewEvent(time: time, card: "mini/a", action: .review(.good))])
    try appendToLog("2026-01-10T11:00:30.000Z\tmini/b\t4\t1000\treview\n")
    workspace.saveCache()
    let next = try open()
    #expect(next.startedFromCache)
    #expect(next.records == (try replayed()))
  }
}
