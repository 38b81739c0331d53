import EngramCore
import Testing

@Suite struct ScenarioStatsTests {
  func event(_ card: String, _ rating: Int, _ second: Int64) -> ReviewEvent {
    ReviewEvent(time: Timestamp(milliseconds: second * 1000), card: card, rating: rating, kind: .scenario)
  }

  @Test func `plays count endings reached and choices count by verdict`() {
    let events = [
      event("hand/start/a", 1, 1), event("hand/middle/c", 1, 2), event("hand/sad", 0, 3),
      event("hand/start/b", 3, 4), event("hand/middle/b", 2, 5), event("hand/happy", 0, 6),
      event("hand/start/b", 3, 7),  // a play stopped early: a choice, no ending
    ]
    let stats = ScenarioStats.compute(events: events, scenarios: [handScenario()])
    #expect(stats.plays == 2)
    // The stopped play's choice is not counted: start/a (poor), middle/c (poor), start/b (good),
    // middle/b (mixed).
    #expect(stats.good == 1 && stats.mixed == 1 && stats.poor == 2)
    #expect(stats.entries.count == 1)
    #expect(stats.entries[0].title == "Hand")
    #expect(stats.entries[0].latestEnding == "Happy")
    #expect(stats.entries[0].endings.map(\.title) == ["Happy", "Sad"])
  }

  @Test func `a play stopped part-way is not counted when the next play starts and finishes`() {
    let events = [
      event("hand/start/a", 1, 1), event("hand/middle/c", 1, 2),  // stopped: no ending
      event("hand/start/b", 3, 3), event("hand/middle/a", 3, 4), event("hand/happy", 0, 5),
    ]
    let stats = ScenarioStats.compute(events: events, scenarios: [handScenario()])
    #expect(stats.plays == 1)
    #expect(stats.good == 2 && stats.mixed == 0 && stats.poor == 0)
  }

  @Test func `other kinds and malformed keys are ignored`() {
    let events = [
      ReviewEvent(time: Timestamp(milliseconds: 0), card: "d/c", rating: 3, kind: .review),
      event("nokey", 0, 1), event("a/b/c/d", 3, 2),
    ]
    let stats = ScenarioStats.compute(events: events, scenarios: [])
    #expect(stats.plays == 0 && stats.choices == 0)
  }

  @Test func `a scenario no longer present is counted under its id`() {
    let stats = ScenarioStats.compute(events: [event("gone/end", 0, 1)], scenarios: [])
    #expect(stats.entries.map(\.title) == ["gone"])
    #expect(stats.entries[0].endings.map(\.title) == ["end"])
  }
}
