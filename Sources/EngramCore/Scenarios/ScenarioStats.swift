/// What the log says about scenario drills: plays finished, endings reached, and how sound
/// the choices were.
public struct ScenarioStats: Sendable, Equatable {
  /// One scenario's record.
  public struct Entry: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Plays that reached an ending.
    public var plays: Int
    /// Ending titles reached, with how often, most frequent first.
    public var endings: [(title: String, count: Int)]
    /// The ending of the latest finished play.
    public var latestEnding: String?

    public static func == (a: Entry, b: Entry) -> Bool {
      a.id == b.id && a.title == b.title && a.plays == b.plays && a.latestEnding == b.latestEnding
        && a.endings.map(\.title) == b.endings.map(\.title) && a.endings.map(\.count) == b.endings.map(\.count)
    }
  }

  public var entries: [Entry]
  /// Choices by verdict, in finished plays: a play stopped part-way says little about the
  /// learner's judgement and would make "1 play finished · 5 choices" read wrong.
  public var good = 0
  public var mixed = 0
  public var poor = 0

  public var plays: Int { entries.reduce(0) { $0 + $1.plays } }
  public var choices: Int { good + mixed + poor }

  /// Reads `scenario` events: `id/node/letter` is a choice rated by its verdict, `id/node` an
  /// ending reached. A choice at a scenario's first node starts a play, so the choices of a
  /// play stopped before its ending are dropped when the next play starts (or the log ends).
  /// Events of scenarios no longer present are counted under their id.
  ///
  /// - Parameter events: scenario events in time order.
  public static func compute(events: [ReviewEvent], scenarios: [Scenario]) -> ScenarioStats {
    var stats = ScenarioStats(entries: [])
    var byID: [String: Int] = [:]
    // Each scenario's choices since its play started, counted when the play ends.
    var pending: [String: [Scenario.Verdict]] = [:]
    let firstNodes = Dictionary(scenarios.map { ($0.id, $0.nodes.first?.id) }, uniquingKeysWith: { first, _ in first })
    for event in events {
      guard case .scenario(let verdict) = event.action else { continue }
      let parts = event.card.split(separator: "/")
      guard parts.count == 2 || parts.count == 3 else { continue }
      let id = String(parts[0])
      if parts.count == 3 {
        if let first = firstNodes[id], first == String(parts[1]) { pending[id] = [] }
        if let verdict { pending[id, default: []].append(verdict) }
        continue
      }
      for verdict in pending.removeValue(forKey: id) ?? [] {
        switch verdict {
        case .good: stats.good += 1
        case .mixed: stats.mixed += 1
        case .poor: stats.poor += 1
        }
      }
      let scenario = scenarios.first { $0.id == id }
      let title = scenario?.node(String(parts[1]))?.endingTitle ?? String(parts[1])
      let index: Int
      if let known = byID[id] {
        index = known
      } else {
        index = stats.entries.count
        byID[id] = index
        stats.entries.append(Entry(id: id, title: scenario?.title ?? id, plays: 0, endings: [], latestEnding: nil))
      }
      stats.entries[index].plays += 1
      stats.entries[index].latestEnding = title
      if let at = stats.entries[index].endings.firstIndex(where: { $0.title == title }) {
        stats.entries[index].endings[at].count += 1
      } else {
        stats.entries[index].endings.append((title, 1))
      }
    }
    for index in stats.entries.indices {
      stats.entries[index].endings.sort { $0.count != $1.count ? $0.count > $1.count : $0.title < $1.title }
    }
    stats.entries.sort { $0.id < $1.id }
    return stats
  }
}
