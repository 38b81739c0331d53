import EngramCore
import Testing

@testable import EngramStore

@Suite struct ConfigTests {
  @Test func `an absent file gives the documented defaults`() throws {
    let config = try Config.load(path: "/nonexistent/config.toml")
    #expect(config == Config())
    #expect(config.desiredRetention == 0.9)
    #expect(config.learningSteps == [.minutes(1), .minutes(10)])
    #expect(config.relearningSteps == [.minutes(10)])
    #expect(config.maximumInterval == 36500)
    #expect(config.newCardsPerDay == 20)
    #expect(config.reviewsPerDay == 200)
    #expect(config.dayStartsAt == 4)
  }

  @Test func `every key of design.md is read`() throws {
    let text = """
      # my settings
      desired_retention = 0.85
      learning_steps = ["90s", "1h"]   # two steps
      relearning_steps = []
      maximum_interval = 365
      enable_fuzz = false
      new_cards_per_day = 5
      reviews_per_day = 1_000
      day_starts_at = 0
      fsrs_parameters = [
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
        1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.2,
      ]
      """
    let config = try Config.parse(text, file: "c.toml")
    #expect(config.desiredRetention == 0.85)
    #expect(config.learningSteps == [.seconds(90), .hours(1)])
    #expect(config.relearningSteps == [])
    #expect(config.maximumInterval == 365)
    #expect(!config.enableFuzz)
    #expect(config.newCardsPerDay == 5)
    #expect(config.reviewsPerDay == 1000)
    #expect(config.dayStartsAt == 0)
    #expect(config.parameters.weights.last == 0.2)
  }

  @Test(arguments: [
    ("colour = true", ConfigError.unknownKey(file: "c.toml", line: 1, key: "colour")),
    (
      "desired_retention = \"high\"",
      .wrongType(file: "c.toml", line: 1, key: "desired_retention", expected: "a number")
    ),
    (
      "desired_retention = 1.5",
      .outOfRange(file: "c.toml", line: 1, key: "desired_retention", value: "1.5", allowed: "0.5 to 0.99")
    ),
    (
      "\nday_starts_at = 24",
      .outOfRange(file: "c.toml", line: 2, key: "day_starts_at", value: "24", allowed: "0 to 23")
    ),
    (
      "new_cards_per_day = 2.5",
      .wrongType(file: "c.toml", line: 1, key: "new_cards_per_day", expected: "a whole number")
    ),
    (
      "learning_steps = [\"10 minutes\"]",
      .badDuration(file: "c.toml", line: 1, key: "learning_steps", text: "10 minutes")
    ),
    (
      "learning_steps = \"1m\"",
      .wrongType(
        file: "c.toml", line: 1, key: "learning_steps", expected: "an array of durations such as [\"1m\", \"10m\"]")
    ),
    ("enable_fuzz = 1", .wrongType(file: "c.toml", line: 1, key: "enable_fuzz", expected: "true or false")),
    (
      "maximum_interval = 0",
      .outOfRange(file: "c.toml", line: 1, key: "maximum_interval", value: "0", allowed: "1 to 36500")
    ),
    (
      "\n\nbury_new_siblings = \"yes\"",
      .wrongType(file: "c.toml", line: 3, key: "bury_new_siblings", expected: "true or false")
    ),
    (
      "bury_review_siblings = 0",
      .wrongType(file: "c.toml", line: 1, key: "bury_review_siblings", expected: "true or false")
    ),
    (
      "bury_interday_learning_siblings = 1",
      .wrongType(file: "c.toml", line: 1, key: "bury_interday_learning_siblings", expected: "true or false")
    ),
    (
      "new_cards_per_day_total = -1",
      .outOfRange(file: "c.toml", line: 1, key: "new_cards_per_day_total", value: "-1", allowed: "0 to 9999")
    ),
    (
      "reviews_per_day_total = 1.5",
      .wrongType(file: "c.toml", line: 1, key: "reviews_per_day_total", expected: "a whole number")
    ),
    ("follow_ups = \"no\"", .wrongType(file: "c.toml", line: 1, key: "follow_ups", expected: "true or false")),
    (
      "learning_steps = [\"200000000000d\"]",
      .outOfRange(
        file: "c.toml", line: 1, key: "learning_steps", value: "200000000000d", allowed: "1s to 365d per step")
    ),
    (
      "relearning_steps = [\"9223372036854775807s\"]",
      .outOfRange(
        file: "c.toml", line: 1, key: "relearning_steps", value: "9223372036854775807s", allowed: "1s to 365d per step")
    ),
  ])
  func `bad values name the file, line, key and what is allowed`(text: String, expected: ConfigError) {
    #expect(throws: expected) { try Config.parse(text, file: "c.toml") }
  }

  @Test func `collection-wide limits and sibling burying default on, with no review total, and are read`() throws {
    let defaults = Config()
    #expect(defaults.newCardsPerDayTotal == 20)
    #expect(defaults.reviewsPerDayTotal == 0)
    #expect(defaults.buryNewSiblings && defaults.buryReviewSiblings && defaults.buryInterdayLearningSiblings)
    let config = try Config.parse(
      """
      new_cards_per_day_total = 0
      reviews_per_day_total = 300
      bury_new_siblings = false
      bury_review_siblings = false
      bury_interday_learning_siblings = false
      """, file: "c.toml")
    #expect(config.newCardsPerDayTotal == 0)
    #expect(config.reviewsPerDayTotal == 300)
    #expect(!config.buryNewSiblings && !config.buryReviewSiblings && !config.buryInterdayLearningSiblings)
  }

