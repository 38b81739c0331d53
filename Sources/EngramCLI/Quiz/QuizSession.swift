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

  private var terminal: Terminal { app.terminal }

  /// One answered question, for the summary.
  struct Answer {
    var card: Card
    var verdict: AnswerGrader.Verdict
    var given: String
  }

  init(
    workspace: Workspace, app: AppSession, keys: [String], mode: QuizCommand.Mode, study: Bool,
    random: SeededRandom, topic: String
  ) {
    self.workspace = workspace
    self.app = app
    self.keys = keys
    self.mode = mode
    self.study = study
    self.random = random
    self.topic = topic
  }

  mutating func run() {
    let started = app.now()
    terminal.line(
      terminal.bold("Quiz: \(topic)") + terminal.dim(" · \(keys.count) questions · \(mode.rawValue)"
        + (study ? " · answers count as reviews" : "")))
    var answers: [Answer] = []
    for (index, key) in keys.enumerated() {
      guard let card = workspace.card(key) else { continue }
      terminal.line()
      terminal.line(terminal.dim("\(index + 1)/\(keys.count) · \(card.deckID)" + (card.note.tags.isEmpty ? "" : " · " + card.note.tags.joined(separator: ", "))))
      let shownAt = app.now()
      guard let (verdict, given) = ask(card) else { break }  // Ctrl-C or end of input: sum up
      guard log(card, verdict: verdict, shownAt: shownAt) else { break }
      answers.append(Answer(card: card, verdict: verdict, given: given))
    }
    summary(answers, spent: app.now() - started)
  }

  // MARK: Asking

  private func kind(for card: Card, options: [String]) -> QuizCommand.Mode {
    // A card written as multiple choice ("Which of these…") needs its options in every mode.
    if !card.note.choices.isEmpty && options.count >= 1 { return .choice }
    switch mode {
    case .typed, .flip: return mode
    case .choice: return options.count >= 2 ? .choice : .typed
    case .mixed:
      if card.key.contains("#") { return .typed }
      if !card.note.choices.isEmpty { return .choice }
      // Long answers are better recognised than recalled word for word.
      if options.count >= 3 && card.back.count > 60 { return .choice }
      return card.back.count <= 60 ? .typed : .flip
    }
  }

  /// Asks one question; nil when the learner stops (Ctrl-C, end of input).
  private mutating func ask(_ card: Card) -> (AnswerGrader.Verdict, String)? {
    let deckCards = workspace.library.deck(id: card.deckID)?.cards ?? []
    let distractors = Distractors.options(for: card, among: deckCards)
    switch kind(for: card, options: distractors) {
    case .choice: return askChoice(card, distractors: distractors)
    case .flip: return askFlip(card)
    case .typed, .mixed: return askTyped(card)
    }
  }

  private func askTyped(_ card: Card) -> (AnswerGrader.Verdict, String)? {
    terminal.block(terminal.bold("Q: "), card.front)
    guard let given = readAnswer(prompt: "answer> ") else { return nil }
    let result = AnswerGrader.grade(given, expected: card.back, accepted: card.note.accept)
    switch result.verdict {
    case .correct: terminal.line(terminal.green("✓ correct") + terminal.dim(" · ours: ") + card.back)
    case .close: terminal.line(terminal.yellow("≈ close, accepted") + terminal.dim(" · ours: ") + card.back)
    case .wrong: terminal.line(terminal.red("✗ not quite") + terminal.dim(" · ours: ") + card.back)
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
    var options = distractors + [card.back]
    options.shuffle(using: &random)
    let letters = ["A", "B", "C", "D", "E", "F"]
    terminal.block(terminal.bold("Q: "), card.front)
    for (index, option) in options.enumerated() { terminal.block("  \(letters[index])) ", option) }
    while true {
      guard let given = readAnswer(prompt: "choice> ") else { return nil }
      let text = given.trimmingCharacters(in: .whitespaces)
      var chosen: Int?
      if let number = Int(text), (1...options.count).contains(number) { chosen = number - 1 }
      if let index = letters.prefix(options.count).firstIndex(of: text.uppercased()) { chosen = index }
      if chosen == nil, let index = options.firstIndex(where: { TextNormalizer.normalized($0) == TextNormalizer.normalized(text) }) {
        chosen = index
      }
      guard let chosen else {
        terminal.line(terminal.yellow("Answer with a letter A-\(letters[options.count - 1]) or a number 1-\(options.count)."))
        continue
      }
      let right = options[chosen] == card.back
      let answerLetter = letters[options.firstIndex(of: card.back) ?? 0]
      if right {
        terminal.line(terminal.green("✓ correct") + terminal.dim(" · \(answerLetter)) ") + card.back)
      } else {
        terminal.line(terminal.red("✗ not quite") + terminal.dim(" · ours: \(answerLetter)) ") + card.back)
        terminal.line(terminal.dim("  yours: \(letters[chosen])) ") + options[chosen])
      }
      showSentence(card)
      explain(card)
      return (right ? .correct : .wrong, options[chosen])
    }
  }

  private func askFlip(_ card: Card) -> (AnswerGrader.Verdict, String)? {
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

  /// A line of input; nil on Ctrl-C or end of input, which end the quiz.
  private func readAnswer(prompt: String) -> String? {
    switch app.lineReader().read(prompt: prompt) {
    case .line(let text): return text
    case .interrupted, .endOfInput: return nil
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
      time: now, card: card.key, rating: verdict.rating, durationMilliseconds: duration,
      kind: study ? .review : .quiz)
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
    let correct = answers.filter { $0.verdict == .correct }.count
    let close = answers.filter { $0.verdict == .close }.count
    let points = Double(correct) + Double(close) * 0.5
    let percent = Int((points / Double(answers.count) * 100).rounded())
    terminal.line(
      terminal.bold("Score: \(correct + close)/\(answers.count)")
        + " (\(percent)%) · \(correct) correct · \(close) close · \(answers.count - correct - close) wrong · \(IntervalText.spent(milliseconds: spent.milliseconds))"
        + (answers.count < keys.count ? " · stopped after \(answers.count) of \(keys.count)" : ""))
    // Per tag (or deck, for untagged cards).
    var byTag: [String: (right: Int, total: Int)] = [:]
    for answer in answers {
      for tag in answer.card.note.tags.isEmpty ? [answer.card.deckID] : answer.card.note.tags {
        byTag[tag, default: (0, 0)].total += 1
        if answer.verdict != .wrong { byTag[tag, default: (0, 0)].right += 1 }
      }
    }
    let ordered = byTag.sorted { a, b in
      let ra = Double(a.value.right) / Double(a.value.total)
      let rb = Double(b.value.right) / Double(b.value.total)
      return ra != rb ? ra < rb : a.key < b.key
    }
    terminal.line("By tag: " + ordered.map { "\($0.key) \($0.value.right)/\($0.value.total)" }.joined(separator: " · "))
    let missed = answers.filter { $0.verdict == .wrong }
    if !missed.isEmpty {
      terminal.line("Missed:")
      for answer in missed {
        terminal.line("  • " + answer.card.front)
        terminal.line(terminal.dim("    answer: ") + answer.card.back)
      }
    }
    if let weakest = ordered.first, weakest.value.right < weakest.value.total {
      terminal.line("Next: quiz \(weakest.key)" + (study ? "" : " · or review \(missed.first?.card.deckID ?? answers[0].card.deckID)"))
    } else {
      terminal.line("Next: everything right. Try 'quiz \(topic) --mode typed' or a new topic.")
    }
  }
}
