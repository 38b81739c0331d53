/// Today's study queue: what a review session shows, and in which order.
///
/// Learning cards that are due come first (they are on short steps and lose most by waiting),
/// then review cards due today, then new cards. Daily limits apply per deck and, on top, over
/// the whole collection, counted from the log, so quitting and restarting a session never
/// grants extra cards. Decks are mixed: reviews are ordered across decks by due day, then by
/// relative overdueness; new cards are dealt from each deck in turn. Siblings (cards of one
/// note) are kept apart: once one is answered today, or already in today's queue, the others
/// wait for another day, as the `SiblingBurying` settings say.
public struct StudyQueue: Sendable {
  /// Daily limits and sibling burying.
  public struct Limits: Sendable, Equatable {
    /// New cards per deck and day.
    public var newPerDay: Int
    /// Review cards per deck and day.
    public var reviewsPerDay: Int
    /// New cards per day over all decks; 0 = no collection-wide limit.
    public var newTotal: Int
    /// Review cards per day over all decks; 0 = no collection-wide limit.
    public var reviewsTotal: Int
    public var burying: SiblingBurying

    public init(
      newPerDay: Int, reviewsPerDay: Int, newTotal: Int = 0, reviewsTotal: Int = 0, burying: SiblingBurying = .all
    ) {
      self.newPerDay = newPerDay
      self.reviewsPerDay = reviewsPerDay
      self.newTotal = newTotal
      self.reviewsTotal = reviewsTotal
      self.burying = burying
    }
  }

  /// What the whole collection has used of today's limits, counted from the records.
  public struct Usage: Sendable, Equatable {
    /// Cards introduced (first reviewed since they were last new) today.
    public var introduced = 0
    /// Reviews today of cards that were in review.
    public var reviews = 0

    public init(introduced: Int = 0, reviews: Int = 0) {
      self.introduced = introduced
      self.reviews = reviews
    }

