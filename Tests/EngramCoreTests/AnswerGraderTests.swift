import Testing

@testable import EngramCore

@Suite struct AnswerGraderTests {
  typealias Verdict = AnswerGrader.Verdict

  @Test(arguments: [
    ("Supervised learning", "Supervised learning", Verdict.correct),
    ("supervised LEARNING", "Supervised learning", .correct),
    ("Supervised learning.", "Supervised learning", .correct),
    ("the supervised learning", "Supervised learning", .correct),
    ("  supervised   learning ", "Supervised learning", .correct),
    ("F1 score", "F1-score", .correct),
    ("f1score", "F1-score", .correct),
    ("supervsed learning", "Supervised learning", .close),  // one typo in 19 letters
    ("supervisd lerning", "Supervised learning", .close),  // two typos, allowance 3
    ("unsupervised learning", "Supervised learning", .wrong),  // a negating prefix is no typo
    ("supervised learning", "Unsupervised learning", .wrong),
    ("dependant", "dependent", .close),
    ("reinforcement learning", "Supervised learning", .wrong),
    ("Paris", "Rome", .wrong),
    ("cat", "car", .wrong),  // three letters allow no typo
    ("", "Precision", .wrong),
    ("résumé", "resume", .correct),  // accents fold
    ("ＰＲＥＣＩＳＩＯＮ", "precision", .correct),  // full-width forms fold
    ("4 hrs", "4 hours", .correct),  // unit abbreviations
    ("15 min", "15 minutes", .correct),
    ("3 weeks", "3 days", .wrong),
  ])
  func `short answers are compared after normalising, with a typo allowance`(
    given: String, expected: String, verdict: Verdict
  ) {
    #expect(AnswerGrader.grade(given, expected: expected).verdict == verdict)
  }

  @Test(arguments: [
    "The Model's F1-score: 0.93 (vs. 0.88)!", "  MIXED case\tTabs\nand newlines ", "a/b-testing_v2 @ 100%", "",
    "'quoted' \"double\" [brackets] {braces} ~tilde^ `tick`",
  ])
  func `ascii text gives the same words with or without Unicode folding`(text: String) {
    #expect(TextNormalizer.asciiWords(text) == TextNormalizer.foldedWords(text))
  }

  static let remedies =
    "Any two of: collecting more rare-class examples, resampling (oversample the rare or undersample the common class), class weights, adjusting the decision threshold."

  @Test(arguments: [
    ("class weights and moving the threshold", remedies, Verdict.correct),
    ("oversample the fraud cases, weight the classes", remedies, .correct),
    ("gather more examples of the rare class; lower the threshold", remedies, .correct),
    ("oversampling", remedies, .close),
    ("buy more GPUs", remedies, .wrong),
    (
      "latency, running cost and fairness",
      "Any three of: latency, running cost, interpretability, robustness, maintainability, fairness.", .correct
    ),
    (
      "latency and cost",
      "Any three of: latency, running cost, interpretability, robustness, maintainability, fairness.", .close
    ),
  ])
  func `any-N-of answers are right when enough listed items are named`(
    given: String, expected: String, verdict: Verdict
  ) {
    #expect(AnswerGrader.grade(given, expected: expected).verdict == verdict)
  }

  @Test func `an answer that only starts with "Any" is not a list`() {
    #expect(ChoiceList("Any single experiment may fail; several small bets raise the odds.") == nil)
    #expect(ChoiceList("Any two of: only, two") == nil)
    #expect(ChoiceList(Self.remedies)?.items.count == 4)
    #expect(ChoiceList(Self.remedies)?.items[1] == "resampling (oversample the rare or undersample the common class)")
  }

