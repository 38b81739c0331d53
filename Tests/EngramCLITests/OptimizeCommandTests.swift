import EngramCore
import EngramTestSupport
import Foundation
import Testing

/// `optimize` as a real process on the synthetic learner of the core fixtures.
@Suite struct OptimizeCommandTests {
  let home = TemporaryDirectory()

  /// Writes the fixture's reviews as a review log.
  func writeLog() throws {
    let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appending(path: "EngramCoreTests/Fixtures/synth-1000.csv")
    var log = "# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n"
    for line in try String(contentsOf: csv, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
      let fields = line.split(separator: ",")
      guard fields.count >= 3, let ms = Int64(fields[1]) else { continue }
      log += "\(ISO8601.format(Timestamp(milliseconds: ms)))\tsynth/c\(fields[0])\t\(fields[2])\t0\treview\n"
    }
    home.write("reviews.tsv", log)
  }

  @Test func `with almost no history the parameters stay and the thresholds are shown`() throws {
    let result = try runEngram(["optimize", "--yes"], home: home.path)
    #expect(result.status == 0)
    #expect(flat(result.stdout).contains("Not enough history to fit yet, so your parameters stay as they are."))
    #expect(flat(result.stdout).contains("it needs 8 to fit the first four parameters (all 21 from 64)"))
    #expect(flat(result.stdout).contains("Keep reviewing for a few weeks and run 'optimize' again."))
    #expect(home.read("config.toml") == nil)
  }

  @Test func `reviews the outlier filter leaves out are counted apart`() throws {
    // Ten cards share a first wait: a group under twenty, which fsrs-rs's filter drops.
    var log = "# engram review log v1\n"
    for card in 0..<10 {
      log +=
        "2026-01-01T10:00:00.000Z\tsmall/c\(card)\t3\t0\treview\n2026-01-04T10:00:00.000Z\tsmall/c\(card)\t3\t0\treview\n"
    }
    home.write("reviews.tsv", log)
    let result = try runEngram(["optimize"], home: home.path)
    #expect(result.status == 0)
    #expect(flat(result.stdout).contains("you have 10 (0 usable after fsrs-rs's outlier filter"))
  }

  @Test func `a small history fits the initial stabilities only and says how many the full fit needs`() throws {
    // 20 cards: Good, then Good 3 days later: 20 predictions.
    var log = "# engram review log v1\n"
    for card in 0..<20 {
      log += "2026-01-01T10:00:00.000Z\tsmall/c\(card)\t3\t0\treview\n"
      log += "2026-01-04T10:00:00.000Z\tsmall/c\(card)\t\(card < 4 ? 1 : 3)\t0\treview\n"
    }
    home.write("reviews.tsv", log)
    let result = try runEngram(["optimize", "--json", "--dry-run"], home: home.path)
    #expect(result.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["fit"] as? String == "initial_stability")
    #expect(object["full_fit_items"] as? Int == 64)
    let parameters = try #require(object["parameters"] as? [Double])
    #expect(Array(parameters.dropFirst(4)) == Array(Parameters.defaults.weights.dropFirst(4)))
    let text = try runEngram(["optimize", "--dry-run"], home: home.path)
    #expect(flat(text.stdout).contains("the full fit of all 21 parameters needs 64 predictions, 44 more"))
  }

  @Test func `json reports both fits and dry runs change nothing`() throws {
    try writeLog()
    let result = try runEngram(["optimize", "--json", "--dry-run"], home: home.path)
    #expect(result.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect((object["parameters"] as? [Double])?.count == 21)
    #expect(object["reviews"] as? Int == 10702)
    let before = try #require(object["log_loss_before"] as? Double)
    let after = try #require(object["log_loss_after"] as? Double)
    #expect(after < before)
    #expect(object["rmse_bins_before"] is Double && object["rmse_bins_after"] is Double)
    #expect(home.read("config.toml") == nil)
  }

  @Test func `declining keeps the config and yes saves it with the old parameters in a comment`() throws {
    try writeLog()
    home.write("config.toml", "# mine\ndesired_retention = 0.85\n")
    let declined = try runEngram(["optimize"], home: home.path, input: "n\n")
    #expect(declined.stdout.contains("Nothing changed."))
    #expect(home.read("config.toml") == "# mine\ndesired_retention = 0.85\n")
    let saved = try runEngram(
      ["optimize"], home: home.path, input: "y\n", environment: ["ENGRAM_NOW": "2026-11-25T12:00:00Z"])
    #expect(saved.status == 0)
    let config = try #require(home.read("config.toml"))
    #expect(config.hasPrefix("# mine\ndesired_retention = 0.85\n"))
    #expect(config.contains("# fsrs_parameters before 'engram optimize' on 2026-11-25: [0.212, 1.2931,"))
    #expect(config.contains("\nfsrs_parameters = ["))
    // The saved file is valid: the next command reads it and the fit is now the current one.
    let again = try runEngram(["optimize", "--json", "--dry-run"], home: home.path)
    #expect(again.status == 0)
  }
}
