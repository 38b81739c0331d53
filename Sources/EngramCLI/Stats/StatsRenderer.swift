import EngramCore
import Foundation

/// Draws `Statistics` as terminal text: a forecast bar chart, a year heatmap, tables. Pure:
/// the width and whether to colour come in, so it can be tested at any width.
struct StatsRenderer {
  let stats: Statistics
  let days: StudyDays
  /// Columns available, at least 60.
  let width: Int
  let color: Bool
  /// Scenario drills played (whole-collection stats only).
  var scenarios: ScenarioStats?
  /// The question of each card listed by key (weakest cards, leeches), so they can be recognised.
  let questions: [String: String]

  static let minimumWidth = 60
  static let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
  static let shades: [Character] = ["·", "░", "▒", "▓", "█"]

  init(
    stats: Statistics, days: StudyDays, width: Int, color: Bool, scenarios: ScenarioStats? = nil,
    questions: [String: String] = [:]
  ) {
    self.scenarios = scenarios
    self.stats = stats
    self.days = days
    self.width = max(StatsRenderer.minimumWidth, width)
    self.color = color
    self.questions = questions
  }

  private func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
  private func bold(_ text: String) -> String { paint(text, "1") }
  private func dim(_ text: String) -> String { paint(text, "2") }

  func render() -> String {
    var sections = [today(), forecast(), heatmap(), retention(), states(), difficulty(), weakest()]
    if let scenarios { sections.append(scenarioSection(scenarios)) }
    let text = sections.joined(separator: "\n\n")
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { wrap(String($0)) }.joined(
      separator: "\n") + "\n"
  }

  /// Columns a line takes on screen (ANSI colour codes take none, wide characters two).
  static func visibleCount(_ line: String) -> Int { TextLayout.width(line) }

  /// Word-wraps a line wider than the terminal, indenting continuation lines by two.
  private func wrap(_ line: String) -> String {
    TextLayout.wrap(line, columns: width, indent: 2).joined(separator: "\n")
  }

  // MARK: Sections

  func today() -> String {
    let t = stats.today
    let passed = t.reviewed == 0 ? "" : " (\(percent(Double(t.reviewed - t.again) / Double(t.reviewed))) passed)"
    return bold("Today") + "  \(t.reviewed) reviewed · \(t.again) again\(passed) · "
      + "\(IntervalText.spent(milliseconds: t.milliseconds)) answering · \(t.introduced) new\n"
      + bold("Streak")
      + " \(stats.currentStreak) day\(stats.currentStreak == 1 ? "" : "s") (longest \(stats.longestStreak))"
  }

