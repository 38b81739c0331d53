import EngramTestSupport
import Foundation
import Testing

/// A data directory that cannot be written (a read-only mount, a backup, another user's copy):
/// every read command still serves, and a rating that cannot be written fails the session.
@Suite struct ReadOnlyDirectoryTests {
  let home = TemporaryDirectory()

  /// Makes files and directories unwritable even for root (immutable, on ext4) or, for other
  /// users, by their mode. Returns false when neither works here.
  func freeze(_ paths: [String], _ on: Bool) -> Bool {
    if getuid() == 0 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
      process.arguments = [on ? "+i" : "-i"] + paths
      process.standardError = FileHandle.nullDevice
      guard (try? process.run()) != nil else { return false }
      process.waitUntilExit()
      return process.terminationStatus == 0
    }
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
      chmod(path, on ? (isDirectory.boolValue ? 0o555 : 0o444) : (isDirectory.boolValue ? 0o755 : 0o644))
    }
    return true
  }

  @Test func `state, due and stats read a read-only directory, torn tail included, and review exits 1`() throws {
    home.write("decks/mini.md", "# Mini\nid: mini\n\n## one\nQ: 1+1?\nA: 2\n\n## two\nQ: 2+2?\nA: 4\n")
    home.write("config.toml", "follow_ups = false\n")
    let first = try runEngram(["review", "mini"], home: home.path, input: "\n3\n")
    #expect(first.status == 0)
    // A crash left half a line behind.
    let log = home.path + "/reviews/test.tsv"
    let handle = try #require(FileHandle(forWritingAtPath: log))
    handle.seekToEndOfFile()
    handle.write(Data("2026-01-01T10:00:00.000Z\tmini/t".utf8))
    try handle.close()
    let frozen = [log, home.path + "/config.toml", home.path + "/decks/mini.md", home.path + "/decks", home.path]
    #expect(freeze(frozen, true), "could not make the directory read-only")
    defer { _ = freeze(frozen, false) }
    let before = try Data(contentsOf: URL(fileURLWithPath: log))

    let state = try runEngram(["state", "--json"], home: home.path)
    #expect(state.status == 0, "\(state.stderr)")
    #expect(state.stdout.contains("\"card\": \"mini/one\""))
    #expect(state.stderr.contains("cut off"))
    let due = try runEngram(["due", "--json"], home: home.path)
    #expect(due.status == 0, "\(due.stderr)")
    let stats = try runEngram(["stats", "--json"], home: home.path)
    #expect(stats.status == 0, "\(stats.stderr)")

    let review = try runEngram(["review", "mini"], home: home.path, input: "\n3\n")
    #expect(review.status == 1)
    #expect(review.stderr.contains("nothing was recorded"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: log)) == before, "a read-only log is left as it was")
  }
}
