import EngramCore
import EngramStore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramCLI

/// Every store warning's wording, pinned byte for byte (the texts users saw before warnings
/// became values), and one shown end to end through a command.
@Suite struct DiagnosticsTests {
  @Test(arguments: [
    (
      StoreWarning.unreadableLogLine(file: "/h/reviews.tsv", line: 7, reason: "bad time"),
      "warning: /h/reviews.tsv:7: unreadable line ignored (bad time); it is kept in the file"
    ),
    (
      .overlongLogLine(file: "/h/reviews.tsv", line: 4, limitKiB: 64),
      "warning: /h/reviews.tsv:4: unreadable line ignored (longer than 64 KiB); it is kept in the file"
    ),
    (
      .tornLineSetAside(file: "/h/reviews.tsv", movedTo: "/h/reviews.tsv.torn"),
      "warning: /h/reviews.tsv: the last line was cut off by a crash while it was being written; it was never acknowledged and has been moved to /h/reviews.tsv.torn"
    ),
    (
      .tornLineIgnored(file: "/h/reviews.tsv"),
      "warning: /h/reviews.tsv: the last line is cut off (a crash while writing); it is ignored, and set aside the next time the directory is writable"
    ),
    (
      .strayLogFile(path: "/h/reviews/notes.tsv"),
      "warning: /h/reviews/notes.tsv: not a device's log (a device name is letters, digits, '-' and '_'); it is not read"
    ),
    (
      .sharedConflictCopyWaiting(path: "/h/reviews.sync-conflict-1.tsv"),
      "warning: /h/reviews.sync-conflict-1.tsv: a conflict copy of reviews.tsv; it is merged into reviews.tsv the next time the directory is writable"
    ),
    (
      .conflictCopyMerged(copy: "/h/reviews/a.sync-conflict-1.tsv", into: "/h/reviews/a.tsv"),
      "warning: /h/reviews/a.sync-conflict-1.tsv: a sync conflict copy; its events were merged into /h/reviews/a.tsv and the copy removed"
    ),
    (
      .conflictCopyNotMerged(
        copy: "/h/reviews/a.sync-conflict-1.tsv", error: .cannotLock(path: "/h/reviews/a.tsv", reason: "busy")),
      "warning: /h/reviews/a.sync-conflict-1.tsv: a sync conflict copy that could not be merged yet (cannot lock /h/reviews/a.tsv: busy)"
    ),
    (.importRecovered, "warning: An import interrupted by a crash has been completed."),
    (
      .importNotRecovered(.cannotRead(path: "/h/.staging/1/journal", reason: "unreadable journal line 'x'")),
      "warning: An import interrupted by a crash could not be completed yet (cannot read /h/.staging/1/journal: unreadable journal line 'x'); the next start tries again."
    ),
    (
      .importRecoveryLocked(.cannotLock(path: "/h/.staging", reason: "Permission denied")),
      "warning: cannot lock /h/.staging: Permission denied"
    ),
    (.deckProblem("decks/x.md:3: a card needs an A: line"), "warning: decks/x.md:3: a card needs an A: line"),
  ])
  func `each warning reads as it always has`(warning: StoreWarning, line: String) {
    #expect(Diagnostics.line(warning) == line)
  }

  @Test func `an unreadable log line is shown once on standard error and the command still succeeds`() throws {
    let home = TemporaryDirectory()
    home.write("decks/mini.md", "# Mini\nid: mini\n\n## a\nQ: Which one?\nA: This one\n")
    home.write("reviews.tsv", ReviewLog.header + "garbage\n")
    let result = try runEngram(["due"], home: home.path, environment: ["ENGRAM_NOW": "2026-02-01T12:00:00Z"])
    #expect(result.status == 0)
    let expected =
      "warning: \(home.path)/reviews.tsv:3: unreadable line ignored (expected 5 to 7 tab-separated fields, found 1); it is kept in the file"
    #expect(result.stderr.split(separator: "\n").map(String.init) == [expected])
  }
}
