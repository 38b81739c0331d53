import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

@Suite struct ReviewLogTests {
  let directory = TemporaryDirectory()
  var log: ReviewLog { ReviewLog(path: directory.path + "/reviews.tsv") }

  func event(_ card: String, _ action: ReviewEvent.Action, _ ms: Int64) -> ReviewEvent {
    ReviewEvent(time: Timestamp(milliseconds: ms), card: card, action: action, durationMilliseconds: 1500)
  }

  @Test func `appended events read back in order with the documented header`() throws {
    let events = [
      event("d/a", .review(.good), 1_700_000_000_123), event("d/a", .undo, 1_700_000_001_000),
      event("d/b", .review(.easy), 1_700_000_002_000),
    ]
    try log.append(Array(events.prefix(2)))
    try log.append([events[2]])
    let contents = try log.read()
    #expect(contents.events == events)
    #expect(contents.warnings.isEmpty)
    let text = try #require(directory.read("reviews.tsv"))
    #expect(text.hasPrefix("# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n"))
    #expect(text.contains("2023-11-14T22:13:20.123Z\td/a\t3\t1500\treview\n"))
  }

  @Test(arguments: [1, 7, 64, 1 << 20])
  func `reading in pieces of any size gives every event, numbers cards by first appearance and counts lines`(
    pieceSize: Int
  ) throws {
    let events = (0..<40).map { index in
      event(
        ["d/a", "d/bé", "deck/c#2"][index % 3], .review(Rating.allCases[index % 4]),
        1_700_000_000_000 + Int64(index) * 1000)
    }
    try log.append(events)
    // An unreadable line in the middle is reported with its true line number (header is 2 lines).
    let fd = open(log.path, O_WRONLY | O_APPEND)
    _ = "not a log line\n".withCString { write(fd, $0, strlen($0)) }
    close(fd)
    try log.append([event("d/new", .review(.good), 1_800_000_000_000)])
    var seen: [(ReviewEvent, Int)] = []
    let contents = try log.read(from: 0, pieceSize: pieceSize) { seen.append(($0, $1)) }
    #expect(seen.map(\.0) == events + [event("d/new", .review(.good), 1_800_000_000_000)])
    #expect(seen.map(\.1) == (0..<40).map { $0 % 3 } + [3])
    #expect(contents.warnings.map(\.unreadableLine) == [43])
    #expect(contents.warnings.map(\.file) == [log.path])
    #expect(contents.byteCount == (try FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int))
  }

  @Test func `a missing log reads as empty`() throws {
    #expect(try log.read().events.isEmpty)
  }

  @Test func `a torn last line is set aside in a side file and reported once`() throws {
    try log.append([event("d/a", .review(.good), 1_700_000_000_000)])
    let handle = try #require(FileHandle(forWritingAtPath: log.path))
    handle.seekToEndOfFile()
    handle.write(Data("2023-11-14T22:13:21.000Z\td/b\t3\t15".utf8))  // crash mid-line
    handle.closeFile()
    let first = try log.read()
    #expect(first.events.map(\.card) == ["d/a"])
    #expect(first.warnings == [.tornLineSetAside(file: log.path, movedTo: log.path + ".torn")])
    #expect(directory.read("reviews.tsv.torn") == "2023-11-14T22:13:21.000Z\td/b\t3\t15\n")
    let second = try log.read()
    #expect(second.warnings.isEmpty)
    #expect(second.events.map(\.card) == ["d/a"])
  }

  @Test func `an append after a crash never glues onto the torn line`() throws {
    try log.append([event("d/a", .review(.good), 1_700_000_000_000)])
    let handle = try #require(FileHandle(forWritingAtPath: log.path))
    handle.seekToEndOfFile()
    handle.write(Data("2023-11-14T22:13".utf8))
    handle.closeFile()
    try log.append([event("d/c", .review(.hard), 1_700_000_005_000)])
    #expect(try log.read().events.map(\.card) == ["d/a", "d/c"])
    #expect(directory.read("reviews.tsv.torn") == "2023-11-14T22:13\n")
  }

  @Test func `unknown kinds are kept in the file and returned untouched`() throws {
    let text = ReviewLog.header + "2026-01-01T00:00:00.000Z\td/a\t0\t0\tfrom-the-future\n"
    _ = directory.write("reviews.tsv", text)
    let contents = try log.read()
    #expect(contents.events.first?.kind == .other("from-the-future"))
    try log.append([event("d/a", .review(.good), 1_767_225_601_000)])
    #expect(directory.read("reviews.tsv")?.hasPrefix(text) == true)
  }

