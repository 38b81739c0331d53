/// Builds wrong options for a multiple-choice question.
public enum Distractors {
  /// Up to `count` wrong options for `card`: its own `Choices:` first, then, when a question
  /// may be built for it at all (`canBuild`), answers of other cards of the same kind (see
  /// `AnswerKind`), asked the same way (`Shape`), from cards sharing a tag before cards of the
  /// same deck before the rest, closest in length first. Phrases come only from cards on the
  /// same topic (a shared tag, or the deck for an untagged card).
  ///
  /// Never the answer or one of its `Accept:` forms (after normalising), never an option the
  /// grader would accept as the answer, never a sibling of the card (another blank of its
  /// note), never the same option twice, never a yes/no sentence, a grading instruction ("Any
  /// two of: …") or a cloze blank out of its sentence. Phrases of a very different length are
  /// used only when nothing closer is left; other kinds and shapes are never mixed. Fewer than
  /// `count` means the caller should ask the card another way (typed or flip).
  public static func options(for card: Card, among cards: [Card], count: Int = 3) -> [String] {
    var seen = Set(([card.back] + card.note.accept).map(TextNormalizer.normalized))
    var result: [String] = []
    func take(_ option: String) {
      let key = TextNormalizer.normalized(option)
      guard !key.isEmpty, result.count < count, !seen.contains(key),
        AnswerGrader.grade(option, expected: card.back, accepted: card.note.accept).verdict == .wrong
      else { return }
      seen.insert(key)
      result.append(option)
    }
    for choice in card.note.choices { take(choice) }
    guard result.count < count, canBuild(for: card) else { return result }

    let kind = AnswerKind(of: card)
    let shape = Shape(of: card)
    let topic = FollowUp.contentWords(card.front + " " + card.back)
    let tags = Set(card.note.tags)
    let length = card.back.count
    let pool = cards.enumerated().compactMap {
      offset, other -> (card: Card, tier: Int, kind: AnswerKind, offset: Int)? in
      guard !(other.deckID == card.deckID && other.noteID == card.noteID), !other.back.contains("\n"),
        isOption(other)
      else { return nil }
      // Dates, numbers and roles are sorts already; a phrase must answer the same shape of question.
      if case .phrase = kind, Shape(of: other) != shape { return nil }
      let sharesTag = !tags.isDisjoint(with: other.note.tags)
      // A phrase from another topic is easy to rule out ("Time is fixed and scope flexes" beside
      // an incident-reporting deadline): phrases, roles and bare numbers come from cards sharing
      // a tag (or, for an untagged card, its deck). A statement must also be about the same things (two key terms
      // in common).
      let sameTopic = tags.isEmpty ? other.deckID == card.deckID : sharesTag
      switch kind {
      case .phrase, .role, .number(unit: ""):
        // A bare number ("a kappa of 0") means nothing beside another topic's bare number ("33"),
        // and a role is offered only beside roles of the same work.
        guard sameTopic else { return nil }
      case .date, .year, .number: break
      }
      // A role is a name, not a sentence about who does what.
      if kind == .role, Shape(question: "", answer: other.back) != .term { return nil }
      if case .phrase = kind, shape.isStatement,
        topic.intersection(FollowUp.contentWords(other.front + " " + other.back)).count < 2
      {
        return nil
      }
      let sameDeck = other.deckID == card.deckID
      let tier = sharesTag ? (sameDeck ? 0 : 1) : (sameDeck ? 2 : 3)
      return (other, tier, AnswerKind(of: other), offset)
    }.sorted { a, b in
      if a.tier != b.tier { return a.tier < b.tier }
      let da = abs(a.card.back.count - length)
      let db = abs(b.card.back.count - length)
      return da != db ? da < db : a.offset < b.offset
    }
    for strict in [true, false] {
      for candidate in pool where kind.matches(candidate.kind, strict: strict) { take(candidate.card.back) }
    }
    return result
  }

