import Testing

@testable import EngramCore

@Suite struct ClozeTests {
  let text = "Making a model more flexible lowers its {{bias}} and raises its {{variance}}."

  @Test func `each blank becomes its own card with the others filled in`() {
    let note = Note(id: "bias-variance", content: .cloze(text))
    let cards = note.cards(deckID: "ml")
    #expect(cards.map(\.key) == ["ml/bias-variance#1", "ml/bias-variance#2"])
    #expect(cards[0].front == "Making a model more flexible lowers its [...] and raises its variance.")
    #expect(cards[0].back == "bias")
    #expect(cards[1].front == "Making a model more flexible lowers its bias and raises its [...].")
  }

  @Test(arguments: [
    ("no blank here", Cloze.ClozeProblem.noBlank),
    ("an {{}} blank", .empty),
    ("an {{  }} blank", .empty),
    ("an {{open blank", .unterminated),
    ("a {{nested {{x}} }} blank", .unterminated),
    ("a closed}} blank", .unopened),
  ])
  func `malformed cloze text is detected`(text: String, problem: Cloze.ClozeProblem) {
    #expect(Cloze.problem(in: text) == problem)
  }
}