  @Test func `unreadable lines are reported with their line number and not parsed`() throws {
    _ = directory.write(
      "reviews.tsv",
      ReviewLog.header
        + "garbage line\n2026-01-01T00:00:00.000Z\td/a\tx\t0\treview\n2026-01-01T00:00:00.000Z\td/a\t3\t0\treview\n")
    let contents = try log.read()
    #expect(contents.events.count == 1)
    #expect(contents.warnings.map(\.unreadableLine) == [3, 4])
  }

  @Test func `an unwritable log fails with a message and records nothing`() throws {
    let blocked = ReviewLog(path: directory.path + "/missing-dir/reviews.tsv")
    #expect(throws: FileError.self) { try blocked.append([event("d/a", .review(.good), 0)]) }
  }
}

/// The log codec refuses impossible values and hostile sizes line by line, never crashing.
@Suite struct ReviewLogCodecTests {
  let directory = TemporaryDirectory()
  var log: ReviewLog { ReviewLog(path: directory.path + "/reviews.tsv") }
  let header = "# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n"

  @Test(arguments: [
    ("2026-01-01T10:00:00.000Z\td/a\t-9223372036854775808\t0\treview", "whole numbers"),
    ("2026-01-01T10:00:00.000Z\td/a\t3\t-9223372036854775808\treview", "whole numbers"),
    ("2026-01-01T10:00:00.000Z\td/a\t3\t99999999999999999999\treview", "whole numbers"),
    ("2026-01-01T10:00:00.000Z\td/a\t7\t1000\treview", "rating 7 is not allowed for 'review'"),
    ("2026-01-01T10:00:00.000Z\td/a\t0\t1000\treview", "rating 0 is not allowed for 'review'"),
    ("2026-01-01T10:00:00.000Z\td/a\t9\t1000\tquiz", "rating 9 is not allowed for 'quiz'"),
    ("2026-01-01T10:00:00.000Z\td/a\t3\t-5\treview", "duration_ms -5 is outside"),
    ("2026-01-01T10:00:00.000Z\td/a\t3\t0\tsuspend", "rating 3 is not allowed for 'suspend'"),
    ("2026-01-01T10:00:00.000Z\td/a\t0\t0\tquiz", "rating 0 is not allowed for 'quiz' (1 to 3)"),
    ("2026-01-01T10:00:00.000Z\td/a\t2\t0\tleech", "rating 2 is not allowed for 'leech' (0 to 1)"),
    ("2026-01-01T10:00:00.000Z\td/s/n/a\t4\t0\tscenario", "rating 4 is not allowed for 'scenario' (0 to 3)"),
    ("2026-01-01T10:00:00.000Z\td/a\t1\t0\tweak", "rating 1 is not allowed for 'weak' (0 to 0)"),
    ("2026-01-01T10:00:00.000Z\td/a\t36501\t0\tpostpone", "rating 36501 is not allowed for 'postpone' (0 to 36500)"),
    ("2026-01-01T10:00:00.000Z\td/a\t-1\t0\tadvance", "rating -1 is not allowed for 'advance' (0 to 36500)"),
    ("2026-01-01T10:00:00.000Z\td/a\t5\t0\tfuture-kind", "rating 5 is not allowed for 'future-kind' (0 to 4)"),
    ("2026-02-31T10:00:00.000Z\td/a\t3\t0\treview", "bad time"),
    ("2026-02-29T10:00:00.000Z\td/a\t3\t0\treview", "bad time"),
    ("2026-01-01T24:00:00.000Z\td/a\t3\t0\treview", "bad time"),
  ])
  func `an impossible value makes its line unreadable, reported by number`(line: String, reason: String) throws {
    directory.write("reviews.tsv", header + "2026-01-01T09:00:00.000Z\td/ok\t3\t100\treview\n" + line + "\n")
    let contents = try log.read()
    #expect(contents.events.map(\.card) == ["d/ok"])
    #expect(contents.unreadableLines == 1)
    #expect(contents.warnings.map(\.unreadableLine) == [4])
    guard case .unreadableLogLine(let file, _, let found) = contents.warnings.first else { return }
    #expect(file == log.path)
    #expect(found.contains(reason), "\(found)")
  }

