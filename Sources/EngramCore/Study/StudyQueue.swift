/// Today's study queue: what a review session shows, and in which order.
///
/// Learning cards that are due come first (they are on short steps and lose most by waiting),
/// then review cards due today, then new cards. Daily limits apply per deck, counted from the
/// log, so quitting and restarting a session never grants extra new cards.
public struct StudyQueue: Sendable {
  /// Per-deck daily limits.
  public struct Limits: Sendable, Equatable {
    public var newPerDay: Int
    public var reviewsPerDay: Int
    public init(newPerDay: Int, reviewsPerDay: Int) {
      self.newPerDay = newPerDay
      self.reviewsPerDay = reviewsPerDay
    }
  }

  /// Cards available today, by kind.
  public struct Counts: Sendable, Equatable {
    /// Review cards due today (after the review limit).
    public var due = 0
    /// Learning and relearning cards due before the day ends.
    public var learning = 0
    /// New cards that may still be introduced today.
    public var new = 0
    public init(due: Int = 0, learning: Int = 0, new: Int = 0) {
      self.due = due
      self.learning = learning
      self.new = new
    }
    public var total: Int { due + learning + new }
  }

  /// What to do next in a session.
  public enum Next: Sendable, Equatable {
    case card(key: String)
    /// Only learning cards remain, due later today.
    case wait(until: Timestamp)
    case finished
  }

  /// How far ahead a learning card may be shown when nothing else is left (as Anki does).
  public static let learnAhead = Interval.minutes(20)

  private(set) var learning: [(key: String, due: Timestamp)] = []
  private(set) var reviews: [String] = []
  private(set) var newCards: [String] = []
  public let tomorrowStart: Timestamp

  /// Builds the queue from the decks' cards (in deck order) and their replayed records.
  public init(
    cards: [Card], records: [String: CardRecord], limits: Limits, dayStart: Timestamp,
    tomorrowStart: Timestamp
  ) {
    self.init(
      entries: cards.map { ($0.key, $0.deckID) }, record: { records[$0] }, limits: limits,
      dayStart: dayStart, tomorrowStart: tomorrowStart)
  }

  /// Builds the queue from card keys with their deck ids (in deck order) and a record lookup.
  public init(
    entries: [(key: String, deckID: String)], record lookup: (String) -> CardRecord?, limits: Limits,
    dayStart: Timestamp, tomorrowStart: Timestamp
  ) {
    // Limits apply per deck: classify each deck's cards, keeping first-appearance order.
    var order: [String] = []
    var groups: [String: (keys: [String], records: [CardRecord?])] = [:]
    for entry in entries {
      if groups[entry.deckID] == nil {
        order.append(entry.deckID)
        groups[entry.deckID] = ([], [])
      }
      groups[entry.deckID]?.keys.append(entry.key)
      groups[entry.deckID]?.records.append(lookup(entry.key))
    }
    self.init(
      classified: order.compactMap { deck in
        groups[deck].map {
          ($0.keys, StudyQueue.classify($0.records, limits: limits, dayStart: dayStart, tomorrowStart: tomorrowStart))
        }
      }, tomorrowStart: tomorrowStart)
  }

  /// Builds the queue from decks already classified (keys in deck order with their lists).
  public init(classified decks: [(keys: [String], lists: Classified)], tomorrowStart: Timestamp) {
    self.tomorrowStart = tomorrowStart
    var dueReviews: [(key: String, due: Timestamp)] = []
    for deck in decks {
      learning += deck.lists.learning.map { (deck.keys[$0.index], $0.due) }
      dueReviews += deck.lists.reviews.map { (deck.keys[$0.index], $0.due) }
      newCards += deck.lists.new.map { deck.keys[$0] }
    }
    // Most overdue first; the sort is stable so equal dues keep deck order.
    reviews = dueReviews.enumerated().sorted {
      $0.element.due != $1.element.due ? $0.element.due < $1.element.due : $0.offset < $1.offset
    }.map(\.element.key)
    learning.sort { $0.due < $1.due }
  }

  /// One deck's cards sorted into today's lists, as indices into `records`.
  public struct Classified: Sendable {
    public var learning: [(index: Int, due: Timestamp)] = []
    public var reviews: [(index: Int, due: Timestamp)] = []
    public var new: [Int] = []
    public var counts: Counts { Counts(due: reviews.count, learning: learning.count, new: new.count) }
  }

