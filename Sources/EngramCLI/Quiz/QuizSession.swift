import EngramCore
import EngramStore
import Foundation

/// Runs a quiz: asks each question, grades it, explains, logs it, and sums up at the end.
struct QuizSession {
  let workspace: Workspace
  let app: AppSession
  let keys: [String]
  let mode: QuizCommand.Mode
  let study: Bool
  var random: SeededRandom
  let topic: String
  /// The topic as the learner can type it again (`quiz` + these words repeats the selection).
  let query: String

  private var terminal: Terminal { app.terminal }

  /// Whether `:u` at a prompt ends the question to undo: true for a follow-up inside a review,
  /// where the rating that led to it can be taken back.
  var undoable = false
  /// Set when the learner typed `:u` where `undoable` allows it.
  private(set) var undoRequested = false

  /// One answered question, for the summary.
  struct Answer {
    var card: Card
    var verdict: AnswerGrader.Verdict
    var given: String
  }

  init(
    workspace: Workspace, app: AppSession, keys: [String], mode: QuizCommand.Mode, study: Bool,
    random: SeededRandom, topic: String, query: String
  ) {
    self.workspace = workspace
    self.app = app
    self.keys = keys
    self.mode = mode
    self.study = study
    self.random = random
    self.topic = topic
    self.query = query
  }

  mutating func run() {
    let started = app.now()
    terminal.line(
      terminal.bold("Quiz: \(topic)")
        + terminal.dim(
          " · \(counted(keys.count, "question")) · \(mode.rawValue)"
            + (study ? " · answers count as reviews" : "")))
    var answers: [Answer] = []
    var followUps: [Answer] = []
    // Sibling groups the quiz asks: a follow-up never comes from one, so no two siblings meet.
    var asked = Set(keys.compactMap { workspace.card($0)?.siblingGroup })
    // A follow-up per three questions at most: ten misses in ten questions make a quiz of
    // fourteen, not twenty.
    let followUpLimit = max(1, (keys.count + 2) / 3)
    quiz: for (index, key) in keys.enumerated() {
      guard let card = workspace.card(key) else { continue }
      terminal.line()
      terminal.line(
        terminal.dim(
          "\(index + 1)/\(keys.count) · \(card.deckID)"
            + (card.note.tags.isEmpty ? "" : " · " + card.note.tags.joined(separator: ", "))))
      let shownAt = app.now()
      guard let (verdict, given) = ask(card) else { break }  // Ctrl-C or end of input: sum up
      guard log(card, verdict: verdict, shownAt: shownAt) else { break }
      answers.append(Answer(card: card, verdict: verdict, given: given))
      if verdict != .correct && followUps.count < followUpLimit {
        // A flip answer is a self-grade: nothing was typed, so there is nothing to hint at.
        let typed = kind(for: card) == .flip ? nil : given
        switch followUp(after: card, given: typed, missed: verdict == .wrong, asked: &asked) {
        case .none: break
        case .answered(let answer): followUps.append(answer)
        case .stopped, .undo: break quiz
        }
      }
    }
    summary(answers, spent: app.now() - started)
    if !followUps.isEmpty {
      let right = followUps.filter { $0.verdict == .correct }.count
      terminal.line(
        terminal.dim("Follow-ups: \(right) of \(followUps.count) right (not in the score; logged as quiz answers)."))
    }
  }

  /// What came of offering a follow-up question.
  enum FollowUpOutcome {
    /// Follow-ups are off, or no related card was found.
    case none
    case answered(Answer)
    /// The learner stopped (Ctrl-C, end of input, `:q`) or the answer could not be logged.
    case stopped
    /// The learner typed `:u` (only when `undoable`): undo the rating that led here.
    case undo
  }

