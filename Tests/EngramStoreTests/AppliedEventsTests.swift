import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// What this process applied, taken back or put in place without a replay: each way gives the
/// records that applying the standing events from nothing, in replay order, gives.
@Suite struct AppliedEventsTests {
  let start = ISO8601.parse("2026-01-10T10:00:00Z")!
  let replayer = Replayer(
    scheduler: Scheduler(settings: SchedulerSettings()), dayStart: ISO8601.parse("2026-01-12T00:00:00Z")!)

  func review(_ card: String, hours: Int64, rating: Rating = .good, sequence: Int, device: String = "desk")
    -> ReviewEvent
  {
    ReviewEvent(
      time: start + .hours(hours), card: card, action: .review(rating),
      id: EventID(device: device, sequence: sequence))
  }

  func undo(_ card: String, hours: Int64, target: EventID?) -> ReviewEvent {
    var event = ReviewEvent(time: start + .hours(hours), card: card, action: .undo)
    event.target = target
    return event
  }

  func position(_ event: ReviewEvent) -> CollectionReplay.Position {
    CollectionReplay.Position(time: event.time, card: event.card)
  }

  /// The records and load a replay of `events`, in this order, from no history gives.
  func replayed(_ events: [ReviewEvent]) -> (records: [String: CardRecord], balancer: LoadBalancer) {
    var records: [String: CardRecord] = [:]
    var balancer = LoadBalancer()
    for event in events {
      replayer.apply(event, card: event.card, to: &records[event.card, default: CardRecord()], balancer: &balancer)
    }
    return (records, balancer)
  }

  /// `events` applied in turn with a journal from the start, as `Workspace` journals them.
  func journaled(_ events: [ReviewEvent]) -> (AppliedEvents, [String: CardRecord], LoadBalancer) {
    var applied = AppliedEvents()
    applied.journal = AppliedEvents.Journal(start: Workspace.earliestPosition, entries: [])
    var records: [String: CardRecord] = [:]
    var balancer = LoadBalancer()
    for event in events {
      applied.journal?.entries.append((position(event), event, records[event.card]))
      replayer.apply(event, card: event.card, to: &records[event.card, default: CardRecord()], balancer: &balancer)
    }
    return (applied, records, balancer)
  }

  /// One review of `x` applied and remembered as undoable, at state 1.
  func oneUndoable() -> AppliedEvents {
    var applied = AppliedEvents()
    let event = review("x", hours: 0, sequence: 1)
    applied.undoables = [
      AppliedEvents.Undoable(
        card: "x", id: event.id, time: event.time, isReview: true, before: nil, latestBefore: nil, stateBefore: 0,
        stateAfter: 1)
    ]
    applied.state = 1
    applied.lastState = 1
    return applied
  }

  @Test func `an event inserted before the latest gives the records of a replay in order`() {
    let first = review("x", hours: 0, sequence: 1)
    let later = review("y", hours: 30, sequence: 2)
    let inserted = review("x", hours: 26, rating: .again, sequence: 3)
    var (applied, records, balancer) = journaled([first, later])
    #expect(applied.journalHolds(position(later)))
    #expect(!applied.journalHolds(position(inserted)))
    applied.insert(inserted, at: position(inserted), into: &records, balancer: &balancer, replayer: replayer)
    let expected = replayed([first, inserted, later])
    #expect(records == expected.records)
    #expect(balancer == expected.balancer)
    #expect(applied.journal?.entries.map(\.event.id) == [first.id, inserted.id, later.id])
  }