  /// Whether a multiple-choice question may be built for `card` from other cards' answers.
  ///
  /// Not for a yes/no answer (its options would be other cards' "Yes; …"), not for an answer
  /// that is a grading instruction ("Any two of: …": several items are the answer), and for a
  /// cloze only when its answer is a date or a number (a blank's word out of its sentence makes
  /// no option of the same kind) and its sentence does not show the answer (nor for a question
  /// that shows it: "…: precision or recall?"). Nor for a question
  /// asked for a yes or no ("Can consent be…?"), whatever its answer starts with: other cards'
  /// answers to other yes/no questions are no options for it. Nor for a sentence answering a
  /// question of no recognisable shape: any other card's sentence would do, and nearly all of
  /// them answer plainly different questions.
  public static func canBuild(for card: Card) -> Bool {
    let shape = Shape(of: card)
    // A question that shows its answer ("…: precision or recall?") needs no options.
    guard isOption(card), shape != .polar, shape != .sentence, !frontShowsAnswer(card) else { return false }
    if case .cloze = card.note.content {
      switch AnswerKind(of: card) {
      case .date, .year, .number: return !frontShowsAnswer(card)
      case .role, .phrase: return false
      }
    }
    return true
  }

  /// Whether `card`'s answer can stand as an option beside other answers: not a yes/no
  /// sentence, not a grading instruction, and not a cloze blank other than a date or number.
  static func isOption(_ card: Card) -> Bool {
    if AnswerGrader.expectedYesNo(card.back) != nil || ChoiceList(card.back) != nil { return false }
    if card.back.lowercased().hasPrefix("any ") && card.back.contains(":") { return false }
    if case .cloze = card.note.content {
      switch AnswerKind(of: card) {
      case .date, .year, .number: return true
      case .role, .phrase: return false
      }
    }
    return true
  }

  /// Whether the question side of `card` contains its answer's words in a row (a cloze whose
  /// other words repeat the blank: "… distribution of a model's [...], while … between the
  /// inputs and the target" for "inputs").
  public static func frontShowsAnswer(_ card: Card) -> Bool {
    let answer = TextNormalizer.words(card.back).filter { !TextNormalizer.articles.contains($0) }
    let front = TextNormalizer.words(card.front)
    guard !answer.isEmpty, answer.count <= front.count else { return false }
    for start in 0...(front.count - answer.count) where Array(front[start..<start + answer.count]) == answer {
      return true
    }
    return false
  }

  /// How a question is asked, read from its wording, so that a wrong option answers the same
  /// sort of question: a step for a step, a deadline for a deadline, a metric for a metric. Two
  /// answers of one `AnswerKind` stand side by side only when their questions have one shape.
  public enum Shape: Hashable, Sendable {
    /// "When…?", "How soon…?", "How long…?", "By when…?", "… deadline …".
    case time
    /// "What should you do…?", "What step…?", "How should…?": an action.
    case action
    /// "Why…?", "What is a likely cause…?", "What does this do to…?": an explanation or an effect.
    case explanation
    /// "Which metric…?", "What kind of bias…?": an answer of the named sort.
    case sort(String)
    /// A sentence ("It inflates it, …"; "Overfitting; respond with …") rather than a phrase.
    case sentence
    /// "What is …?" of a named idea: a definition.
    case definition
    /// Any other question: a term or a short phrase.
    case term
    /// A question asked for a yes or no ("Is…?", "Can…?", "Does…?").
    case polar

    /// Whether answers of this shape are statements rather than names of things.
    var isStatement: Bool {
      switch self {
      case .action, .explanation, .sentence: true
      case .time, .sort, .definition, .term, .polar: false
      }
    }

    /// Words that open a question asked for a yes or no.
    static let auxiliaries: Set<String> = [
      "is", "are", "was", "were", "can", "could", "does", "do", "did", "should", "would", "will", "must", "may",
      "has", "have", "had",
    ]