  /// After a wrong or close answer, asks one related card at once: one the missed card links
  /// to with `See:`, else the nearest by tags and words in its deck. The key terms the grader
  /// found missing from a typed answer are shown as a hint. Logged as a `quiz` event, so it
  /// never moves scheduling.
  ///
  /// - Parameters:
  ///   - given: what the learner typed; nil for a flip answer (self-graded, nothing typed).
  ///   - missed: whether the answer was a miss (wrong, or rated Again) rather than close or
  ///     Hard; the header says "what you just missed" only then.
  ///   - asked: sibling groups already asked or to be asked; the follow-up's is added.
  mutating func followUp(
    after missed: Card, given: String?, missed wasMissed: Bool = true, asked: inout Set<String>
  ) -> FollowUpOutcome {
    guard workspace.config.followUps else { return .none }
    let linked = missed.note.see.compactMap { workspace.card($0) ?? workspace.card($0 + "#1") }
    let neighbours = workspace.library.deck(id: missed.deckID)?.cards ?? []
    guard let card = FollowUp.pick(after: missed, linked: linked, neighbours: neighbours, excluding: asked) else {
      return .none
    }
    asked.insert(card.siblingGroup)
    terminal.line()
    terminal.line(
      terminal.dim(
        "Follow-up · \(card.deckID) · "
          + (wasMissed ? "related to what you just missed" : "related to your last answer")))
    let missing =
      given.map { AnswerGrader.grade($0, expected: missed.back, accepted: missed.note.accept).missingTerms } ?? []
    // A multiple-choice answer is a letter: no terms to hint at.
    if !missing.isEmpty && missed.note.choices.isEmpty {
      terminal.line(terminal.dim("Hint: your last answer left out ") + missing.joined(separator: ", "))
    }
    let shownAt = app.now()
    guard let (verdict, answer) = ask(card) else { return undoRequested ? .undo : .stopped }
    let event = ReviewEvent(
      time: app.now(), card: card.key, action: .quiz(verdict),
      durationMilliseconds: min(max(0, (app.now() - shownAt).milliseconds), 600_000))
    do { try workspace.append([event], sync: app.syncWrites) } catch {
      terminal.error("error: \(error)")
      return .stopped
    }
    return .answered(Answer(card: card, verdict: verdict, given: answer))
  }

  // MARK: Asking

  /// Wrong options built from other cards for a question without `Choices:`: all three or
  /// none, since one or two wrong options make the answer a guess between few.
  static let builtOptions = 3

  /// How `card` is asked in this quiz's mode, given the wrong options found for it.
  func kind(for card: Card, options: [String]) -> QuizCommand.Mode {
    // A card written as multiple choice ("Which of these…") needs its options in every mode;
    // in a typed quiz they are listed and the answer is still typed (a letter counts too).
    if !card.note.choices.isEmpty && options.count >= 1 { return mode == .typed ? .typed : .choice }
    let built = options.count >= Self.builtOptions
    // Without good wrong options a short answer is typed and a long one recalled and self-graded.
    let fallback: QuizCommand.Mode = card.back.count <= 60 ? .typed : .flip
    switch mode {
    case .typed, .flip: return mode
    case .choice: return built ? .choice : fallback
    case .mixed:
      if CardKey(card.key)?.blank != nil { return .typed }
      // Long answers are better recognised than recalled word for word.
      if built && card.back.count > 60 { return .choice }
      return fallback
    }
  }

  /// How `card` is asked, with the wrong options the library offers for it.
  func kind(for card: Card) -> QuizCommand.Mode {
    kind(for: card, options: Distractors.options(for: card, among: workspace.library.cards))
  }

  /// Asks one question; nil when the learner stops (Ctrl-C, end of input).
  private mutating func ask(_ card: Card) -> (AnswerGrader.Verdict, String)? {
    let distractors = Distractors.options(for: card, among: workspace.library.cards)
    switch kind(for: card, options: distractors) {
    case .choice: return askChoice(card, distractors: distractors)
    case .flip: return askFlip(card)
    case .typed, .mixed:
      // A multiple-choice card's options in the order review shows them (fixed per card).
      return askTyped(card, options: ReviewSession.options(for: card))
    }
  }

  static let letters = ChoiceAnswer.letters

  /// Asks for a typed answer. A multiple-choice card lists its `options`: the answer is still
  /// typed and graded like any other, and a single option letter picks that option.
  private mutating func askTyped(_ card: Card, options: [String]) -> (AnswerGrader.Verdict, String)? {
    terminal.block(terminal.bold("Q: "), card.front)
    for (index, option) in options.enumerated() { terminal.block("  \(Self.letters[index])) ", option) }
    guard var given = readAnswer(prompt: "answer> ") else { return nil }
    // An option's letter, number or text (or its unambiguous start) picks it, as in review; a
    // wrong option typed out is wrong, however close its words are to the answer's.
    let (picked, result) = ChoiceAnswer.grade(given, card: card, options: options)
    if let picked { given = options[picked] }
    switch result.verdict {
    // The answer hangs under itself when it wraps, like the question above it.
    case .correct: terminal.block(terminal.green("✓ correct") + terminal.dim(" · ours: "), card.back)
    case .close: terminal.block(terminal.yellow("≈ close, accepted") + terminal.dim(" · ours: "), card.back)
    case .wrong: terminal.block(terminal.red("✗ not quite") + terminal.dim(" · ours: "), card.back)
    }
    terminal.line(terminal.dim("  yours: ") + (given.isEmpty ? "(blank)" : given))
    if !result.missingTerms.isEmpty && result.verdict != .correct {
      terminal.line(terminal.dim("  missing: ") + result.missingTerms.joined(separator: ", "))
    }
    showSentence(card)
    explain(card)
    return (result.verdict, given)
  }