  @Test func `a close any-N-of answer lists the items not named`() {
    #expect(
      AnswerGrader.grade("oversampling", expected: Self.remedies).missingTerms == [
        "collecting more rare-class examples", "class weights", "adjusting the decision threshold",
      ])
  }

  @Test func `accepted alternatives count as correct`() {
    #expect(
      AnswerGrader.grade("ROC AUC", expected: "Area under the ROC curve", accepted: ["ROC-AUC", "AUC"]).verdict
        == .correct)
    #expect(
      AnswerGrader.grade("auc", expected: "Area under the ROC curve", accepted: ["ROC-AUC", "AUC"]).verdict == .correct)
  }

  @Test func `typo allowance grows with length`() {
    #expect(AnswerGrader.typoAllowance(length: 3) == 0)
    #expect(AnswerGrader.typoAllowance(length: 5) == 1)
    #expect(AnswerGrader.typoAllowance(length: 12) == 2)
    #expect(AnswerGrader.typoAllowance(length: 100) == 4)
  }

  @Test func `long answers are graded by key terms and report the missing ones`() {
    let expected = "Expert labelling is slow, costly and needs quality checks; it often drives schedule and cost."
    let full = AnswerGrader.grade(
      "labels from experts are slow and costly, need quality checks, drive schedule and cost", expected: expected)
    #expect(full.verdict == .correct)
    let partial = AnswerGrader.grade("expert labelling is slow and costly", expected: expected)
    #expect(partial.verdict == .close || partial.verdict == .wrong)
    #expect(partial.missingTerms.contains("quality"))
    #expect(partial.missingTerms.contains("schedule"))
    #expect(!partial.missingTerms.contains("expert"))
    let unrelated = AnswerGrader.grade("the model overfits", expected: expected)
    #expect(unrelated.verdict == .wrong)
    let oneWord = AnswerGrader.grade("expensive", expected: expected)
    #expect(oneWord.verdict == .wrong)
    // Three of ten key ideas: close, with the rest listed.
    let spike =
      "A timeboxed piece of research to answer a question or reduce uncertainty; it produces knowledge, not a shippable feature."
    let brief = AnswerGrader.grade("a timeboxed research task to reduce uncertainty", expected: spike)
    #expect(brief.verdict == .close)
    #expect(brief.missingTerms.contains("knowledge"))
  }

  @Test func `stop and filler words are never listed as missing`() {
    // Key terms of the expected answer: important, keep, model, simple, overfit (five, so it is
    // graded by key terms); the learner named two of them. "basically", "really", "so", "that",
    // "does", "not" carry nothing.
    let expected = "It is basically really important to keep the model simple, so that it does not overfit."
    let result = AnswerGrader.grade("the model should be simple", expected: expected)
    #expect(result.missingTerms == ["important", "keep", "overfit"])
  }

  @Test(arguments: [
    ("no", "No; it is pseudonymised, and still personal data for you.", Verdict.correct),
    ("No.", "No; it is pseudonymised, and still personal data for you.", .correct),
    ("nope, still personal data", "No; it is pseudonymised, and still personal data for you.", .correct),
    ("yes", "No; it is pseudonymised, and still personal data for you.", .wrong),
    (
      "yes, it is pseudonymised and still personal data", "No; it is pseudonymised, and still personal data for you.",
      .wrong
    ),
    ("yes", "Yes; 30/50 = 0.6, below 0.8", .correct),
    ("no", "Yes; a score can itself be an automated decision.", .wrong),
    ("Yes", "Yes", .correct),
  ])
  func `yes-no questions are graded on the leading yes or no`(given: String, expected: String, verdict: Verdict) {
    #expect(AnswerGrader.grade(given, expected: expected).verdict == verdict)
  }

  @Test func `an answer that merely starts with the word no is not a yes-no answer`() {
    #expect(AnswerGrader.expectedYesNo("No later than 15 days after becoming aware of it") == nil)
    #expect(AnswerGrader.expectedYesNo("No named human owner is accountable for the system.") == nil)
    #expect(AnswerGrader.expectedYesNo("No-go; it loses money on every prediction") == nil)
    #expect(AnswerGrader.grade("no", expected: "No later than 15 days after becoming aware of it").verdict == .wrong)
  }

  @Test(arguments: [
    ("5 percent", "5%"), ("5%", "five percent ignored: 5 percent"), ("R and D", "R&D"), ("minus 2", "-2"),
    ("minus 0.5", "−0.5"), ("1 plus 1", "1+1"),
  ])
  func `symbols and their words are the same answer`(given: String, expected: String) {
    let target = expected.components(separatedBy: "ignored: ").last ?? expected
    #expect(AnswerGrader.grade(given, expected: target).verdict == .correct)
    #expect(AnswerGrader.grade(target, expected: given).verdict == .correct)
  }

  @Test func `a hyphen inside a word is not a minus`() {
    #expect(TextNormalizer.normalized("F1-score") == "f1 score")
    #expect(TextNormalizer.normalized("top-5 accuracy") == "top 5 accuracy")
    #expect(TextNormalizer.normalized("(-3)") == "minus 3")
  }

  @Test func `verdicts order from wrong through close to correct`() {
    #expect(Verdict.wrong < .close && Verdict.close < .correct && Verdict.wrong < .correct)
    #expect(!(Verdict.correct < .correct))
  }

  @Test func `a study quiz counts wrong as Again, close as Hard and correct as Good`() {
    #expect(Verdict.wrong.studyRating == .again)
    #expect(Verdict.close.studyRating == .hard)
    #expect(Verdict.correct.studyRating == .good)
  }

  @Test(arguments: [
    ("labels", "label"), ("labelling", "label"), ("predictions", "predict"), ("queries", "query"), ("stopped", "stop"),
  ])
  func `stemming joins forms of a word`(word: String, stem: String) {
    #expect(TextNormalizer.stem(word) == stem)
  }
  @Test(arguments: [
    // The answer without its parenthesis is the answer.
    ("data drift", "Data drift (covariate shift)", Verdict.correct),
    ("DVC", "DVC (Data Version Control)", .correct),
    ("RAG", "Retrieval-augmented generation (RAG)", .correct),
    ("PSM", "PSM (Professional Scrum Master)", .correct),
    ("data poisoning", "Data poisoning (a backdoor)", .correct),
    ("CSM", "CSM (Scrum Alliance)", .correct),
    ("high risk", "High-risk (Annex III, employment)", .correct),
    // The parenthesis alone, when it is another name or the abbreviation's expansion.
    ("covariate shift", "Data drift (covariate shift)", .correct),
    ("data version control", "DVC (Data Version Control)", .correct),
    ("retrieval augmented generation", "Retrieval-augmented generation (RAG)", .correct),
    ("professional scrum master", "PSM (Professional Scrum Master)", .correct),
    ("RL", "Reinforcement learning (or RL)", .correct),
    // A description, an issuer or a list in parentheses is not another name.
    ("a backdoor", "Data poisoning (a backdoor)", .wrong),
    ("Scrum Alliance", "CSM (Scrum Alliance)", .wrong),
    ("employment", "High-risk (Annex III, employment)", .wrong),
    ("concept drift", "Data drift (covariate shift)", .wrong),
    ("limited risk", "High-risk (Annex III, employment)", .wrong),  // one shared word of a name is no half answer
  ])
  func `an answer with a parenthesis is right without it, or by another name inside it`(
    given: String, expected: String, verdict: Verdict
  ) {
    #expect(AnswerGrader.grade(given, expected: expected).verdict == verdict)
  }

  @Test func `head terms weigh more than the qualifiers in parentheses`() {
    // Key terms: data and model outside the parentheses; schema, quality, checks, gates and
    // baseline inside ("against" and "current" are filler). Naming both heads is 0.7 of the
    // grade; one head and two qualifiers is 0.35 + 0.3 × 2/5 = 0.47.
    let expected =
      "The data (schema and quality checks) and the model (quality gates against the current model or a baseline)."
    #expect(AnswerGrader.grade("the data and the model", expected: expected).verdict == .correct)
    let half = AnswerGrader.grade("data schema checks", expected: expected)
    #expect(half.verdict == .close)
    #expect(half.missingTerms == ["model", "quality", "gates", "baseline"])
    #expect(AnswerGrader.grade("schema checks", expected: expected).verdict == .wrong)  // 0.3 × 2/5
  }

  @Test func `generic verbs, comparatives and possessives are never listed as missing`() {
    // Key terms: models (from "model's", listed as "model"), inputs, change, relationship,
    // target; "used", "against", "current", "better" and "work" join them and carry nothing.
    let expected =
      "The model's inputs used against the current baseline change, better work keeps the relationship to the target."
    let result = AnswerGrader.grade("the target", expected: expected)
    #expect(result.missingTerms.contains("model"))
    for filler in ["models", "used", "against", "current", "better", "work"] {
      #expect(!result.missingTerms.contains(filler), "\(filler)")
    }
  }

  @Test func `a long accepted answer is graded by its own key terms`() {
    // "Give one likely explanation": the expected answer and an accepted alternative share no
    // ideas; an answer naming the alternative's ideas is right.
    let expected = "The model's better predictions were not turned into effective retention offers."
    let alternative = "The test set was too small, so the AUC gain is noise rather than a real improvement."
    let given = "the AUC gain on a small test set is just noise, not a real improvement"
    #expect(AnswerGrader.grade(given, expected: expected).verdict == .wrong)
    #expect(AnswerGrader.grade(given, expected: expected, accepted: [alternative]).verdict == .correct)
    // Close to an alternative the learner never sees: no list of its terms as "missing".
    let partial = AnswerGrader.grade("the AUC gain is noise", expected: expected, accepted: [alternative])
    #expect(partial.verdict == .close)  // auc, gain, noise: 3 of the alternative's 8 key terms
    #expect(partial.missingTerms.isEmpty)
    // An accepted "Any two of:" list works as it does for the expected answer.
    let list = "Any two of: drift in production data, leakage in the evaluation, an unrepresentative validation set"
    #expect(AnswerGrader.grade("leakage and drift", expected: expected, accepted: [list]).verdict == .correct)
  }

}

