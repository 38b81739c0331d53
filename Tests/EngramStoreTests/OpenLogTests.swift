import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// The log as one open knows it, driven by real files: the sizes the records cover grow with
/// our own writes and are dropped when another process's lines come in between or are read;
/// a held log stays as read, plus what we wrote.
@Suite struct OpenLogTests {
  let home = TemporaryDirectory()
  let now = ISO8601.parse("2026-02-01T12:00:00Z")!
  let legacy = ReviewLog.header + "2026-01-31T10:00:00.000Z\td/a\t3\t0\treview\n"

  var history: HistoryLog { HistoryLog(directory: DataDirectory(path: home.path), device: "desk") }

  func review(_ card: String, minutes: Int64) -> ReviewEvent {
    ReviewEvent(time: now + .minutes(minutes), card: card, action: .review(.good))
  }

  /// The log opened as a workspace opens it: the sizes of what was read.
  func opened() throws -> OpenLog {
    OpenLog(history: history, sizes: try history.read().sizes)
  }

  /// Appends through the history (as `Workspace.append` does) and tells `log`.
  func write(_ events: [ReviewEvent], to log: inout OpenLog) throws {
    let written = try history.append(sync: false) { first in
      events.enumerated().map { offset, event in
        var event = event
        event.id = EventID(device: "desk", sequence: first + offset)
        return event
      }
    }
    log.wrote(written.events, to: written.file, at: written.range)
  }

  /// Appends behind the log's back, as another process or a sync tool would.
  func appendOutside(_ name: String, _ text: String) throws {
    let handle = try #require(FileHandle(forWritingAtPath: home.path + "/" + name))
    handle.seekToEndOfFile()
    handle.write(Data(text.utf8))
    handle.closeFile()
  }

  func fileSize(_ name: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: home.path + "/" + name)[.size] as? Int) ?? -1
  }

  @Test func `our own writes extend the sizes to the end of our file`() throws {
    home.write("reviews.tsv", legacy)
    var log = try opened()
    #expect(log.sizes == ["reviews.tsv": legacy.utf8.count])
    try write([review("d/a", minutes: 0)], to: &log)
    try write([review("d/b", minutes: 1), review("d/a", minutes: 2)], to: &log)
    #expect(log.sizes == ["reviews.tsv": legacy.utf8.count, "reviews/desk.tsv": fileSize("reviews/desk.tsv")])
  }

  @Test func `a line another process wrote between ours leaves no size that describes the records`() throws {
    home.write("reviews.tsv", legacy)
    var log = try opened()
    try write([review("d/a", minutes: 0)], to: &log)
    try appendOutside("reviews/desk.tsv", "2026-02-01T12:00:30.000Z\td/b\t3\t0\treview\tdesk.2\n")
    try write([review("d/a", minutes: 1)], to: &log)
    #expect(log.sizes == nil)
  }

  @Test func `reading after another file grew drops the sizes; reading an unchanged log keeps them`() throws {
    home.write("reviews.tsv", legacy)
    var log = try opened()
    #expect(try log.columns().count == 1)
    #expect(log.sizes == ["reviews.tsv": legacy.utf8.count])
    try appendOutside("reviews.tsv", "2026-01-31T11:00:00.000Z\td/b\t1\t0\treview\n")
    #expect(try log.columns().count == 2)
    #expect(log.sizes == nil)
  }

  @Test func `a held log keeps what was read and gains only our own writes`() throws {
    home.write("reviews.tsv", legacy)
    var log = try opened()
    #expect(log.held == nil)
    try log.hold()
    try appendOutside("reviews.tsv", "2026-01-31T11:00:00.000Z\td/b\t1\t0\treview\n")
    #expect(try log.columns().count == 1)
    try write([review("d/c", minutes: 0)], to: &log)
    let held = try #require(log.held)
    #expect(held.count == 2)
    #expect(held.events(ofCard: "d/c").map(\.id) == [EventID(device: "desk", sequence: 1)])
    #expect(held.events(ofCard: "d/b").isEmpty)
  }

  @Test func `events are grouped by card, and grouped again after a write`() throws {
    home.write(
      "reviews.tsv",
      legacy + "2026-01-31T11:00:00.000Z\td/b\t1\t0\treview\n" + "2026-01-31T12:00:00.000Z\td/a\t4\t0\treview\n")
    var log = try opened()
    let grouped = try log.allEvents()
    #expect(grouped["d/a"]?.map(\.action) == [.review(.good), .review(.easy)])
    #expect(grouped["d/b"]?.map(\.action) == [.review(.again)])
    try write([review("d/b", minutes: 0)], to: &log)
    #expect(try log.allEvents()["d/b"]?.map(\.action) == [.review(.again), .review(.good)])
  }

  @Test func `a log that cannot be read is an error, not an empty history`() throws {
    var log = try opened()
    try FileManager.default.createDirectory(atPath: home.path + "/reviews.tsv", withIntermediateDirectories: true)
    #expect(throws: FileError.self) { try log.columns() }
  }
}
