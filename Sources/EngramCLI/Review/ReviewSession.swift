import EngramCore
import EngramStore
import Foundation

/// An interactive review session over today's queue for some cards.
///
/// Every rating is written and fsync'd to the log before the screen acknowledges it; undo,
/// suspend and bury are log events too, so quitting at any point loses nothing.
final class ReviewSession {
  private let workspace: Workspace
  private let app: AppSession
  private let reader: LineReader
  private var queue: StudyQueue
  /// Keys of the cards this session covers, in deck order.
  private let keys: [String]
  private var terminal: Terminal { app.terminal }
  /// Cards rated in this session with their ratings, latest last, for undo.
  private var undoStack: [(key: String, rating: Rating)] = []
  private var reviewed = 0
  private var again = 0
  private let started: Timestamp
  private var shownHint = false
  /// Cards already asked as follow-ups this session: each is offered once.
  private var followedUp = Set<String>()

  static let letters = ["A", "B", "C", "D", "E", "F", "G", "H"]

  /// A multiple-choice card's options, the answer among its `Choices:`, in an order fixed by
  /// the card key (the same each time the card comes back); empty for other cards.
  static func options(for card: Card) -> [String] {
    guard !card.note.choices.isEmpty else { return [] }
    var options = Array((card.note.choices + [card.back]).prefix(letters.count))
    if !options.contains(card.back) { options[options.count - 1] = card.back }
    let seed = card.key.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    var random = SeededRandom(seed: seed)
    options.shuffle(using: &random)
    return options
  }

  /// Longest time counted for one answer: a learner who walks away should not skew stats.
  static let maximumAnswerTime: Int64 = 600_000

  /// - Parameter cards: the cards to study, or nil for every card of every deck.
  init(workspace: Workspace, app: AppSession, cards: [Card]?) {
    self.workspace = workspace
    self.app = app
    keys = cards?.map(\.key) ?? workspace.summaries.flatMap(\.cardKeys)
    reader = app.lineReader()
    queue = workspace.queue(cards: cards)
    started = app.now()
  }

  /// A session over an explicit queue (cram: reviewing ahead).
  init(workspace: Workspace, app: AppSession, keys: [String], queue: StudyQueue) {
    self.workspace = workspace
    self.app = app
    self.keys = keys
    reader = app.lineReader()
    self.queue = queue
    started = app.now()
  }

  /// Runs until the queue is empty, the learner quits, or input ends.
  func run(title: String) {
    if queue.isEmpty {
      terminal.line(nothingDueMessage(title: title))
      return
    }
    let counts = queue.counts
    terminal.line(
      terminal.bold("Reviewing \(title)") + terminal.dim(
        " · \(counts.due) due · \(counts.learning) learning · \(counts.new) new"))
    loop: while true {
      switch queue.next(at: app.now()) {
      case .finished:
        break loop
      case .wait(let until):
        terminal.line(
          "The remaining \(queue.counts.learning) learning card(s) come back at \(workspace.clock.clockText(until)); run 'review' again then."
        )
        break loop
      case .card(let key):
        guard let card = workspace.card(key) else {
          queue.remove(key)
          continue
        }
        if !present(card) { break loop }
      }
    }
    summary()
  }

  // MARK: One card

  private enum Outcome { case next, quit }

