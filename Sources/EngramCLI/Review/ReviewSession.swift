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
  /// Keys of the cards this session covers, in deck order; nil for every card of every deck
  /// (not listed: 100,000 keys that only the closing message would read).
  private let keys: [String]?
  private var terminal: Terminal { app.terminal }
  /// Ratings, suspends and buries of this session, latest last, for undo.
  private var undoStack: [Action] = []
  /// The queue's `mark` before each action of `undoStack`: undoing one reverts the queue to it
  /// instead of rebuilding today's queue over every deck.
  private var marks: [Int] = []
  private var reviewed = 0
  private var again = 0
  private let started: Timestamp
  private var shownHint = false
  /// Sibling groups already asked as follow-ups this session: each is offered once.
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

  /// Builds today's queue from the log as it is now: at the start, and again after an undo
  /// (after an answer the queue is updated in place: the card re-filed, its siblings buried).
  private let makeQueue: () -> StudyQueue

  /// - Parameter cards: the cards to study, or nil for every card of every deck.
  convenience init(workspace: Workspace, app: AppSession, cards: [Card]?) {
    self.init(
      workspace: workspace, app: app, keys: cards?.map(\.key),
      makeQueue: { workspace.queue(cards: cards) })
  }

  /// A session over a queue made by `makeQueue` (cram makes a review-ahead one).
  init(workspace: Workspace, app: AppSession, keys: [String]?, makeQueue: @escaping () -> StudyQueue) {
    self.workspace = workspace
    self.app = app
    self.keys = keys
    self.makeQueue = makeQueue
    reader = app.lineReader()
    queue = makeQueue()
    started = app.now()
  }

  /// The write that ended the session early (a full disk, a read-only directory): nothing
  /// after it was recorded, and the command exits 1 with it.
  private var failure: Error?

  /// Runs until the queue is empty, the learner quits, or input ends.
  ///
  /// - Throws: the error of a rating, suspend or bury that could not be written, after the
  ///   summary (which counts only what was recorded).
  ///
  /// - Parameter cramming: the queue holds cards not yet due (`cram`): the header counts them
  ///   as ahead of schedule, not as due.
  func run(title: String, cramming: Bool = false) throws {
    if queue.isEmpty {
      terminal.line(nothingDueMessage(title: title))
      return
    }
    let counts = queue.counts
    terminal.line(
      cramming
        ? terminal.bold("Cramming \(title)") + terminal.dim(" · \(counted(counts.due, "card")) ahead of schedule")
        : terminal.bold("Reviewing \(title)")
          + terminal.dim(" · \(counts.due) due · \(counts.learning) learning · \(counts.new) new"))
    loop: while true {
      switch queue.next(at: app.now()) {
      case .finished:
        break loop
      case .wait(let until):
        let remaining = queue.counts.learning
        terminal.line(
          "The remaining \(counted(remaining, "learning card")) \(remaining == 1 ? "comes" : "come") back at \(workspace.clock.clockText(until)); run 'review' again then."
        )
        break loop
      case .card(let key):
        guard let card = workspace.card(key) else {
          queue.remove(key)
          continue
        }
        // A learning card shown before its time (nothing else is left, as Anki does) says so,
        // since the last rating said "next in 10m".
        if let due = workspace.record(for: key)?.schedule?.due, due > app.now() {
          terminal.line(
            terminal.dim(
              "Shown early: nothing else is left, and it was due at \(workspace.clock.clockText(due)) (in \(IntervalText.format(due - app.now())))."
            ))
        }
        switch present(card) {
        case .next: continue loop
        case .quit: break loop
        case .endOfInput:
          // Ctrl-D ends the session like q; the prompt's line is ended first.
          if terminal.inputIsTerminal { terminal.line() }
          break loop
        }
      }
    }
    summary()
    if let failure { throw failure }
  }

  // MARK: One card

  private enum Outcome { case next, quit, endOfInput }

  /// A session command: one key at the rating prompt, or the same letter after a colon (`:s`)
  /// at either prompt. At the answer prompt only the colon form is a command, so any typed
  /// text (even `s` or `q`) is an answer.
  enum Command: CaseIterable {
    case undo, suspend, bury, explain, quit

    /// The key and the words that name it.
    var names: [String] {
      switch self {
      case .undo: ["u", "undo"]
      case .suspend: ["s", "suspend"]
      case .bury: ["b", "bury"]
      case .explain: ["e", "explain", "why"]
      case .quit: ["q", "quit"]
      }
    }

    /// The command `input` names at the rating prompt (`s`, `suspend`, `:s`).
    static func atRatingPrompt(_ input: String) -> Command? {
      let text = input.trimmingCharacters(in: .whitespaces).lowercased()
      let word = text.hasPrefix(":") ? String(text.dropFirst()) : text
      return allCases.first { $0.names.contains(word) }
    }

    /// The command `input` names at the answer prompt: only the colon form (`:s`, `:suspend`).
    static func atAnswerPrompt(_ input: String) -> Command? {
      let text = input.trimmingCharacters(in: .whitespaces).lowercased()
      guard text.hasPrefix(":") else { return nil }
      return allCases.first { $0.names.contains(String(text.dropFirst())) }
    }
  }

  /// Shows one card and handles the learner's input.
  private func present(_ card: Card) -> Outcome {
    let shownAt = app.now()
    let counts = queue.counts
    let options = ReviewSession.options(for: card)
    // Laid out at the width of the moment each part is drawn: a resized window is followed.
    var screen: CardScreen {
      CardScreen(
        card: card, options: options, columns: terminal.columns, terminal: terminal,
        mediaDirectory: app.directory.mediaPath)
    }
    terminal.line()
    for line in screen.question(
      heading: "\(card.deckID) · \(counts.due + counts.new) left · \(counts.learning) learning")
    {
      terminal.write(line + "\n")
    }
    if !shownHint {
      terminal.line(
        terminal.dim(
          "Enter shows the answer (or type yours first) · :u undo · :s suspend · :b bury · :e why · :q quit"))
      shownHint = true
    }
    var typed = ""
    var explained = false
    question: while true {
      switch reader.read(prompt: "answer> ") {
      case .interrupted: continue question
      case .endOfInput: return .endOfInput
      case .line(let input):
        // Whatever is typed here is the answer (an option's letter on a multiple-choice
        // card), unless it is a colon command.
        guard let command = Command.atAnswerPrompt(input) else {
          typed = input
          break question
        }
        switch command {
        case .quit: return .quit
        case .undo:
          if undo() { return .next }
        case .suspend: return hide(card, kind: .suspend) ? .next : .quit
        case .bury: return hide(card, kind: .bury) ? .next : .quit
        case .explain:
          explained = true
          break question
        }
      }
    }
    for line in screen.answer(typed: typed) { terminal.write(line + "\n") }
    if explained {
      for line in screen.explanation() { terminal.write(line + "\n") }
    } else if !card.note.why.isEmpty {
      terminal.line(terminal.dim("   (e shows why)"))
    }
    let states = nextStates(for: card)
    terminal.line(preview(states))
    while true {
      switch reader.read(prompt: "rate 1-4> ") {
      case .interrupted: continue
      case .endOfInput: return .endOfInput
      case .line(let input):
        let text = input.trimmingCharacters(in: .whitespaces)
        if let rating = Rating(input: text) {
          return rate(card, rating: rating, states: states, shownAt: shownAt)
            && followUp(after: card, typed: typed, rating: rating)
            ? .next : .quit
        }
        switch Command.atRatingPrompt(text) {
        case .quit: return .quit
        case .undo:
          if undo() { return .next }
        case .suspend: return hide(card, kind: .suspend) ? .next : .quit
        case .bury: return hide(card, kind: .bury) ? .next : .quit
        case .explain:
          for line in screen.explanation() { terminal.write(line + "\n") }
        case nil:
          terminal.line(
            terminal.yellow(
              "Rate with 1 again · 2 hard · 3 good · 4 easy (or u undo, s suspend, b bury, e why, q quit)."))
        }
      }
    }
  }

  /// The card's four next states, computed once when its answer is shown: their intervals are
  /// what the learner sees, and the chosen one is what the log gives (see `rate`).
  private func nextStates(for card: Card) -> NextStates {
    let now = app.now()
    return workspace.nextStates(for: card.key, at: now)
  }

  private func preview(_ states: NextStates) -> String {
    Rating.allCases.map { "\($0.rawValue) \($0) \(IntervalText.format(states.interval($0)))" }.joined(separator: " · ")
  }

  // MARK: Actions

  /// What `u` takes back, latest last: a rating, a suspend or a bury of this session.
  private enum Action {
    case rated(key: String, rating: Rating)
    case hidden(key: String, kind: ReviewEvent.Kind)

    var key: String {
      switch self {
      case .rated(let key, _), .hidden(let key, _): key
      }
    }
  }

  /// Logs the rating at the time `states` were computed, so that replay gives exactly the
  /// state previewed, however long the rating prompt stayed open (across UTC midnight, which
  /// reseeds fuzz, or a day boundary of elapsed time); the duration runs to the rating.
  private func rate(_ card: Card, rating: Rating, states: NextStates, shownAt: Timestamp) -> Bool {
    let duration = min(max(0, (app.now() - shownAt).milliseconds), ReviewSession.maximumAnswerTime)
    let event = ReviewEvent(time: states.time, card: card.key, action: .review(rating), durationMilliseconds: duration)
    do {
      try workspace.append([event], sync: app.syncWrites)
    } catch {
      failure = error
      return false
    }
    // Acknowledge only now: the line is on disk.
    let record = workspace.record(for: card.key) ?? CardRecord()
    marks.append(queue.mark)
    queue.update(card.key, record: record)
    queue.buryingSiblings(of: card.key)
    undoStack.append(.rated(key: card.key, rating: rating))
    reviewed += 1
    if rating == .again { again += 1 }
    if let due = record.schedule?.due {
      terminal.line(terminal.dim("Recorded \(rating) · next in \(IntervalText.format(due - states.time))"))
    }
    // A leech event is written with the review that made the card one (same time).
    if record.leechedAt == states.time {
      terminal.line(
        terminal.yellow(
          "This card is now a leech (\(counted(record.lapses, "lapse")))"
            + (record.suspended
              ? " and is suspended: 'leeches' lists it with ways to fix it; 'unsuspend \(card.key)' brings it back."
              : ": 'leeches' lists it with ways to fix it.")))
    }
    return true
  }

  /// After a miss (rated Again, or a typed answer the grader marks wrong or close), asks one
  /// related card as a quiz question; false when the learner stopped during it.
  private func followUp(after card: Card, typed: String, rating: Rating) -> Bool {
    let answer = typed.trimmingCharacters(in: .whitespaces)
    let options = ReviewSession.options(for: card)
    let typedVerdict = ChoiceAnswer.grade(answer, card: card, options: options).result.verdict
    let missedTyped = !answer.isEmpty && typedVerdict != .correct
    guard rating == .again || missedTyped else { return true }
    var quiz = QuizSession(
      workspace: workspace, app: app, keys: [], mode: .typed, study: false, random: SeededRandom(seed: 0),
      topic: card.deckID, query: card.deckID)
    quiz.undoable = true
    switch quiz.followUp(
      after: card, given: answer, missed: rating == .again || typedVerdict == .wrong, asked: &followedUp)
    {
    case .none, .answered: return true
    case .stopped: return false
    case .undo:
      _ = undo()
      return failure == nil
    }
  }

  /// Undoes the latest rating, suspend or bury of this session; false when there is none.
  private func undo() -> Bool {
    guard let action = undoStack.popLast() else {
      terminal.line(terminal.yellow("Nothing to undo in this session."))
      return false
    }
    let undoing: ReviewEvent.Action
    switch action {
    case .rated: undoing = .undo
    case .hidden(_, let hidden): undoing = hidden == .suspend ? .unsuspend : .unbury
    }
    let event = ReviewEvent(time: app.now(), card: action.key, action: undoing)
    do {
      try workspace.append([event], sync: app.syncWrites)
    } catch {
      failure = error
      undoStack.append(action)
      return false
    }
    let record = workspace.record(for: action.key) ?? CardRecord()
    // The queue before the action is what rebuilding it now gives: the action is undone.
    if let mark = marks.popLast() { queue.revert(to: mark) } else { queue = makeQueue() }
    queue.restore(action.key, record: record)
    switch action {
    case .rated(_, let rating):
      reviewed -= 1
      if rating == .again { again -= 1 }
      terminal.line(terminal.dim("Undid the last rating (\(rating))."))
    case .hidden(_, let hidden):
      terminal.line(terminal.dim(hidden == .suspend ? "Unsuspended the card." : "Unburied the card."))
    }
    return true
  }

  /// Suspends or buries the card (a log event, undone by `u`).
  private func hide(_ card: Card, kind: ReviewEvent.Kind) -> Bool {
    let event = ReviewEvent(time: app.now(), card: card.key, action: kind == .suspend ? .suspend : .bury)
    do {
      try workspace.append([event], sync: app.syncWrites)
    } catch {
      failure = error
      return false
    }
    marks.append(queue.mark)
    queue.remove(card.key)
    undoStack.append(.hidden(key: card.key, kind: kind))
    let name = "\"" + TextLayout.truncate(card.front, columns: max(20, terminal.columns / 2)) + "\""
    if kind == .suspend {
      terminal.line(
        terminal.dim(
          "Suspended \(name) (\(card.key)); it stays out of reviews until 'unsuspend \(card.key)'. :u undoes this."))
    } else {
      terminal.line(terminal.dim("Buried \(name) until the next study day. :u undoes this."))
    }
    return true
  }

  // MARK: Messages

  private func summary() {
    guard reviewed > 0 else { return }
    let spent = (app.now() - started).milliseconds
    terminal.line()
    terminal.line(
      terminal.bold("Session done: ")
        + "\(reviewed) reviewed · \(again) again · \(IntervalText.spent(milliseconds: spent)) in session")
    if !queue.isEmpty, case .wait = queue.next(at: app.now()) {
      return
    }
    if queue.isEmpty { terminal.line(nextDueMessage()) }
  }

  private func nothingDueMessage(title: String) -> String {
    (title == "all decks" ? "Nothing due today in any deck. " : "Nothing due for \(title) today. ") + nextDueMessage()
  }

  private func nextDueMessage() -> String {
    // One pass: at 100,000 cards this runs as the session closes. Over every deck, the
    // records are read in deck order where they are (no dictionary of every card is built).
    let now = app.now()
    var upcoming: Timestamp?
    var hasNew = false
    func visit(_ record: CardRecord?) {
      guard let record else {
        hasNew = true
        return
      }
      if record.suspended { return }
      guard let due = record.schedule?.due else {
        hasNew = true
        return
      }
      if due >= now, upcoming.map({ due < $0 }) ?? true { upcoming = due }
    }
    if let keys {
      for key in keys { visit(workspace.record(for: key)) }
    } else {
      workspace.forEachDeckCardRecord(visit)
    }
    var text = ""
    if let upcoming {
      text =
        "Next card due \(workspace.clock.dateTimeText(upcoming)) (in \(IntervalText.format(upcoming - app.now())))."
    }
    if hasNew {
      let config = workspace.config
      if config.newCardsPerDay == 0 || config.newCardsPerDayTotal == 0 {
        // Limits of 0 never resume: say what to change, and what works meanwhile.
        let key = config.newCardsPerDay == 0 ? "new_cards_per_day" : "new_cards_per_day_total"
        text +=
          (text.isEmpty ? "" : " ")
          + "New cards are off (\(key) = 0 in config.toml); 'quiz TOPIC' practises cards you have not started."
      } else {
        let total = config.newCardsPerDayTotal > 0 ? ", \(config.newCardsPerDayTotal)/day in all" : ""
        text +=
          (text.isEmpty ? "" : " ") + "New cards resume tomorrow (limit \(config.newCardsPerDay)/day per deck\(total))."
      }
    }
    return text.isEmpty ? "No cards are scheduled." : text
  }
}