  /// Vertical bars, one column per day (two when there is room), six rows of eighths.
  func forecast() -> String {
    let values = stats.forecast
    let columnWidth = width >= 8 + values.count * 2 ? 2 : 1
    let rows = 6
    let peak = max(1, values.max() ?? 1)
    var lines = [
      bold("Forecast") + dim(" · cards due per day, next \(values.count) days")
        + (stats.overdue > 0 ? " · " + paint("backlog: \(stats.overdue) overdue (in today's bar)", "33") : "")
    ]
    let label = String(peak).count
    for row in stride(from: rows - 1, through: 0, by: -1) {
      var line = row == rows - 1 ? pad(String(peak), label) : String(repeating: " ", count: label)
      line += " │"
      for value in values {
        let filled = Double(value) / Double(peak) * Double(rows * 8)
        let level = min(8, max(0, Int((filled - Double(row * 8)).rounded(.up))))
        let block = value > 0 && row == 0 && level == 0 ? StatsRenderer.eighths[1] : StatsRenderer.eighths[level]
        line += String(repeating: String(block), count: columnWidth)
      }
      lines.append(line)
    }
    var axis = String(repeating: " ", count: label) + " └" + String(repeating: "─", count: values.count * columnWidth)
    axis = String(axis.prefix(width))
    lines.append(axis)
    var marks = Array(repeating: Character(" "), count: label + 2 + values.count * columnWidth + 3)
    for (offset, text) in [(0, "today"), (7, "+7"), (14, "+14"), (21, "+21"), (28, "+28")] where offset < values.count {
      let start = label + 2 + offset * columnWidth
      for (index, character) in text.enumerated() where start + index < marks.count { marks[start + index] = character }
    }
    lines.append(
      String(String(marks).prefix(width)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
    return lines.joined(separator: "\n")
  }

  /// A year of reviews: weeks as columns, Monday to Sunday as rows, shaded by count.
  func heatmap() -> String {
    let counts = stats.heatmap
    let firstDay = days.todayIndex - counts.count + 1
    let maxWeeks = width - 4
    // Column of each day: weeks start on Monday.
    var columns: [[Int?]] = []
    var week = [Int?](repeating: nil, count: 7)
    for (offset, count) in counts.enumerated() {
      let weekday = days.weekdays[firstDay + offset]
      if weekday == 0 && offset > 0 {
        columns.append(week)
        week = [Int?](repeating: nil, count: 7)
      }
      week[weekday] = count
    }
    columns.append(week)
    if columns.count > maxWeeks { columns = Array(columns.suffix(maxWeeks)) }
    let dropped = (weeksIn(counts.count, firstDay: firstDay)) - columns.count
    let peak = max(1, counts.max() ?? 1)
    func shade(_ count: Int?) -> String {
      guard let count else { return " " }
      if count == 0 { return dim("·") }
      let level = min(4, max(1, Int((Double(count) / Double(peak) * 4).rounded(.up))))
      let symbol = String(StatsRenderer.shades[level])
      return paint(symbol, ["", "32", "32", "92", "92"][level])
    }
    // Month labels above the week in which each month starts.
    // A label may run two columns past the last week when the width allows, so the current
    // month is named even when it began in the last week shown.
    var monthLine = Array(repeating: Character(" "), count: max(4 + columns.count, min(width, 6 + columns.count)))
    let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    var lastMonth = ""
    var column = -dropped
    // The label of the month the chart starts in part-way through: a whole month's label that
    // needs its room takes it (the heatmap then reads "Jan Feb …", not "Dec    Feb").
    var partial: Range<Int>?
    for offset in 0..<counts.count {
      let index = firstDay + offset
      if offset > 0 && days.weekdays[index] == 0 { column += 1 }
      let month = String(days.labels[index].dropFirst(5).prefix(2))
      if month != lastMonth, column >= 0, let number = Int(month), (1...12).contains(number) {
        let text = names[number - 1]
        // A month that began in the last weeks shown is labelled flush with the right edge.
        let start = min(4 + column, monthLine.count - text.count)
        let room = max(4, start - 1)..<(start + text.count)
        if start >= 4, let first = partial, first.overlaps(room) {
          for i in first { monthLine[i] = " " }
        }
        if start >= 4, monthLine[room].allSatisfy({ $0 == " " }) {
          for (i, c) in text.enumerated() { monthLine[start + i] = c }
          partial =
            offset == 0 && days.labels[index].dropFirst(8).prefix(2) != "01" ? start..<(start + text.count) : nil
        }
      }
      lastMonth = month
    }
    var lines = [
      bold("Reviews")
        + dim(" · past \(counts.count) days · \(counted(counts.reduce(0, +), "review")) · darkest = \(peak)")
    ]
    lines.append(String(monthLine).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
    for (row, name) in ["Mon", "", "Wed", "", "Fri", "", "Sun"].enumerated() {
      lines.append(pad(name, 3) + " " + columns.map { shade($0[row]) }.joined())
    }
    return lines.joined(separator: "\n")
  }

  private func weeksIn(_ count: Int, firstDay: Int) -> Int {
    var weeks = 1
    for offset in 1..<max(1, count) where days.weekdays[firstDay + offset] == 0 { weeks += 1 }
    return weeks
  }

  func retention() -> String {
    var lines = [
      bold("True retention") + dim(" · reviews not rated Again · desired \(percent(stats.desiredRetention))")
    ]
    let rows = [("young (<21d)", { (r: Statistics.Retention) in r.young }), ("mature", { $0.mature })].map {
      name, pick in
      (
        name,
        stats.retention.map { entry -> String in
          let pair = pick(entry.value)
          guard let rate = Statistics.Retention.rate(pair) else { return "—" }
          return "\(percent(rate)) (\(pair.1))"
        }
      )
    }
    // Columns as wide as their widest cell and a space: a year of reviews runs to six digits.
    let cellWidth = max(10, (rows.flatMap(\.1).map(\.count).max() ?? 0) + 1)
    lines.append(pad("", 15) + stats.retention.map { leftPad("\($0.days) days", cellWidth) }.joined())
    for (name, cells) in rows {
      lines.append(pad("  " + name, 15) + cells.map { leftPad($0, cellWidth) }.joined())
    }
    return lines.joined(separator: "\n")
  }

  func states() -> String {
    let idWidth = min(width - 37, max(4, stats.deckStates.map(\.deck.count).max() ?? 4))
    var lines = [bold("Cards") + dim(" · by state")]
    lines.append(pad("  deck", idWidth + 2) + "     new  learn review relearn susp")
    for deck in stats.deckStates {
      lines.append(
        pad("  " + String(deck.deck.prefix(idWidth)), idWidth + 2) + leftPad(String(deck.new), 8)
          + leftPad(String(deck.learning), 7)
          + leftPad(String(deck.review), 7) + leftPad(String(deck.relearning), 8) + leftPad(String(deck.suspended), 5))
    }
    return lines.joined(separator: "\n")
  }

  func difficulty() -> String {
    let peak = max(1, stats.difficulty.max() ?? 1)
    let barWidth = width - 14
    var lines = [bold("Difficulty") + dim(" · reviewed cards, 1 easy … 10 hard")]
    for (index, count) in stats.difficulty.enumerated() {
      let length = Int((Double(count) / Double(peak) * Double(barWidth - 6)).rounded())
      let label = index == 8 ? " 9-10" : leftPad("\(index + 1)-\(index + 2)", 5)
      lines.append(label + " " + String(repeating: "█", count: length) + (count > 0 ? " \(count)" : ""))
    }
    return lines.joined(separator: "\n")
  }

  /// The leeches the screen lists (most lapses first); `leeches` lists them all. A collection
  /// with a long leech problem had its stats end in a hundred such lines.
  static let leechesShown = 10

  func weakest() -> String {
    var lines = [
      bold("Weakest") + dim(" · reviewed cards below \(percent(stats.desiredRetention)) recall, lowest first")
    ]
    if stats.weakest.isEmpty { lines.append("  (none: every reviewed card is at or above desired retention)") }
    for card in stats.weakest {
      let leech = card.lapses >= stats.leechThreshold ? paint(" leech", "31") : ""
      let figures = leftPad(percent(card.retrievability), 5) + leftPad(counted(card.lapses, "lapse"), 11)
      lines += listed(card, figures: figures + leech, figuresWidth: 22)
    }
    if !stats.leeches.isEmpty {
      lines.append(
        paint("Leeches", "31") + " (≥\(stats.leechThreshold) lapses; rewrite or split these cards):")
      for card in stats.leeches.prefix(StatsRenderer.leechesShown) {
        lines += listed(card, figures: leftPad(counted(card.lapses, "lapse"), 11), figuresWidth: 11)
      }
      let more = stats.leeches.count - StatsRenderer.leechesShown
      lines.append(
        more > 0
          ? dim("  … \(more) more: 'leeches' lists all \(stats.leeches.count), with how to fix each")
          : dim("  'leeches' shows each with its history and how to fix it"))
    }
    return lines.joined(separator: "\n")
  }

  func scenarioSection(_ scenarios: ScenarioStats) -> String {
    var lines = [bold("Scenarios") + dim(" · decision drills")]
    guard scenarios.choices > 0 else {
      lines.append("  (none played yet; 'scenario list' shows them)")
      return lines.joined(separator: "\n")
    }
    let plays = scenarios.plays
    lines.append(
      "  \(plays) play\(plays == 1 ? "" : "s") finished · \(scenarios.choices) choice\(scenarios.choices == 1 ? "" : "s"): "
        + "\(scenarios.good) sound · \(scenarios.mixed) partly sound · \(scenarios.poor) poor")
    for entry in scenarios.entries {
      let endings = entry.endings.map { $0.count > 1 ? "\($0.title) ×\($0.count)" : $0.title }.joined(separator: ", ")
      lines.append("  " + entry.title + dim(" (\(entry.id))") + ": " + endings)
    }
    return lines.joined(separator: "\n")
  }

  /// A card as two lines: its question cut to the width, then its key dimmed.
  private func listed(_ card: Statistics.WeakCard, figures: String, figuresWidth: Int) -> [String] {
    let room = width - 2 - figuresWidth - 1
    guard let text = questions[card.card] else {
      // A card whose deck no longer has it: its key is all there is.
      let key = card.card.count > room ? String(card.card.prefix(room - 1)) + "…" : card.card
      return ["  " + pad(key, room) + " " + figures, "    " + dim("(no longer in any deck)")]
    }
    let question = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    let shown = question.count > room ? String(question.prefix(room - 1)) + "…" : question
    return ["  " + pad(shown, room) + " " + figures, "    " + dim(String(card.card.prefix(width - 4)))]
  }

  // MARK: Helpers

  private func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
  private func leftPad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }
}
