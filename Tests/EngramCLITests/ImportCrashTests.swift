import EngramTestSupport
import Foundation
import Testing

/// `kill -9` at every durable step of an import (`ENGRAM_FAULT=N` makes the binary kill itself
/// with SIGKILL at its Nth write, fsync, rename or unlink): after the next start the data
/// directory is byte for byte as before the import or as after it, and no staging file is left.
@Suite(.serialized) struct ImportCrashTests {
  static let now = "2030-01-01T00:00:00Z"

  /// Every file and folder under `root`, with file bytes; the rebuildable cache is left out.
  static func snapshot(_ root: String) -> [String: Data] {
    var result: [String: Data] = [:]
    for path in FileManager.default.subpaths(atPath: root) ?? [] where path != "state.cache" {
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder)
      result[path] =
        isFolder.boolValue ? Data("<folder>".utf8) : FileManager.default.contents(atPath: root + "/" + path)
    }
    return result
  }

  static func copy(_ from: String, to: String) throws {
    try? FileManager.default.removeItem(atPath: to)
    try FileManager.default.copyItem(atPath: from, toPath: to)
  }

  /// Runs `arguments` against copies of `base`, killed at each step in turn until one run
  /// completes; returns how many steps there were.
  func killAtEveryStep(base: String, arguments: [String], scratch: TemporaryDirectory) throws -> Int {
    let environment = ["ENGRAM_NOW": Self.now]
    let before = Self.snapshot(base)
    let finished = scratch.path + "/after"
    try Self.copy(base, to: finished)
    let run = try runEngram(arguments, home: finished, environment: environment)
    #expect(run.status == 0, "\(run.stderr)")
    _ = try runEngram(["due"], home: finished, environment: environment)
    let after = Self.snapshot(finished)
    #expect(after != before)
    var step = 1
    while step < 200 {
      let home = scratch.path + "/step-\(step)"
      try Self.copy(base, to: home)
      var faulty = environment
      faulty["ENGRAM_FAULT"] = "\(step)"
      let killed = try runEngram(arguments, home: home, environment: faulty)
      if killed.status == 0 { break }
      #expect(killed.status == SIGKILL, "step \(step): \(killed.stderr)")
      // The next start completes or clears the interrupted import.
      let next = try runEngram(["due"], home: home, environment: environment)
      #expect(next.status == 0, "step \(step): \(next.stderr)")
      let state = Self.snapshot(home)
      #expect(
        state == before || state == after,
        "step \(step): neither before nor after: \(Set(state.keys).symmetricDifference(after.keys))")
      #expect(!FileManager.default.fileExists(atPath: home + "/.staging"), "step \(step)")
      try FileManager.default.removeItem(atPath: home)
      step += 1
    }
    return step - 1
  }

  static func fixture(_ name: String) -> String { sharedDirectory().appending(path: "fixtures/\(name)").path }

  @Test func `a package import with history killed at any step leaves the directory before or after`() throws {
    let scratch = TemporaryDirectory()
    let base = scratch.path + "/base"
    // A directory with decks and a log already: the import adds a deck and appends history.
    #expect(try runEngram(["import", Self.fixture("genanki_basic_cloze.apkg")], home: base).status == 0)
    scratch.write(
      "base/reviews.tsv",
      "# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n2029-01-01T00:00:00.000Z\tfixture-alpha/x\t3\t100\treview\n"
    )
    let steps = try killAtEveryStep(
      base: base, arguments: ["import", Self.fixture("anki_history_legacy.apkg")], scratch: scratch)
    #expect(steps >= 10)
  }

  @Test func `an import replacing two decks killed at any step leaves the directory before or after`() throws {
    let scratch = TemporaryDirectory()
    let base = scratch.path + "/base"
    #expect(try runEngram(["import", Self.fixture("genanki_basic_cloze.apkg")], home: base).status == 0)
    let csv = scratch.write(
      "two.tsv",
      "#separator:Tab\n#deck column:1\nFixture::Alpha\tnew alpha front\tback\nFixture::Beta\tnew beta front\tback\n")
    let steps = try killAtEveryStep(base: base, arguments: ["import", csv], scratch: scratch)
    #expect(steps >= 8)
  }
}