@Suite struct ChoiceAnswerTests {
  let options = ["Concept drift", "Data drift (covariate shift)", "Data poisoning", "Label noise"]

  func card(_ answer: String, accept: [String] = []) -> Card {
    Note(id: "t", content: .basic(question: "Which?", answer: answer), accept: accept).cards(deckID: "d")[0]
  }

  @Test(arguments: [
    ("B", 1), ("b", 1), (" 2 ", 1), ("label noise", 3), ("Label noise.", 3), ("data drift", 1), ("concept", 0),
  ])
  func `an option is picked by letter, number, text or an unambiguous start`(input: String, index: Int) {
    #expect(ChoiceAnswer.pick(input, options: options) == index)
  }

  @Test(arguments: ["data", "E", "5", "drift", "", "concept drif"])
  func `an ambiguous start, a letter or number beyond the options and a typo pick nothing`(input: String) {
    #expect(ChoiceAnswer.pick(input, options: options) == nil)
  }

  @Test func `a number is an answer, not an option number, when the options are numbers`() {
    let weeks = ["1 week", "3 weeks", "10 weeks", "30 weeks"]
    #expect(ChoiceAnswer.pick("3", options: weeks) == nil)
    #expect(ChoiceAnswer.pick("3", options: weeks, choiceOnly: true) == 2)
    #expect(ChoiceAnswer.pick("3 weeks", options: weeks) == 1)
  }

