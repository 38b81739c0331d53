import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// The staging, journal and roll-forward of an import, with crashes simulated by leaving a
/// staging folder as a killed process would at each point.
@Suite struct ImportTransactionTests {
  let home = TemporaryDirectory()
  var directory: DataDirectory { DataDirectory(path: home.path + "/data") }

  init() throws { try DataDirectory(path: home.path + "/data").create() }

  let line1 = "2026-01-01T00:00:00.000Z\tdeck/a\t3\t1000\treview\n"
  let line2 = "2026-01-02T00:00:00.000Z\tdeck/a\t1\t2000\treview\n"
  let other = "2026-01-03T00:00:00.000Z\tmine/b\t4\t500\treview\n"

  /// A folder as a process killed right after its commit point leaves it: a journal, the
  /// history it appends at `size`, and staged decks.
  func committedFolder(logSize: Int, history: String, decks: [(String, String)], pid: String = "2147483646") -> String {
    let folder = "data/.staging/\(pid)-abc123"
    home.write("\(folder)/history.tsv", history)
    var journal = "engram import journal v1\nlog\t\(logSize)\t\(history.utf8.count)\n"
    for (index, deck) in decks.enumerated() {
      home.write("\(folder)/deck-\(index).md", deck.1)
      journal += "deck\tdeck-\(index).md\t\(deck.0)\n"
    }
    home.write("\(folder)/journal", journal)
    return home.path + "/" + folder
  }

  let deckText = "# Deck\nid: deck\n\n## a\nQ: q\nA: a\n"

  @Test func `a journaled import killed before any change is rolled forward at the next start`() throws {
    home.write("data/reviews.tsv", ReviewLog.header)
    let size = ReviewLog.header.utf8.count
    let folder = committedFolder(logSize: size, history: line1 + line2, decks: [("deck", deckText)])
    let messages = ImportTransaction.recover(in: directory)
    #expect(messages == [.importRecovered])
    #expect(home.read("data/reviews.tsv") == ReviewLog.header + line1 + line2)
    #expect(home.read("data/decks/deck.md") == deckText)
    #expect(!FileManager.default.fileExists(atPath: folder))
    #expect(!FileManager.default.fileExists(atPath: home.path + "/data/.staging"))
  }

  @Test func `a history cut off half-way through a line is completed, not duplicated`() throws {
    let size = ReviewLog.header.utf8.count
    let half = line1 + String(line2.prefix(10))
    home.write("data/reviews.tsv", ReviewLog.header + half)
    _ = committedFolder(logSize: size, history: line1 + line2, decks: [("deck", deckText)])
    _ = ImportTransaction.recover(in: directory)
    #expect(home.read("data/reviews.tsv") == ReviewLog.header + line1 + line2)
  }

  @Test func `lines another process appended after the crash are kept and the history is not repeated`() throws {
    // The import wrote line1 and half of line2 and died; a review session then set the torn
    // half aside and appended its own line.
    let size = ReviewLog.header.utf8.count
    home.write("data/reviews.tsv", ReviewLog.header + line1 + other)
    _ = committedFolder(logSize: size, history: line1 + line2, decks: [("deck", deckText)])
    _ = ImportTransaction.recover(in: directory)
    #expect(home.read("data/reviews.tsv") == ReviewLog.header + line1 + other + line2)
  }

  @Test func `an import already applied in full changes nothing when recovered again`() throws {
    let size = ReviewLog.header.utf8.count
    home.write("data/reviews.tsv", ReviewLog.header + line1 + line2)
    home.write("data/decks/deck.md", deckText)
    let folder = "data/.staging/2147483646-abc123"
    home.write("\(folder)/history.tsv", line1 + line2)
    home.write(
      "\(folder)/journal",
      "engram import journal v1\nlog\t\(size)\t\((line1 + line2).utf8.count)\ndeck\tdeck-0.md\tdeck\n")
    _ = ImportTransaction.recover(in: directory)
    #expect(home.read("data/reviews.tsv") == ReviewLog.header + line1 + line2)
    #expect(home.read("data/decks/deck.md") == deckText)
  }

