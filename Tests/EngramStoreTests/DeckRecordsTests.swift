import EngramCore
import Testing

@testable import EngramStore

/// `DeckRecords` is what a session started from the snapshot updates instead of a dictionary
/// of every card: it must read and write exactly as that dictionary would.
@Suite struct DeckRecordsTests {
  func record(lastEvent milliseconds: Int64?, reviews: Int = 1) -> CardRecord {
    var record = CardRecord()
    record.lastEvent = milliseconds.map { Timestamp(milliseconds: $0) }
    record.reviewCount = reviews
    return record
  }

  func table() -> DeckRecords {
    DeckRecords(
      decks: [
        StateCache.CachedDeck(
          id: "alpha", title: "Alpha", source: "a.md", keys: ["alpha/one", "alpha/two", "alpha/three"],
          records: [record(lastEvent: 5), nil, record(lastEvent: 9)]),
        StateCache.CachedDeck(
          id: "beta", title: "Beta", source: "b.md", keys: ["beta/one"], records: [record(lastEvent: 9)]),
      ],
      orphans: ["gone/card": record(lastEvent: 3)], index: DeckRecords.Index())
  }

  @Test func `reads and writes cards where they are, and cards in no deck by key`() {
    var records = table()
    #expect(records["alpha/one"]?.lastEvent == Timestamp(milliseconds: 5))
    #expect(records["alpha/two"] == nil)
    #expect(records["gone/card"]?.lastEvent == Timestamp(milliseconds: 3))
    #expect(records["nowhere"] == nil)

    records["alpha/two", default: CardRecord()].reviewCount += 2
    #expect(records.decks[0].records[1]?.reviewCount == 2)
    records["beta/one"] = nil
    #expect(records.decks[1].records[0] == nil)
    records["other/card"] = record(lastEvent: 1)
    #expect(records.orphans["other/card"]?.lastEvent == Timestamp(milliseconds: 1))
  }

  @Test func `every record is visited, and the latest position is the dictionary's`() {
    let records = table()
    var count = 0
    records.forEachRecord { _ in count += 1 }
    #expect(count == 4)
    var dictionary: [String: CardRecord] = records.orphans
    for deck in records.decks {
      for (key, record) in zip(deck.cardKeys, deck.records) where record != nil { dictionary[key] = record }
    }
    // Two cards share the latest time: the later key wins ("beta/one" after "alpha/three").
    #expect(records.latestPosition() == CollectionReplay.latest(in: dictionary))
    #expect(records.latestPosition()?.card == "beta/one")
    #expect(records.latestPosition()?.time == Timestamp(milliseconds: 9))
  }
}