  @Test func `a leap day in a leap year and the largest allowed values are read`() throws {
    directory.write(
      "reviews.tsv",
      header + "2028-02-29T23:59:59.999Z\td/a\t4\t2147483647\treview\n2028-03-01T00:00:00.000Z\td/a\t3\t0\tquiz\n")
    let contents = try log.read()
    #expect(contents.unreadableLines == 0)
    #expect(contents.events.map(\.durationMilliseconds) == [2_147_483_647, 0])
    #expect(contents.events.first.map { ISO8601.format($0.time) } == "2028-02-29T23:59:59.999Z")
  }

  @Test func `a line longer than 64 KiB is skipped without holding it, and the lines after it are read`() throws {
    let long = String(repeating: "x", count: 300 << 10)
    directory.write(
      "reviews.tsv",
      header + "2026-01-01T09:00:00.000Z\td/a\t3\t100\treview\n" + long + "\n"
        + "2026-01-01T10:00:00.000Z\td/b\t3\t100\treview\n")
    for pieceSize in [1000, 4 << 20] {
      let contents = try log.read(from: 0, pieceSize: pieceSize) { _, _ in }
      #expect(contents.unreadableLines == 1)
      // Read in small pieces the line is skipped unread; inside one large piece it is parsed
      // and refused like any malformed line. Either way it is line 4 and nothing else is lost.
      #expect(contents.warnings.map(\.unreadableLine) == [4], "\(contents.warnings)")
      if pieceSize == 1000 { #expect(contents.warnings == [.overlongLogLine(file: log.path, line: 4, limitKiB: 64)]) }
    }
    #expect(try log.read().events.map(\.card) == ["d/a", "d/b"])
  }

  @Test func `megabytes after the last newline are set aside whole and the log cut back`() throws {
    let torn = String(repeating: "y", count: 8 << 20)
    directory.write("reviews.tsv", header + "2026-01-01T09:00:00.000Z\td/a\t3\t100\treview\n" + torn)
    let contents = try log.read()
    #expect(contents.events.map(\.card) == ["d/a"])
    #expect(contents.warnings == [.tornLineSetAside(file: log.path, movedTo: log.path + ".torn")])
    let side = try #require(FileManager.default.contents(atPath: directory.path + "/reviews.tsv.torn"))
    #expect(side.count == (8 << 20) + 1)
    #expect(directory.read("reviews.tsv")?.hasSuffix("review\n") == true)
  }
}

/// The line a log writes for an event, byte for byte as docs/formats.md gives it.
@Suite struct ReviewLogLineTests {
  /// One line of every kind and each number it may carry, with the action docs/formats.md says
  /// it stands for.
  static let kinds: [(line: String, action: ReviewEvent.Action)] = [
    ("2026-03-01T09:00:00.000Z\td/a\t1\t900\treview", .review(.again)),
    ("2026-03-01T09:00:01.000Z\td/a\t2\t900\treview", .review(.hard)),
    ("2026-03-01T09:00:02.000Z\td/a\t3\t900\treview", .review(.good)),
    ("2026-03-01T09:00:03.000Z\td/a\t4\t900\treview", .review(.easy)),
    ("2026-03-01T09:00:04.000Z\td/a\t1\t900\tquiz", .quiz(.wrong)),
    ("2026-03-01T09:00:05.000Z\td/a\t2\t900\tquiz", .quiz(.close)),
    ("2026-03-01T09:00:06.000Z\td/a\t3\t900\tquiz", .quiz(.correct)),
    ("2026-03-01T09:00:07.000Z\tdrill/start/a\t1\t900\tscenario", .scenario(.poor)),
    ("2026-03-01T09:00:08.000Z\tdrill/mid/b\t2\t900\tscenario", .scenario(.mixed)),
    ("2026-03-01T09:00:09.000Z\tdrill/mid/c\t3\t900\tscenario", .scenario(.good)),
    ("2026-03-01T09:00:10.000Z\tdrill/end\t0\t0\tscenario", .scenario(nil)),
    ("2026-03-01T09:00:11.000Z\td/a\t0\t0\tweak", .weak),
    ("2026-03-01T09:00:12.000Z\td/a\t1\t0\tleech", .leech(.suspend)),
    ("2026-03-01T09:00:13.000Z\td/a\t0\t0\tleech", .leech(.tag)),
    ("2026-03-01T09:00:14.000Z\td/a\t17\t0\tpostpone", .postpone(days: 17)),
    ("2026-03-01T09:00:15.000Z\td/a\t36500\t0\tpostpone", .postpone(days: 36500)),
    ("2026-03-01T09:00:16.000Z\td/a\t0\t0\tadvance", .advance(days: 0)),
    ("2026-03-01T09:00:17.000Z\td/a\t0\t0\tundo", .undo),
    ("2026-03-01T09:00:18.000Z\td/a\t0\t0\tsuspend", .suspend),
    ("2026-03-01T09:00:19.000Z\td/a\t0\t0\tunsuspend", .unsuspend),
    ("2026-03-01T09:00:20.000Z\td/a\t0\t0\tbury", .bury),
    ("2026-03-01T09:00:21.000Z\td/a\t0\t0\tunbury", .unbury),
    ("2026-03-01T09:00:22.000Z\td/a\t0\t0\tforget", .forget),
    ("2026-03-01T09:00:23.000Z\td/a\t0\t12\tnewer-kind", .other(kind: "newer-kind", rating: 0)),
    ("2026-03-01T09:00:24.000Z\td/a\t4\t12\tnewer-kind", .other(kind: "newer-kind", rating: 4)),
  ]