  /// 30,000 review lines, about 1.5 MB: more than one of the 1 MiB pieces the history is
  /// staged, compared and copied in.
  var longHistory: [String] {
    (0..<30_000).map { n in
      "2026-01-01T00:00:\(String(format: "%02d", n % 60)).000Z\tdeck/card\(n)\t\(n % 4 + 1)\t\(n)\treview\n"
    }
  }

  @Test func `a history longer than one piece is completed from where a crash cut it, mid-line`() throws {
    let history = longHistory.joined()
    #expect(history.utf8.count > 1 << 20)
    let size = ReviewLog.header.utf8.count
    home.write(
      "data/reviews.tsv", ReviewLog.header + String(decoding: Array(history.utf8)[..<1_200_003], as: UTF8.self))
    _ = committedFolder(logSize: size, history: history, decks: [])
    _ = ImportTransaction.recover(in: directory)
    #expect(home.read("data/reviews.tsv") == ReviewLog.header + history)
  }

  @Test func `past the first piece, lines another process appended after the crash are kept`() throws {
    let lines = longHistory
    // The import wrote 25,000 whole lines and half of the next; a session set the half aside.
    let written = lines[..<25_000].joined()
    #expect(written.utf8.count > 1 << 20)
    let size = ReviewLog.header.utf8.count
    home.write("data/reviews.tsv", ReviewLog.header + written + other)
    _ = committedFolder(logSize: size, history: lines.joined(), decks: [])
    _ = ImportTransaction.recover(in: directory)
    #expect(home.read("data/reviews.tsv") == ReviewLog.header + written + other + lines[25_000...].joined())
  }

  @Test func `a staged history is the log lines numbered from the device's next sequence`() throws {
    let events = (0..<30_000).map { n in
      ReviewEvent(
        time: Timestamp(milliseconds: 1_767_225_600_000 + Int64(n) * 1000), card: "deck/card\(n)",
        action: .review(Rating.allCases[n % 4]), durationMilliseconds: Int64(n))
    }
    let path = home.path + "/staged.tsv"
    let count = try ImportTransaction.stageHistory(
      events, header: ReviewLog.deviceHeader, device: "laptop-01", first: 7, path: path)
    var expected = ReviewLog.deviceHeader
    for n in 0..<30_000 {
      let (minutes, seconds) = (n / 60, n % 60)
      let time = "2026-01-01T\(String(format: "%02d:%02d:%02d", minutes / 60, minutes % 60, seconds)).000Z"
      expected += "\(time)\tdeck/card\(n)\t\(n % 4 + 1)\t\(n)\treview\tlaptop-01.\(n + 7)\n"
    }
    #expect(home.read("staged.tsv") == expected)
    #expect(count == expected.utf8.count)
  }

  @Test func `a first import into a new log whose header another process wrote meanwhile adds no second header`() throws
  {
    home.write("data/reviews.tsv", ReviewLog.header + other)
    _ = committedFolder(logSize: 0, history: ReviewLog.header + line1, decks: [])
    _ = ImportTransaction.recover(in: directory)
    #expect(home.read("data/reviews.tsv") == ReviewLog.header + other + line1)
  }

  @Test func `a staging folder without a journal is deleted and nothing else changes`() throws {
    home.write("data/decks/deck.md", "old")
    home.write("data/.staging/2147483646-xyz/deck-0.md", "new")
    home.write("data/.staging/2147483646-xyz/collection.sqlite", "sqlite")
    _ = ImportTransaction.recover(in: directory)
    #expect(home.read("data/decks/deck.md") == "old")
    #expect(!FileManager.default.fileExists(atPath: home.path + "/data/.staging"))
  }

  @Test func `the folder of a running import is left alone`() throws {
    let folder = committedFolder(logSize: 0, history: line1, decks: [], pid: "\(getpid())")
    _ = ImportTransaction.recover(in: directory)
    #expect(FileManager.default.fileExists(atPath: folder + "/journal"))
  }