  @Test func `workload keys default as documented and are read`() throws {
    let defaults = Config()
    #expect(defaults.leechPolicy == LeechPolicy(threshold: 8, action: .tag))
    #expect(defaults.loadBalance)
    #expect(defaults.easyDays == [1, 1, 1, 1, 1, 1, 1])
    let config = try Config.parse(
      "leech_threshold = 5\nleech_action = \"suspend\"\nload_balance = false\neasy_days = [1, 1, 1, 1, 1, 0.5, 0.0]",
      file: "c.toml")
    #expect(config.leechPolicy == LeechPolicy(threshold: 5, action: .suspend))
    #expect(!config.loadBalance)
    #expect(config.easyDays == [1, 1, 1, 1, 1, 0.5, 0])
  }

  static let easyDaysExpected = "an array of 7 numbers from 0.0 to 1.0, Monday to Sunday"

  @Test(arguments: [
    (
      "leech_threshold = 0",
      ConfigError.outOfRange(file: "c.toml", line: 1, key: "leech_threshold", value: "0", allowed: "1 to 99")
    ),
    (
      "leech_threshold = \"8\"", .wrongType(file: "c.toml", line: 1, key: "leech_threshold", expected: "a whole number")
    ),
    (
      "\nleech_action = \"delete\"",
      .outOfRange(file: "c.toml", line: 2, key: "leech_action", value: "\"delete\"", allowed: "\"suspend\" or \"tag\"")
    ),
    (
      "leech_action = true",
      .wrongType(file: "c.toml", line: 1, key: "leech_action", expected: "\"suspend\" or \"tag\"")
    ),
    ("load_balance = \"yes\"", .wrongType(file: "c.toml", line: 1, key: "load_balance", expected: "true or false")),
    ("easy_days = [1, 1, 1]", .wrongType(file: "c.toml", line: 1, key: "easy_days", expected: easyDaysExpected)),
    ("easy_days = 1.0", .wrongType(file: "c.toml", line: 1, key: "easy_days", expected: easyDaysExpected)),
    (
      "easy_days = [1, 1, 1, 1, 1, 1, \"x\"]",
      .wrongType(file: "c.toml", line: 1, key: "easy_days", expected: easyDaysExpected)
    ),
    (
      "easy_days = [1, 1, 1, 1, 1, 1, 1.5]",
      .outOfRange(file: "c.toml", line: 1, key: "easy_days", value: "1.5", allowed: "0.0 to 1.0 per day")
    ),
    (
      "easy_days = [0, 0, 0, 0, 0, 0, 0]",
      .outOfRange(
        file: "c.toml", line: 1, key: "easy_days", value: "all 0.0",
        allowed: "at least one day above 0.0 (reviews must fall somewhere)")
    ),
  ])
  func `bad workload values name the file, line, key and what is allowed`(text: String, expected: ConfigError) {
    #expect(throws: expected) { try Config.parse(text, file: "c.toml") }
  }

  @Test func `parameters outside FSRS-6 bounds are rejected naming the parameter`() {
    var weights = Parameters.defaults.weights.map { "\($0)" }
    weights[7] = "0.9"
    do {
      _ = try Config.parse("fsrs_parameters = [\(weights.joined(separator: ", "))]", file: "c.toml")
      Issue.record("accepted w7 = 0.9")
    } catch {
      #expect(error.description.contains("w7"))
      #expect(error.description.contains("0.75"))
    }
  }

  @Test(arguments: [
    "[section]", "key value", "desired_retention = 0.9\ndesired_retention = 0.8", "learning_steps = [\"1m\"",
    "desired_retention = 0.9 extra",
  ])
  func `syntax outside the supported subset is an error`(text: String) {
    #expect(throws: ConfigError.self) { try Config.parse(text, file: "c.toml") }
  }

  @Test func `arrays nested beyond a few levels are a syntax error, not a crash`() {
    let text = "learning_steps = " + String(repeating: "[", count: 100_000)
    #expect(
      throws: ConfigError.syntax(
        file: "c.toml", line: 1, message: "arrays nest more than 8 deep; config.toml needs only flat arrays")
    ) {
      try Config.parse(text, file: "c.toml")
    }
  }

  @Test(arguments: [("90s", Int64(90_000)), ("1m", 60_000), ("10m", 600_000), ("1h", 3_600_000), ("1d", 86_400_000)])
  func `durations read as documented`(text: String, milliseconds: Int64) {
    #expect(DurationText.parse(text) == Interval(milliseconds: milliseconds))
    #expect(DurationText.format(Interval(milliseconds: milliseconds)) == text)
  }
}

@Suite struct ConfigWriterTests {
  @Test func `replacing parameters keeps other lines and a dated comment, and drops a multi-line old entry`() throws {
    let old = "# top\nfsrs_parameters = [\n  1, 2,\n  3 ]\nday_starts_at = 5\n"
    let new = Parameters.defaults.weights
    let text = ConfigWriter.replacing(old, parameters: new, previous: [1, 2, 3], date: "2026-11-25")
    #expect(
      text.hasPrefix(
        "# top\nday_starts_at = 5\n# fsrs_parameters before 'engram optimize' on 2026-11-25: [1.0, 2.0, 3.0]\n"))
    let config = try Config.parse(text, file: "c.toml")
    #expect(config.parameters == Parameters.defaults)
    #expect(config.dayStartsAt == 5)
  }
}