  @Test func `a picked option is right only when it is the answer; other text is graded`() {
    let target = card("Data drift (covariate shift)")
    #expect(ChoiceAnswer.grade("2", card: target, options: options).result.verdict == .correct)
    #expect(ChoiceAnswer.grade("data drift", card: target, options: options).picked == 1)
    #expect(ChoiceAnswer.grade("a", card: target, options: options).result.verdict == .wrong)
    // Not an option's start: graded by the answer grader, which takes the other name.
    let other = ChoiceAnswer.grade("covariate shift", card: target, options: options)
    #expect(other.picked == nil)
    #expect(other.result.verdict == .correct)
    #expect(ChoiceAnswer.grade("label noise", card: target, options: options).result.verdict == .wrong)
    // Without options, a letter is just text.
    #expect(ChoiceAnswer.grade("B", card: target, options: []).result.verdict == .wrong)
  }
}

@Suite struct DistractorTests {
  func card(
    _ id: String, _ answer: String, question: String? = nil, deck: String = "d", tags: [String] = [],
    choices: [String] = [], accept: [String] = []
  ) -> Card {
    Note(
      id: id, content: .basic(question: question ?? "q \(id)", answer: answer), tags: tags, choices: choices,
      accept: accept
    )
    .cards(deckID: deck)[0]
  }