  @Test func `a journal naming a device's file rolls its history forward into that file`() throws {
    let history = ReviewLog.deviceHeader + line1.dropLast() + "\tlaptop.1\n"
    let folder = "data/.staging/2147483646-abc123"
    home.write("\(folder)/history.tsv", history)
    home.write("\(folder)/journal", "engram import journal v1\nlog\t0\t\(history.utf8.count)\treviews/laptop.tsv\n")
    #expect(ImportTransaction.recover(in: directory) == [.importRecovered])
    #expect(home.read("data/reviews/laptop.tsv") == history)
    // A name outside reviews/ is refused, and the folder kept.
    home.write("\(folder)/history.tsv", history)
    home.write("\(folder)/journal", "engram import journal v1\nlog\t0\t\(history.utf8.count)\t../reviews.tsv\n")
    #expect(ImportTransaction.recover(in: directory).first?.isNotRecovered == true)
  }

  @Test func `a damaged journal is reported and kept for the next start`() throws {
    home.write("data/.staging/2147483646-bad/journal", "engram import journal v1\ndeck\t../evil\tdeck\n")
    let messages = ImportTransaction.recover(in: directory)
    #expect(messages.count == 1)
    #expect(messages.first?.isNotRecovered == true)
    #expect(FileManager.default.fileExists(atPath: home.path + "/data/.staging/2147483646-bad/journal"))
  }

  @Test func `opening the workspace completes an interrupted import`() throws {
    _ = committedFolder(logSize: 0, history: ReviewLog.header + line1, decks: [("deck", deckText)])
    let workspace = try Workspace(directory: directory, now: Timestamp(milliseconds: 1_800_000_000_000))
    #expect(workspace.warnings.contains(.importRecovered))
    #expect(workspace.records["deck/a"]?.reviewCount == 1)
    #expect(workspace.library.deck(id: "deck") != nil)
  }

  @Test func `a commit writes history and decks and leaves no staging folder`() throws {
    var transaction = try ImportTransaction.begin(in: directory)
    try transaction.stage(deck: "deck", markdown: deckText)
    let event = ReviewEvent(
      time: Timestamp(milliseconds: 1_767_225_600_000), card: "deck/a", action: .review(.good),
      durationMilliseconds: 1000)
    try transaction.commit(history: [event])
    // Into this device's own file, numbered; the journal of older versions named reviews.tsv.
    #expect(home.read("data/reviews/local.tsv") == ReviewLog.deviceHeader + line1.dropLast() + "\tlocal.1\n")
    #expect(!FileManager.default.fileExists(atPath: home.path + "/data/reviews.tsv"))
    #expect(home.read("data/decks/deck.md") == deckText)
    #expect(!FileManager.default.fileExists(atPath: home.path + "/data/.staging"))
  }

  @Test func `staged files are never written through a link planted in the folder`() throws {
    let transaction = try ImportTransaction.begin(in: directory)
    let target = home.path + "/victim"
    home.write("victim", "keep")
    symlink(target, transaction.path + "/deck-0.md")
    var staging = transaction
    #expect(throws: FileError.self) { try staging.stage(deck: "deck", markdown: "x") }
    #expect(home.read("victim") == "keep")
    transaction.discard()
  }

  @Test func `staged media files are moved into media on roll-forward, unsafe names refused`() throws {
    let folder = "data/.staging/2147483646-media"
    home.write("\(folder)/media-0", "png bytes")
    home.write("\(folder)/journal", "engram import journal v1\nmedia\tmedia-0\tcat.png\n")
    _ = ImportTransaction.recover(in: directory)
    #expect(home.read("data/media/cat.png") == "png bytes")
    home.write("\(folder)/media-0", "evil")
    home.write("\(folder)/journal", "engram import journal v1\nmedia\tmedia-0\t.bashrc\n")
    #expect(ImportTransaction.recover(in: directory).first?.isNotRecovered == true)
    #expect(home.read("data/media/.bashrc") == nil)
  }
}

extension StoreWarning {
  /// Whether this says an interrupted import could not be completed (whatever the file error).
  fileprivate var isNotRecovered: Bool {
    if case .importNotRecovered = self { return true }
    return false
  }
}
