import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// The whole-history questions, asked of a workspace over real files: each answer is worked
/// out here from the lines written.
@Suite struct HistoryQueriesTests {
  let home = TemporaryDirectory()
  let now = ISO8601.parse("2026-02-01T12:00:00Z")!
  let utc = TimeZoneSource(identifier: "UTC")

  init() {
    home.write("decks/mini.md", "# Mini\nid: mini\n\n## a\nQ: qa\nA: aa\n\n## b\nQ: qb\nA: ab\n\n## c\nQ: qc\nA: ac\n")
  }

  func open(device: String = "desk") throws -> Workspace {
    try Workspace(directory: DataDirectory(path: home.path, device: .fixed(device)), now: now, timeZone: utc)
  }

  func event(_ card: String, _ action: ReviewEvent.Action, days: Int64) -> ReviewEvent {
    ReviewEvent(time: now - .days(days), card: card, action: action)
  }

  func legacyLog(_ events: [ReviewEvent]) {
    home.write("reviews.tsv", ReviewLog.header + events.map { ReviewLogParser.line(for: $0) }.joined())
  }

  @Test func `a card's events come in file order, and a card without history has none`() throws {
    legacyLog([
      event("mini/a", .review(.good), days: 5), event("mini/b", .review(.easy), days: 4),
      event("mini/a", .review(.again), days: 2),
    ])
    let workspace = try open()
    #expect(try workspace.events(of: "mini/a").map(\.action) == [.review(.good), .review(.again)])
    #expect(try workspace.events(of: "mini/c").isEmpty)
  }

  @Test func `scenario events come in time order, file order among ties, without reviews`() throws {
    let late = ReviewEvent(time: now - .hours(1), card: "s-late", action: .scenario(nil))
    let tieFirst = ReviewEvent(time: now - .hours(3), card: "s-z", action: .scenario(nil))
    let tieSecond = ReviewEvent(time: now - .hours(3), card: "s-a", action: .scenario(nil))
    legacyLog([late, event("mini/a", .review(.good), days: 1), tieFirst, tieSecond])
    #expect(try open().scenarioEvents().map(\.card) == ["s-z", "s-a", "s-late"])
  }

  @Test func `review facts and the training set leave undone reviews out`() throws {
    let workspace = try open()
    try workspace.append([event("mini/a", .review(.good), days: 10)], sync: false)
    try workspace.append([event("mini/a", .review(.hard), days: 7)], sync: false)
    try workspace.append([event("mini/b", .review(.easy), days: 6)], sync: false)
    try workspace.append([event("mini/a", .review(.again), days: 3)], sync: false)
    try workspace.append([event("mini/a", .undo, days: 3)], sync: false)
    let facts = try workspace.reviewFacts().sorted { $0.time < $1.time }
    #expect(facts.map(\.card) == ["mini/a", "mini/a", "mini/b"])
    #expect(facts.map(\.rating) == [.good, .hard, .easy])
    // Only mini/a has two standing reviews; they are three study days apart.
    let training = try workspace.trainingSet()
    #expect(training.reviewCount == 2)
    #expect(training.cards.map { $0.map(\.rating) } == [[.good, .hard]])
    #expect(training.cards.first?.last?.deltaT == 3)
  }

  @Test func `the latest batch is this device's latest postpone still standing on each card`() throws {
    let workspace = try open()
    try workspace.append(
      [event("mini/a", .postpone(days: 2), days: 5), event("mini/b", .postpone(days: 2), days: 5)], sync: false)
    try workspace.append([event("mini/b", .review(.good), days: 4)], sync: false)
    try workspace.append([event("mini/c", .postpone(days: 2), days: 3)], sync: false)
    try workspace.append([event("mini/c", .undo, days: 3)], sync: false)
    try open(device: "laptop").append([event("mini/a", .postpone(days: 4), days: 2)], sync: false)
    let again = try open()
    // b's latest is a review, c's postpone was undone, and laptop's postpone is laptop's own.
    #expect(try again.latestBatch(of: .postpone) == ["mini/a"])
    #expect(try again.latestBatch(of: .advance) == [])
  }

  @Test func `without a device name there is no batch of this device to find`() throws {
    let workspace = try Workspace(
      directory: DataDirectory(path: home.path, device: .resolve(environment: ["ENGRAM_DEVICE": "a.b"])), now: now,
      timeZone: utc)
    #expect(throws: DeviceName.Failure.self) { try workspace.latestBatch(of: .postpone) }
  }

  @Test func `leeches are the cards with a leech event or enough lapses, most lapses first`() throws {
    home.write("config.toml", "leech_threshold = 2\nleech_action = \"tag\"\n")
    var lines: [ReviewEvent] = []
    for (card, lapses) in [("mini/a", 1), ("mini/b", 3), ("mini/c", 2)] {
      lines.append(event(card, .review(.good), days: 60))
      lines.append(event(card, .review(.good), days: 50))
      // Each lapse is an Again on a review card, and a Good a day later takes it back to review.
      for lapse in 0..<Int64(lapses) {
        lines.append(event(card, .review(.again), days: 40 - lapse * 10))
        lines.append(event(card, .review(.good), days: 39 - lapse * 10))
      }
    }
    legacyLog(lines)
    let reports = try open().leechReports()
    #expect(reports.map(\.key) == ["mini/b", "mini/c"])
    #expect(reports.map(\.lapses) == [3, 2])
  }
}