  /// Shows one card and handles the learner's input; false when the session should end.
  private func present(_ card: Card) -> Bool {
    let shownAt = app.now()
    let counts = queue.counts
    terminal.line()
    terminal.line(
      terminal.dim("\(card.deckID) · \(counts.due + counts.new) left · \(counts.learning) learning"))
    terminal.line(terminal.bold("Q: ") + card.front)
    // A card written as multiple choice asks about its options: show them.
    let options = ReviewSession.options(for: card)
    for (index, option) in options.enumerated() { terminal.line("  \(ReviewSession.letters[index])) \(option)") }
    if !shownHint {
      terminal.line(
        terminal.dim("Enter shows the answer (or type yours first) · u undo · s suspend · b bury · q quit"))
      shownHint = true
    }
    var typed = ""
    var revealed = false
    question: while true {
      switch reader.read(prompt: "answer> ") {
      case .interrupted: continue question
      case .endOfInput: return false
      case .line(let input):
        // On a multiple-choice card an option's letter is an answer, even "b" or "e".
        if ReviewSession.letters.prefix(options.count).contains(input.trimmingCharacters(in: .whitespaces).uppercased()) {
          typed = input
          break question
        }
        switch command(input) {
        case .quit: return false
        case .undo:
          if undo() { return true }
          continue question
        case .suspend:
          return hide(card, kind: .suspend, message: "Suspended; it will not come back until unsuspended.")
        case .bury:
          return hide(card, kind: .bury, message: "Buried until tomorrow.")
        case .explain:
          reveal(card, typed: "")
          explain(card)
          revealed = true
          break question
        case nil:
          typed = input
          break question
        }
      }
    }
    if !revealed { reveal(card, typed: typed) }
    let previews = previewIntervals(for: card)
    terminal.line(previews)
    while true {
      switch reader.read(prompt: "rate 1-4> ") {
      case .interrupted: continue
      case .endOfInput: return false
      case .line(let input):
        let text = input.trimmingCharacters(in: .whitespaces)
        if let rating = Rating(input: text) {
          return rate(card, rating: rating, shownAt: shownAt) && followUp(after: card, typed: typed, rating: rating)
        }
        switch command(text) {
        case .quit: return false
        case .undo:
          if undo() { return true }
        case .suspend:
          return hide(card, kind: .suspend, message: "Suspended; it will not come back until unsuspended.")
        case .bury:
          return hide(card, kind: .bury, message: "Buried until tomorrow.")
        case .explain:
          explain(card)
        case nil:
          terminal.line(
            terminal.yellow("Rate with 1 again · 2 hard · 3 good · 4 easy (or u, s, b, e, q)."))
        }
      }
    }
  }

  private enum Command { case quit, undo, suspend, bury, explain }

  private func command(_ input: String) -> Command? {
    switch input.trimmingCharacters(in: .whitespaces).lowercased() {
    case "q", "quit": .quit
    case "u", "undo": .undo
    case "s", "suspend": .suspend
    case "b", "bury": .bury
    case "e", "explain", "why": .explain
    default: nil
    }
  }

  private func reveal(_ card: Card, typed: String) {
    terminal.line(terminal.green("A: ") + card.back)
    let answer = typed.trimmingCharacters(in: .whitespaces)
    let options = ReviewSession.options(for: card)
    if let index = ReviewSession.letters.prefix(options.count).firstIndex(of: answer.uppercased()) {
      let right = options[index] == card.back
      terminal.line(terminal.dim("   you: \(ReviewSession.letters[index])) ") + options[index] + " " + (right ? terminal.green("✓") : terminal.red("✗")))
    } else if !answer.isEmpty {
      // The quiz grader's verdict, as a hint for rating: the learner still decides.
      let verdict = AnswerGrader.grade(answer, expected: card.back, accepted: card.note.accept).verdict
      let mark =
        switch verdict {
        case .correct: terminal.green("✓")
        case .close: terminal.yellow("≈ close")
        case .wrong: terminal.red("✗")
        }
      terminal.line(terminal.dim("   you: ") + answer + " " + mark)
    }
    if !card.note.why.isEmpty { terminal.line(terminal.dim("   (e shows why)")) }
  }

  private func explain(_ card: Card) {
    terminal.line(
      card.note.why.isEmpty ? terminal.dim("This card has no explanation.") : terminal.cyan("Why: ") + card.note.why)
  }

  private func previewIntervals(for card: Card) -> String {
    let now = app.now()
    return Rating.allCases.map { rating in
      let due = workspace.preview(card.key, rating: rating, at: now)?.due ?? now
      return "\(rating.rawValue) \(rating) \(IntervalText.format(due - now))"
    }.joined(separator: " · ")
  }

  // MARK: Actions

