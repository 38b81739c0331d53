import EngramCore

/// What this process applied since the open, kept so that an undo of it, or an event that
/// belongs before it in the replay order, is put in place without replaying the whole log:
/// the undoable events applied last (with each card's record before them), the journal of the
/// replay order under load balancing, and the numbers of the in-memory states that tell
/// whether anything came after an event.
///
/// Its own value because this is the memory of appending alone: the records it restores are
/// handed to it (`Workspace` keeps them in the snapshot's arrays or a dictionary), and a full
/// replay clears it.
struct AppliedEvents {
  /// What an undo of the latest rating (or postpone, advance) applied by this process restores,
  /// latest last: while nothing else was applied after it, taking it back gives exactly the
  /// state a full replay gives (the replay drops the event and its undo), without a replay.
  var undoables: [Undoable] = []
  struct Undoable {
    var card: String
    /// The event's id: only an undo naming it takes it back here.
    var id: EventID?
    var time: Timestamp
    var isReview: Bool
    /// The card's record before the event (nil: the card had no history).
    var before: CardRecord?
    var latestBefore: CollectionReplay.Position?
    /// What the event added to the per-day review tally (a review), taken away again with it.
    var counted: DailyReviewTally.Review?
    /// The state number before and after the event (and the leech event logged with it).
    var stateBefore: Int
    var stateAfter: Int
  }
  /// With load balancing, after an event came before the latest one: every event replayed from
  /// `start` on, in replay order, with its card's record before it. A further event at or
  /// after `start` but before the latest is then put in place by taking back the events after
  /// it, applying it, and applying them again: exactly a full replay, at the cost of the
  /// events that follow it. (A session whose clock is behind the log's latest event, such as a
  /// log merged from a device whose clock runs ahead, would otherwise replay everything on
  /// every answer.)
  var journal: Journal?
  struct Journal {
    var start: CollectionReplay.Position
    var entries: [(position: CollectionReplay.Position, event: ReviewEvent, before: CardRecord?)]
  }
  /// Numbers each in-memory state this process reaches, so that an `Undoable` knows whether
  /// anything was applied after it; `lastState` hands out fresh numbers.
  var state = 0
  var lastState = 0

  /// How the journal's moves reach the per-day review tally: each event taken back
  /// (`applied` false) and each applied again (true), with its card's record before it.
  typealias Tally = (_ event: ReviewEvent, _ before: CardRecord?, _ applied: Bool) -> Void

  /// Puts `event` in its place in the replay order using the journal: the events after it are
  /// taken back (latest first), the event applied, and they are applied again.
  mutating func insert(
    _ event: ReviewEvent, at position: CollectionReplay.Position, into records: inout some RecordStore,
    balancer: inout LoadBalancer, replayer: Replayer, tally: Tally = { _, _, _ in }
  ) {
    guard var entries = journal?.entries else { return }
    // After every entry at or before its position (an equal position is an earlier line).
    var low = 0
    var high = entries.count
    while low < high {
      let middle = (low + high) / 2
      if position < entries[middle].position { high = middle } else { low = middle + 1 }
    }
    let later = entries[low...]
    for entry in later { tally(entry.event, entry.before, false) }
    AppliedEvents.takeBack(later, records: &records, balancer: &balancer)
    var replayed: [(position: CollectionReplay.Position, event: ReviewEvent, before: CardRecord?)] = []
    replayed.reserveCapacity(later.count + 1)
    let again = [(position: position, event: event, before: CardRecord?.none)] + later
    for (position, event, _) in again {
      replayed.append((position, event, records[event.card]))
      tally(event, records[event.card], true)
      replayer.apply(event, card: event.card, to: &records[event.card, default: CardRecord()], balancer: &balancer)
    }
    entries.replaceSubrange(low..., with: replayed)
    journal?.entries = entries
  }

  /// Where in the journal the events an undo of `undo.card` takes back are: the card's last
  /// journaled event, undoable (a rating, postpone or advance) and not after the undo, with
  /// the leech event logged with a rating. Nil when the journal does not hold them.
  private func journalUndo(_ undo: ReviewEvent) -> (first: Int, last: Int)? {
    guard let entries = journal?.entries,
      let last = entries.lastIndex(where: { $0.event.card == undo.card })
    else { return nil }
    func undoable(_ event: ReviewEvent) -> Bool {
      event.kind.isUndoable
    }
    var first = last
    let event = entries[last].event
    if event.kind == .leech {
      guard let review = entries[..<last].lastIndex(where: { $0.event.card == undo.card }),
        entries[review].event.kind == .review,
        entries[review].event.time == event.time,
        // The leech goes with the review: it names it, or names none and is of its origin.
        event.target == entries[review].event.id
          || (event.target == nil && event.id?.device == entries[review].event.id?.device)
      else { return nil }
      first = review
    } else if !undoable(event) {
      return nil
    }
    // Only the event the undo names is taken back here (see `undoesInPlace`).
    guard let target = undo.target, entries[first].event.id == target, undo.time >= entries[first].event.time
    else { return nil }
    return (first, last)
  }