  private mutating func askChoice(_ card: Card, distractors: [String]) -> (AnswerGrader.Verdict, String)? {
    var options = ReviewSession.options(for: card)
    if options.isEmpty {
      options = distractors + [card.back]
      options.shuffle(using: &random)
    }
    let letters = Self.letters
    terminal.block(terminal.bold("Q: "), card.front)
    for (index, option) in options.enumerated() { terminal.block("  \(letters[index])) ", option) }
    while true {
      guard let given = readAnswer(prompt: "choice> ") else { return nil }
      let text = given.trimmingCharacters(in: .whitespaces)
      guard let chosen = ChoiceAnswer.pick(text, options: options, choiceOnly: true) else {
        terminal.line(
          terminal.yellow(
            "Answer with a letter A-\(letters[options.count - 1]), a number 1-\(options.count) or the start of an option's text."
          ))
        continue
      }
      let right = options[chosen] == card.back
      let answerLetter = letters[options.firstIndex(of: card.back) ?? 0]
      if right {
        terminal.line(terminal.green("✓ correct") + terminal.dim(" · \(answerLetter)) ") + card.back)
      } else {
        terminal.block(terminal.red("✗ not quite") + terminal.dim(" · ours: \(answerLetter)) "), card.back)
        terminal.line(terminal.dim("  yours: \(letters[chosen])) ") + options[chosen])
      }
      showSentence(card)
      explain(card)
      return (right ? .correct : .wrong, options[chosen])
    }
  }

  private mutating func askFlip(_ card: Card) -> (AnswerGrader.Verdict, String)? {
    terminal.block(terminal.bold("Q: "), card.front)
    guard readAnswer(prompt: "think, then Enter> ") != nil else { return nil }
    terminal.block(terminal.green("A: "), revealed(card))
    explain(card)
    while true {
      guard let given = readAnswer(prompt: "did you know it? y / p (partly) / n> ") else { return nil }
      switch given.trimmingCharacters(in: .whitespaces).lowercased() {
      case "y", "yes", "3": return (.correct, "(self-graded yes)")
      case "p", "partly", "2": return (.close, "(self-graded partly)")
      case "n", "no", "1": return (.wrong, "(self-graded no)")
      default: terminal.line(terminal.yellow("Answer y, p or n."))
      }
    }
  }

  /// A line of input; nil on Ctrl-C, end of input or `:q`, which end the quiz. The colon
  /// commands of a review's answer prompt mean the same here where they can (`:q`, and `:u` in a
  /// follow-up inside a review); any other line is an answer, as in review.
  private mutating func readAnswer(prompt: String) -> String? {
    while true {
      switch app.lineReader().read(prompt: prompt) {
      case .interrupted, .endOfInput: return nil
      case .line(let text):
        switch ReviewSession.Command.atAnswerPrompt(text) {
        case nil: return text
        case .quit: return nil
        case .undo where undoable:
          undoRequested = true
          return nil
        case .some:
          terminal.line(
            terminal.yellow(
              undoable
                ? "Here ':u' takes back your rating (skipping this follow-up) and ':q' stops; anything else is your answer."
                : "In a quiz ':q' stops; anything else is your answer (answers are logged as quiz answers, not undone)."
            ))
        }
      }
    }
  }

  /// The answer as shown: a cloze's whole sentence with its blank filled in and highlighted.
  private func revealed(_ card: Card) -> String {
    card.revealedCloze { terminal.bold(terminal.green($0)) } ?? card.back
  }

  /// For a cloze card, the whole sentence with the answer in its place.
  private func showSentence(_ card: Card) {
    guard card.revealedCloze(mark: { $0 }) != nil else { return }
    terminal.block(terminal.green("A: "), revealed(card))
  }

  private func explain(_ card: Card) {
    if !card.note.why.isEmpty { terminal.block(terminal.cyan("Why: "), card.note.why) }
  }

  // MARK: Logging

