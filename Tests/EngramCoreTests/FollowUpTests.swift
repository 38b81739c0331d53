import EngramCore
import Testing

@Suite struct FollowUpTests {
  func card(_ deck: String, _ id: String, _ front: String, _ back: String, tags: [String] = [], see: [String] = [])
    -> Card
  {
    let note = Note(id: id, content: .basic(question: front, answer: back), tags: tags, see: see)
    return note.cards(deckID: deck)[0]
  }

  @Test func `a linked card comes first`() {
    let missed = card(
      "d", "precision", "What does precision measure?", "Share of predicted positives that are right", see: ["d/recall"]
    )
    let recall = card("d", "recall", "What does recall measure?", "Share of actual positives found")
    let near = card(
      "d", "precision-use", "When does precision matter most?", "When false positives are costly", tags: ["metrics"])
    #expect(FollowUp.pick(after: missed, linked: [recall], neighbours: [near, recall])?.key == "d/recall")
  }

  @Test func `without a usable link the nearest card by tags and words is chosen`() {
    let missed = card(
      "d", "a", "What is data drift in production models?", "A change in the input distribution", tags: ["monitoring"])
    let related = card(
      "d", "b", "What is concept drift?", "A change in the relation between inputs and outcomes", tags: ["monitoring"])
    let unrelated = card("d", "c", "Who owns the Product Backlog?", "The Product Owner", tags: ["scrum"])
    #expect(FollowUp.pick(after: missed, linked: [], neighbours: [unrelated, related])?.key == "d/b")
  }

  @Test func `siblings and cards already asked are never chosen`() {
    let note = Note(id: "cloze", content: .cloze("Drift: {{data}} drift and {{concept}} drift"), tags: ["monitoring"])
    let blanks = note.cards(deckID: "d")
    let other = card("d", "other", "Which drift changes the input distribution?", "data drift", tags: ["monitoring"])
    #expect(FollowUp.pick(after: blanks[0], linked: [blanks[1]], neighbours: blanks + [other])?.key == "d/other")
    #expect(
      FollowUp.pick(after: blanks[0], linked: [], neighbours: blanks + [other], excluding: [other.siblingGroup]) == nil)
  }

  @Test func `nothing in common gives no follow-up`() {
    let missed = card("d", "a", "Capital of France?", "Paris")
    let other = card("e", "b", "Largest planet?", "Jupiter")
    #expect(FollowUp.pick(after: missed, linked: [], neighbours: [other]) == nil)
  }
}
