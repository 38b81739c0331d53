import EngramCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The user's settings from `config.toml`; an absent file or key means the default.
public struct Config: Sendable, Equatable {
  public var desiredRetention = 0.9
  public var learningSteps: [Interval] = [.minutes(1), .minutes(10)]
  public var relearningSteps: [Interval] = [.minutes(10)]
  public var maximumInterval = 36500
  public var enableFuzz = true
  /// After a wrong or close answer in review or quiz, ask one related card at once.
  public var followUps = true
  public var newCardsPerDay = 20
  public var reviewsPerDay = 200
  /// New cards per day over all decks together; 0 = no collection-wide limit.
  public var newCardsPerDayTotal = 20
  /// Reviews per day over all decks together; 0 = no collection-wide limit.
  public var reviewsPerDayTotal = 0
  /// Once a card is answered, its new siblings wait for the next day.
  public var buryNewSiblings = true
  /// Once a card is answered, its review siblings wait for the next day.
  public var buryReviewSiblings = true
  /// Once a card is answered, its learning siblings from earlier days wait for the next day.
  public var buryInterdayLearningSiblings = true
  /// Local hour at which "today" rolls over.
  public var dayStartsAt = 4
  public var parameters: Parameters = .defaults
  /// Lapses that make a card a leech, and what is then done to it.
  public var leechPolicy = LeechPolicy()
  /// Whether a review's due day is chosen within the fuzz range to even out the daily load.
  public var loadBalance = true
  /// Monday … Sunday: the share of a normal review load each day may take.
  public var easyDays: [Double] = Array(repeating: 1.0, count: 7)

  public init() {}

  /// The scheduler settings these values describe.
  public var schedulerSettings: SchedulerSettings {
    SchedulerSettings(
      parameters: parameters, desiredRetention: desiredRetention, learningSteps: learningSteps,
      relearningSteps: relearningSteps, maximumInterval: maximumInterval, enableFuzz: enableFuzz)
  }

  /// Allowed ranges, used both to validate and in messages.
  static let retentionRange = 0.5...0.99
  static let maximumIntervalRange = 1...36500
  static let newCardsRange = 0...9999
  static let reviewsRange = 0...99999
  static let dayStartRange = 0...23
  static let stepRange = Interval.seconds(1)...Interval.days(365)
  static let leechThresholdRange = 1...99
  static let easyDayRange = 0.0...1.0

