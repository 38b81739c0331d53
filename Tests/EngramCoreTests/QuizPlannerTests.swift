import Testing

@testable import EngramCore

@Suite struct QuizPlannerSiblingTests {
  /// A deck with a three-blank cloze, a reversed pair and four single cards.
  let cards: [Card] =
    [
      Note(id: "cloze", content: .cloze("{{Paris}} is the capital of {{France}}, on the {{Seine}}.")),
      Note(id: "front", content: .basic(question: "dog in French?", answer: "chien")),
      Note(id: "back", content: .basic(question: "chien in English?", answer: "dog"), sibling: "front"),
    ].flatMap { $0.cards(deckID: "d") }
    + (0..<4).flatMap { Note(id: "n\($0)", content: .basic(question: "q\($0)", answer: "a\($0)")).cards(deckID: "d") }

  @Test func `a hundred seeded quizzes never hold two siblings`() {
    let candidates = cards.map { ($0.key, $0.siblingGroup, 1.0) }
    let groupOf = Dictionary(uniqueKeysWithValues: cards.map { ($0.key, $0.siblingGroup) })
    for seed in 0..<100 {
      var random = SeededRandom(seed: UInt64(seed))
      let chosen = QuizPlanner.choose(count: 10, from: candidates, random: &random)
      let groups = chosen.compactMap { groupOf[$0] }
      #expect(Set(groups).count == groups.count, "seed \(seed): \(chosen)")
      // Six notes: a quiz of ten asks each note once.
      #expect(chosen.count == 6)
    }
  }

  @Test func `the same seed gives the same quiz`() {
    let candidates = cards.map { ($0.key, $0.siblingGroup, 1.0) }
    var first = SeededRandom(seed: 7)
    var second = SeededRandom(seed: 7)
    #expect(
      QuizPlanner.choose(count: 4, from: candidates, random: &first)
        == QuizPlanner.choose(count: 4, from: candidates, random: &second))
  }
}
