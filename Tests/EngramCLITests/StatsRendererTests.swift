import EngramCore
import Foundation
import Testing

@testable import EngramCLI

/// The stats screen at the narrowest and a wide terminal: nothing overflows, and the charts
/// scale as computed by hand.
@Suite struct StatsRendererTests {
  func days() -> StudyDays {
    let first = ISO8601.parse("2025-11-01T04:00:00Z")!
    let starts = (0...420).map { first + .days(Int64($0)) }
    return StudyDays(
      starts: starts, todayIndex: 380, labels: starts.map { String(ISO8601.format($0).prefix(10)) },
      weekdays: (0...420).map { ($0 + 5) % 7 })  // 2025-11-01 was a Saturday
  }

  func stats() -> Statistics {
    var stats = Statistics()
    stats.today = .init(reviewed: 10, again: 2, milliseconds: 252_000, introduced: 3)
    stats.currentStreak = 4
    stats.longestStreak = 9
    stats.forecast = (0..<30).map { $0 == 0 ? 48 : $0 % 7 == 0 ? 12 : 3 }
    stats.overdue = 7
    stats.heatmap = (0..<365).map { $0 % 3 == 0 ? 0 : $0 % 10 }
    stats.retention = [(7, .init(young: (9, 10), mature: (19, 20))), (30, .init(young: (0, 0), mature: (1, 2)))]
    stats.deckStates = [.init(deck: "a-rather-long-deck-identifier-that-goes-on", new: 5, learning: 1, review: 12)]
    stats.difficulty = [1, 2, 3, 4, 8, 4, 3, 2, 1]
    stats.weakest = [.init(card: "deck/a-card-with-a-very-long-identifier-indeed-yes", retrievability: 0.42, lapses: 9)]
    stats.leeches = stats.weakest
    return stats
  }

  @Test(arguments: [60, 120])
  func `weakest cards and leeches show their question cut to the width, with the key dimmed below`(width: Int) throws {
    var stats = stats()
    stats.weakest.append(.init(card: "deck/one", retrievability: 0.5, lapses: 1))
    let question = String(repeating: "Why does a model drift after launch? ", count: 6)
    let questions = ["deck/a-card-with-a-very-long-identifier-indeed-yes": question, "deck/one": "Short question?"]
    let text = StatsRenderer(stats: stats, days: days(), width: width, color: true, questions: questions).weakest()
    let lines = text.split(separator: "\n").map(String.init)
    let first = try #require(lines.firstIndex { $0.contains("Why does a model drift") })
    #expect(StatsRenderer.visibleCount(lines[first]) <= width)
    #expect(lines[first].contains("…"))
    #expect(lines[first].contains("9 lapses"))
    // The key follows, dimmed (SGR 2).
    #expect(lines[first + 1].contains("\u{1B}[2mdeck/a-card-with-a-very-long-identifier-indeed-yes"))
    let second = try #require(lines.firstIndex { $0.contains("Short question?") })
    #expect(lines[second].hasSuffix("1 lapse"))
    #expect(lines.contains { $0.contains("Leeches") })
  }

  @Test func `at most ten leeches are listed, the rest counted with where to see them`() {
    var stats = stats()
    stats.leeches = (0..<12).map { .init(card: "deck/leech\($0)", retrievability: 0.5, lapses: 20 - $0) }
    let text = StatsRenderer(stats: stats, days: days(), width: 60, color: false).weakest()
    for line in text.split(separator: "\n") { #expect(line.count <= 60, "\(line)") }
    #expect(text.contains("deck/leech9"))
    #expect(!text.contains("deck/leech10"))
    #expect(!text.contains("deck/leech11"))
    #expect(text.contains("  … 2 more: 'leeches' lists all 12, with how to fix each"))
    stats.leeches = Array(stats.leeches.prefix(10))
    let exactly = StatsRenderer(stats: stats, days: days(), width: 80, color: false).weakest()
    #expect(exactly.contains("deck/leech9"))
    #expect(!exactly.contains("more:"))
    #expect(exactly.contains("'leeches' shows each with its history and how to fix it"))
  }

  @Test(arguments: [60, 120])
  func `no line is wider than the terminal`(width: Int) {
    let text = StatsRenderer(stats: stats(), days: days(), width: width, color: false).render()
    for line in text.split(separator: "\n") {
      #expect(line.count <= width, "\(line.count) > \(width): \(line)")
    }
    let colored = StatsRenderer(stats: stats(), days: days(), width: width, color: true).render()
    for line in colored.split(separator: "\n") {
      #expect(StatsRenderer.visibleCount(String(line)) <= width, "\(line)")
    }
  }

  @Test(arguments: [60, 120])
  func `the forecast's tallest bar is the peak and today's bar is full height`(width: Int) {
    let text = StatsRenderer(stats: stats(), days: days(), width: width, color: false).forecast()
    let rows = text.split(separator: "\n").filter { $0.contains("│") }
    #expect(rows.count == 6)
    #expect(rows[0].hasPrefix("48 │█"))
    // A day with 12 of 48 is a quarter of 6 rows = 1.5 rows: full bottom row, half block above.
    let column = 4 + 7 * (width >= 68 ? 2 : 1)
    let bottom = Array(rows[5])
    let second = Array(rows[4])
    #expect(bottom[column] == "█")
    #expect(second[column] == "▄")
    #expect(text.contains("backlog: 7 overdue"))
  }

  @Test func `the heatmap has seven weekday rows, month labels and shades by count`() {
    let text = StatsRenderer(stats: stats(), days: days(), width: 120, color: false).heatmap()
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 9)  // title, months, 7 weekdays
    #expect(lines[2].hasPrefix("Mon "))
    #expect(lines[8].hasPrefix("Sun "))
    #expect(lines[1].contains("Jan"))
    #expect(text.contains("█"))  // the peak (9) is the darkest shade
    #expect(text.contains("·"))  // days without reviews
  }