  @Test func `every kind is read into its action and written back byte for byte`() throws {
    let directory = TemporaryDirectory()
    let text = ReviewLog.header + Self.kinds.map { $0.line + "\n" }.joined()
    directory.write("reviews.tsv", text)
    let contents = try ReviewLog(path: directory.path + "/reviews.tsv").read()
    #expect(contents.warnings.isEmpty)
    #expect(contents.events.map(\.action) == Self.kinds.map(\.action))
    #expect(ReviewLog.header + contents.events.map(ReviewLogParser.line(for:)).joined() == text)
  }

  @Test func `lines of unknown kinds keep their name, number, id and target through the columns`() throws {
    let directory = TemporaryDirectory()
    let lines = [
      "2026-03-01T09:00:00.000Z\td/a\t3\t250\tnewer-kind\tphone.1\n",
      "2026-03-01T09:00:01.000Z\td/a\t4\t0\tnewer-kind\tphone.2\tphone.1\n",
      "2026-03-01T09:00:02.000Z\td/b\t0\t0\tnext-thing\tphone.3\n",
      "2026-03-01T09:00:03.000Z\td/b\t2\t5\tReview\tphone.4\n",
    ]
    directory.write("phone.tsv", ReviewLog.deviceHeader + lines.joined())
    let events = try ReviewLog(path: directory.path + "/phone.tsv").read().events
    #expect(events.map(\.kind) == [.other("newer-kind"), .other("newer-kind"), .other("next-thing"), .other("Review")])
    #expect(events.map(ReviewLogParser.line(for:)) == lines)
    let columns = EventColumns(events)
    #expect((0..<columns.count).map(columns.event(at:)) == events)
  }

  @Test func `numbers and ids are written in plain decimal, zeros and large values included`() throws {
    let time = try #require(ISO8601.parse("2026-11-25T03:12:45.120Z"))
    var event = ReviewEvent(
      time: time, card: "ml/overfitting", action: .review(.good), durationMilliseconds: 2_147_483_647)
    event.id = EventID(device: "laptop-9f2c1a", sequence: 1_000_000)
    #expect(
      ReviewLogParser.line(for: event)
        == "2026-11-25T03:12:45.120Z\tml/overfitting\t3\t2147483647\treview\tlaptop-9f2c1a.1000000\n")
    var undo = ReviewEvent(time: time, card: "ml/overfitting", action: .undo, durationMilliseconds: 0)
    undo.id = EventID(device: "desk", sequence: 10)
    undo.target = EventID(device: "laptop-9f2c1a", sequence: 9)
    #expect(
      ReviewLogParser.line(for: undo)
        == "2026-11-25T03:12:45.120Z\tml/overfitting\t0\t0\tundo\tdesk.10\tlaptop-9f2c1a.9\n")
  }
}

extension StoreWarning {
  /// The line number of an unreadable (or overlong) log line; nil for other warnings.
  var unreadableLine: Int? {
    switch self {
    case .unreadableLogLine(_, let line, _), .overlongLogLine(_, let line, _): line
    default: nil
    }
  }

  /// The log file an unreadable line is in; nil for other warnings.
  var file: String? {
    switch self {
    case .unreadableLogLine(let file, _, _), .overlongLogLine(let file, _, _): file
    default: nil
    }
  }
}
