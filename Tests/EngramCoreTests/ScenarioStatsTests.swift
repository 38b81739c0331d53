import EngramCore
import Testing

@Suite struct ScenarioStatsTests {
  /// A scenario event: a choice with its verdict, or an ending (nil).
  func event(_ card: String, _ verdict: Scenario.Verdict?, _ second: Int64) -> ReviewEvent {
    ReviewEvent(time: Timestamp(milliseconds: second * 1000), card: card, action: .scenario(verdict))
  }

  @Test func `plays count endings reached and choices count by verdict`() {
    let events = [
      event("hand/start/a", .poor, 1), event("hand/middle/c", .poor, 2), event("hand/sad", nil, 3),
      event("hand/start/b", .good, 4), event("hand/middle/b", .mixed, 5), event("hand/happy", nil, 6),
      event("hand/start/b", .good, 7),  // a play stopped early: a choice, no ending
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
      event("hand/start/a", .poor, 1), event("hand/middle/c", .poor, 2),  // stopped: no ending
      event("hand/start/b", .good, 3), event("hand/middle/a", .good, 4), event("hand/happy", nil, 5),
    ]
    let stats = ScenarioStats.compute(events: events, scenarios: [handScenario()])
    #expect(stats.plays == 1)
    #expect(stats.good == 2 && stats.mixed == 0 && stats.poor == 0)
  }

  @Test func `other kinds and malformed keys are ignored`() {
    let events = [
      ReviewEvent(time: Timestamp(milliseconds: 0), card: "d/c", action: .review(.good)),
      event("nokey", nil, 1), event("a/b/c/d", .good, 2),
    ]
    let stats = ScenarioStats.compute(events: events, scenarios: [])
    #expect(stats.plays == 0 && stats.choices == 0)
  }

  @Test func `a scenario no longer present is counted under its id`() {
    let stats = ScenarioStats.compute(events: [event("gone/end", nil, 1)], scenarios: [])
    #expect(stats.entries.map(\.title) == ["gone"])
    #expect(stats.entries[0].endings.map(\.title) == ["end"])
  }
}