  @Test(arguments: [60, 80, 120])
  func `a month that began in the last week shown is still labelled, at the right edge`(width: Int) throws {
    // 2026-01-01 was a Thursday; today is 2027-01-06, so January 2027 began five days ago.
    let first = try #require(ISO8601.parse("2026-01-01T04:00:00Z"))
    let starts = (0...420).map { first + .days(Int64($0)) }
    let days = StudyDays(
      starts: starts, todayIndex: 370, labels: starts.map { String(ISO8601.format($0).prefix(10)) },
      weekdays: (0...420).map { ($0 + 3) % 7 })
    let text = StatsRenderer(stats: stats(), days: days, width: width, color: false).heatmap()
    let months = String(text.split(separator: "\n", omittingEmptySubsequences: false)[1])
    #expect(months.hasSuffix("Jan"))
    #expect(months.contains("Dec"))
    #expect(months.count <= width)
    // Weeks as columns: a week's column is where its month label starts (Jan 2027 began in
    // the week of Monday 28 December, the last but one column).
    let grid = String(text.split(separator: "\n", omittingEmptySubsequences: false)[2])
    #expect(months.count - 3 == grid.count - 2)
  }

  @Test(arguments: [60, 80, 120])
  func `a month that begins three weeks into the chart is labelled, not hidden by the month before`(width: Int) throws {
    // The newcomer's case: today 2026-12-16, so the 365 days start on Wednesday 2025-12-17 and
    // January 2026 begins in the chart's third week, too close to "Dec" for both.
    let first = try #require(ISO8601.parse("2025-12-01T04:00:00Z"))
    let starts = (0...420).map { first + .days(Int64($0)) }
    let days = StudyDays(
      starts: starts, todayIndex: 380, labels: starts.map { String(ISO8601.format($0).prefix(10)) },
      weekdays: (0...420).map { $0 % 7 })  // 2025-12-01 was a Monday
    let text = StatsRenderer(stats: stats(), days: days, width: width, color: false).heatmap()
    let months = String(text.split(separator: "\n", omittingEmptySubsequences: false)[1])
    #expect(months.hasSuffix("Dec"))  // December 2026, the current month
    let shown = months.split(separator: " ").map(String.init)
    // Every label in calendar order, each month once: at 120 columns Jan 2026 to Dec 2026.
    let order = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    #expect(shown == Array(order.suffix(shown.count)))
    if width == 120 { #expect(shown == order) }
  }

  @Test func `a narrow terminal shows the most recent weeks`() {
    let narrow = StatsRenderer(stats: stats(), days: days(), width: 60, color: false).heatmap()
    let row = narrow.split(separator: "\n")[2]
    #expect(row.count <= 60)
  }

  @Test(arguments: [60, 80])
  func `retention columns stay apart with a year of reviews in them`(width: Int) {
    var stats = stats()
    stats.retention = [
      (7, .init(young: (21_861, 29_149), mature: (1_796, 11_974))),
      (30, .init(young: (67_960, 81_879), mature: (10_220, 28_388))),
      (365, .init(young: (169_703, 190_677), mature: (140_477, 169_249))),
    ]
    let text = StatsRenderer(stats: stats, days: days(), width: width, color: false).retention()
    let lines = text.split(separator: "\n").map(String.init)
    // Cells right-aligned as wide as the widest ("89% (190677)") and a space.
    #expect(lines[2].hasSuffix("   75% (29149)  83% (81879) 89% (190677)"))
    #expect(lines[3].hasSuffix("   15% (11974)  36% (28388) 83% (169249)"))
    #expect(lines.allSatisfy { $0.count <= width })
    // Headers right-aligned over their columns.
    #expect(lines[1].hasSuffix("365 days"))
    #expect(lines[1].count == lines[2].count)
  }

  @Test func `colour codes appear only when asked for`() {
    #expect(!StatsRenderer(stats: stats(), days: days(), width: 80, color: false).render().contains("\u{1B}["))
    #expect(StatsRenderer(stats: stats(), days: days(), width: 80, color: true).render().contains("\u{1B}["))
  }

  @Test func `retention shows rates with review counts and a dash where there were none`() {
    let text = StatsRenderer(stats: stats(), days: days(), width: 80, color: false).retention()
    #expect(text.contains("90% (10)"))
    #expect(text.contains("95% (20)"))
    #expect(text.contains("—"))
    #expect(text.contains("desired 90%"))
  }
}
