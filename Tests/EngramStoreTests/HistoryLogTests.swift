import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// The history as the union of per-device log files: numbering, reading, conflict copies,
/// device names and the snapshot cache's binding to the files.
@Suite struct HistoryLogTests {
  let home = TemporaryDirectory()
  let now = Timestamp(milliseconds: 1_767_261_600_000)  // 2026-01-01T10:00:00Z
  let utc = TimeZoneSource(identifier: "UTC")

  func directory(_ device: String) -> DataDirectory { DataDirectory(path: home.path, device: .fixed(device)) }
  func open(_ device: String, cache: Bool = true) throws -> Workspace {
    if !cache { unlink(home.path + "/state.cache") }
    return try Workspace(directory: directory(device), now: now, timeZone: utc)
  }
  func review(_ card: String, _ rating: Rating, minutes: Int64) -> ReviewEvent {
    ReviewEvent(time: now + .minutes(minutes), card: card, action: .review(rating))
  }
  func deck() {
    home.write("decks/d.md", "# D\nid: d\n\n## a\nQ: qa\nA: aa\n\n## b\nQ: qb\nA: ab\n\n## c\nQ: qc\nA: ac\n")
  }

  @Test func `each device appends numbered events to its own file, and undo names its review`() throws {
    deck()
    let laptop = try open("laptop")
    try laptop.append([review("d/a", .good, minutes: -60)])
    try laptop.append([ReviewEvent(time: now - .minutes(59), card: "d/a", action: .undo)])
    let text = try #require(home.read("reviews/laptop.tsv"))
    #expect(text.hasPrefix(ReviewLog.deviceHeader))
    #expect(text.contains("\td/a\t3\t0\treview\tlaptop.1\n"))
    #expect(text.contains("\td/a\t0\t0\tundo\tlaptop.2\tlaptop.1\n"))
    #expect(access(home.path + "/reviews.tsv", F_OK) != 0)
    #expect(home.read(".gitignore") == HistoryLog.gitignore)
    // Numbering continues from the file, whichever process writes next.
    try open("laptop").append([review("d/b", .good, minutes: -30)])
    #expect(try #require(home.read("reviews/laptop.tsv")).contains("\td/b\t3\t0\treview\tlaptop.3\n"))
  }

