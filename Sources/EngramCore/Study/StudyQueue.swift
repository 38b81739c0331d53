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
    self.tomorrowStart = tomorrowStart
    var newLeft: [String: Int] = [:]
    var reviewsLeft: [String: Int] = [:]
    // Daily usage per deck, from the log.
    for card in cards {
      guard let record = records[card.key] else { continue }
      if let introduced = record.introducedAt, introduced >= dayStart {
        newLeft[card.deckID, default: limits.newPerDay] -= 1
      }
      if record.reviewsToday > 0 {
        reviewsLeft[card.deckID, default: limits.reviewsPerDay] -= record.reviewsToday
      }
    }
    var dueReviews: [(key: String, due: Timestamp)] = []
    for card in cards {
      let record = records[card.key]
      if let record, record.suspended || record.isBuried(dayStart: dayStart) { continue }
      guard let schedule = record?.schedule else {
        if newLeft[card.deckID, default: limits.newPerDay] > 0 {
          newLeft[card.deckID, default: limits.newPerDay] -= 1
          newCards.append(card.key)
        }
        continue
      }
      guard schedule.due < tomorrowStart else { continue }
      if schedule.phase == .review {
        if reviewsLeft[card.deckID, default: limits.reviewsPerDay] > 0 {
          reviewsLeft[card.deckID, default: limits.reviewsPerDay] -= 1
          dueReviews.append((card.key, schedule.due))
        }
      } else {
        learning.append((card.key, schedule.due))
      }
    }
    // Most overdue first; the sort is stable so equal dues keep deck order.
    reviews = dueReviews.enumerated().sorted {
      $0.element.due != $1.element.due ? $0.element.due < $1.element.due : $0.offset < $1.offset
    }.map(\.element.key)
    learning.sort { $0.due < $1.due }
  }

  /// Counts per deck id of what is available today.
  public static func counts(
    cards: [Card], records: [String: CardRecord], limits: Limits, dayStart: Timestamp,
    tomorrowStart: Timestamp
  ) -> [String: Counts] {
    var result: [String: Counts] = [:]
    var decksInOrder: [String: [Card]] = [:]
    for card in cards { decksInOrder[card.deckID, default: []].append(card) }
    for (deck, deckCards) in decksInOrder {
      let queue = StudyQueue(
        cards: deckCards, records: records, limits: limits, dayStart: dayStart, tomorrowStart: tomorrowStart)
      result[deck] = queue.counts
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
    learning.append((key, schedule.due))
    learning.sort { $0.due < $1.due }
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