  /// Sorts one deck's cards (their records in deck order; nil = never seen) into learning cards
  /// due today, review cards due today within the review limit, and new cards within the new
  /// limit. Usage today (introductions, reviews) is counted from the records themselves.
  public static func classify(
    _ records: [CardRecord?], limits: Limits, dayStart: Timestamp, tomorrowStart: Timestamp
  ) -> Classified {
    var newLeft = limits.newPerDay
    var reviewsLeft = limits.reviewsPerDay
    for record in records {
      guard let record else { continue }
      if let introduced = record.introducedAt, introduced >= dayStart { newLeft -= 1 }
      reviewsLeft -= record.reviewsToday
    }
    var result = Classified()
    for (index, record) in records.enumerated() {
      if let record, record.suspended || record.isBuried(dayStart: dayStart) { continue }
      guard let schedule = record?.schedule else {
        if newLeft > 0 {
          newLeft -= 1
          result.new.append(index)
        }
        continue
      }
      guard schedule.due < tomorrowStart else { continue }
      if schedule.phase == .review {
        if reviewsLeft > 0 {
          reviewsLeft -= 1
          result.reviews.append((index, schedule.due))
        }
      } else {
        result.learning.append((index, schedule.due))
      }
    }
    return result
  }

  /// Counts per deck of what is available today.
  public static func counts(
    decks: [DeckSummary], record: (String) -> CardRecord?, limits: Limits, dayStart: Timestamp,
    tomorrowStart: Timestamp
  ) -> [String: Counts] {
    var result: [String: Counts] = [:]
    for deck in decks {
      result[deck.id] = classify(
        deck.cardKeys.map(record), limits: limits, dayStart: dayStart, tomorrowStart: tomorrowStart
      ).counts
    }
    return result
  }

  public var counts: Counts { Counts(due: reviews.count, learning: learning.count, new: newCards.count) }

  /// Whether anything is left today, including learning cards due later.
  public var isEmpty: Bool { learning.isEmpty && reviews.isEmpty && newCards.isEmpty }

  /// The next card to show at `now`.
  public func next(at now: Timestamp) -> Next {
    if let first = learning.first, first.due <= now { return .card(key: first.key) }
    if let review = reviews.first { return .card(key: review) }
    if let new = newCards.first { return .card(key: new) }
    if let first = learning.first {
      return first.due <= now + StudyQueue.learnAhead ? .card(key: first.key) : .wait(until: first.due)
    }
    return .finished
  }

  /// Takes a card out of the queue (answered, suspended or buried).
  public mutating func remove(_ key: String) {
    learning.removeAll { $0.key == key }
    reviews.removeAll { $0 == key }
    newCards.removeAll { $0 == key }
  }

  /// Re-files a card after its record changed: learning cards due today come back later in
  /// the session; anything else leaves the queue.
  public mutating func update(_ key: String, record: CardRecord) {
    remove(key)
    guard !record.suspended, let schedule = record.schedule, schedule.due < tomorrowStart,
      schedule.phase != .review
    else { return }
    // Binary insertion after equal dues: keeps the list sorted without re-sorting it.
    var low = 0
    var high = learning.count
    while low < high {
      let middle = (low + high) / 2
      if learning[middle].due <= schedule.due { low = middle + 1 } else { high = middle }
    }
    learning.insert((key, schedule.due), at: low)
  }

  /// A review-ahead queue: these review cards, in this order, regardless of their due dates.
  /// Rated through the scheduler as usual, so FSRS treats each as an early review.
  public init(reviewAhead keys: [String], tomorrowStart: Timestamp) {
    self.tomorrowStart = tomorrowStart
    reviews = keys
  }

  /// Puts a card back at the front (after an undo), in the list that matches its record.
  public mutating func restore(_ key: String, record: CardRecord) {
    remove(key)
    guard let schedule = record.schedule else {
      newCards.insert(key, at: 0)
      return
    }
    if schedule.phase == .review {
      reviews.insert(key, at: 0)
    } else {
      learning.insert((key, schedule.due), at: 0)
    }
  }
}