  @Test func `a card's own choices are used first`() {
    let target = card("t", "Precision", choices: ["Recall", "Accuracy", "Specificity"])
    #expect(Distractors.options(for: target, among: [target]) == ["Recall", "Accuracy", "Specificity"])
  }

  @Test func `built distractors never repeat and never equal the answer`() {
    let deck = [
      card("t", "Precision"), card("a", "precision."), card("b", "Recall"), card("c", "recall"),
      card("d", "Accuracy"), card("e", "A much longer answer that should rank last"), card("f", "F1 score"),
    ]
    let options = Distractors.options(for: deck[0], among: deck)
    #expect(options.count == 3)
    #expect(Set(options.map(TextNormalizer.normalized)).count == 3)
    #expect(!options.map(TextNormalizer.normalized).contains("precision"))
    #expect(!options.contains("A much longer answer that should rank last"))
  }

  @Test func `a deck too small for three distractors gives what it has`() {
    let deck = [card("t", "Precision"), card("a", "Recall")]
    #expect(Distractors.options(for: deck[0], among: deck) == ["Recall"])
  }

  @Test func `yes-no sentences and grading instructions are never options, nor built around`() {
    let target = card("t", "Roll back the release")
    let pool = [
      target, card("yes", "Yes; harm to people is an incident"), card("no", "No; it is pseudonymised"),
      card("list", "Any two of: leakage, drift, a small test set"), card("ok", "Pause the model and fall back"),
    ]
    #expect(Distractors.options(for: target, among: pool) == ["Pause the model and fall back"])
    #expect(Distractors.options(for: pool[1], among: pool).isEmpty)
    #expect(Distractors.options(for: pool[3], among: pool).isEmpty)
    // A card's own Choices are still offered: the author wrote them.
    let written = card("w", "Yes", choices: ["No", "Only with consent", "Only in the EU"])
    #expect(Distractors.options(for: written, among: pool) == ["No", "Only with consent", "Only in the EU"])
  }

