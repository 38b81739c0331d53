import EngramCore
import Testing

@testable import EngramStore

/// Topic resolution on the real shipped decks.
@Suite struct TopicResolverTests {
  let decks = DeckLibrary.shipped().decks

  func keys(_ topic: String) -> (label: String, keys: [String])? {
    if case .cards(let label, let keys) = TopicResolver.resolve(topic, decks: decks) { return (label, keys) }
    return nil
  }

  @Test func `a deck id, a title word or a topic selects the deck`() throws {
    #expect(try #require(keys("agile-scrum")).label == "agile-scrum")
    #expect(try #require(keys("agile")).label == "agile-scrum")
    #expect(try #require(keys("scrum")).label == "agile-scrum")
    #expect(try #require(keys("ethics")).label == "ai-ethics-governance")
    let lifecycle = try #require(keys("lifecycle"))
    #expect(lifecycle.label == "model-lifecycle")
    #expect(lifecycle.keys.allSatisfy { $0.hasPrefix("model-lifecycle/") })
  }

  @Test func `a tag selects its cards across decks`() throws {
    let result = try #require(keys("certification"))
    #expect(result.label == "certification")
    #expect(!result.keys.isEmpty)
    #expect(result.keys.allSatisfy { $0.hasPrefix("agile-scrum/") })
  }

  @Test func `words in the cards are the last resort`() throws {
    let result = try #require(keys("model drift"))
    #expect(!result.keys.isEmpty)
  }

  @Test func `an unknown topic suggests the nearest names`() {
    guard case .unknown(let suggestions) = TopicResolver.resolve("agil-scrm", decks: decks) else {
      Issue.record("expected unknown")
      return
    }
    #expect(suggestions.first == "agile-scrum")
    guard case .unknown = TopicResolver.resolve("xyzzy plugh", decks: decks) else {
      Issue.record("expected unknown")
      return
    }
  }
}

/// Topics narrower than a deck, whole-word matching and `topics:` entries, on small decks.
@Suite struct TopicNarrowingTests {
  let shipped = DeckLibrary.shipped().decks

  func deck(_ id: String, topics: [String] = [], _ cards: [(String, String, [String])]) -> Deck {
    Deck(
      id: id, title: id.capitalized, topics: topics,
      notes: cards.enumerated().map { index, card in
        Note(id: "c\(index)", content: .basic(question: card.0, answer: card.1), tags: card.2)
      })
  }

  @Test func `a topic listed on a deck's topics line but narrower than it gives the cards that mention it`() throws {
    guard case .cards(let label, let keys) = TopicResolver.resolve("drift", decks: shipped) else {
      Issue.record("expected cards")
      return
    }
    #expect(label == "cards mentioning 'drift'")
    let lifecycle = try #require(shipped.first { $0.id == "model-lifecycle" })
    #expect(keys.count < lifecycle.cards.count)
    // Every chosen card uses the word (or a form of it: drifts, drifting) somewhere.
    let cards = shipped.flatMap(\.cards).filter { keys.contains($0.key) }
    #expect(cards.count == keys.count)
    for card in cards {
      let words = TextNormalizer.words(
        [card.front, card.back, card.note.why, card.note.tags.joined(separator: " ")].joined(separator: " "))
      #expect(words.contains { $0.hasPrefix("drift") }, "\(card.key)")
    }
  }

  @Test func `words match whole words, never parts of words`() {
    let decks = [deck("agile", [("What does a team do at the situation board?", "Sit together", [])])]
    guard case .unknown = TopicResolver.resolve("si", decks: decks) else {
      Issue.record("'si' must not match 'situation' or 'sit'")
      return
    }
    #expect(
      TopicResolver.resolve("situations", decks: decks)
        == .cards(label: "cards mentioning 'situations'", keys: ["agile/c0"]))
  }

  @Test func `a tag beats a topics entry and card words`() {
    let decks = [
      deck(
        "ops", topics: ["monitoring"],
        [("Watch what?", "Monitoring dashboards", []), ("Alert on?", "Errors", ["monitoring"])])
    ]
    #expect(TopicResolver.resolve("monitoring", decks: decks) == .cards(label: "monitoring", keys: ["ops/c1"]))
  }

  @Test func `a topics entry that no card mentions selects its deck`() {
    let decks = [deck("pm", topics: ["pmbok"], [("Who owns the charter?", "The sponsor", [])])]
    #expect(TopicResolver.resolve("pmbok", decks: decks) == .cards(label: "pm", keys: ["pm/c0"]))
  }
}

@Suite struct NearestNameTests {
  let names = ["drift-incident", "sponsor-accuracy", "ds-product-conflict", "agile-scrum"]

  @Test func `a typo or a part of a name is suggested, nearest first`() {
    #expect(TopicResolver.nearest(to: "agile-scrm", among: names) == ["agile-scrum"])
    #expect(TopicResolver.nearest(to: "drift", among: names) == ["drift-incident"])
    #expect(TopicResolver.nearest(to: "Sponsor Accuracy", among: names) == ["sponsor-accuracy"])
  }

  @Test func `a word far from every name gets no suggestion`() {
    #expect(TopicResolver.nearest(to: "nope", among: names).isEmpty)
    #expect(TopicResolver.nearest(to: "zzzz", among: names).isEmpty)
    #expect(TopicResolver.nearest(to: "", among: names).isEmpty)
  }

  @Test func `a pasted page as the topic is compared by length first, not by a 100,000 x 20 distance table each`() {
    let page = String(repeating: "scrum ", count: 20_000)
    #expect(TopicResolver.nearest(to: page, among: names).isEmpty)
    // Containment still counts: the page contains "agile-scrum"'s words only apart, so no match;
    // a page that contains a whole name does.
    #expect(TopicResolver.nearest(to: page + "agile scrum", among: names) == ["agile-scrum"])
  }
}