    /// Today's usage over `records` (nil entries are cards never seen).
    public init(records: some Sequence<CardRecord?>, dayStart: Timestamp) {
      for record in records {
        guard let record else { continue }
        if let introduced = record.introducedAt, introduced >= dayStart { self.introduced += 1 }
        reviews += record.reviewsToday
      }
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
  /// The sibling group of each queued card, to bury siblings when a card is answered.
  private var groups: [String: SiblingGroup] = [:]
  /// The queued cards of each group with more than one: burying looks only at these, never
  /// over the whole queue.
  private var siblings: [SiblingGroup: [String]] = [:]
  /// Every change to the lists so far, oldest first, so that `revert(to:)` can take changes
  /// back (a session's undo) without rebuilding the queue over every deck.
  private var edits: [Edit] = []

  private enum List { case learning, reviews, new }

  private enum Edit {
    case removed(List, index: Int, key: String, due: Timestamp)
    case insertedLearning(index: Int)
    /// Put at the front of the review or new list.
    case insertedReview, insertedNew
    case removedInterday(String)
  }
  /// Queued learning cards last answered on an earlier day (interday learning), among cards
  /// with a sibling in the queue (the only ones burying looks at).
  private var interday: Set<String> = []
  private var burying = SiblingBurying.none

  /// A note of one deck of the queue: the deck's position and the note's sibling number.
  private struct SiblingGroup: Hashable {
    var deck: Int
    var number: Int
  }

  /// Builds the queue from the decks' cards (in deck order) and their replayed records.
  ///
  /// - Parameter usage: what the whole collection used today, for the collection-wide limits
  ///   (default: counted from `records`).
  public init(
    cards: [Card], records: [String: CardRecord], limits: Limits, usage: Usage? = nil, dayStart: Timestamp,
    tomorrowStart: Timestamp
  ) {
    self.init(
      entries: cards.map { ($0.key, $0.deckID, $0.siblingGroup) }, record: { records[$0] }, limits: limits,
      usage: usage ?? Usage(records: records.values.map { $0 }, dayStart: dayStart),
      dayStart: dayStart, tomorrowStart: tomorrowStart)
  }

  /// Builds the queue from card keys with their deck ids and sibling groups (in deck order)
  /// and a record lookup.
  public init(
    entries: [(key: String, deckID: String, group: String)], record lookup: (String) -> CardRecord?,
    limits: Limits, usage: Usage, dayStart: Timestamp, tomorrowStart: Timestamp
  ) {
    // Limits apply per deck: classify each deck's cards, keeping first-appearance order.
    var order: [String] = []
    var decks: [String: (keys: [String], records: [CardRecord?], groups: [Int], numbers: [String: Int])] = [:]
    for entry in entries {
      if decks[entry.deckID] == nil {
        order.append(entry.deckID)
        decks[entry.deckID] = ([], [], [], [:])
      }
      decks[entry.deckID]?.keys.append(entry.key)
      decks[entry.deckID]?.records.append(lookup(entry.key))
      let position = decks[entry.deckID]?.groups.count ?? 0
      let group = decks[entry.deckID]?.numbers[entry.group] ?? position
      decks[entry.deckID]?.numbers[entry.group] = group
      decks[entry.deckID]?.groups.append(group)
    }
    self.init(
      classified: order.compactMap { deck in
        decks[deck].map {
          (
            $0.keys,
            StudyQueue.classify(
              $0.records, groups: $0.groups, limits: limits, dayStart: dayStart, tomorrowStart: tomorrowStart)
          )
        }
      }, limits: limits, usage: usage, tomorrowStart: tomorrowStart)
  }

  /// Builds the queue from decks already classified (keys in deck order with their lists),
  /// mixing the decks and applying the collection-wide limits.
  public init(
    classified decks: [(keys: [String], lists: Classified)], limits: Limits, usage: Usage, tomorrowStart: Timestamp
  ) {
    self.tomorrowStart = tomorrowStart
    let mixed = StudyQueue.mix(decks.map(\.lists), limits: limits, usage: usage)
    learning = mixed.learning.map { (decks[$0.deck].keys[$0.index], $0.due) }
    reviews = mixed.reviews.map { decks[$0.deck].keys[$0.index] }
    newCards = mixed.new.map { decks[$0.deck].keys[$0.index] }
    burying = limits.burying
    // Only groups with a card after the note's first can hold two cards: the others (every
    // group, in a deck without siblings) are left out of both tables, so a queue of tens of
    // thousands of cards does not hash a key for each.
    let linked = decks.map { deck -> Set<Int> in
      guard let groups = deck.lists.groups else { return [] }
      var linked = Set<Int>()
      for (index, group) in groups.enumerated() where group != index { linked.insert(group) }
      return linked
    }
    let queued = mixed.learning.map { (deck: $0.deck, index: $0.index) } + mixed.reviews + mixed.new
    var members: [SiblingGroup: [String]] = [:]
    for card in queued {
      // Read in place: binding a deck's lists to a constant would retain its arrays per card.
      let number = decks[card.deck].lists.groups?[card.index] ?? card.index
      guard linked[card.deck].contains(number) else { continue }
      let key = decks[card.deck].keys[card.index]
      // Interday learning matters only for burying, so only among siblings.
      if decks[card.deck].lists.interday.contains(card.index) { interday.insert(key) }
      let group = SiblingGroup(deck: card.deck, number: number)
      groups[key] = group
      members[group, default: []].append(key)
    }
    siblings = members.filter { $0.value.count > 1 }
  }

  /// How urgent a due review is: earlier due day first, then the one most overdue relative to
  /// its interval (the ratio of the time since its last review to the interval it was given).
  public struct ReviewPriority: Sendable, Comparable {
    /// Whole days from the start of today to the due time (negative when overdue).
    public var dueDay: Int64
    /// Time since the last review divided by the scheduled interval, at the start of today.
    public var overdueness: Double

    public init(_ schedule: CardSchedule, dayStart: Timestamp) {
      let day = Interval.day.milliseconds
      let offset = (schedule.due - dayStart).milliseconds
      dueDay = offset >= 0 ? offset / day : -((-offset + day - 1) / day)
      let interval = max(1, (schedule.due - schedule.lastReview).milliseconds)
      overdueness = Double((dayStart - schedule.lastReview).milliseconds) / Double(interval)
    }

    public static func < (a: ReviewPriority, b: ReviewPriority) -> Bool {
      a.dueDay != b.dueDay ? a.dueDay < b.dueDay : a.overdueness > b.overdueness
    }
  }

  /// One deck's cards sorted into today's lists, as indices into its records.
  public struct Classified: Sendable {
    public var learning: [(index: Int, due: Timestamp)] = []
    public var reviews: [(index: Int, priority: ReviewPriority)] = []
    public var new: [Int] = []
    /// Cards of the deck introduced today, for dealing new cards across decks in turns.
    public var introducedToday = 0
    /// Reviews today of the deck's cards that were in review: with `introducedToday`, the
    /// deck's part of the collection's `Usage`, counted in the same pass.
    public var reviewsToday = 0
    /// Each card's sibling number, as given to `classify` (nil: every card its own note).
    public var groups: [Int]?
    /// The learning cards (indices) last answered on an earlier day.
    public var interday: Set<Int> = []
    public var counts: Counts { Counts(due: reviews.count, learning: learning.count, new: new.count) }
  }

  /// Sorts one deck's cards (their records in deck order; nil = never seen) into learning cards
  /// due today, review cards due today within the review limit (most urgent first), and new
  /// cards within the new limit. Usage today (introductions, reviews) is counted from the
  /// records themselves.
  ///
  /// - Parameter groups: each card's sibling group, as a number shared by the cards of one
  ///   note (nil: every card is its own note). A group is taken by a card answered or buried
  ///   today and by each card placed in today's lists; a sibling of a taken group is left out when
  ///   `limits.burying` buries its kind. Learning cards answered today are always kept.
  public static func classify(
    _ records: [CardRecord?], groups: [Int]? = nil, limits: Limits, dayStart: Timestamp, tomorrowStart: Timestamp
  ) -> Classified {
    var newLeft = limits.newPerDay
    var reviewsLeft = limits.reviewsPerDay
    var taken = Set<Int>()
    var introducedToday = 0
    var reviewsToday = 0
    func group(_ index: Int) -> Int { groups?[index] ?? index }
    for (index, record) in records.enumerated() {
      guard let record else { continue }
      if let introduced = record.introducedAt, introduced >= dayStart { introducedToday += 1 }
      reviewsToday += record.reviewsToday
      if let last = record.schedule?.lastReview, last >= dayStart { taken.insert(group(index)) }
      // A card buried today sets its note aside for the day, as an answer does.
      if record.isBuried(dayStart: dayStart) { taken.insert(group(index)) }
    }
    newLeft -= introducedToday
    reviewsLeft -= reviewsToday
    var result = Classified()
    result.introducedToday = introducedToday
    result.reviewsToday = reviewsToday
    result.groups = groups
    var interday: [(index: Int, due: Timestamp)] = []
    var dueReviews: [(index: Int, priority: ReviewPriority)] = []
    var new: [Int] = []
    for (index, record) in records.enumerated() {
      if let record, record.suspended || record.isBuried(dayStart: dayStart) { continue }
      guard let schedule = record?.schedule else {
        new.append(index)
        continue
      }
      guard schedule.due < tomorrowStart else { continue }
      if schedule.phase == .review {
        dueReviews.append((index, ReviewPriority(schedule, dayStart: dayStart)))
      } else if schedule.lastReview >= dayStart {
        result.learning.append((index, schedule.due))
      } else {
        interday.append((index, schedule.due))
      }
    }
    // A card takes its group; a sibling of a taken group waits when its kind is buried.
    func admit(_ index: Int, buries: Bool) -> Bool {
      taken.insert(group(index)).inserted || !buries
    }
    for card in interday where admit(card.index, buries: limits.burying.interdayLearning) {
      result.learning.append(card)
      result.interday.insert(card.index)
    }
    // Sorted in place, ties in deck order: an index breaks them, so no stable sort is needed.
    dueReviews.sort { $0.priority < $1.priority || (!($1.priority < $0.priority) && $0.index < $1.index) }
    for card in dueReviews where reviewsLeft > 0 {
      guard admit(card.index, buries: limits.burying.review) else { continue }
      reviewsLeft -= 1
      result.reviews.append(card)
    }
    for index in new where newLeft > 0 {
      guard admit(index, buries: limits.burying.new) else { continue }
      newLeft -= 1
      result.new.append(index)
    }
    return result
  }

  /// The decks' lists as one queue: learning cards by due time; reviews by priority (ties in
  /// deck order) up to the collection's review limit; new cards dealt one deck at a time, in
  /// deck order, up to the collection's new-card limit.
  static func mix(_ decks: [Classified], limits: Limits, usage: Usage) -> (
    learning: [(deck: Int, index: Int, due: Timestamp)], reviews: [(deck: Int, index: Int)],
    new: [(deck: Int, index: Int)]
  ) {
    var learning: [(deck: Int, index: Int, due: Timestamp)] = []
    for (deck, lists) in decks.enumerated() {
      learning += lists.learning.map { (deck, $0.index, $0.due) }
    }
    learning = stableSorted(learning) { $0.due < $1.due }
    return (
      learning, orderedReviews(decks, limits: limits, usage: usage), dealtNew(decks, limits: limits, usage: usage)
    )
  }

  /// The decks' due reviews by priority (ties in deck order), up to the collection's review limit.
  private static func orderedReviews(_ decks: [Classified], limits: Limits, usage: Usage) -> [(deck: Int, index: Int)] {
    var reviews: [(deck: Int, index: Int, priority: ReviewPriority)] = []
    for (deck, lists) in decks.enumerated() {
      reviews += lists.reviews.map { (deck, $0.index, $0.priority) }
    }
    var ordered = stableSorted(reviews) { $0.priority < $1.priority }.map { (deck: $0.deck, index: $0.index) }
    if limits.reviewsTotal > 0 {
      ordered = Array(ordered.prefix(max(0, limits.reviewsTotal - usage.reviews)))
    }
    return ordered
  }

  /// The decks' new cards dealt in turns, up to the collection's new-card limit.
  private static func dealtNew(_ decks: [Classified], limits: Limits, usage: Usage) -> [(deck: Int, index: Int)] {
    // Dealt in turns: a deck's n-th new card of the day (counting those already introduced
    // today) comes in turn n, decks in order within a turn. The deal does not depend on how
    // far the day has gone, so a queue rebuilt after each answer keeps the same mix.
    var dealt: [(deck: Int, index: Int, turn: Int)] = []
    for (deck, lists) in decks.enumerated() {
      dealt += lists.new.enumerated().map { (deck, $0.element, lists.introducedToday + $0.offset) }
    }
    let newLeft = limits.newTotal > 0 ? max(0, limits.newTotal - usage.introduced) : Int.max
    return Array(stableSorted(dealt) { $0.turn < $1.turn }.prefix(newLeft).map { (deck: $0.deck, index: $0.index) })
  }

  /// Counts per deck of what is available today, after mixing (so the collection-wide limits
  /// show in each deck's counts).
  public static func counts(
    classified decks: [(deckID: String, lists: Classified)], limits: Limits, usage: Usage
  ) -> [String: Counts] {
    var result: [String: Counts] = [:]
    // Counted without ordering unless a collection-wide limit leaves some out: which ones it
    // leaves out depends on the order (`mix`). Every learning card is counted.
    let lists = decks.map(\.lists)
    let reviewCount = lists.reduce(0) { $0 + $1.reviews.count }
    let newCount = lists.reduce(0) { $0 + $1.new.count }
    let reviewsCut = limits.reviewsTotal > 0 && reviewCount > limits.reviewsTotal - usage.reviews
    let newCut = limits.newTotal > 0 && newCount > limits.newTotal - usage.introduced
    for deck in decks {
      result[deck.deckID] = Counts(
        due: reviewsCut ? 0 : deck.lists.reviews.count, learning: deck.lists.learning.count,
        new: newCut ? 0 : deck.lists.new.count)
    }
    if reviewsCut {
      for card in orderedReviews(lists, limits: limits, usage: usage) { result[decks[card.deck].deckID]?.due += 1 }
    }
    if newCut {
      for card in dealtNew(lists, limits: limits, usage: usage) { result[decks[card.deck].deckID]?.new += 1 }
    }
    return result
  }

  private static func stableSorted<Element>(_ items: [Element], by less: (Element, Element) -> Bool) -> [Element] {
    items.enumerated().sorted {
      less($0.element, $1.element) || (!less($1.element, $0.element) && $0.offset < $1.offset)
    }
    .map(\.element)
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

  /// Takes a card out of the queue (answered, suspended or buried). A card is in at most one
  /// list, once, and usually near its front (the card just shown), so it is searched for, not
  /// filtered out of every list.
  public mutating func remove(_ key: String) {
    if let index = learning.firstIndex(where: { $0.key == key }) {
      remove(.learning, at: index)
    } else if let index = reviews.firstIndex(of: key) {
      remove(.reviews, at: index)
    } else if let index = newCards.firstIndex(of: key) {
      remove(.new, at: index)
    }
  }

  private mutating func remove(_ list: List, at index: Int) {
    switch list {
    case .learning:
      let (key, due) = learning.remove(at: index)
      edits.append(.removed(.learning, index: index, key: key, due: due))
    case .reviews:
      edits.append(.removed(.reviews, index: index, key: reviews.remove(at: index), due: Timestamp(milliseconds: 0)))
    case .new:
      edits.append(.removed(.new, index: index, key: newCards.remove(at: index), due: Timestamp(milliseconds: 0)))
    }
  }

  private mutating func insertLearning(_ key: String, due: Timestamp, at index: Int) {
    learning.insert((key, due), at: index)
    edits.append(.insertedLearning(index: index))
  }

  private mutating func removeInterday(_ key: String) {
    if interday.remove(key) != nil { edits.append(.removedInterday(key)) }
  }

  /// A point in the queue's changes, to come back to with `revert(to:)`.
  public var mark: Int { edits.count }

  /// Takes back every change made since `mark`, latest first: the queue is then as it was.
  public mutating func revert(to mark: Int) {
    while edits.count > mark, let edit = edits.popLast() {
      switch edit {
      case .removed(.learning, let index, let key, let due): learning.insert((key, due), at: index)
      case .removed(.reviews, let index, let key, _): reviews.insert(key, at: index)
      case .removed(.new, let index, let key, _): newCards.insert(key, at: index)
      case .insertedLearning(let index): learning.remove(at: index)
      case .insertedReview: reviews.removeFirst()
      case .insertedNew: newCards.removeFirst()
      case .removedInterday(let key): interday.insert(key)
      }
    }
  }

  /// After `key` was answered, takes its siblings out of today's queue, those of the kinds
  /// the burying settings bury (new, review, learning from earlier days). The queue then holds
  /// what rebuilding it from the log would.
  public mutating func buryingSiblings(of key: String) {
    guard let group = groups[key], let members = siblings[group] else { return }
    for other in members where other != key {
      if burying.new, let index = newCards.firstIndex(of: other) { remove(.new, at: index) }
      if burying.review, let index = reviews.firstIndex(of: other) { remove(.reviews, at: index) }
      if burying.interdayLearning, interday.contains(other),
        let index = learning.firstIndex(where: { $0.key == other })
      {
        remove(.learning, at: index)
      }
    }
  }

  /// Re-files a card after its record changed: learning cards due today come back later in
  /// the session; anything else leaves the queue.
  public mutating func update(_ key: String, record: CardRecord) {
    remove(key)
    removeInterday(key)
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
    insertLearning(key, due: schedule.due, at: low)
  }

  /// A review-ahead queue: these review cards, in this order, regardless of their due dates.
  /// Rated through the scheduler as usual, so FSRS treats each as an early review.
  public init(reviewAhead keys: [String], tomorrowStart: Timestamp) {
    self.tomorrowStart = tomorrowStart
    reviews = keys
  }

  /// A review-ahead (cram) queue over some cards: those in review and not yet due at `now`
  /// (and due by `horizon`, when given), soonest due first. Siblings are buried as in a
  /// review: when `burying.review` is on, a note answered today is left out and only its
  /// soonest-due card is taken.
  public init(
    reviewAhead entries: [(key: String, group: String, record: CardRecord?)], now: Timestamp, horizon: Timestamp?,
    burying: SiblingBurying, dayStart: Timestamp, tomorrowStart: Timestamp
  ) {
    var answeredToday = Set<String>()
    var ahead: [(key: String, group: String, due: Timestamp)] = []
    for entry in entries {
      guard let record = entry.record, let schedule = record.schedule else { continue }
      if schedule.lastReview >= dayStart { answeredToday.insert(entry.group) }
      // A card crammed in this session (answered since `now`) does not come back.
      guard !record.suspended, !record.isBuried(dayStart: dayStart), schedule.phase == .review,
        schedule.due > now, schedule.lastReview < now, horizon.map({ schedule.due <= $0 }) ?? true
      else { continue }
      ahead.append((entry.key, entry.group, schedule.due))
    }
    var taken = answeredToday
    var keys: [String] = []
    for card in StudyQueue.stableSorted(ahead, by: { $0.due < $1.due }) {
      if burying.review && !taken.insert(card.group).inserted { continue }
      keys.append(card.key)
    }
    self.init(reviewAhead: keys, tomorrowStart: tomorrowStart)
  }

  /// Puts a card back at the front (after an undo), in the list that matches its record.
  public mutating func restore(_ key: String, record: CardRecord) {
    remove(key)
    guard let schedule = record.schedule else {
      newCards.insert(key, at: 0)
      edits.append(.insertedNew)
      return
    }
    if schedule.phase == .review {
      reviews.insert(key, at: 0)
      edits.append(.insertedReview)
    } else {
      insertLearning(key, due: schedule.due, at: 0)
    }
  }
}