  @Test func `an option answers the same shape of question`() {
    let tags = ["incidents"]
    let target = card(
      "t", "Roll back to the last good version", question: "What containment step should be ready for a bad release?",
      tags: tags)
    let pool = [
      target,
      card(
        "deadline", "No later than 15 days after becoming aware", question: "How soon must it be reported?", tags: tags),
      card("when", "Without undue delay, within 72 hours", question: "When must the breach be notified?", tags: tags),
      card(
        "step", "Pause the model and switch to the manual process",
        question: "What is the first step after a bad release?", tags: tags),
      // A step on the same tag that shares no more than the word "step" with it: another topic.
      card("unrelated", "Write the user story first", question: "What step starts refinement?", tags: tags),
      card("metric", "Recall on the fraud class", question: "Which metric should the team watch?", tags: tags),
      card("effect", "It inflates the reported score", question: "What does this do to the test score?", tags: tags),
      // A step, but on another topic: a statement is offered only from cards sharing a tag.
      card("far", "Retrain the model on the latest month", question: "What step comes next?", deck: "other"),
    ]
    #expect(Distractors.options(for: target, among: pool) == ["Pause the model and switch to the manual process"])
    // A question asked for a yes or no gets no built options, whatever its answer starts with.
    let polar = card(
      "p", "Rarely; consent at work is seldom freely given",
      question: "Staff data is sensitive. Can consent be the basis?")
    #expect(Distractors.Shape(of: polar) == .polar)
    #expect(!Distractors.canBuild(for: polar))
    #expect(Distractors.options(for: polar, among: pool + [polar]).isEmpty)
    #expect(Distractors.Shape(question: "What kind of bias is this?", answer: "x") == .sort("bia"))
    #expect(Distractors.Shape(question: "Which metric matters?", answer: "x") == .sort("metric"))
    #expect(Distractors.Shape(question: "It failed on day one. What is a likely cause?", answer: "x.") == .explanation)
    #expect(Distractors.Shape(question: "Why does this happen?", answer: "x") == .explanation)
    #expect(Distractors.Shape(question: "By when must it be reported?", answer: "x") == .time)
    #expect(Distractors.Shape(question: "What is an embedding?", answer: "A list of numbers.") == .definition)
    #expect(Distractors.Shape(question: "What is your verdict?", answer: "Not yet.") == .sentence)
    #expect(Distractors.Shape(question: "Which fits?", answer: "Would we know it at prediction time?") == .sentence)
    #expect(
      Distractors.Shape(question: "Which fits?", answer: "Comparing conversions of live users on both models")
        == .sentence)
    #expect(Distractors.Shape(question: "Which fits?", answer: "Embedding-based semantic search") == .term)
    // A question that names its answer among two gets no built options.
    #expect(
      !Distractors.canBuild(
        for: card("pr", "Precision", question: "For spam, which matters more: precision or recall?")))
    #expect(Distractors.Shape(question: "When a decision is automated, which safeguards apply?", answer: "x") != .time)
    #expect(Distractors.Shape(question: "What must a deployer do when publishing deepfakes?", answer: "x") != .time)
    #expect(Distractors.Shape(question: "What is this?", answer: "Overfitting; stop early.") == .sentence)
    // A sentence answering a question of no recognisable shape gets no built options.
    #expect(!Distractors.canBuild(for: card("s", "Overfitting; stop early.", question: "What is this?")))
    #expect(
      Distractors.Shape(question: "Explain the result to the board. What do you say first?", answer: "x")
        != .explanation)
    #expect(Distractors.Shape(question: "What is this?", answer: "Overfitting") == .term)
  }

  @Test func `a cloze is asked as choices only for a number or date its sentence does not show`() {
    let drift = Note(
      id: "drift",
      content: .cloze(
        "Data drift changes the distribution of a model's {{c1::inputs}}, concept drift the link between the inputs and the target."
      )
    )
    .cards(deckID: "d")[0]
    #expect(Distractors.frontShowsAnswer(drift))
    #expect(!Distractors.canBuild(for: drift))
    let word = Note(id: "w", content: .cloze("Shadow deployment runs the model {{c1::silently}}.")).cards(deckID: "d")[
      0]
    #expect(!Distractors.frontShowsAnswer(word))
    #expect(!Distractors.canBuild(for: word))  // a word out of its sentence has no kind to match
    let days = Note(id: "n", content: .cloze("A serious incident is reported within {{c1::15 days}}.")).cards(
      deckID: "d")[0]
    #expect(Distractors.canBuild(for: days))
    let pool = [days, card("a", "30 days"), card("b", "90 days"), card("c", "60 days"), word]
    #expect(Set(Distractors.options(for: days, among: pool)) == ["30 days", "90 days", "60 days"])
    // A bare number comes only from the same topic: "33" from another deck is no option for a kappa.
    let kappa = Note(id: "k", content: .cloze("A kappa of {{c1::0}} means chance agreement."), tags: ["labels"])
      .cards(deckID: "d")[0]
    let numbers = [
      kappa, card("x", "33", deck: "other"), card("y", "0.8", tags: ["labels"]), card("z", "1", tags: ["labels"]),
    ]
    #expect(Set(Distractors.options(for: kappa, among: numbers)) == ["0.8", "1"])
    // A role's options are names of roles, not sentences about who does what.
    let owner = card("po", "The Product Owner", question: "Who orders the backlog?")
    let roles = [
      owner, card("sm", "The Scrum Master", question: "Who coaches?"),
      card("split", "The Product Owner orders it; the Developers plan the work.", question: "Who plans the Sprint?"),
    ]
    #expect(Distractors.options(for: owner, among: roles) == ["The Scrum Master"])
    // Blanks of other clozes are never options for a phrase.
    #expect(!Distractors.options(for: card("t", "Quietly"), among: pool + [word]).contains("silently"))
  }

  @Test(arguments: [
    ("2 February 2025", "Why?", AnswerKind.date), ("August 2028", "When?", .date), ("2025-02-02", "When?", .date),
    ("2019", "Since when?", .year), ("15 days", "How long?", .number(unit: "day")),
    ("95%", "What share?", .number(unit: "percent")),
    ("0.8", "Threshold?", .number(unit: "")), ("The Product Owner", "Under Scrum, who orders the backlog?", .role),
    ("Data engineer", "Which team role builds the pipelines?", .role),
    ("Concept drift", "What is this?", .phrase(words: 2)),
  ])
  func `answers are sorted into kinds`(answer: String, question: String, kind: AnswerKind) {
    #expect(AnswerKind(answer: answer, question: question) == kind)
  }

  @Test func `distractors have the kind of the answer`() {
    let pool = [
      card("date", "2 February 2025"), card("date2", "1 August 2024"), card("date3", "2 December 2027"),
      card("days", "15 days"), card("days2", "72 hours"), card("days3", "30 days"), card("days4", "90 days"),
      card("pct", "80%"), card("word", "Hallucination"), card("phrase", "Drift detection"),
      card("po", "The Product Owner", question: "Who orders the backlog?"),
      card("sm", "The Scrum Master", question: "Who coaches the team?"),
      card("dev", "The Developers", question: "Who plans the daily work?"),
      card("eng", "Data engineer", question: "Which role builds the pipelines?"),
      card("long", "A very long sentence that explains a governance process in many many words"),
    ]
    let date = Distractors.options(for: pool[0], among: pool)
    #expect(Set(date) == ["1 August 2024", "2 December 2027"])
    let days = Distractors.options(for: pool[3], among: pool)
    #expect(Set(days) == ["30 days", "90 days"])  // not "72 hours" (another unit) or "80%"
    let role = Distractors.options(for: pool[10], among: pool)
    #expect(Set(role) == ["The Scrum Master", "The Developers", "Data engineer"])
    let phrase = Distractors.options(for: pool[9], among: pool)
    #expect(phrase.first == "Hallucination")
    #expect(!phrase.contains { ["2 February 2025", "15 days", "80%", "The Scrum Master"].contains($0) })
  }

  @Test func `distractors come from the same tag before the same deck`() {
    let target = card("t", "Data drift", tags: ["monitoring"])
    let pool = [
      target, card("same-deck", "Label noise"),
      card("other-deck-tag", "Concept drift", deck: "other", tags: ["monitoring"]),
      card("same-deck-tag", "Feature skew", tags: ["monitoring", "data"]),
      card("far", "Class imbalance", deck: "other"),
    ]
    // "Label noise" (same deck, no shared tag) and "Class imbalance" (neither) are off the
    // tagged card's topic: phrases need a shared tag.
    #expect(Distractors.options(for: target, among: pool) == ["Feature skew", "Concept drift"])
    // An untagged card draws from its deck.
    let untagged = card("u", "Data drift")
    #expect(Distractors.options(for: untagged, among: pool + [untagged]) == ["Label noise", "Feature skew"])
  }

  @Test func `a distractor is never one of the answer's accepted forms or a near-typo of it`() {
    let target = card("t", "Area under the ROC curve", accept: ["ROC AUC", "AUC"])
    let pool = [
      target, card("a", "AUC"), card("b", "roc-auc"), card("c", "Area under the ROC curves"), card("d", "Log loss"),
    ]
    #expect(Distractors.options(for: target, among: pool) == ["Log loss"])
  }

  @Test func `no shipped card is offered a distractor of another kind`() {
    let cards = Self.shippedLikeCards
    for card in cards {
      let kind = AnswerKind(of: card)
      for option in Distractors.options(for: card, among: cards) where !card.note.choices.contains(option) {
        let other = cards.first { $0.back == option }.map(AnswerKind.init(of:))
        #expect(other.map { kind.matches($0, strict: false) } == true, "\(card.key): \(option)")
      }
    }
  }

  /// A small mixed deck standing in for the shipped ones (Core tests do not read files).
  static let shippedLikeCards: [Card] = [
    ("a", "2 February 2025", "From which date?"), ("b", "2 August 2026", "From when?"), ("c", "2019", "Since?"),
    ("d", "2021", "Since when?"), ("e", "The Product Owner", "Who orders?"), ("f", "The Developers", "Who sizes?"),
    ("g", "Precision", "Which metric?"), ("h", "Recall", "Which metric?"), ("i", "15 days", "How soon?"),
    ("j", "72 hours", "How soon?"),
  ].map { Note(id: $0.0, content: .basic(question: $0.2, answer: $0.1)).cards(deckID: "d")[0] }
}