  /// Reads `path`; a missing file gives the defaults.
  public static func load(path: String) throws(ConfigError) -> Config {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return Config() }
      throw .unreadable(file: path, reason: FileError.reason())
    }
    defer { close(fd) }
    let bytes: [UInt8]
    do { bytes = try POSIXFile.readAll(fd: fd, path: path) } catch {
      throw .unreadable(file: path, reason: error.description)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .unreadable(file: path, reason: "not valid UTF-8")
    }
    return try parse(text, file: path)
  }

  /// Parses config text, rejecting unknown keys, wrong types and out-of-range values.
  public static func parse(_ text: String, file: String) throws(ConfigError) -> Config {
    let entries: [TOMLSubset.Entry]
    do { entries = try TOMLSubset.parse(text) } catch {
      throw .syntax(file: file, line: error.line, message: error.message)
    }
    var config = Config()
    for entry in entries {
      let context = (file, entry.line, entry.key)
      switch entry.key {
      case "desired_retention":
        config.desiredRetention = try number(entry, context, in: retentionRange)
      case "learning_steps":
        config.learningSteps = try steps(entry, context)
      case "relearning_steps":
        config.relearningSteps = try steps(entry, context)
      case "maximum_interval":
        config.maximumInterval = try integer(entry, context, in: maximumIntervalRange)
      case "enable_fuzz":
        config.enableFuzz = try bool(entry, context)
      case "follow_ups":
        config.followUps = try bool(entry, context)
      case "bury_new_siblings":
        config.buryNewSiblings = try bool(entry, context)
      case "bury_review_siblings":
        config.buryReviewSiblings = try bool(entry, context)
      case "bury_interday_learning_siblings":
        config.buryInterdayLearningSiblings = try bool(entry, context)
      case "new_cards_per_day_total":
        config.newCardsPerDayTotal = try integer(entry, context, in: newCardsRange)
      case "reviews_per_day_total":
        config.reviewsPerDayTotal = try integer(entry, context, in: reviewsRange)
      case "new_cards_per_day":
        config.newCardsPerDay = try integer(entry, context, in: newCardsRange)
      case "reviews_per_day":
        config.reviewsPerDay = try integer(entry, context, in: reviewsRange)
      case "day_starts_at":
        config.dayStartsAt = try integer(entry, context, in: dayStartRange)
      case "fsrs_parameters":
        guard case .array(let items) = entry.value else {
          throw .wrongType(file: file, line: entry.line, key: entry.key, expected: "an array of 21 numbers")
        }
        var weights: [Double] = []
        for item in items {
          switch item {
          case .float(let value): weights.append(value)
          case .integer(let value): weights.append(Double(value))
          default:
            throw .wrongType(file: file, line: entry.line, key: entry.key, expected: "an array of 21 numbers")
          }
        }
        do { config.parameters = try Parameters(weights) } catch {
          throw .badParameters(file: file, line: entry.line, problem: error)
        }
      case "leech_threshold":
        config.leechPolicy.threshold = try integer(entry, context, in: leechThresholdRange)
      case "leech_action":
        let allowed = LeechPolicy.Action.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
        guard case .string(let text) = entry.value else {
          throw .wrongType(file: file, line: entry.line, key: entry.key, expected: allowed)
        }
        guard let action = LeechPolicy.Action(rawValue: text) else {
          throw .outOfRange(file: file, line: entry.line, key: entry.key, value: "\"\(text)\"", allowed: allowed)
        }
        config.leechPolicy.action = action
      case "load_balance":
        guard case .bool(let value) = entry.value else {
          throw .wrongType(file: file, line: entry.line, key: entry.key, expected: "true or false")
        }
        config.loadBalance = value
      case "easy_days":
        config.easyDays = try easyDays(entry, context)
      default:
        throw .unknownKey(file: file, line: entry.line, key: entry.key)
      }
    }
    return config
  }

  private static func bool(_ entry: TOMLSubset.Entry, _ context: (String, Int, String)) throws(ConfigError) -> Bool {
    guard case .bool(let value) = entry.value else {
      throw .wrongType(file: context.0, line: context.1, key: context.2, expected: "true or false")
    }
    return value
  }

  private static func number(
    _ entry: TOMLSubset.Entry, _ context: (String, Int, String), in range: ClosedRange<Double>
  ) throws(ConfigError) -> Double {
    let value: Double
    switch entry.value {
    case .float(let number): value = number
    case .integer(let number): value = Double(number)
    default: throw .wrongType(file: context.0, line: context.1, key: context.2, expected: "a number")
    }
    guard range.contains(value) else {
      throw .outOfRange(
        file: context.0, line: context.1, key: context.2, value: "\(value)",
        allowed: "\(range.lowerBound) to \(range.upperBound)")
    }
    return value
  }

  private static func integer(
    _ entry: TOMLSubset.Entry, _ context: (String, Int, String), in range: ClosedRange<Int>
  ) throws(ConfigError) -> Int {
    guard case .integer(let value) = entry.value else {
      throw .wrongType(file: context.0, line: context.1, key: context.2, expected: "a whole number")
    }
    guard range.contains(value) else {
      throw .outOfRange(
        file: context.0, line: context.1, key: context.2, value: "\(value)",
        allowed: "\(range.lowerBound) to \(range.upperBound)")
    }
    return value
  }

  private static func easyDays(_ entry: TOMLSubset.Entry, _ context: (String, Int, String)) throws(ConfigError)
    -> [Double]
  {
    let expected = "an array of 7 numbers from 0.0 to 1.0, Monday to Sunday"
    guard case .array(let items) = entry.value, items.count == 7 else {
      throw .wrongType(file: context.0, line: context.1, key: context.2, expected: expected)
    }
    var shares: [Double] = []
    for item in items {
      let value: Double
      switch item {
      case .float(let number): value = number
      case .integer(let number): value = Double(number)
      default: throw .wrongType(file: context.0, line: context.1, key: context.2, expected: expected)
      }
      guard easyDayRange.contains(value) else {
        throw .outOfRange(
          file: context.0, line: context.1, key: context.2, value: "\(value)", allowed: "0.0 to 1.0 per day")
      }
      shares.append(value)
    }
    guard shares.contains(where: { $0 > 0 }) else {
      throw .outOfRange(
        file: context.0, line: context.1, key: context.2, value: "all 0.0",
        allowed: "at least one day above 0.0 (reviews must fall somewhere)")
    }
    return shares
  }

  private static func steps(_ entry: TOMLSubset.Entry, _ context: (String, Int, String)) throws(ConfigError)
    -> [Interval]
  {
    let expected = "an array of durations such as [\"1m\", \"10m\"]"
    guard case .array(let items) = entry.value else {
      throw .wrongType(file: context.0, line: context.1, key: context.2, expected: expected)
    }
    var result: [Interval] = []
    for item in items {
      guard case .string(let text) = item else {
        throw .wrongType(file: context.0, line: context.1, key: context.2, expected: expected)
      }
      guard let interval = DurationText.parse(text) else {
        throw .badDuration(file: context.0, line: context.1, key: context.2, text: text)
      }
      guard stepRange.contains(interval) else {
        throw .outOfRange(
          file: context.0, line: context.1, key: context.2, value: text, allowed: "1s to 365d per step")
      }
      result.append(interval)
    }
    return result
  }
}

