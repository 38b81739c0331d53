import Testing

@testable import EngramCore

/// The rating column's meaning per kind, as docs/formats.md gives it: what each number stands
/// for, and that every action an event can hold comes back from the number written for it.
@Suite struct RatingColumnTests {
  typealias Action = ReviewEvent.Action

  /// Every known kind's numbers and the action each stands for (docs/formats.md, "Review log").
  static let meanings: [(ReviewEvent.Kind, Int64, Action)] = [
    (.review, 1, .review(.again)), (.review, 2, .review(.hard)), (.review, 3, .review(.good)),
    (.review, 4, .review(.easy)),
    (.quiz, 1, .quiz(.wrong)), (.quiz, 2, .quiz(.close)), (.quiz, 3, .quiz(.correct)),
    (.scenario, 0, .scenario(nil)), (.scenario, 1, .scenario(.poor)), (.scenario, 2, .scenario(.mixed)),
    (.scenario, 3, .scenario(.good)),
    (.leech, 0, .leech(.tag)), (.leech, 1, .leech(.suspend)),
    (.postpone, 0, .postpone(days: 0)), (.postpone, 17, .postpone(days: 17)),
    (.postpone, 36500, .postpone(days: 36500)),
    (.advance, 0, .advance(days: 0)), (.advance, 36500, .advance(days: 36500)),
    (.undo, 0, .undo), (.suspend, 0, .suspend), (.unsuspend, 0, .unsuspend), (.bury, 0, .bury),
    (.unbury, 0, .unbury), (.forget, 0, .forget), (.weak, 0, .weak),
    (.other("future-kind"), 0, .other(kind: "future-kind", rating: 0)),
    (.other("future-kind"), 4, .other(kind: "future-kind", rating: 4)),
  ]

  @Test func `each number stands for its documented action and is written back from it`() {
    for (kind, value, action) in Self.meanings {
      #expect(RatingColumn.action(kind: kind, value: value) == action, "\(kind) \(value)")
      #expect(RatingColumn.value(of: action) == Int(value), "\(action)")
      #expect(action.kind == kind)
      #expect(RatingColumn.allowed(for: kind).contains(value))
    }
  }

  @Test func `every known kind has a meaning for each number the log allows, and only those`() {
    for kind in ReviewEvent.Kind.known {
      let allowed = RatingColumn.allowed(for: kind)
      let meant = Self.meanings.filter { $0.0 == kind }
      #expect(!meant.isEmpty, "\(kind) has no documented meaning")
      for value in allowed where allowed.count <= 5 {
        #expect(RatingColumn.action(kind: kind, value: value) != nil, "\(kind) \(value)")
      }
    }
  }

  @Test(arguments: [
    (ReviewEvent.Kind.review, Int64(0)), (.review, 5), (.review, -1), (.quiz, 0), (.quiz, 4), (.scenario, 4),
    (.scenario, -1), (.leech, 2), (.leech, -1), (.undo, 1), (.suspend, 3), (.weak, 1), (.forget, -1),
  ])
  func `a number that means nothing for its kind has no action`(kind: ReviewEvent.Kind, value: Int64) {
    #expect(RatingColumn.action(kind: kind, value: value) == nil)
    #expect(!RatingColumn.allowed(for: kind).contains(value))
  }

  @Test func `days and unknown kinds' numbers outside the log's range still come back from their value`() {
    // Events made in code (a postpone of 40,000 days) pass through columns unchanged; only the
    // log refuses such lines.
    for action in [Action.postpone(days: 40_000), .advance(days: -3), .other(kind: "x", rating: 9)] {
      let value = RatingColumn.value(of: action)
      #expect(!RatingColumn.allowed(for: action.kind).contains(Int64(value)))
      #expect(RatingColumn.action(kind: action.kind, value: Int64(value)) == action)
    }
    #expect(RatingColumn.allowed(for: .postpone) == 0...Int64(Replayer.longestMove))
    #expect(RatingColumn.allowed(for: .other("x")) == 0...4)
  }

  @Test func `a stored row that means nothing is kept under its own name and number`() {
    #expect(RatingColumn.storedAction(kind: .review, value: 3) == .review(.good))
    #expect(RatingColumn.storedAction(kind: .review, value: 7) == .other(kind: "review", rating: 7))
  }

  @Test func `kind names are read back from their spelling, and any other name is kept`() {
    #expect(ReviewEvent.Kind.known.count == 13)
    for kind in ReviewEvent.Kind.known {
      #expect(ReviewEvent.Kind(kind.description) == kind)
    }
    #expect(Set(ReviewEvent.Kind.known.map(\.description)).count == ReviewEvent.Kind.known.count)
    #expect(ReviewEvent.Kind("Review") == .other("Review"))
    #expect(ReviewEvent.Kind("future-kind").description == "future-kind")
  }

  @Test func `only reviews, postpones and advances can be undone`() {
    let undoable = ReviewEvent.Kind.known.filter(\.isUndoable)
    #expect(undoable == [.review, .postpone, .advance])
    #expect(!ReviewEvent.Kind.other("future-kind").isUndoable)
  }
}