    /// Nouns that name the sort of answer wanted after "what" or "which" ("Which metric…").
    static let sorts: Set<String> = [
      "metric", "measure", "bias", "risk", "tool", "document", "artefact", "artifact", "technique", "method",
      "approach", "paradigm", "task", "test", "deployment", "strategy", "event", "practice", "principle",
      "value", "pattern", "attack", "framework", "certification", "stage", "phase", "level", "category",
      "role", "statistic", "model", "algorithm", "layer", "split", "accountability", "failure", "threat",
      "term", "law", "regulation", "article", "source", "ceremony", "meeting", "plot", "chart", "estimate",
      "criterion", "definition", "safeguard", "right", "obligation", "duty", "rate",
    ]

    static let sortStems = Set(sorts.map(TextNormalizer.stem))

    /// The most words a term answer has ("Embedding-based semantic search" has four).
    static let termWords = 6

    public init(of card: Card) {
      self.init(question: card.front, answer: card.back)
    }

    public init(question: String, answer: String) {
      // The question proper is the last sentence; those before it set the scene.
      let asked = question.split(omittingEmptySubsequences: true) { ".!?".contains($0) }
        .last { $0.contains { $0.isLetter } }
      let words = TextNormalizer.words(asked.map(String.init) ?? question)
      if let first = words.first, Shape.auxiliaries.contains(first) {
        self = .polar
        return
      }
      let text = " " + words.joined(separator: " ") + " "
      func has(_ phrase: String) -> Bool { text.contains(" \(phrase) ") }
      // A question word asks only when a verb follows it ("When must…", "from when do…"); "When a
      // decision is automated, which safeguards…?" and "what must you do when publishing…?" ask
      // for safeguards and an action, not a time.
      func asks(_ word: String) -> Bool {
        words.indices.contains {
          words[$0] == word && $0 + 1 < words.count && Shape.auxiliaries.contains(words[$0 + 1])
        }
      }
      if asks("when") || has("how soon") || has("how long") || has("how quickly") || has("deadline")
        || has("how many days") || has("how many hours")
      {
        self = .time
        return
      }
      // "What is an embedding?": another term's definition from the same topic is a fair option.
      if words.count <= 8, words.first == "what", ["is", "are"].contains(words.dropFirst().first ?? ""),
        !words.contains(where: { ["you", "your", "this", "these", "it", "its", "we", "our"].contains($0) }),
        !words.map(TextNormalizer.stem).contains(where: {
          ["cause", "reason", "explan", "step", "action"].contains($0)
        })
      {
        self = .definition
        return
      }
      let main = words.firstIndex { $0 == "what" || $0 == "which" }
      if let main {
        // The sort named within four words: "what containment step", "what kind of bias".
        for word in words[(main + 1)...].prefix(4) {
          let stem = TextNormalizer.stem(word)
          if stem == "step" || stem == "action" {
            self = .action
            return
          }
          if stem == "cause" || stem == "reason" || stem == "explan" {
            self = .explanation
            return
          }
          if Shape.sortStems.contains(stem) {
            self = .sort(stem)
            return
          }
        }
      }
      if has("should you") || has("do you do") || has("would you") || has("must you") || has("how should")
        || has("what should happen") || has("first move") || has("next step")
      {
        self = .action
        return
      }
      // ("Explain … to the board" asks for a message, not a cause, so "explain" is no sign.)
      if words.first == "why" || asks("why") || has("what does this do") || has("explanation") {
        self = .explanation
        return
      }
      // A term is a short phrase; anything longer, or punctuated as a sentence, is a sentence.
      let trimmed = answer.trimmingCharacters(in: .whitespaces)
      if trimmed.contains(";") || trimmed.hasSuffix(".") || trimmed.hasSuffix("?")
        || TextNormalizer.words(trimmed).count > Shape.termWords
      {
        self = .sentence
        return
      }
      self = .term
    }
  }
}
