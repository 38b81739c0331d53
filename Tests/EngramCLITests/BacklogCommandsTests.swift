import EngramTestSupport
import Foundation
import Testing

@testable import EngramCLI

/// `postpone` and `advance`, run as real processes on a small backlog.
@Suite struct BacklogCommandsTests {
  let home = TemporaryDirectory()
  let now = ["ENGRAM_NOW": "2026-03-01T12:00:00Z"]

  init() {
    // Five review cards (Easy, then Good eight days later), overdue by March; three more
    // reviewed late in February, not yet due.
    var log = "# engram review log v1\n"
    for (index, card) in ["cv-overfit", "cv-underfit", "cv-leak", "cv-drift", "cv-bias"].enumerated() {
      log += "2026-01-0\(index + 1)T10:00:00.000Z\tml/\(card)\t4\t0\treview\n"
      log += "2026-01-\(10 + index)T10:00:00.000Z\tml/\(card)\t3\t0\treview\n"
    }
    for card in ["later-a", "later-b", "later-c"] {
      log += "2026-02-20T10:00:00.000Z\tml/\(card)\t4\t0\treview\n2026-02-27T10:00:00.000Z\tml/\(card)\t3\t0\treview\n"
    }
    home.write("reviews.tsv", log)
  }

  func state() throws -> [[String: Any]] {
    let result = try runEngram(["state", "--json", "--at", "2026-03-01T12:00:00Z"], home: home.path, environment: now)
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
  }

  func dues() throws -> [String: String] {
    Dictionary(uniqueKeysWithValues: try state().map { ($0["card"] as? String ?? "", $0["due"] as? String ?? "") })
  }

  @Test func `a dry run shows the plan and writes nothing`() throws {
    let before = home.read("reviews.tsv")
    let result = try runEngram(["postpone", "--count", "2", "--dry-run"], home: home.path, environment: now)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Postpone 2 of 5 overdue cards:"))
    #expect(result.stdout.contains("Dry run: nothing changed."))
    #expect(home.read("reviews.tsv") == before)
    #expect(home.read("reviews/test.tsv") == nil)
  }

  @Test func `postpone moves the cards, replays identically without the cache, and undo restores them`() throws {
    let original = try dues()
    let result = try runEngram(["postpone", "--days", "4", "--yes"], home: home.path, environment: now)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Postponed 5 cards"))
    let moved = try dues()
    for card in ["cv-overfit", "cv-underfit", "cv-leak", "cv-drift", "cv-bias"] {
      #expect(moved["ml/\(card)"] == "2026-03-05T12:00:00.000Z")
    }
    #expect(moved["ml/later-a"] == original["ml/later-a"])
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    #expect(try dues() == moved)
    let undo = try runEngram(["postpone", "--undo"], home: home.path, environment: now)
    #expect(undo.stdout.contains("Took back the latest postpone of 5 cards."))
    #expect(try dues() == original)
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    #expect(try dues() == original)
  }

  @Test func `answering no changes nothing`() throws {
    let before = home.read("reviews.tsv")
    let result = try runEngram(["postpone", "--count", "1"], home: home.path, input: "n\n", environment: now)
    #expect(result.stdout.contains("Nothing changed."))
    #expect(home.read("reviews.tsv") == before)
    #expect(home.read("reviews/test.tsv") == nil)
  }

  @Test func `by default overdue cards within reviews_per_day stay`() throws {
    let result = try runEngram(["postpone", "--yes"], home: home.path, environment: now)
    #expect(result.stdout.contains("fit within reviews_per_day (200)"))
  }

  @Test func `advance brings the card with the lowest recall to today and undo takes it back`() throws {
    let original = try dues()
    let result = try runEngram(["advance", "--count", "1", "--yes"], home: home.path, environment: now)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Advance 1 of 3 cards not yet due"))
    let moved = try dues()
    #expect(moved.filter { $0.value == "2026-03-01T12:00:00.000Z" }.count == 1)
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    #expect(try dues() == moved)
    _ = try runEngram(["advance", "--undo"], home: home.path, environment: now)
    #expect(try dues() == original)
  }

  @Test(arguments: [
    ["postpone", "--days", "3", "--count", "2"], ["postpone", "--days", "0"], ["postpone", "--count", "0"],
    ["advance", "--count", "-1"],
  ])
  func `bad options are usage errors`(arguments: [String]) throws {
    let result = try runEngram(arguments, home: home.path, environment: now)
    #expect(result.status == 2)
  }

  @Test func `postpone --undo takes back only this device's batch`() throws {
    let desk = now.merging(["ENGRAM_DEVICE": "desk"]) { $1 }
    let original = try dues()
    let postponed = try runEngram(["postpone", "--count", "2", "--yes"], home: home.path, environment: desk)
    #expect(postponed.status == 0)
    let moved = try dues()
    #expect(moved != original)
    // The laptop (device "test") has no postpone of its own to take back.
    let laptop = try runEngram(["postpone", "--undo"], home: home.path, environment: now)
    #expect(laptop.stdout.contains("Nothing to undo"))
    #expect(try dues() == moved)
    let back = try runEngram(["postpone", "--undo"], home: home.path, environment: desk)
    #expect(back.stdout.contains("Took back the latest postpone of 2 cards."))
    #expect(try dues() == original)
  }

  @Test func `undo with nothing to undo says so`() throws {
    let result = try runEngram(["advance", "--undo"], home: home.path, environment: now)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Nothing to undo"))
  }
}

@Suite struct BacklogFiguresTests {
  @Test func `recall figures that round alike get a decimal, and a tiny change reads as under 0.1 points`() {
    #expect(BacklogRun.percents(0.962, 0.958) == "96.2% → 95.8%")
    #expect(BacklogRun.percents(0.96, 0.85) == "96% → 85%")
    #expect(BacklogRun.percents(0.9, 0.9) == "90% → 90%")
    #expect(BacklogRun.points(-0.0001) == "under 0.1 points")
    #expect(BacklogRun.points(0.0123) == "1.2 points")
  }
}
