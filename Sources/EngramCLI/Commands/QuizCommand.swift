import ArgumentParser
import EngramCore
import EngramStore

/// `quiz TOPIC [-n N] [--mode M] [--seed S] [--study]`: practise a topic now, due or not.
struct QuizCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "quiz",
    abstract: "Quiz yourself on a topic: typed answers graded, multiple choice, explanations.")

  /// How questions are asked.
  enum Mode: String, ExpressibleByArgument, CaseIterable {
    case mixed, typed, choice, flip
  }

  @Argument(help: "A deck id, title, topic, tag or words in the cards.")
  var topic: [String]

  @Option(name: .short, parsing: .unconditional, help: "Number of questions.")
  var n: Int = 10

  @Option(help: "typed, choice, flip (self-graded) or mixed.")
  var mode: Mode = .mixed

  @Option(
    help: ArgumentHelp(
      "Seed for the choice and order of questions and options.",
      discussion:
        "The same seed over the same history (deck files and review log) repeats a quiz exactly, whatever the time; answering it adds history, so the next run with that seed can differ."
    ))
  var seed: UInt64?

  @Flag(help: "Log answers as real (early) reviews that FSRS schedules, not as quiz events.")
  var study = false

  func validate() throws {
    if topic.isEmpty { throw ValidationError("name a topic, e.g. 'quiz agile'") }
    if n < 1 || n > 500 { throw ValidationError("-n must be between 1 and 500") }
  }

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let text = topic.joined(separator: " ")
    let selection = try TopicSelection.resolve(text, workspace: workspace, session: session)
    let now = session.now()
    var random = SeededRandom(seed: seed ?? UInt64(bitPattern: now.milliseconds))
    // With a seed, recall is judged as of the latest event in the history rather than the clock,
    // so that the same history gives the same weights and so the same quiz.
    let judgedAt = seed == nil ? now : (workspace.records.values.compactMap(\.lastEvent).max() ?? now)
    let candidates = selection.keys.compactMap { key -> (key: String, group: String, weight: Double)? in
      guard let card = workspace.card(key) else { return nil }
      let record = workspace.record(for: key)
      let recall = record?.schedule.map { workspace.scheduler.retrievability(of: $0, at: judgedAt) }
      return (key, card.siblingGroup, QuizPlanner.weight(record: record, retrievability: recall))
    }
    // Cards a poor scenario choice marked weak come first, until answered right.
    let weak = Set(candidates.map(\.key).filter { workspace.record(for: $0)?.weakSince != nil })
    let keys = QuizPlanner.choose(count: n, from: candidates, first: weak, random: &random)
    guard !keys.isEmpty else { throw UserError("no cards to quiz on for '\(text)'") }
    var quiz = QuizSession(
      workspace: workspace, app: session, keys: keys, mode: mode, study: study, random: random,
      topic: selection.label, query: selection.query)
    quiz.run()
    workspace.saveCache()
  }
}
