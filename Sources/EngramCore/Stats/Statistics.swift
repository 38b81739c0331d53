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

  /// Computes the statistics from facts and records by key: the shape tests and small callers
  /// have. It tallies the facts and hands over to `compute(tally:records:keys:...)`.
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
    var tally = ReviewTally(days: days)
    for fact in facts {
      tally.add(
        time: fact.time, rating: fact.rating, durationMilliseconds: fact.durationMilliseconds,
        phaseBefore: fact.phaseBefore, intervalBefore: fact.intervalBefore)
    }
    return compute(
      tally: tally, records: records.map { $0.value as CardRecord? }, keys: records.map(\.key), including: nil,
      decks: decks, now: now,
      scheduler: scheduler, forecastDays: forecastDays, heatmapDays: heatmapDays, leechThreshold: leechThreshold)
  }

  /// The per-review part of the statistics, added up one review at a time: a replay hands each
  /// standing review over as it applies it, so a million reviews are counted without a list of
  /// facts (which took 56 MB and most of `stats`' time).
  public struct ReviewTally: Sendable {
    /// Study days covering every review added (earlier days count nothing; streaks and the
    /// heatmap are the same whatever extra days lie before the first review).
    public let days: StudyDays
    fileprivate var perDay: [Int]
    fileprivate var today = Today()
    fileprivate let windows: [(days: Int, start: Timestamp)]
    fileprivate var retention: [Retention]
    private let todayStart: Timestamp
    /// The day of the last review added: reviews come mostly in time order, so the next one
    /// usually falls on it and needs no search.
    private var lastDay = -1

    public init(days: StudyDays, retentionWindows: [Int] = [7, 30, 365]) {
      self.days = days
      perDay = [Int](repeating: 0, count: days.starts.count)
      todayStart = days.starts[days.todayIndex]
      windows = retentionWindows.map { ($0, days.starts[max(0, days.todayIndex - $0 + 1)]) }
      retention = retentionWindows.map { _ in Retention(young: (0, 0), mature: (0, 0)) }
    }

    /// The tally of the reviews `daily` sums up, over `days`: the same as adding each of them
    /// (a review's time is at or after a day's start exactly when the start of its own day is).
    public init(daily: DailyReviewTally, days: StudyDays, retentionWindows: [Int] = [7, 30, 365]) {
      self.init(days: days, retentionWindows: retentionWindows)
      for (start, day) in zip(daily.starts, daily.days) {
        if let index = days.index(of: start) { perDay[index] += day.reviews }
        if start >= todayStart {
          today.reviewed += day.reviews
          today.again += day.again
          today.milliseconds += day.milliseconds
          today.introduced += day.introduced
        }
        for (window, value) in windows.enumerated() where start >= value.start {
          let mature = retention[window].mature
          let young = retention[window].young
          retention[window].mature = (mature.0 + day.maturePassed, mature.1 + day.matureTotal)
          retention[window].young = (young.0 + day.youngPassed, young.1 + day.youngTotal)
        }
      }
    }

    /// Counts one standing review.
    ///
    /// - Parameters:
    ///   - phaseBefore: the card's phase before the review; nil when it was new.
    ///   - intervalBefore: the interval (days) the card had before, for a card in review.
    public mutating func add(
      time: Timestamp, rating: Rating, durationMilliseconds: Int64, phaseBefore: Phase?, intervalBefore: Double?
    ) {
      if lastDay >= 0 && lastDay + 1 < days.starts.count && days.starts[lastDay] <= time
        && time < days.starts[lastDay + 1]
      {
        perDay[lastDay] += 1
      } else if let index = days.index(of: time) {
        perDay[index] += 1
        lastDay = index
      }
      if time >= todayStart {
        today.reviewed += 1
        if rating == .again { today.again += 1 }
        today.milliseconds += durationMilliseconds
        if phaseBefore == nil { today.introduced += 1 }
      }
      guard phaseBefore == .review else { return }
      let passed = rating != .again ? 1 : 0
      // Anki's "mature": an interval of at least 21 days.
      let mature = (intervalBefore ?? 0) >= 21
      for (window, value) in windows.enumerated() where time >= value.start {
        if mature {
          retention[window].mature = (retention[window].mature.0 + passed, retention[window].mature.1 + 1)
        } else {
          retention[window].young = (retention[window].young.0 + passed, retention[window].young.1 + 1)
        }
      }
    }

    /// Counts a review as a replay hands it over.
    public mutating func add(_ review: CollectionReplay.ReviewSeen) {
      add(
        time: review.time, rating: review.rating, durationMilliseconds: review.durationMilliseconds,
        phaseBefore: review.before?.phase, intervalBefore: review.intervalBefore)
    }
  }

  /// Computes the statistics from tallied reviews and records by card number.
  ///
  /// - Parameters:
  ///   - records: replayed state by card number (nil: no history).
  ///   - keys: card keys by number.
  ///   - including: which cards count (nil: all), for statistics over a topic.
  ///   - decks: which cards belong to which deck (card states are counted per deck).
  public static func compute(
    tally: ReviewTally, records: [CardRecord?], keys: [String], including: [Bool]?, decks: [DeckSummary],
    now: Timestamp, scheduler: Scheduler, forecastDays: Int = 30, heatmapDays: Int = 365, leechThreshold: Int = 8
  ) -> Statistics {
    var stats = Statistics()
    let days = tally.days
    stats.leechThreshold = leechThreshold
    stats.desiredRetention = scheduler.settings.desiredRetention
    let todayStart = days.starts[days.todayIndex]
    stats.today = tally.today
    let perDay = tally.perDay
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
    stats.retention = zip(tally.windows, tally.retention).map { ($0.days, $1) }

    stats.forecast = [Int](repeating: 0, count: forecastDays)
    // Only the ten weakest are listed: kept in order as the records are walked, rather than
    // sorting every reviewed card.
    var weak: [WeakCard] = []
    func weaker(_ a: WeakCard, _ b: WeakCard) -> Bool {
      a.retrievability != b.retrievability
        ? a.retrievability < b.retrievability
        : a.lapses != b.lapses ? a.lapses > b.lapses : a.card < b.card
    }
    for (number, record) in records.enumerated() {
      guard let record, including?[number] ?? true else { continue }
      if let schedule = record.schedule, record.leechedAt != nil || record.lapses >= leechThreshold {
        let recall = scheduler.retrievability(of: schedule, at: now)
        stats.leeches.append(WeakCard(card: keys[number], retrievability: recall, lapses: record.lapses))
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
      // "Weakest" lists only cards below the recall the learner asked for (a card at or above
      // desired retention is not weak); leeches were gathered above, suspended ones included.
      let recall = scheduler.retrievability(of: schedule, at: now)
      guard recall < stats.desiredRetention else { continue }
      let card = WeakCard(card: keys[number], retrievability: recall, lapses: record.lapses)
      if weak.count == 10 {
        guard weaker(card, weak[9]) else { continue }
        weak.removeLast()
      }
      weak.insert(card, at: weak.firstIndex { weaker(card, $0) } ?? weak.count)
    }
    stats.weakest = weak
    stats.leeches.sort {
      $0.lapses != $1.lapses ? $0.lapses > $1.lapses : $0.card < $1.card
    }

    var numbers: [String: Int] = [:]
    numbers.reserveCapacity(keys.count)
    for (number, key) in keys.enumerated() where records[number] != nil { numbers[key] = number }
    for deck in decks {
      var states = DeckStates(deck: deck.id)
      for key in deck.cardKeys {
        let record = numbers[key].flatMap { records[$0] }
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
