import EngramCore
import Testing

@testable import EngramStore

/// A rebuild's records, numbered by the log, put where the decks have their cards.
@Suite struct RecordLayoutTests {
  /// A record told apart from others by its review count.
  func record(_ reviews: Int) -> CardRecord {
    var record = CardRecord()
    record.reviewCount = reviews
    record.lastEvent = Timestamp(milliseconds: Int64(reviews))
    return record
  }

  @Test func `records go to their deck positions, the rest stay new or in no deck`() {
    // The log's numbering (first line first) differs from the decks' order.
    let keys = ["b/2", "a/1", "gone/9", "a/3", "b/scenario-only"]
    let records: [CardRecord?] = [record(1), record(2), record(3), record(4), nil]
    let decks = [
      DeckSummary(id: "a", title: "A", cardKeys: ["a/1", "a/2", "a/3"]),
      DeckSummary(id: "b", title: "B", cardKeys: ["b/1", "b/2", "b/scenario-only"]),
    ]
    let layout = RecordLayout(keys: keys, decks: decks)
    #expect(layout.numbers == [[1, -1, 3], [-1, 0, 4]])
    #expect(layout.elsewhere == [2])
    let laidOut = layout.layOut(records, keys: keys, decks: decks)
    #expect(laidOut.decks.map(\.id) == ["a", "b"])
    #expect(laidOut.decks[0].records == [record(2), nil, record(4)])
    #expect(laidOut.decks[1].records == [nil, record(1), nil])
    #expect(laidOut.decks[1].cardKeys == ["b/1", "b/2", "b/scenario-only"])
    #expect(laidOut.orphans == ["gone/9": record(3)])
  }

  @Test func `a key in no deck without history is not kept`() {
    let keys = ["x/1"]
    let layout = RecordLayout(keys: keys, decks: [])
    #expect(layout.layOut([nil], keys: keys, decks: []).orphans.isEmpty)
  }

  @Test func `no log and no decks lay out nothing`() {
    let laidOut = RecordLayout(keys: [], decks: []).layOut([], keys: [], decks: [])
    #expect(laidOut.decks.isEmpty && laidOut.orphans.isEmpty)
  }

  @Test func `every card is where a lookup by key puts it`() {
    var generator = SystemRandomNumberGenerator()
    let keys = (0..<500).map { "d\($0 % 7)/n\($0)" }.shuffled(using: &generator)
    let records: [CardRecord?] = keys.indices.map { $0 % 5 == 0 ? nil : record($0) }
    var byKey: [String: CardRecord] = [:]
    for (number, key) in keys.enumerated() { byKey[key] = records[number] }
    // Decks hold some of the log's cards and some it never names.
    let decks = (0..<5).map { deck in
      DeckSummary(id: "d\(deck)", title: "D", cardKeys: (0..<600).filter { $0 % 7 == deck }.map { "d\(deck)/n\($0)" })
    }
    let laidOut = RecordLayout(keys: keys, decks: decks).layOut(records, keys: keys, decks: decks)
    for (deck, summary) in zip(laidOut.decks, decks) {
      #expect(deck.records == summary.cardKeys.map { byKey[$0] })
    }
    let deckKeys = Set(decks.flatMap(\.cardKeys))
    #expect(laidOut.orphans == byKey.filter { !deckKeys.contains($0.key) })
  }
}
