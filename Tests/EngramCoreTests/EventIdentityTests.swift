import Testing

@testable import EngramCore

/// Events with ids (`device.sequence`) from several devices: the replay order, and undos,
/// unburies and leeches that name the event they refer to.
@Suite struct EventIdentityTests {
  let scheduler = Scheduler(settings: plainSettings)
  var replayer: Replayer { Replayer(scheduler: scheduler, dayStart: at("2026-01-05T04:00:00Z")) }

  func stamped(_ event: ReviewEvent, _ device: String, _ sequence: Int, target: EventID? = nil) -> ReviewEvent {
    var event = event
    event.id = EventID(device: device, sequence: sequence)
    event.target = target
    return event
  }

  @Test func `ids parse as device and sequence, and malformed ones are refused`() {
    #expect(EventID("laptop.12") == EventID(device: "laptop", sequence: 12))
    #expect(EventID("my-desk_2.1") == EventID(device: "my-desk_2", sequence: 1))
    #expect(EventID("laptop.12")?.description == "laptop.12")
    for bad in ["laptop", "laptop.", ".3", "lap top.3", "laptop.0", "laptop.-1", "laptop.4294967296", "a.b.c", "é.1"] {
      #expect(EventID(Substring(bad)) == nil, "\(bad)")
    }
    #expect(EventID.isValidDevice(String(repeating: "a", count: 64)))
    #expect(!EventID.isValidDevice(String(repeating: "a", count: 65)))
  }

  @Test func `an undo that names its review cancels that one even when another device reviewed since`() {
    // Laptop reviews at 10:00 and undoes it at 10:30; the desk reviewed the card at 10:20.
    // The older rule (the latest review before the undo) would cancel the desk's review.
    let laptopReview = stamped(review("d/c", .again, "2026-01-01T10:00:00Z"), "laptop", 1)
    let deskReview = stamped(review("d/c", .good, "2026-01-01T10:20:00Z"), "desk", 1)
    let undo = stamped(event(.undo, "d/c", "2026-01-01T10:30:00Z"), "laptop", 2, target: laptopReview.id)
    let merged = replayer.replay(card: "d/c", events: [laptopReview, deskReview, undo])
    let deskOnly = replayer.replay(card: "d/c", events: [deskReview])
    #expect(merged.schedule == deskOnly.schedule)
    #expect(merged.reviewCount == 1)
    #expect(Replayer.standing([deskReview, undo, laptopReview]) == [deskReview])
  }

  @Test func `an undo without a target cancels only a review of its own origin`() {
    // A line without a target written by the laptop (no review of its own stands) cancels
    // nothing of the desk's; a legacy undo (no id) cancels the latest legacy review.
    let deskReview = stamped(review("d/c", .good, "2026-01-01T10:20:00Z"), "desk", 1)
    let laptopUndo = stamped(event(.undo, "d/c", "2026-01-01T10:30:00Z"), "laptop", 1)
    #expect(replayer.replay(card: "d/c", events: [deskReview, laptopUndo]).reviewCount == 1)
    let legacyReview = review("d/c", .hard, "2026-01-01T09:00:00Z")
    let legacyUndo = event(.undo, "d/c", "2026-01-01T10:40:00Z")
    let standing = Replayer.standing([legacyReview, deskReview, legacyUndo])
    #expect(standing == [deskReview])
  }

  @Test func `an undo of a review takes back the leech that names it`() {
    let first = stamped(review("d/c", .again, "2026-01-01T10:00:00Z"), "laptop", 1)
    let leech = stamped(
      ReviewEvent(time: at("2026-01-01T10:00:00Z"), card: "d/c", action: .leech(.suspend)), "laptop", 2,
      target: first.id
    )
    let undo = stamped(event(.undo, "d/c", "2026-01-02T10:00:00Z"), "laptop", 3, target: first.id)
    let record = replayer.replay(card: "d/c", events: [first, leech, undo])
    #expect(!record.suspended)
    #expect(record.leechedAt == nil)
    #expect(record.reviewCount == 0)
  }

  @Test func `an unbury that names its bury leaves another device's bury standing`() {
    let deskBury = stamped(event(.bury, "d/c", "2026-01-05T08:00:00Z"), "desk", 1)
    let laptopBury = stamped(event(.bury, "d/c", "2026-01-05T09:00:00Z"), "laptop", 1)
    let unbury = stamped(event(.unbury, "d/c", "2026-01-05T09:01:00Z"), "laptop", 2, target: laptopBury.id)
    let record = replayer.replay(card: "d/c", events: [laptopBury, unbury, deskBury])
    #expect(record.buriedAt == at("2026-01-05T08:00:00Z"))
    // An unbury of an older version (no target) clears any bury, as before.
    let legacy = replayer.replay(card: "d/c", events: [deskBury, event(.unbury, "d/c", "2026-01-05T09:01:00Z")])
    #expect(legacy.buriedAt == nil)
  }

  @Test func `events of one millisecond replay by device name then sequence, legacy lines first`() {
    let time = "2026-01-01T10:00:00Z"
    let desk = stamped(review("d/c", .again, time), "desk", 5)
    let laptop1 = stamped(review("d/c", .good, time), "laptop", 1)
    let laptop2 = stamped(review("d/c", .easy, time), "laptop", 2)
    let legacy = review("d/c", .hard, time)
    let expected = [legacy, desk, laptop1, laptop2]
    for order in [[laptop2, laptop1, desk, legacy], [desk, legacy, laptop2, laptop1], expected] {
      #expect(Replayer.standing(order) == expected)
      #expect(replayer.replay(card: "d/c", events: order) == replayer.replay(card: "d/c", events: expected))
    }
  }

  @Test func `the undo target is this device's latest standing review, postpone or advance`() {
    let mine = stamped(review("d/c", .good, "2026-01-01T10:00:00Z"), "laptop", 1)
    let theirs = stamped(review("d/c", .good, "2026-01-01T11:00:00Z"), "desk", 1)
    let postpone = stamped(
      ReviewEvent(time: at("2026-01-01T12:00:00Z"), card: "d/c", action: .postpone(days: 3)), "laptop", 2)
    #expect(Replayer.undoTarget(in: [mine, theirs], device: "laptop") == mine.id)
    #expect(Replayer.undoTarget(in: [mine, theirs, postpone], device: "laptop") == postpone.id)
    #expect(Replayer.undoTarget(in: [theirs], device: "laptop") == nil)
    let undone = stamped(event(.undo, "d/c", "2026-01-01T12:30:00Z"), "laptop", 3, target: postpone.id)
    #expect(Replayer.undoTarget(in: [mine, theirs, postpone, undone], device: "laptop") == mine.id)
    let bury = stamped(event(.bury, "d/c", "2026-01-01T13:00:00Z"), "laptop", 4)
    #expect(Replayer.unburyTarget(in: [mine, bury], device: "laptop") == bury.id)
    #expect(Replayer.unburyTarget(in: [mine, bury], device: "desk") == nil)
  }
}