@Suite struct QuizPlannerTests {
  @Test func `the same seed chooses the same questions without repeats`() {
    let candidates = (0..<50).map { (key: "d/c\($0)", weight: Double($0 % 5) + 0.5) }
    var first = SeededRandom(seed: 42)
    var second = SeededRandom(seed: 42)
    let a = QuizPlanner.choose(count: 10, from: candidates, random: &first)
    #expect(a == QuizPlanner.choose(count: 10, from: candidates, random: &second))
    #expect(Set(a).count == 10)
  }

  @Test func `weak and unseen cards weigh more than well-known ones`() {
    var known = CardRecord()
    known.quizTotal = 4
    known.quizCorrect = 4
    var missed = CardRecord()
    missed.quizTotal = 2
    missed.lapses = 2
    #expect(
      QuizPlanner.weight(record: nil, retrievability: nil) > QuizPlanner.weight(record: known, retrievability: 0.97))
    #expect(
      QuizPlanner.weight(record: missed, retrievability: 0.6) > QuizPlanner.weight(record: known, retrievability: 0.97))
  }

  @Test func `cards marked weak are drawn before all others`() {
    let candidates = (0..<20).map { (key: "d/c\($0)", weight: $0 == 3 || $0 == 17 ? 0.01 : 5.0) }
    for seed in 0..<20 {
      var random = SeededRandom(seed: UInt64(seed))
      let chosen = QuizPlanner.choose(count: 5, from: candidates, first: ["d/c3", "d/c17"], random: &random)
      #expect(Set(chosen.prefix(2)) == ["d/c3", "d/c17"])
      #expect(Set(chosen).count == 5)
    }
  }

  @Test func `heavier cards are drawn more often`() {
    let candidates = [(key: "heavy", weight: 9.0), (key: "light", weight: 1.0)]
    var random = SeededRandom(seed: 7)
    var heavyFirst = 0
    for _ in 0..<1000 where QuizPlanner.choose(count: 1, from: candidates, random: &random) == ["heavy"] {
      heavyFirst += 1
    }
    #expect((850...950).contains(heavyFirst))
  }
}

@Suite struct NumberTypoTests {
  @Test func `a different number is not a typo, a misspelt word beside the same number is`() {
    #expect(AnswerGrader.grade("10 days", expected: "15 days", accepted: []).verdict == .wrong)
    #expect(AnswerGrader.grade("72 hours", expected: "24 hours", accepted: []).verdict == .wrong)
    #expect(AnswerGrader.grade("15 dais", expected: "15 days", accepted: []).verdict == .close)
  }
}