  /// Appends the answer durably: a `quiz` event, or a review with `--study`.
  private func log(_ card: Card, verdict: AnswerGrader.Verdict, shownAt: Timestamp) -> Bool {
    let now = app.now()
    let duration = min(max(0, (now - shownAt).milliseconds), 600_000)
    let event = ReviewEvent(
      time: now, card: card.key, action: study ? .review(verdict.studyRating) : .quiz(verdict),
      durationMilliseconds: duration)
    do {
      try workspace.append([event], sync: app.syncWrites)
      return true
    } catch {
      terminal.error("error: \(error)")
      return false
    }
  }

  // MARK: Summary

  private func summary(_ answers: [Answer], spent: Interval) {
    terminal.line()
    guard !answers.isEmpty else {
      terminal.line("Quiz ended before any answer.")
      return
    }
    var score = QuizScore()
    for answer in answers { score.add(answer.verdict) }
    terminal.line(
      terminal.bold("Score: \(score.fractionText)")
        + " (\(score.percent)%) · \(score.correct) correct · \(score.close) close · \(score.wrong) wrong · \(IntervalText.spent(milliseconds: spent.milliseconds))"
        + (answers.count < keys.count ? " · stopped after \(answers.count) of \(keys.count)" : ""))
    terminal.line(terminal.dim("  a close answer counts half a point"))
    // Per tag (or deck, for untagged cards), by the same rule.
    var byTag: [String: QuizScore] = [:]
    for answer in answers {
      for tag in answer.card.note.tags.isEmpty ? [answer.card.deckID] : answer.card.note.tags {
        byTag[tag, default: QuizScore()].add(answer.verdict)
      }
    }
    // Lowest share first (a.points / a.total < b.points / b.total, without division); among
    // equal shares the one asked most (0/2 is surer evidence than 0/1), then by name.
    func share(_ a: QuizScore, _ b: QuizScore) -> Int { a.halfPoints * b.total - b.halfPoints * a.total }
    let ordered = byTag.sorted { a, b in
      let difference = share(a.value, b.value)
      if difference != 0 { return difference < 0 }
      return a.value.total != b.value.total ? a.value.total > b.value.total : a.key < b.key
    }
    // Every tag at the lowest share: naming one of several equals would be arbitrary.
    let weakest = ordered.prefix { share($0.value, ordered[0].value) == 0 }
    terminal.line("By tag: " + ordered.map { "\($0.key) \($0.value.fractionText)" }.joined(separator: " · "))
    let missed = answers.filter { $0.verdict == .wrong }
    if !missed.isEmpty {
      terminal.line("Missed:")
      for answer in missed {
        terminal.line("  • " + answer.card.front)
        terminal.line(terminal.dim("    answer: ") + answer.card.back)
      }
    }
    let suggestions = nextCommands(score: score, weakest: Array(weakest), answers: answers)
    if score.isPerfect {
      terminal.line("Everything right.")
    } else if !weakest.isEmpty {
      let named = weakest.prefix(3).map { "\($0.key) (\($0.value.fractionText))" }
      let more = weakest.count > 3 ? " and \(weakest.count - 3) more" : ""
      terminal.line("Weakest: \(named.joined(separator: ", "))\(more).")
    }
    for (index, command) in suggestions.enumerated() {
      terminal.line((index == 0 ? "Next: " : "  or: ") + command)
    }
  }

  /// Commands worth running next, each runnable exactly as printed (in the REPL, or after
  /// `engram` in a shell): the weakest tag again (when one tag alone is weakest and it names
  /// its cards unambiguously) or this topic, and a review of the deck with the first miss.
  private func nextCommands(score: QuizScore, weakest: [(key: String, value: QuizScore)], answers: [Answer])
    -> [String]
  {
    let again = ShellWords.quote(query)
    if score.isPerfect {
      if mode != .typed { return ["quiz \(again) --mode typed"] }
      return study ? ["quiz \(again) --mode typed"] : ["review \(again)", "quiz \(again) --mode typed"]
    }
    var commands: [String] = []
    if weakest.count == 1, let weakest = weakest.first, weakest.value.total > 0, !weakest.value.isPerfect,
      weakest.key != query, case .cards = TopicResolver.resolve(weakest.key, decks: workspace.library.decks)
    {
      commands.append("quiz \(ShellWords.quote(weakest.key))")
    } else {
      commands.append("quiz \(again)")
    }
    if !study {
      let deck = answers.first { $0.verdict != .correct }?.card.deckID ?? answers[0].card.deckID
      commands.append("review \(ShellWords.quote(deck))")
    }
    return commands
  }
}
