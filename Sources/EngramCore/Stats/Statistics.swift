/// Everything `stats` shows, computed from replayed history. Pure: time, days and data come in.
public struct Statistics: Sendable, Equatable {
  public struct Today: Sendable, Equatable {
    public var reviewed = 0
    public var again = 0
    public var milliseconds: Int64 = 0
    public var introduced = 0
    public init(reviewed: Int = 0, again: Int = 0, milliseconds: Int64 = 0, introduced: Int = 0) {
      self.reviewed = reviewed
      self.again = again
      self.milliseconds = milliseconds
      self.introduced = introduced
    }
  }

  public struct Retention: Sendable, Equatable {
    /// (passed, total) for reviews of cards with an interval under 21 days.
    public var young: (Int, Int)
    /// (passed, total) for mature cards.
    public var mature: (Int, Int)
    public init(young: (Int, Int), mature: (Int, Int)) {
      self.young = young
      self.mature = mature
    }
    public static func == (a: Retention, b: Retention) -> Bool {
      a.young == b.young && a.mature == b.mature
    }
    public static func rate(_ pair: (Int, Int)) -> Double? { pair.1 == 0 ? nil : Double(pair.0) / Double(pair.1) }
  }

  public struct DeckStates: Sendable, Equatable {
    public var deck: String
    public var new = 0
    public var learning = 0
    public var review = 0
    public var relearning = 0
    public var suspended = 0
    public init(deck: String, new: Int = 0, learning: Int = 0, review: Int = 0, relearning: Int = 0, suspended: Int = 0)
    {
      self.deck = deck
      self.new = new
      self.learning = learning
      self.review = review
      self.relearning = relearning
      self.suspended = suspended
    }
  }

  public struct WeakCard: Sendable, Equatable {
    public var card: String
    public var retrievability: Double
    public var lapses: Int
    public init(card: String, retrievability: Double, lapses: Int) {
      self.card = card
      self.retrievability = retrievability
      self.lapses = lapses
    }
  }

  public var today = Today()
  public var currentStreak = 0
  public var longestStreak = 0
  /// Cards due on each of the next `forecast.count` days; day 0 includes the overdue backlog.
  public var forecast: [Int] = []
  /// Cards due before today started (part of `forecast[0]`).
  public var overdue = 0
  /// Reviews per day, oldest first, ending today.
  public var heatmap: [Int] = []
  /// Retention for the last 7, 30 and 365 days.
  public var retention: [(days: Int, value: Retention)] = []
  public var deckStates: [DeckStates] = []
  /// Cards per difficulty bucket: index 0 = [1, 2), ..., 8 = [9, 10].
  public var difficulty = [Int](repeating: 0, count: 9)
  /// The (at most 10) reviewed cards with the lowest recall now, all below desired retention.
  public var weakest: [WeakCard] = []
  /// Leeches (treated by a `leech` event, or with at least `leechThreshold` lapses; suspended
  /// ones too), most lapses first.
  public var leeches: [WeakCard] = []
  public var desiredRetention: Double = 0.9
  /// Lapses that make a card a leech (the configuration's `leech_threshold`).
  public var leechThreshold = 8

  public init() {}

  public static func == (a: Statistics, b: Statistics) -> Bool {
    a.today == b.today && a.currentStreak == b.currentStreak && a.longestStreak == b.longestStreak
      && a.forecast == b.forecast && a.overdue == b.overdue && a.heatmap == b.heatmap
      && a.retention.map(\.days) == b.retention.map(\.days) && a.retention.map(\.value) == b.retention.map(\.value)
      && a.deckStates == b.deckStates && a.difficulty == b.difficulty && a.weakest == b.weakest
      && a.leeches == b.leeches
  }