  private func rate(_ card: Card, rating: Rating, shownAt: Timestamp) -> Bool {
    let now = app.now()
    let duration = min(max(0, (now - shownAt).milliseconds), ReviewSession.maximumAnswerTime)
    let event = ReviewEvent(time: now, card: card.key, rating: rating.rawValue, durationMilliseconds: duration, kind: .review)
    do {
      try workspace.append([event], sync: app.syncWrites)
    } catch {
      terminal.error("error: \(error)")
      return false
    }
    // Acknowledge only now: the line is on disk.
    let record = workspace.record(for: card.key) ?? CardRecord()
    queue.update(card.key, record: record)
    undoStack.append((card.key, rating))
    reviewed += 1
    if rating == .again { again += 1 }
    if let due = record.schedule?.due {
      terminal.line(terminal.dim("Recorded \(rating) · next in \(IntervalText.format(due - now))"))
    }
    return true
  }

  /// After a miss (rated Again, or a typed answer the grader marks wrong or close), asks one
  /// related card as a quiz question; false when the learner stopped during it.
  private func followUp(after card: Card, typed: String, rating: Rating) -> Bool {
    let answer = typed.trimmingCharacters(in: .whitespaces)
    let options = ReviewSession.options(for: card)
    let missedTyped =
      !answer.isEmpty && !ReviewSession.letters.prefix(options.count).contains(answer.uppercased())
      && AnswerGrader.grade(answer, expected: card.back, accepted: card.note.accept).verdict != .correct
    guard rating == .again || missedTyped else { return true }
    var quiz = QuizSession(
      workspace: workspace, app: app, keys: [], mode: .typed, study: false, random: SeededRandom(seed: 0),
      topic: card.deckID)
    switch quiz.followUp(after: card, given: answer, asked: &followedUp) {
    case .none, .answered: return true
    case .stopped: return false
    }
  }

  /// Undoes the latest rating of this session; false when there is none.
  private func undo() -> Bool {
    guard let (key, rating) = undoStack.popLast() else {
      terminal.line(terminal.yellow("Nothing to undo in this session."))
      return false
    }
    let event = ReviewEvent(time: app.now(), card: key, rating: 0, kind: .undo)
    do {
      try workspace.append([event], sync: app.syncWrites)
    } catch {
      terminal.error("error: \(error)")
      undoStack.append((key, rating))
      return false
    }
    let record = workspace.record(for: key) ?? CardRecord()
    queue.restore(key, record: record)
    reviewed -= 1
    if rating == .again { again -= 1 }
    terminal.line(terminal.dim("Undid the last rating (\(rating))."))
    return true
  }

  private func hide(_ card: Card, kind: ReviewEvent.Kind, message: String) -> Bool {
    let event = ReviewEvent(time: app.now(), card: card.key, rating: 0, kind: kind)
    do {
      try workspace.append([event], sync: app.syncWrites)
    } catch {
      terminal.error("error: \(error)")
      return false
    }
    queue.remove(card.key)
    terminal.line(terminal.dim(message))
    return true
  }

  // MARK: Messages

  private func summary() {
    guard reviewed > 0 else { return }
    let spent = (app.now() - started).milliseconds
    terminal.line()
    terminal.line(
      terminal.bold("Session done: ") + "\(reviewed) reviewed · \(again) again · \(IntervalText.spent(milliseconds: spent))")
    if !queue.isEmpty, case .wait = queue.next(at: app.now()) {
      return
    }
    if queue.isEmpty { terminal.line(nextDueMessage()) }
  }

  private func nothingDueMessage(title: String) -> String {
    "Nothing due for \(title) today. " + nextDueMessage()
  }

  private func nextDueMessage() -> String {
    let upcoming = keys.compactMap { key -> Timestamp? in
      guard let record = workspace.records[key], !record.suspended else { return nil }
      return record.schedule?.due
    }.filter { $0 >= app.now() }.min()
    let records = workspace.records
    let hasNew = keys.contains { records[$0]?.schedule == nil && records[$0]?.suspended != true }
    var text = ""
    if let upcoming {
      text = "Next card due \(workspace.clock.dateTimeText(upcoming)) (in \(IntervalText.format(upcoming - app.now())))."
    }
    if hasNew {
      text += (text.isEmpty ? "" : " ") + "New cards resume tomorrow (limit \(workspace.config.newCardsPerDay)/day per deck)."
    }
    return text.isEmpty ? "No cards are scheduled." : text
  }
}