  @Test func `lines with five, six or seven fields are read; a bad id is an unreadable line`() throws {
    home.write(
      "reviews/desk.tsv",
      ReviewLog.deviceHeader + "2026-01-01T09:00:00.000Z\td/a\t3\t0\treview\n"
        + "2026-01-01T09:01:00.000Z\td/a\t3\t0\treview\tdesk.2\n"
        + "2026-01-01T09:02:00.000Z\td/a\t0\t0\tundo\tdesk.3\tdesk.2\n"
        + "2026-01-01T09:03:00.000Z\td/a\t3\t0\treview\tdesk\n"
        + "2026-01-01T09:04:00.000Z\td/a\t0\t0\tundo\tdesk.5\tnot an id\n"
        + "2026-01-01T09:05:00.000Z\td/a\t3\t0\treview\tdesk.6\tdesk.1\textra\n")
    let contents = try HistoryLog(directory: directory("desk"), device: "desk").read()
    #expect(contents.events.count == 3)
    #expect(contents.events[1].id == EventID(device: "desk", sequence: 2))
    #expect(contents.events[2].target == EventID(device: "desk", sequence: 2))
    #expect(contents.unreadableLines == 3)
    let file = home.path + "/reviews/desk.tsv"
    #expect(
      contents.warnings == [
        .unreadableLogLine(file: file, line: 6, reason: "bad event id (expected device.sequence)"),
        .unreadableLogLine(file: file, line: 7, reason: "bad target id (expected device.sequence)"),
        .unreadableLogLine(file: file, line: 8, reason: "expected 5 to 7 tab-separated fields, found 8"),
      ])
    // An id-less line in a device's file is read, but marks the tail as not to be trusted alone.
    #expect(contents.hasForeignEvents)
  }

  @Test func `the history read as columns holds the same events, numbers and findings as read as events`() throws {
    // Legacy lines, two devices (one file with a copied line of the other's and an unknown
    // kind), a duplicate id, an undo naming its target and an unreadable line.
    home.write(
      "reviews.tsv",
      ReviewLog.header + "2026-01-01T08:00:00.000Z\td/a\t3\t100\treview\n"
        + "2026-01-01T08:01:00.000Z\td/b\t4\t200\treview\n")
    home.write(
      "reviews/desk.tsv",
      ReviewLog.deviceHeader + "2026-01-01T09:00:00.000Z\td/b\t1\t300\treview\tdesk.1\n"
        + "2026-01-01T09:01:00.000Z\td/b\t0\t0\tundo\tdesk.2\tdesk.1\n"
        + "2026-01-01T09:02:00.000Z\td/c\t2\t0\tfuture-kind\tdesk.3\n"
        + "2026-01-01T09:03:00.000Z\td/c\t9\t0\treview\tdesk.4\n")
    home.write(
      "reviews/laptop.tsv",
      ReviewLog.deviceHeader + "2026-01-01T10:00:00.000Z\td/c\t3\t0\treview\tlaptop.1\n"
        + "2026-01-01T09:00:00.000Z\td/b\t1\t300\treview\tdesk.1\n"
        + "2026-01-01T10:01:00.000Z\td/a\t2\t0\tfuture-kind\tlaptop.2\n"
        + "2026-01-01T10:02:00.000Z\td/a\t3\t0\treview\tdesk.9\n")
    let history = HistoryLog(directory: directory("laptop"), device: "laptop")
    let events = try history.read()
    let (columns, contents) = try history.readColumns()
    // The copied desk.1 in laptop's file counts once: 2 + 3 + 3 events; desk.9 in laptop's
    // file is foreign.
    #expect(columns.count == 8)
    #expect((0..<columns.count).map(columns.event(at:)) == events.events)
    #expect(columns.keys == ["d/a", "d/b", "d/c"])
    #expect(columns.kinds == [.review, .undo, .other("future-kind")])
    #expect(columns.devices == ["desk", "laptop"])
    #expect(columns.event(at: 3).target == EventID(device: "desk", sequence: 1))
    #expect(contents.unreadableLines == 1 && events.unreadableLines == 1)
    #expect(contents.warnings == events.warnings)
    #expect(
      contents.warnings == [
        .unreadableLogLine(
          file: home.path + "/reviews/desk.tsv", line: 6, reason: "rating 9 is not allowed for 'review' (1 to 4)")
      ])
    #expect(contents.hasForeignEvents && events.hasForeignEvents)
    #expect(contents.sizes == events.sizes)
    // Appending by key after a columns read numbers a new card after the parser's cards.
    var grown = columns
    grown.append(ReviewEvent(time: now, card: "d/d", action: .review(.good)))
    grown.append(ReviewEvent(time: now, card: "d/a", action: .undo))
    #expect(grown.keys == ["d/a", "d/b", "d/c", "d/d"])
    #expect(grown.kinds == columns.kinds)
    #expect(grown.events(ofCard: "d/a").map(\.kind) == [.review, .other("future-kind"), .review, .undo])
  }

  @Test func `a file copied under another name counts once, and a stray file is reported`() throws {
    deck()
    try open("laptop").append([review("d/a", .good, minutes: -60), review("d/b", .again, minutes: -50)])
    let original = try #require(home.read("reviews/laptop.tsv"))
    home.write("reviews/laptop-copy.tsv", original)
    home.write("reviews/notes about sync.tsv", "anything")
    let contents = try HistoryLog(directory: directory("desk"), device: "desk").read()
    #expect(contents.events.count == 2)
    #expect(contents.hasForeignEvents)
    #expect(contents.warnings == [.strayLogFile(path: home.path + "/reviews/notes about sync.tsv")])
    let merged = try open("desk", cache: false)
    #expect(merged.records["d/a"]?.reviewCount == 1)
    #expect(merged.records["d/b"]?.reviewCount == 1)
  }

  @Test func `the owner merges its conflict copy by id and removes it; another device only reads it`() throws {
    deck()
    try open("laptop").append([review("d/a", .good, minutes: -60)])
    let base = try #require(home.read("reviews/laptop.tsv"))
    // The other version of the file has the first event and two more.
    let other =
      base + "2026-01-01T09:10:00.000Z\td/b\t3\t0\treview\tlaptop.7\n"
      + "2026-01-01T09:11:00.000Z\td/c\t2\t0\treview\tlaptop.8\n"
    let copy = "reviews/laptop.sync-conflict-20260101-091500-ABCDEFG.tsv"
    home.write(copy, other)
    let desk = try open("desk", cache: false)
    #expect(access(home.path + "/" + copy, F_OK) == 0)
    #expect(desk.records["d/b"]?.reviewCount == 1)
    #expect(desk.records["d/a"]?.reviewCount == 1)
    let laptop = try open("laptop", cache: false)
    #expect(access(home.path + "/" + copy, F_OK) != 0)
    #expect(
      laptop.warnings.contains(
        .conflictCopyMerged(copy: home.path + "/" + copy, into: home.path + "/reviews/laptop.tsv")))
    let text = try #require(home.read("reviews/laptop.tsv"))
    #expect(text.components(separatedBy: "\tlaptop.1\n").count == 2)
    #expect(text.hasSuffix("\td/b\t3\t0\treview\tlaptop.7\n2026-01-01T09:11:00.000Z\td/c\t2\t0\treview\tlaptop.8\n"))
    // Merging again finds nothing new; the next number follows the highest.
    try laptop.append([review("d/a", .good, minutes: -1)])
    #expect(try #require(home.read("reviews/laptop.tsv")).hasSuffix("\treview\tlaptop.9\n"))
    #expect(try open("laptop", cache: false).records == (try open("desk", cache: false)).records)
  }

  @Test func `a merged conflict copy keeps lines of every kind, unknown ones included, byte for byte`() throws {
    deck()
    try open("laptop").append([review("d/a", .good, minutes: -60)])
    let base = try #require(home.read("reviews/laptop.tsv"))
    let added =
      "2026-01-01T09:10:00.000Z\td/b\t2\t700\tquiz\tlaptop.2\n"
      + "2026-01-01T09:11:00.000Z\td/b\t4\t0\tnewer-kind\tlaptop.3\tlaptop.2\n"
      + "2026-01-01T09:12:00.000Z\td/a\t12\t0\tpostpone\tlaptop.4\n"
      + "2026-01-01T09:12:00.000Z\td/a\t0\t0\tleech\tlaptop.5\tlaptop.1\n"
      + "2026-01-01T09:13:00.000Z\tdrill/start/b\t3\t900\tscenario\tlaptop.6\n"
      + "2026-01-01T09:14:00.000Z\td/c\t0\t0\tnext-thing\tlaptop.7\n"
    home.write("reviews/laptop.sync-conflict-20260101-091500-KINDS.tsv", base + added)
    _ = try open("laptop", cache: false)
    #expect(try #require(home.read("reviews/laptop.tsv")) == base + added)
  }

  @Test func `a conflict copy of the shared reviews tsv is merged line by line into it`() throws {
    deck()
    let header = ReviewLog.header
    let common = "2026-01-01T08:00:00.000Z\td/a\t3\t0\treview\n"
    home.write("reviews.tsv", header + common + "2026-01-01T08:05:00.000Z\td/b\t3\t0\treview\n")
    home.write(
      "reviews.sync-conflict-20260101-080600-XYZ.tsv", header + common + "2026-01-01T08:06:00.000Z\td/c\t1\t0\treview\n"
    )
    let workspace = try open("laptop")
    #expect(access(home.path + "/reviews.sync-conflict-20260101-080600-XYZ.tsv", F_OK) != 0)
    let text = try #require(home.read("reviews.tsv"))
    #expect(
      text == header + common
        + "2026-01-01T08:05:00.000Z\td/b\t3\t0\treview\n2026-01-01T08:06:00.000Z\td/c\t1\t0\treview\n")
    #expect(workspace.records.keys.sorted() == ["d/a", "d/b", "d/c"])
    #expect(workspace.records["d/a"]?.reviewCount == 1)
  }

  @Test func `the cache notices another device's file growing, appearing or being replaced`() throws {
    deck()
    try open("laptop").append([review("d/a", .good, minutes: -300)])
    _ = try open("laptop")  // saves the cache over laptop.tsv
    // The desk's file appears with an older review: the union is replayed.
    let deskLines =
      ReviewLog.deviceHeader + "2026-01-01T04:00:00.000Z\td/a\t1\t0\treview\tdesk.1\n"
    home.write("reviews/desk.tsv", deskLines)
    let afterAppear = try open("laptop")
    #expect(afterAppear.records == (try open("laptop", cache: false)).records)
    #expect(afterAppear.records["d/a"]?.reviewCount == 2)
    // It grows by a later review: applied on top, equal to a full replay.
    _ = try open("laptop")
    let grown = deskLines + "2026-01-01T09:55:00.000Z\td/b\t3\t0\treview\tdesk.2\n"
    home.write("reviews/desk.tsv", grown)
    let afterGrow = try open("laptop")
    #expect(afterGrow.startedFromCache)
    #expect(afterGrow.records["d/b"]?.reviewCount == 1)
    #expect(afterGrow.records == (try open("laptop", cache: false)).records)
    // It is replaced by a different history of the same size: the cache is not trusted.
    _ = try open("laptop")
    home.write("reviews/desk.tsv", grown.replacingOccurrences(of: "\td/b\t3\t", with: "\td/c\t3\t"))
    let afterReplace = try open("laptop")
    #expect(afterReplace.records["d/b"] == nil)
    #expect(afterReplace.records["d/c"]?.reviewCount == 1)
    #expect(afterReplace.records == (try open("laptop", cache: false)).records)
  }

  @Test func `a file that grows during a session is not saved as covered by a replay that read it`() throws {
    deck()
    try open("laptop").append([review("d/a", .good, minutes: -300)])
    let session = try open("laptop")
    // The desk's review arrives while the laptop's session runs; the laptop then undoes its own
    // review, which replays the card from every file.
    home.write("reviews/desk.tsv", ReviewLog.deviceHeader + "2026-01-01T09:00:00.000Z\td/a\t1\t0\treview\tdesk.1\n")
    try session.append([ReviewEvent(time: now - .minutes(1), card: "d/a", action: .undo)])
    session.saveCache()
    let next = try open("laptop")
    #expect(next.records == (try open("laptop", cache: false)).records)
    #expect(next.records["d/a"]?.reviewCount == 1)
  }

  @Test func `devices lists each device with its counts and marks this one`() throws {
    deck()
    home.write("reviews.tsv", ReviewLog.header + "2026-01-01T07:00:00.000Z\td/a\t3\t0\treview\n")
    try open("laptop").append([review("d/a", .good, minutes: -60), review("d/b", .good, minutes: -59)])
    try open("desk").append([ReviewEvent(time: now - .minutes(10), card: "d/c", action: .suspend)])
    let devices = try HistoryLog(directory: directory("laptop"), device: "laptop").devices()
    #expect(devices.map(\.device) == [nil, "desk", "laptop"])
    #expect(devices.map(\.events) == [1, 1, 2])
    #expect(devices.map(\.reviews) == [1, 0, 2])
    #expect(devices.map(\.isThisDevice) == [false, false, true])
    #expect(devices[1].lastEvent == now - .minutes(10))
    let fresh = try HistoryLog(directory: directory("phone"), device: "phone").devices()
    #expect(fresh.last?.device == "phone" && fresh.last?.events == 0 && fresh.last?.isThisDevice == true)
  }

  @Test func `a device name comes from ENGRAM_DEVICE, else is generated once and kept in the state directory`() throws {
    let state = TemporaryDirectory()
    #expect(try DeviceName.resolve(environment: ["ENGRAM_DEVICE": "desk-2"]).name() == "desk-2")
    #expect(throws: DeviceName.Failure.invalid(name: "my desk", source: "ENGRAM_DEVICE")) {
      try DeviceName.resolve(environment: ["ENGRAM_DEVICE": "my desk"]).name()
    }
    let environment = ["XDG_STATE_HOME": state.path, "HOME": "/nonexistent"]
    let first = try DeviceName.resolve(environment: environment).name()
    #expect(EventID.isValidDevice(first))
    #expect(state.read("engram/device") == first + "\n")
    #expect(try DeviceName.resolve(environment: environment).name() == first)
    // Under HOME when XDG_STATE_HOME is unset.
    let otherHome = TemporaryDirectory()
    let second = try DeviceName.resolve(environment: ["HOME": otherHome.path]).name()
    #expect(otherHome.read(".local/state/engram/device") == second + "\n")
    #expect(second != first)  // six random hex digits: equal with probability 1 in 16 million
    state.write("engram/device", "not a name!\n")
    #expect(throws: DeviceName.Failure.invalid(name: "notaname!", source: state.path + "/engram/device")) {
      try DeviceName.resolve(environment: environment).name()
    }
  }

  @Test func `with nowhere to keep a name, one is derived from the host and machine id, the same each time`() throws {
    let folder = TemporaryDirectory()
    folder.write("machine-id", "0123456789abcdef0123456789abcdef\n")
    folder.write("other-id", "fedcba9876543210fedcba9876543210\n")
    let derived = try #require(DeviceName.derived(machineIDs: [folder.path + "/machine-id"]))
    #expect(EventID.isValidDevice(derived))
    #expect(derived.hasPrefix(DeviceName.hostLabel() + "-"))
    #expect(DeviceName.derived(machineIDs: [folder.path + "/machine-id"]) == derived)
    #expect(DeviceName.derived(machineIDs: [folder.path + "/other-id"]) != derived)
    #expect(DeviceName.derived(machineIDs: [folder.path + "/none", folder.path + "/other-id"]) != nil)
    #expect(DeviceName.derived(machineIDs: [folder.path + "/none"]) == nil)
    // A state directory that cannot be made (a file stands in the way) falls back to it.
    folder.write("state", "a file, not a folder")
    let name = try DeviceName(given: nil, statePath: folder.path + "/state/engram/device").name()
    #expect(name == DeviceName.derived())
  }

  @Test func `without a name appending fails with a message that says what to set, and reading works`() throws {
    deck()
    home.write("reviews.tsv", ReviewLog.header + "2026-01-01T07:00:00.000Z\td/a\t3\t0\treview\n")
    let workspace = try Workspace(
      directory: DataDirectory(path: home.path, device: .resolve(environment: ["ENGRAM_DEVICE": "a.b"])), now: now,
      timeZone: utc)
    #expect(workspace.records["d/a"]?.reviewCount == 1)
    #expect {
      try workspace.append([review("d/b", .good, minutes: 0)])
    } throws: { error in
      "\(error)".contains("device name 'a.b' (ENGRAM_DEVICE) is not usable")
    }
    #expect(access(home.path + "/reviews", F_OK) != 0)
  }
}