  /// Whether the journal holds what `undo` takes back.
  func undoesInJournal(_ undo: ReviewEvent) -> Bool { journalUndo(undo) != nil }

  /// Restores the records (and the balancer's day counts) to what they were before `entries`,
  /// latest first: the first step of putting an event in place or taking one back.
  private static func takeBack(
    _ entries: ArraySlice<(position: CollectionReplay.Position, event: ReviewEvent, before: CardRecord?)>,
    records: inout some RecordStore, balancer: inout LoadBalancer
  ) {
    for entry in entries.reversed() {
      balancer.remove(records[entry.event.card] ?? CardRecord())
      records[entry.event.card] = entry.before
      if let before = entry.before { balancer.add(before) }
    }
  }

  /// Takes back the events `undo` cancels using the journal: the events from the first of
  /// them on are taken back (latest first), and the others applied again.
  mutating func undo(
    _ undo: ReviewEvent, inJournalOf records: inout some RecordStore, balancer: inout LoadBalancer,
    latest: inout CollectionReplay.Position?, replayer: Replayer, tally: Tally = { _, _, _ in }
  ) {
    guard let (first, last) = journalUndo(undo), var entries = journal?.entries else { return }
    let later = entries[first...]
    for entry in later { tally(entry.event, entry.before, false) }
    AppliedEvents.takeBack(later, records: &records, balancer: &balancer)
    var replayed: [(position: CollectionReplay.Position, event: ReviewEvent, before: CardRecord?)] = []
    for (offset, entry) in later.enumerated() where first + offset != first && first + offset != last {
      replayed.append((entry.position, entry.event, records[entry.event.card]))
      tally(entry.event, records[entry.event.card], true)
      replayer.apply(
        entry.event, card: entry.event.card, to: &records[entry.event.card, default: CardRecord()], balancer: &balancer)
    }
    // A card whose every event is undone still has history (an empty record), as a replay says.
    if records[undo.card] == nil { records[undo.card] = CardRecord() }
    entries.replaceSubrange(first..., with: replayed)
    journal?.entries = entries
    latest = entries.last?.position ?? records.latestPosition()
  }

  /// Whether `undo` takes back the latest event this process applied (see `undoables`), so
  /// that no replay is needed.
  func undoesInPlace(_ undo: ReviewEvent) -> Bool {
    guard let entry = undoables.last, let id = entry.id else { return false }
    // Only an undo that names this event takes it back: one naming another event, or a legacy
    // one without a target (which cancels the latest of its own origin), is replayed.
    return undo.target == id && entry.card == undo.card && entry.stateAfter == state && undo.time >= entry.time
  }

  /// `batch` with each undo that takes back what this process can see without the log naming
  /// it: the latest rating, postpone or advance this process applied (while nothing came after
  /// it), or one its journal holds. `stamp` would name the same event: this device's latest
  /// standing undoable event of the card, since every event of the card before it is older
  /// (the record's latest event was not after it) or outside the journal (before its start).
  /// Only an undo first in the batch among events about cards is named here; others are
  /// named by `stamp` from the whole log.
  func namingUndoTargets(_ batch: [ReviewEvent], device: String) -> [ReviewEvent] {
    guard let first = batch.firstIndex(where: { $0.kind.isAboutCard }), batch[first].kind == .undo,
      batch[first].target == nil
    else { return batch }
    let undo = batch[first]
    var named = batch
    if let entry = undoables.last, let id = entry.id, id.device == device, entry.card == undo.card,
      entry.stateAfter == state, undo.time >= entry.time, (entry.before?.lastEvent).map({ $0 <= entry.time }) ?? true
    {
      named[first].target = id
    } else if let journal,
      let found = journal.entries.last(where: { entry in
        entry.event.card == undo.card && entry.event.id?.device == device && AppliedEvents.isUndoable(entry.event)
      }), found.event.time > journal.start.time, undo.time >= found.event.time
    {
      named[first].target = found.event.id
    }
    return named
  }

  /// Whether an undo can take `event` back: a rating, a postpone or an advance.
  static func isUndoable(_ event: ReviewEvent) -> Bool {
    event.kind.isUndoable
  }

  /// Whether the journal holds an event at `position` (the same card at the same time): its
  /// order with another there depends on device names, so the event is not inserted.
  func journalHolds(_ position: CollectionReplay.Position) -> Bool {
    journal?.entries.contains { $0.position == position } ?? false
  }
}