  @Test func `an undo of a journaled review takes it back and applies the later events again`() {
    let taken = review("x", hours: 0, sequence: 1)
    let other = review("y", hours: 1, sequence: 2)
    let kept = review("y", hours: 30, rating: .hard, sequence: 3)
    var (applied, records, balancer) = journaled([taken, other, kept])
    let undoing = undo("x", hours: 31, target: taken.id)
    #expect(applied.undoesInJournal(undoing))
    var latest: CollectionReplay.Position? = position(kept)
    applied.undo(undoing, inJournalOf: &records, balancer: &balancer, latest: &latest, replayer: replayer)
    let expected = replayed([other, kept])
    // A card whose every event is undone still has history: an empty record.
    #expect(records == expected.records.merging(["x": CardRecord()]) { $1 })
    #expect(balancer == expected.balancer)
    #expect(latest == position(kept))
    #expect(applied.journal?.entries.map(\.event.id) == [other.id, kept.id])
  }

  @Test func `the journal does not take back an event the undo does not name, or one after it`() {
    let taken = review("x", hours: 2, sequence: 1)
    let (applied, _, _) = journaled([taken, review("y", hours: 3, sequence: 2)])
    #expect(!applied.undoesInJournal(undo("x", hours: 4, target: EventID(device: "desk", sequence: 2))))
    #expect(!applied.undoesInJournal(undo("x", hours: 4, target: nil)))
    #expect(!applied.undoesInJournal(undo("x", hours: 1, target: taken.id)))
    #expect(!applied.undoesInJournal(undo("z", hours: 4, target: taken.id)))
  }

  @Test func `the latest event applied is undone in place only by an undo naming it, while nothing followed`() {
    var applied = oneUndoable()
    let id = EventID(device: "desk", sequence: 1)
    #expect(applied.undoesInPlace(undo("x", hours: 1, target: id)))
    #expect(!applied.undoesInPlace(undo("x", hours: 1, target: nil)))
    #expect(!applied.undoesInPlace(undo("x", hours: 1, target: EventID(device: "laptop", sequence: 1))))
    #expect(!applied.undoesInPlace(undo("y", hours: 1, target: id)))
    #expect(!applied.undoesInPlace(undo("x", hours: -1, target: id)))
    applied.state = 2
    #expect(!applied.undoesInPlace(undo("x", hours: 1, target: id)))
  }

  @Test func `an undo first in its batch is named after this device's latest applied event of its card`() {
    let applied = oneUndoable()
    let named = applied.namingUndoTargets([undo("x", hours: 1, target: nil)], device: "desk")
    #expect(named.map(\.target) == [EventID(device: "desk", sequence: 1)])
    // Another device's undo, an undo of another card and one after a review stay unnamed.
    #expect(applied.namingUndoTargets([undo("x", hours: 1, target: nil)], device: "laptop").map(\.target) == [nil])
    #expect(applied.namingUndoTargets([undo("y", hours: 1, target: nil)], device: "desk").map(\.target) == [nil])
    let later = [review("y", hours: 1, sequence: 2), undo("x", hours: 1, target: nil)]
    #expect(applied.namingUndoTargets(later, device: "desk").map(\.target) == [nil, nil])
  }

  @Test func `from the journal an undo is named after the card's latest undoable event of this device`() {
    let own = review("x", hours: 1, sequence: 1)
    let foreign = review("x", hours: 2, sequence: 7, device: "laptop")
    let quiz = ReviewEvent(
      time: start + .hours(3), card: "x", action: .quiz(.correct), id: EventID(device: "desk", sequence: 2))
    let (applied, _, _) = journaled([own, foreign, quiz])
    #expect(applied.namingUndoTargets([undo("x", hours: 4, target: nil)], device: "desk").map(\.target) == [own.id])
  }

  @Test func `ratings, postpones and advances can be undone; other events cannot`() {
    #expect(AppliedEvents.isUndoable(review("x", hours: 0, sequence: 1)))
    #expect(!AppliedEvents.isUndoable(ReviewEvent(time: start, card: "x", action: .quiz(.wrong))))
    #expect(AppliedEvents.isUndoable(ReviewEvent(time: start, card: "x", action: .postpone(days: 0))))
    #expect(AppliedEvents.isUndoable(ReviewEvent(time: start, card: "x", action: .advance(days: 0))))
    #expect(!AppliedEvents.isUndoable(ReviewEvent(time: start, card: "x", action: .bury)))
  }
}
