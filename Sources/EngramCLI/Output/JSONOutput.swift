import EngramCore
import EngramStore

/// The machine-readable outputs of design.md, written by hand so that key order and number
/// formatting are stable (Swift prints doubles as the shortest text that round-trips).
enum JSONOutput {
  /// `state --json`: one object per card with history, sorted by key.
  static func state(keys: [String], workspace: Workspace, at time: Timestamp) -> String {
    var out = "["
    for (index, key) in keys.enumerated() {
      guard let record = workspace.records[key] else { continue }
      let schedule = record.schedule
      out += index == 0 ? "\n" : ",\n"
      out += "  {\"card\": \(string(key))"
      out += ", \"state\": \(string(schedule.map(\.phase.description) ?? "new"))"
      out += ", \"step\": \(schedule?.step.map(String.init) ?? "null")"
      out += ", \"stability\": \(schedule.map { number($0.stability) } ?? "null")"
      out += ", \"difficulty\": \(schedule.map { number($0.difficulty) } ?? "null")"
      out += ", \"due\": \(schedule.map { string(ISO8601.format($0.due)) } ?? "null")"
      out += ", \"last_review\": \(schedule.map { string(ISO8601.format($0.lastReview)) } ?? "null")"
      out +=
        ", \"retrievability\": \(schedule.map { number(workspace.scheduler.retrievability(of: $0, at: time)) } ?? "null")"
      out += ", \"suspended\": \(record.suspended)"
      out += ", \"reviews\": \(record.reviewCount), \"lapses\": \(record.lapses)"
      out += ", \"quiz_correct\": \(record.quizCorrect), \"quiz_total\": \(record.quizTotal)}"
    }
    out += keys.isEmpty ? "]\n" : "\n]\n"
    return out
  }

  /// `due --json`: per deck (sorted by id), today's available due, learning and new counts.
  static func due(decks: [DeckSummary], counts: [String: StudyQueue.Counts]) -> String {
    var out = "["
    for (index, deck) in decks.enumerated() {
      let count = counts[deck.id] ?? StudyQueue.Counts()
      out += index == 0 ? "\n" : ",\n"
      out +=
        "  {\"deck\": \(string(deck.id)), \"due\": \(count.due), \"learning\": \(count.learning), \"new\": \(count.new)}"
    }
    out += decks.isEmpty ? "]\n" : "\n]\n"
    return out
  }

  /// `devices --json`: each device of the history (the lines without an id as device null).
  static func devices(_ devices: [HistoryLog.DeviceSummary]) -> String {
    var out = "["
    for (index, summary) in devices.enumerated() {
      out += index == 0 ? "\n" : ",\n"
      out += "  {\"device\": \(summary.device.map(string) ?? "null"), \"this_device\": \(summary.isThisDevice)"
      out += ", \"events\": \(summary.events), \"reviews\": \(summary.reviews)"
      out += ", \"last_event\": \(summary.lastEvent.map { string(ISO8601.format($0)) } ?? "null")}"
    }
    out += devices.isEmpty ? "]\n" : "\n]\n"
    return out
  }

  /// `stats --json`.
  static func statistics(_ stats: Statistics, days: StudyDays, scenarios: ScenarioStats? = nil) -> String {
    func rate(_ pair: (Int, Int)) -> String { Statistics.Retention.rate(pair).map(number) ?? "null" }
    func cards(_ list: [Statistics.WeakCard]) -> String {
      "["
        + list.map {
          "{\"card\": \(string($0.card)), \"retrievability\": \(number($0.retrievability)), \"lapses\": \($0.lapses)}"
        }.joined(separator: ", ") + "]"
    }
    let first = days.todayIndex - stats.heatmap.count + 1
    var out = "{\n"
    out +=
      "  \"today\": {\"reviewed\": \(stats.today.reviewed), \"again\": \(stats.today.again), \"time_ms\": \(stats.today.milliseconds), \"new\": \(stats.today.introduced)},\n"
    out += "  \"streak\": {\"current\": \(stats.currentStreak), \"longest\": \(stats.longestStreak)},\n"
    out +=
      "  \"forecast\": {\"overdue\": \(stats.overdue), \"days\": [\(stats.forecast.map(String.init).joined(separator: ", "))]},\n"
    out +=
      "  \"reviews_per_day\": {\"first_day\": \(string(days.labels[max(0, first)])), \"counts\": [\(stats.heatmap.map(String.init).joined(separator: ", "))]},\n"
    out += "  \"retention\": {\"desired\": \(number(stats.desiredRetention)), "
    out +=
      stats.retention.map {
        "\"last_\($0.days)_days\": {\"young\": \(rate($0.value.young)), \"young_reviews\": \($0.value.young.1), \"mature\": \(rate($0.value.mature)), \"mature_reviews\": \($0.value.mature.1)}"
      }.joined(separator: ", ") + "},\n"
    out +=
      "  \"decks\": ["
      + stats.deckStates.map {
        "{\"deck\": \(string($0.deck)), \"new\": \($0.new), \"learning\": \($0.learning), \"review\": \($0.review), \"relearning\": \($0.relearning), \"suspended\": \($0.suspended)}"
      }.joined(separator: ", ") + "],\n"
    out += "  \"difficulty_histogram\": [\(stats.difficulty.map(String.init).joined(separator: ", "))],\n"
    out += "  \"weakest\": \(cards(stats.weakest)),\n"
    out += "  \"leeches\": \(cards(stats.leeches))"
    if let scenarios {
      out += ",\n  \"scenarios\": {\"plays\": \(scenarios.plays), \"choices\": {\"good\": \(scenarios.good), "
      out += "\"mixed\": \(scenarios.mixed), \"poor\": \(scenarios.poor)}, \"by_scenario\": ["
      out +=
        scenarios.entries.map { entry in
          "{\"id\": \(string(entry.id)), \"plays\": \(entry.plays), \"endings\": {"
            + entry.endings.map { "\(string($0.title)): \($0.count)" }.joined(separator: ", ") + "}}"
        }.joined(separator: ", ") + "]}"
    }
    out += "\n}\n"
    return out
  }

  static func number(_ value: Double) -> String {
    value.isFinite ? "\(value)" : "null"
  }

  /// A JSON string literal with the required escapes.
  static func string(_ text: String) -> String {
    // Most strings (card keys, dates) need no escape: then the text goes in as it is.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) { return "\"" + text + "\"" }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case let c where c.value < 0x20:
        let hex = String(c.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