/// Durations written as `90s`, `1m`, `10m`, `1h`, `1d` (a whole number and a unit).
public enum DurationText {
  public static func parse(_ text: String) -> Interval? {
    guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
    let scale: Int64
    switch unit {
    case "s": scale = 1000
    case "m": scale = 60_000
    case "h": scale = 3_600_000
    case "d": scale = 86_400_000
    default: return nil
    }
    // A step too long to count in milliseconds is simply out of range, never an overflow.
    let (milliseconds, overflow) = amount.multipliedReportingOverflow(by: scale)
    return Interval(milliseconds: overflow ? .max : milliseconds)
  }

  /// The shortest exact text for an interval (`90s`, `10m`, `1d`).
  public static func format(_ interval: Interval) -> String {
    let ms = interval.milliseconds
    if ms % Interval.day.milliseconds == 0 { return "\(ms / Interval.day.milliseconds)d" }
    if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
    if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
    return "\(ms / 1000)s"
  }
}

/// A problem in `config.toml`, naming the file, line and key, and what is allowed.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
  case unreadable(file: String, reason: String)
  case syntax(file: String, line: Int, message: String)
  case unknownKey(file: String, line: Int, key: String)
  case wrongType(file: String, line: Int, key: String, expected: String)
  case outOfRange(file: String, line: Int, key: String, value: String, allowed: String)
  case badDuration(file: String, line: Int, key: String, text: String)
  case badParameters(file: String, line: Int, problem: ParameterError)

  static let knownKeys =
    "desired_retention, learning_steps, relearning_steps, maximum_interval, enable_fuzz, follow_ups, new_cards_per_day, reviews_per_day, new_cards_per_day_total, reviews_per_day_total, bury_new_siblings, bury_review_siblings, bury_interday_learning_siblings, day_starts_at, fsrs_parameters, leech_threshold, leech_action, load_balance, easy_days"

  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      "\(file): cannot read the configuration: \(reason)"
    case .syntax(let file, let line, let message):
      "\(file):\(line): \(message)"
    case .unknownKey(let file, let line, let key):
      "\(file):\(line): unknown key '\(key)'; known keys are \(ConfigError.knownKeys)"
    case .wrongType(let file, let line, let key, let expected):
      "\(file):\(line): '\(key)' must be \(expected)"
    case .outOfRange(let file, let line, let key, let value, let allowed):
      "\(file):\(line): '\(key)' = \(value) is out of range; allowed: \(allowed)"
    case .badDuration(let file, let line, let key, let text):
      "\(file):\(line): '\(key)': '\(text)' is not a duration; write a whole number and a unit: 90s, 1m, 10m, 1h, 1d"
    case .badParameters(let file, let line, let problem):
      "\(file):\(line): 'fsrs_parameters': \(problem)"
    }
  }
}
