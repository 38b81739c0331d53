import EngramTestSupport
import Foundation
import Testing

/// Two real `engram` processes reviewing at the same time on one data directory must never
/// interleave or lose log lines.
@Suite struct ConcurrentWritersTests {
  @Test func `two processes appending two hundred reviews each leave four hundred intact lines`() throws {
    let home = TemporaryDirectory()
    let notes = (0..<200).map { "## c\($0)\nQ: question \($0)\nA: answer \($0)\n" }.joined(separator: "\n")
    // One deck per process, so neither sees the other's reviews in its queue.
    _ = home.write("decks/first.md", "# First\nid: first\n\n" + notes)
    _ = home.write("decks/second.md", "# Second\nid: second\n\n" + notes)
    // No learning steps: a Good rating graduates at once, so each process sees 200 cards (no
    // collection-wide limit on new cards).
    _ = home.write("config.toml", "learning_steps = []\nnew_cards_per_day = 1000\nnew_cards_per_day_total = 0\n")
    let input = String(repeating: "\n3\n", count: 200) + "q\n"
    let processes = try ["first", "second"].map {
      try start(["review", $0], home: home.path, input: input, fsync: true)
    }
    for process in processes {
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
    }
    let text = try #require(home.read("reviews/test.tsv"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    let events = lines.filter { !$0.hasPrefix("#") && !$0.hasPrefix("time\t") }
    #expect(events.count == 400)
    for line in events {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      #expect(fields.count == 6, "torn or interleaved line: \(line)")
      #expect(fields[4] == "review")
    }
    #expect(text.components(separatedBy: "# engram review log v2").count == 2)
    #expect(Set(events.map { $0.split(separator: "\t")[1] }).count == 400)
    // Two processes numbering under the file's lock never give one id twice.
    #expect(Set(events.map { $0.split(separator: "\t")[5] }) == Set((1...400).map { "test.\($0)" }))
  }

  /// Runs `engram` with piped input in the background.
  ///
  /// - Parameter fsync: sync each answer as a learner's would; the cache tests turn it off,
  ///   since only what the cache remembers matters there.
  func start(_ arguments: [String], home: String, input: String, fsync: Bool = false) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: engramBinary())
    process.arguments = arguments
    process.environment = [
      "ENGRAM_HOME": home, "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "TZ": "UTC", "ENGRAM_DEVICE": "test",
    ]
    if !fsync { process.environment?["ENGRAM_NO_FSYNC"] = "1" }
    let stdin = Pipe()
    process.standardInput = stdin
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    return process
  }

  @Test(arguments: [2, 4])
  func `overlapping sessions leave a cache that equals a fresh replay`(sessions: Int) throws {
    let home = TemporaryDirectory()
    let notes = (0..<150).map { "## c\($0)\nQ: question \($0)\nA: answer \($0)\n" }.joined(separator: "\n")
    _ = home.write("decks/shared.md", "# Shared\nid: shared\n\n" + notes)
    _ = home.write(
      "config.toml",
      "new_cards_per_day = 1000\nnew_cards_per_day_total = 0\nfollow_ups = false\nlearning_steps = [\"1s\"]\n")
    // All sessions study the same deck at once: their answers interleave in one log.
    let answers = (0..<500).map { "\n\($0 % 4 + 1)\n" }.joined() + ":q\n"
    let processes = try (0..<sessions).map { _ in try start(["review", "shared"], home: home.path, input: answers) }
    for process in processes {
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
    }
    let cached = try runEngram(["state", "--json", "--at", "2026-12-31T00:00:00Z"], home: home.path)
    try FileManager.default.removeItem(atPath: home.path + "/state.cache")
    let fresh = try runEngram(["state", "--json", "--at", "2026-12-31T00:00:00Z"], home: home.path)
    #expect(cached.status == 0 && fresh.status == 0)
    #expect(cached.stdout == fresh.stdout)
    #expect(cached.stdout.count > 1000, "the sessions answered cards")
  }
}
