import EngramCore
import Foundation

/// An open data directory: configuration, decks, and every card's state replayed from the log.
///
/// A class because it owns identity: one open directory whose in-memory state follows each
/// append. It is used from one thread (the command or REPL loop), so it is not `Sendable`.
public final class Workspace {
  public let directory: DataDirectory
  public let config: Config
  public let library: DeckLibrary
  public let log: ReviewLog
  public let scheduler: Scheduler
  public let clock: DayClock
  /// Events per card key, in file order.
  public private(set) var events: [String: [ReviewEvent]]
  /// Replayed state per card key (only cards with history).
  public private(set) var records: [String: CardRecord]
  /// Start of the study day the records' per-day counts refer to.
  public private(set) var dayStart: Timestamp
  /// Messages to show the user once (deck problems, a torn log line set aside).
  public private(set) var warnings: [String]
  private var cardIndex: [String: Card]

  /// Opens (and on first use creates) the data directory.
  ///
  /// - Throws: `ConfigError` for a bad config.toml, `FileError` when the directory or the log
  ///   cannot be read.
  public init(directory: DataDirectory, now: Timestamp, timeZone: TimeZoneSource = .current) throws {
    try directory.create()
    self.directory = directory
    config = try Config.load(path: directory.configPath)
    library = DeckLibrary.load(userDecks: directory.decksPath)
    log = ReviewLog(path: directory.logPath)
    scheduler = Scheduler(settings: config.schedulerSettings)
    clock = DayClock(dayStartsAt: config.dayStartsAt, timeZone: timeZone.zone)
    dayStart = clock.dayStart(containing: now)
    warnings = library.problems.map(\.description)
    let contents = try log.read()
    warnings += contents.warnings
    var grouped: [String: [ReviewEvent]] = [:]
    for event in contents.events { grouped[event.card, default: []].append(event) }
    events = grouped
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    var records: [String: CardRecord] = [:]
    records.reserveCapacity(grouped.count)
    for (card, cardEvents) in grouped { records[card] = replayer.replay(card: card, events: cardEvents) }
    self.records = records
    var index: [String: Card] = [:]
    for card in library.cards { index[card.key] = card }
    cardIndex = index
  }

  /// The card with this key, if a loaded deck has it.
  public func card(_ key: String) -> Card? { cardIndex[key] }

  /// The start of tomorrow's study day.
  public var tomorrowStart: Timestamp { clock.nextDayStart(after: dayStart) }

  /// Writes events durably (fsync) and only then updates the in-memory state.
  public func append(_ newEvents: [ReviewEvent], sync: Bool = true) throws(FileError) {
    try log.append(newEvents, sync: sync)
    let replayer = Replayer(scheduler: scheduler, dayStart: dayStart)
    for event in newEvents {
      events[event.card, default: []].append(event)
      let isLatest = (records[event.card]?.lastEvent).map { event.time >= $0 } ?? true
      if isLatest && event.kind != .undo {
        var record = records[event.card] ?? CardRecord()
        replayer.apply(event, card: event.card, to: &record)
        records[event.card] = record
      } else {
        records[event.card] = replayer.replay(card: event.card, events: events[event.card] ?? [])
      }
    }
  }

  /// Today's queue over `cards` (default: every card of every deck).
  public func queue(cards: [Card]? = nil) -> StudyQueue {
    StudyQueue(
      cards: cards ?? library.cards, records: records, limits: limits, dayStart: dayStart,
      tomorrowStart: tomorrowStart)
  }

  /// The daily limits from the configuration.
  public var limits: StudyQueue.Limits {
    StudyQueue.Limits(newPerDay: config.newCardsPerDay, reviewsPerDay: config.reviewsPerDay)
  }
}

/// Where the local time zone comes from; tests pin one.
public struct TimeZoneSource: Sendable {
  public let identifier: String?
  public static let current = TimeZoneSource(identifier: nil)
  public init(identifier: String?) { self.identifier = identifier }
}

extension TimeZoneSource {
  var zone: TimeZone { identifier.flatMap(TimeZone.init(identifier:)) ?? .current }
}
