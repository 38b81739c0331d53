import EngramTestSupport
import Foundation
import Testing

/// `simulate`, run as a real process.
@Suite struct SimulateCommandTests {
  let home = TemporaryDirectory()

  @Test func `--json prints one value per day for the plan`() throws {
    let result = try runEngram(
      ["simulate", "--deck-size", "300", "--new-per-day", "20", "--days", "40", "--retention", "0.85", "--json"],
      home: home.path)
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["days"] as? Int == 40)
    #expect(object["retention"] as? Double == 0.85)
    for key in ["reviews_per_day", "minutes_per_day", "memorized"] {
      #expect((object[key] as? [Double])?.count == 40)
    }
    // Day 0 learns 20 cards and remembers them all.
    #expect((object["memorized"] as? [Double])?.first == 20)
  }

  @Test func `a retention range prints an array as JSON and a chart marking the current setting`() throws {
    let json = try runEngram(
      ["simulate", "--deck-size", "200", "--days", "30", "--retention-range", "0.80:0.90:0.05", "--json"],
      home: home.path)
    let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(objects.map { $0["retention"] as? Double } == [0.8, 0.85, 0.9])
    let chart = try runEngram(
      ["simulate", "--deck-size", "200", "--days", "30", "--retention-range", "0.80:0.90:0.05"], home: home.path)
    #expect(chart.status == 0)
    let marked = chart.stdout.split(separator: "\n").filter { $0.contains("◀ current") }
    #expect(marked.count == 1)
    #expect(marked.first?.contains("0.90") == true)
    #expect(chart.stdout.contains("fsrs-rs defaults"))
    // Bars are to scale from zero: each minutes bar's length over the longest equals its
    // minutes over the largest, to within a block's rounding.
    let rows = chart.stdout.split(separator: "\n").filter { $0.hasPrefix("  0.") }
    #expect(rows.count == 3)
    let bars = rows.map { row in row.split(separator: " ", omittingEmptySubsequences: true) }
      .map { fields in (blocks: fields[1].count, minutes: Double(fields[2]) ?? 0) }
    let longest = try #require(bars.map(\.blocks).max())
    let most = try #require(bars.map(\.minutes).max())
    for bar in bars {
      #expect(abs(Double(bar.blocks) - bar.minutes / most * Double(longest)) <= 1, "\(bar)")
    }
    #expect(chart.stdout.contains("Bars are to scale from zero"))
  }

  @Test(arguments: [
    ["simulate", "--retention", "0.9", "--retention-range", "0.8:0.9:0.05"],
    ["simulate", "--retention-range", "0.8-0.9"],
    ["simulate", "--retention-range", "0.9:0.8:0.01"],
    ["simulate", "--retention-range", "0.7:0.97:0"],
    ["simulate", "--retention", "1.2"],
    ["simulate", "--days", "0"],
    ["simulate", "--deck-size", "0"],
    ["simulate", "--new-per-day", "-1"],
  ])
  func `bad options are usage errors`(arguments: [String]) throws {
    #expect(try runEngram(arguments, home: home.path).status == 2)
  }
}
