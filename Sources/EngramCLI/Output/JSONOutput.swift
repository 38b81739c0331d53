import EngramCore
import EngramStore

/// The machine-readable outputs of design.md, written by hand so that key order and number
/// formatting are stable (Swift prints doubles as the shortest text that round-trips).
enum JSONOutput {
  /// `state --json`: one object per card with history, sorted by key, handed to `write` in
  /// pieces of about a megabyte.
  ///
  /// Written as bytes, not strings: at 100,000 cards, building a string per field was most of
  /// the command's time. Numbers and times come out as `number` and `ISO8601.format` write them.
  static func state(workspace: Workspace, at time: Timestamp, write: ([UInt8]) -> Void) {
    var out = JSONBytes()
    out.bytes.reserveCapacity(JSONBytes.pieceSize + 4096)
    out.append("[")
    var first = true
    let scheduler = workspace.scheduler
    workspace.forEachRecordInKeyOrder { key, record in
      out.append(first ? "\n" : ",\n")
      first = false
      out.append("  {\"card\": ")
      out.string(key)
      guard let schedule = record.schedule else {
        out.append(
          ", \"state\": \"new\", \"step\": null, \"stability\": null, \"difficulty\": null, \"due\": null, \"last_review\": null, \"retrievability\": null"
        )
        out.rest(of: record)
        return
      }
      out.append(", \"state\": \"")
      out.append(text: schedule.phase.description)
      out.append("\", \"step\": ")
      if let step = schedule.step { out.integer(step) } else { out.append("null") }
      out.append(", \"stability\": ")
      out.number(schedule.stability)
      out.append(", \"difficulty\": ")
      out.number(schedule.difficulty)
      out.append(", \"due\": \"")
      ISO8601.append(schedule.due, to: &out.bytes)
      out.append("\", \"last_review\": \"")
      ISO8601.append(schedule.lastReview, to: &out.bytes)
      out.append("\", \"retrievability\": ")
      out.number(scheduler.retrievability(of: schedule, at: time))
      out.rest(of: record)
      if out.bytes.count >= JSONBytes.pieceSize {
        write(out.bytes)
        out.bytes.removeAll(keepingCapacity: true)
      }
    }
    out.append(first ? "]\n" : "\n]\n")
    write(out.bytes)
  }

  /// `due --json`: per deck (sorted by id), today's available due, learning and new counts.
  static func due(deckIDs: [String], counts: [String: StudyQueue.Counts]) -> String {
    var out = "["
    for (index, id) in deckIDs.enumerated() {
      let count = counts[id] ?? StudyQueue.Counts()
      out += index == 0 ? "\n" : ",\n"
      out +=
        "  {\"deck\": \(string(id)), \"due\": \(count.due), \"learning\": \(count.learning), \"new\": \(count.new)}"
    }
    out += deckIDs.isEmpty ? "]\n" : "\n]\n"
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

/// JSON written as UTF-8 bytes, for outputs with a line per card.
struct JSONBytes {
  /// How much `state` gathers before handing it on.
  static let pieceSize = 1 << 20

  var bytes: [UInt8] = []

  /// Literal text, copied from the binary's constant without going through `String`.
  mutating func append(_ text: StaticString) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  mutating func append(text: String) { bytes.append(contentsOf: text.utf8) }

  mutating func integer(_ value: Int) { DecimalText.append(value, to: &bytes) }

  /// As `JSONOutput.number` writes it (interpolating a double is its `description`).
  mutating func number(_ value: Double) {
    if value.isFinite { bytes.append(contentsOf: value.description.utf8) } else { append("null") }
  }

  /// A JSON string literal of UTF-8 `text`, escaped as `JSONOutput.string` escapes.
  mutating func string(_ text: UnsafeRawBufferPointer) {
    bytes.append(34)
    // Card keys need no escape: then they are copied whole.
    if text.allSatisfy({ $0 >= 0x20 && $0 != 34 && $0 != 92 }) {
      bytes.append(contentsOf: text)
      bytes.append(34)
      return
    }
    for byte in text {
      switch byte {
      case 34: bytes.append(contentsOf: [92, 34])
      case 92: bytes.append(contentsOf: [92, 92])
      case 10: bytes.append(contentsOf: [92, 110])
      case 13: bytes.append(contentsOf: [92, 114])
      case 9: bytes.append(contentsOf: [92, 116])
      case 0..<32:
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
      default: bytes.append(byte)
      }
    }
    bytes.append(34)
  }

  /// The fields every card has, after the memory state, and the object's end.
  mutating func rest(of record: CardRecord) {
    append(record.suspended ? ", \"suspended\": true, \"reviews\": " : ", \"suspended\": false, \"reviews\": ")
    integer(record.reviewCount)
    append(", \"lapses\": ")
    integer(record.lapses)
    append(", \"quiz_correct\": ")
    integer(record.quizCorrect)
    append(", \"quiz_total\": ")
    integer(record.quizTotal)
    append("}")
  }
}
