/// The review log's rating column: the one number a line carries beside its kind, and what it
/// means for each kind. The log codec (`ReviewLogParser`) and its columnar form
/// (`EventColumns`) read and write it through here; everything else reads `ReviewEvent.Action`.
///
/// | kind | rating column |
/// |---|---|
/// | `review` | the rating, 1 (again) to 4 (easy) |
/// | `quiz` | the verdict: 1 wrong, 2 close, 3 correct |
/// | `scenario` | a choice's verdict: 1 poor, 2 mixed, 3 good; 0 for an ending |
/// | `leech` | 1: the card was suspended; 0: only tagged |
/// | `postpone`, `advance` | whole days from the event's time to the new due time |
/// | `undo`, `suspend`, `unsuspend`, `bury`, `unbury`, `forget`, `weak` | 0 |
/// | any other (a newer version's) | 0 to 4, kept as it is |
public enum RatingColumn {
  /// The values a log line of `kind` may hold; any other makes the line unreadable.
  public static func allowed(for kind: ReviewEvent.Kind) -> ClosedRange<Int64> {
    switch kind {
    case .review: 1...4
    case .quiz: 1...3
    case .scenario: 0...3
    case .undo, .suspend, .unsuspend, .bury, .unbury, .forget, .weak: 0...0
    case .leech: 0...1
    case .postpone, .advance: 0...Int64(Replayer.longestMove)
    case .other: 0...4
    }
  }

  /// The action a line of `kind` with `value` in its rating column stands for; nil for a value
  /// that means nothing for the kind (a review rated 7).
  ///
  /// Days and unknown kinds' values are taken as they are: `allowed(for:)` is the log's
  /// narrower rule, and this way every action an event can hold comes back from its value
  /// (`EventColumns` stores events made in code, not only lines the parser checked).
  public static func action(kind: ReviewEvent.Kind, value: Int64) -> ReviewEvent.Action? {
    switch kind {
    case .review: Rating(rawValue: Int(value)).map(ReviewEvent.Action.review)
    case .quiz: decoded(value, in: quizVerdicts).map(ReviewEvent.Action.quiz)
    case .scenario: decoded(value, in: scenarioVerdicts).map(ReviewEvent.Action.scenario)
    case .leech: decoded(value, in: leechActions).map(ReviewEvent.Action.leech)
    case .postpone: Int(exactly: value).map { .postpone(days: $0) }
    case .advance: Int(exactly: value).map { .advance(days: $0) }
    case .other(let name): Int(exactly: value).map { .other(kind: name, rating: $0) }
    case .undo: value == 0 ? .undo : nil
    case .suspend: value == 0 ? .suspend : nil
    case .unsuspend: value == 0 ? .unsuspend : nil
    case .bury: value == 0 ? .bury : nil
    case .unbury: value == 0 ? .unbury : nil
    case .forget: value == 0 ? .forget : nil
    case .weak: value == 0 ? .weak : nil
    }
  }

  /// The rating column of a line for `action`.
  public static func value(of action: ReviewEvent.Action) -> Int {
    switch action {
    case .review(let rating): rating.rawValue
    case .quiz(let verdict): encoded(verdict, in: quizVerdicts)
    case .scenario(let verdict): encoded(verdict, in: scenarioVerdicts)
    case .leech(let action): encoded(action, in: leechActions)
    case .postpone(let days), .advance(let days): days
    case .other(_, let rating): rating
    case .undo, .suspend, .unsuspend, .bury, .unbury, .forget, .weak: 0
    }
  }

  /// The payloads whose rating column is a code, each pair written once for both directions.
  private static let quizVerdicts: [(AnswerGrader.Verdict, Int64)] = [(.wrong, 1), (.close, 2), (.correct, 3)]
  private static let scenarioVerdicts: [(Scenario.Verdict?, Int64)] = [(nil, 0), (.poor, 1), (.mixed, 2), (.good, 3)]
  private static let leechActions: [(LeechPolicy.Action, Int64)] = [(.tag, 0), (.suspend, 1)]

  private static func decoded<Payload>(_ value: Int64, in table: [(Payload, Int64)]) -> Payload? {
    table.first { $0.1 == value }?.0
  }

  /// Every payload has a pair (the tables list every case), so the search always finds one.
  private static func encoded<Payload: Equatable>(_ payload: Payload, in table: [(Payload, Int64)]) -> Int {
    Int(table.first { $0.0 == payload }!.1)
  }

  /// The action of a stored row (a line the parser checked, or a value `value(of:)` made):
  /// `action(kind:value:)` takes every such value, so the fallback, which keeps the pair as
  /// an unknown kind is kept (written back unchanged), is never taken.
  public static func storedAction(kind: ReviewEvent.Kind, value: Int64) -> ReviewEvent.Action {
    action(kind: kind, value: value) ?? .other(kind: kind.description, rating: Int(value))
  }
}