  /// Computes the statistics.
  ///
  /// - Parameters:
  ///   - facts: every standing review (any order).
  ///   - records: replayed state per card key.
  ///   - decks: which cards belong to which deck (card states are counted per deck).
  ///   - days: study days covering all of the history (streaks count every day of it), at
  ///     least the past year, and the next `forecastDays` days.
  public static func compute(
    facts: [ReviewFact], records: [String: CardRecord], decks: [DeckSummary], days: StudyDays, now: Timestamp,
    scheduler: Scheduler, forecastDays: Int = 30, heatmapDays: Int = 365, leechThreshold: Int = 8
  ) -> Statistics {
    var stats = Statistics()
    stats.leechThreshold = leechThreshold
    stats.desiredRetention = scheduler.settings.desiredRetention
    let todayStart = days.starts[days.todayIndex]
    var perDay = [Int](repeating: 0, count: days.starts.count)
    for fact in facts {
      if let index = days.index(of: fact.time) { perDay[index] += 1 }
      if fact.time >= todayStart {
        stats.today.reviewed += 1
        if fact.rating == .again { stats.today.again += 1 }
        stats.today.milliseconds += fact.durationMilliseconds
        if fact.phaseBefore == nil { stats.today.introduced += 1 }
      }
    }
    // Streaks: consecutive days with reviews; today counts once it has any, and an empty
    // today does not break a streak that ran to yesterday.
    var run = 0
    for index in 0...days.todayIndex {
      run = perDay[index] > 0 ? run + 1 : 0
      stats.longestStreak = max(stats.longestStreak, run)
    }
    var streak = 0
    var index = perDay[days.todayIndex] > 0 ? days.todayIndex : days.todayIndex - 1
    while index >= 0 && perDay[index] > 0 {
      streak += 1
      index -= 1
    }
    stats.currentStreak = streak
    let first = max(0, days.todayIndex - heatmapDays + 1)
    stats.heatmap = Array(perDay[first...days.todayIndex])

    for window in [7, 30, 365] {
      let start = days.starts[max(0, days.todayIndex - window + 1)]
      var value = Retention(young: (0, 0), mature: (0, 0))
      for fact in facts where fact.time >= start && fact.phaseBefore == .review {
        let passed = fact.rating != .again ? 1 : 0
        if fact.isMature {
          value.mature = (value.mature.0 + passed, value.mature.1 + 1)
        } else {
          value.young = (value.young.0 + passed, value.young.1 + 1)
        }
      }
      stats.retention.append((window, value))
    }

    stats.forecast = [Int](repeating: 0, count: forecastDays)
    var weak: [WeakCard] = []
    for (key, record) in records {
      if let schedule = record.schedule, record.leechedAt != nil || record.lapses >= leechThreshold {
        let recall = scheduler.retrievability(of: schedule, at: now)
        stats.leeches.append(WeakCard(card: key, retrievability: recall, lapses: record.lapses))
      }
      guard !record.suspended, let schedule = record.schedule else { continue }
      if schedule.due < todayStart { stats.overdue += 1 }
      if schedule.due < todayStart {
        stats.forecast[0] += 1
      } else if let day = days.index(of: schedule.due), day >= days.todayIndex, day - days.todayIndex < forecastDays {
        stats.forecast[day - days.todayIndex] += 1
      }
      let bucket = min(8, max(0, Int(schedule.difficulty) - 1))
      stats.difficulty[bucket] += 1
      let recall = scheduler.retrievability(of: schedule, at: now)
      weak.append(WeakCard(card: key, retrievability: recall, lapses: record.lapses))
    }
    // "Weakest" lists only cards below the recall the learner asked for (a card at or above
    // desired retention is not weak); leeches were gathered above, suspended ones included.
    weak.sort {
      $0.retrievability != $1.retrievability
        ? $0.retrievability < $1.retrievability
        : $0.lapses != $1.lapses ? $0.lapses > $1.lapses : $0.card < $1.card
    }
    stats.weakest = Array(weak.filter { $0.retrievability < stats.desiredRetention }.prefix(10))
    stats.leeches.sort {
      $0.lapses != $1.lapses ? $0.lapses > $1.lapses : $0.card < $1.card
    }

    for deck in decks {
      var states = DeckStates(deck: deck.id)
      for key in deck.cardKeys {
        let record = records[key]
        if record?.suspended == true {
          states.suspended += 1
          continue
        }
        switch record?.schedule?.phase {
        case nil: states.new += 1
        case .learning: states.learning += 1
        case .review: states.review += 1
        case .relearning: states.relearning += 1
        }
      }
      stats.deckStates.append(states)
    }
    return stats
  }
}
