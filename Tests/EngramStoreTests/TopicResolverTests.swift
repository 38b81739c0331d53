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
