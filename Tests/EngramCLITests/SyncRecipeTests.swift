import EngramTestSupport
import Foundation
import Testing

/// The README's sync recipes, run with the real binary: a data directory kept in git and
/// pulled on two machines, and two directories synced by copying newer files both ways; and
/// an old directory with a single `reviews.tsv`, which must keep working unchanged.
@Suite struct SyncRecipeTests {
  static let deck =
    "# D\nid: d\n\n" + (1...8).map { "## c\($0)\nQ: question \($0)\nA: answer \($0)\n" }.joined(separator: "\n")
  /// No learning steps and no daily limit, so each session rates every due card once.
  static let config = "learning_steps = []\nnew_cards_per_day = 100\nnew_cards_per_day_total = 0\n"

  /// Rates `cards` cards Good in a review session of `device` at `now`.
  func study(_ home: String, device: String, now: String, cards: Int) throws {
    let result = try runEngram(
      ["review"], home: home, input: String(repeating: "\n3\n", count: cards) + "q\n",
      environment: ["ENGRAM_DEVICE": device, "ENGRAM_NOW": now])
    #expect(result.status == 0, "\(result.stderr)")
  }

  func state(_ home: String, device: String) throws -> String {
    let result = try runEngram(
      ["state", "--json"], home: home, environment: ["ENGRAM_DEVICE": device, "ENGRAM_NOW": "2026-01-10T12:00:00Z"])
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout
  }

  /// Standing reviews per card, from `state --json`.
  func reviewCount(_ json: String) throws -> Int {
    let cards = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    return cards.compactMap { $0["reviews"] as? Int }.reduce(0, +)
  }

  @discardableResult
  func git(_ arguments: [String], in folder: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    process.arguments =
      ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"]
      + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.environment = ["PATH": "/usr/bin:/bin", "HOME": folder, "GIT_CONFIG_NOSYSTEM": "1"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git")))
  func `two clones studying offline merge with git pull without conflict and end with one state`() throws {
    let root = TemporaryDirectory()
    let laptop = root.path + "/laptop"
    root.write("laptop/decks/d.md", SyncRecipeTests.deck)
    root.write("laptop/config.toml", SyncRecipeTests.config)
    try study(laptop, device: "laptop", now: "2026-01-01T09:00:00Z", cards: 3)
    // What the README says to commit: everything but what Engram's .gitignore leaves out.
    #expect(root.read("laptop/.gitignore")?.contains("state.cache") == true)
    #expect(try git(["init", "-q"], in: laptop).status == 0)
    try git(["add", "-A"], in: laptop)
    #expect(try git(["commit", "-qm", "day 1"], in: laptop).status == 0)
    #expect(try git(["ls-files"], in: laptop).output == ".gitignore\nconfig.toml\ndecks/d.md\nreviews/laptop.tsv\n")
    #expect(try git(["clone", "-q", laptop, root.path + "/desk"], in: root.path).status == 0)
    let desk = root.path + "/desk"
    // Both study offline, on different days, each committing its own work.
    try study(laptop, device: "laptop", now: "2026-01-02T09:00:00Z", cards: 5)
    try study(desk, device: "desk", now: "2026-01-02T20:00:00Z", cards: 4)
    try study(desk, device: "desk", now: "2026-01-03T08:00:00Z", cards: 2)
    for (folder, day) in [(laptop, "laptop day 2"), (desk, "desk days 2-3")] {
      try git(["add", "-A"], in: folder)
      #expect(try git(["commit", "-qm", day], in: folder).status == 0)
      #expect(try git(["status", "--porcelain", "--ignored"], in: folder).output.contains("state.cache"))
    }
    try git(["remote", "add", "desk", desk], in: laptop)
    let pulled = try git(["pull", "--no-rebase", "-q", "desk", "main"], in: laptop)
    #expect(pulled.status == 0, "\(pulled.output)")
    let back = try git(["pull", "--no-rebase", "-q", "origin", "main"], in: desk)
    #expect(back.status == 0, "\(back.output)")
    #expect(try git(["status", "--porcelain"], in: laptop).output == "")
    #expect(try git(["status", "--porcelain"], in: desk).output == "")
    let laptopState = try state(laptop, device: "laptop")
    let deskState = try state(desk, device: "desk")
    #expect(laptopState == deskState)
    #expect(try reviewCount(laptopState) == 3 + 5 + 4 + 2)
  }

  /// `cp -R -u -p`: a file goes across when it is missing there or older there, as Dropbox,
  /// Syncthing or `rsync -u` do.
  func copyNewer(from source: String, to target: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/cp")
    process.arguments = ["-R", "-u", "-p", source + "/.", target]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }

  @Test func `two directories studying offline on different days and synced by copying newer files keep every review`()
    throws
  {
    let root = TemporaryDirectory()
    let laptop = root.path + "/laptop"
    let desk = root.path + "/desk"
    root.write("laptop/decks/d.md", SyncRecipeTests.deck)
    root.write("laptop/config.toml", SyncRecipeTests.config)
    try study(laptop, device: "laptop", now: "2026-01-01T09:00:00Z", cards: 4)
    try FileManager.default.createDirectory(atPath: desk, withIntermediateDirectories: true)
    try copyNewer(from: laptop, to: desk)
    // Offline: the laptop studies on day 2, the desk on day 3 (both started from day 1's files).
    try study(laptop, device: "laptop", now: "2026-01-02T09:00:00Z", cards: 6)
    try study(desk, device: "desk", now: "2026-01-03T09:00:00Z", cards: 3)
    try study(desk, device: "desk", now: "2026-01-03T18:00:00Z", cards: 2)
    try copyNewer(from: laptop, to: desk)
    try copyNewer(from: desk, to: laptop)
    let laptopState = try state(laptop, device: "laptop")
    #expect(laptopState == (try state(desk, device: "desk")))
    // 4 + 6 + 3 + 2: with one shared reviews.tsv the newer copy would have won and lost some.
    #expect(try reviewCount(laptopState) == 15)
    let devices = try runEngram(["devices", "--json"], home: laptop, environment: ["ENGRAM_DEVICE": "laptop"])
    #expect(devices.stdout.contains("{\"device\": \"desk\", \"this_device\": false, \"events\": 5, \"reviews\": 5"))
    #expect(devices.stdout.contains("{\"device\": \"laptop\", \"this_device\": true, \"events\": 10, \"reviews\": 10"))
  }

  /// A directory of an older version: one `reviews.tsv` covering every kind of event.
  static let legacyLog = """
    # engram review log v1
    time\tcard\trating\tduration_ms\tkind
    2026-01-01T10:00:00.000Z\td/a\t3\t4000\treview
    2026-01-01T10:10:00.000Z\td/a\t3\t3000\treview
    2026-01-03T09:00:00.000Z\td/a\t1\t9000\treview
    2026-01-03T09:10:00.000Z\td/a\t3\t2000\treview
    2026-01-03T09:10:05.000Z\td/a\t0\t0\tundo
    2026-01-01T11:00:00.000Z\td/b\t4\t1000\treview
    2026-01-02T11:00:00.000Z\td/b\t0\t0\tsuspend
    2026-01-02T11:05:00.000Z\td/b\t0\t0\tunsuspend
    2026-01-04T08:00:00.000Z\td/b\t0\t0\tbury
    2026-01-04T08:00:30.000Z\td/b\t0\t0\tunbury
    2026-01-02T12:00:00.000Z\td/c\t3\t0\tquiz
    2026-01-02T12:01:00.000Z\td/c\t1\t0\tquiz
    2026-01-01T12:00:00.000Z\td/e\t3\t5000\treview
    2026-01-01T12:10:00.000Z\td/e\t3\t5000\treview
    2026-01-05T12:00:00.000Z\td/e\t2\t0\tpostpone
    2026-01-05T12:00:00.000Z\td/e\t0\t0\tforget
    2026-01-06T12:00:00.000Z\td/e\t3\t5000\treview
    2026-01-06T12:00:01.000Z\td/e\t0\t0\tundo

    """

  /// `state --json` of that directory at 2026-01-10T00:00:00Z as the release before per-device
  /// logs printed it (the binary built from fea8a14, this branch's start): the oracle for
  /// "unchanged".
  static let legacyState = """
    [
      {"card": "d/a", "state": "relearning", "step": 0, "stability": 0.5714134771596958, "difficulty": 7.392238132342694, "due": "2026-01-03T09:10:00.000Z", "last_review": "2026-01-03T09:00:00.000Z", "retrievability": 0.6880997575746036, "suspended": false, "reviews": 3, "lapses": 1, "quiz_correct": 0, "quiz_total": 0},
      {"card": "d/b", "state": "review", "step": null, "stability": 8.2956, "difficulty": 1.0, "due": "2026-01-09T11:00:00.000Z", "last_review": "2026-01-01T11:00:00.000Z", "retrievability": 0.9024733005284542, "suspended": false, "reviews": 1, "lapses": 0, "quiz_correct": 0, "quiz_total": 0},
      {"card": "d/c", "state": "new", "step": null, "stability": null, "difficulty": null, "due": null, "last_review": null, "retrievability": null, "suspended": false, "reviews": 0, "lapses": 0, "quiz_correct": 1, "quiz_total": 2},
      {"card": "d/e", "state": "new", "step": null, "stability": null, "difficulty": null, "due": null, "last_review": null, "retrievability": null, "suspended": false, "reviews": 2, "lapses": 0, "quiz_correct": 0, "quiz_total": 0}
    ]

    """

  @Test func `an old directory with one reviews tsv gives byte-identical state and its log is never rewritten`() throws
  {
    let home = TemporaryDirectory()
    home.write(
      "decks/d.md",
      "# D\nid: d\n\n## a\nQ: qa\nA: aa\n\n## b\nQ: qb\nA: ab\n\n## c\nQ: qc\nA: ac\n\n## e\nQ: qe\nA: ae\n")
    home.write("config.toml", "leech_threshold = 2\nleech_action = \"suspend\"\n")
    home.write("reviews.tsv", SyncRecipeTests.legacyLog)
    let environment = ["ENGRAM_NOW": "2026-01-10T00:00:00Z"]
    for _ in 0..<2 {  // without the cache, then from it
      let result = try runEngram(["state", "--json"], home: home.path, environment: environment)
      #expect(result.stdout == SyncRecipeTests.legacyState)
      #expect(result.stderr == "")
    }
    // Reading writes nothing of the new layout.
    #expect(!FileManager.default.fileExists(atPath: home.path + "/reviews"))
    #expect(!FileManager.default.fileExists(atPath: home.path + "/.gitignore"))
    // A new review goes to this device's file; reviews.tsv stays as it was, and is still read.
    try study(home.path, device: "test", now: "2026-01-10T00:00:00Z", cards: 1)
    #expect(home.read("reviews.tsv") == SyncRecipeTests.legacyLog)
    #expect(home.read("reviews/test.tsv")?.contains("\treview\ttest.1\n") == true)
    let after = try runEngram(["state", "--json"], home: home.path, environment: environment)
    #expect(after.stdout.contains("{\"card\": \"d/b\""))
    let exported = try runEngram(["export-log", "--format", "fsrs", "-"], home: home.path)
    // Standing reviews of the union: d/a 3, d/b 1, d/e 2 from reviews.tsv, and today's one.
    #expect(exported.stdout.split(separator: "\n").count == 1 + 3 + 1 + 2 + 1)
  }

  @Test func `export-log and devices read every device's file; a bad device name is an error saying what to set`()
    throws
  {
    let home = TemporaryDirectory()
    home.write("decks/d.md", SyncRecipeTests.deck)
    home.write("config.toml", SyncRecipeTests.config)
    try study(home.path, device: "laptop", now: "2026-01-01T09:00:00Z", cards: 2)
    try study(home.path, device: "desk", now: "2026-01-02T09:00:00Z", cards: 3)
    let exported = try runEngram(["export-log", "--format", "fsrs", "-"], home: home.path)
    let rows = exported.stdout.split(separator: "\n").dropFirst()
    #expect(rows.count == 5)
    let devices = try runEngram(["devices"], home: home.path, environment: ["ENGRAM_DEVICE": "desk", "NO_COLOR": "1"])
    #expect(devices.status == 0)
    let lines = devices.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(lines[1].hasPrefix("desk ") && lines[1].contains("3        3  ") && lines[1].hasSuffix("← this device"))
    #expect(lines[2].hasPrefix("laptop ") && lines[2].contains("2        2  ") && !lines[2].contains("this device"))
    let bad = try runEngram(
      ["review"], home: home.path, input: "\n3\nq\n",
      environment: ["ENGRAM_DEVICE": "my laptop", "ENGRAM_NOW": "2026-01-03T09:00:00Z"])
    #expect(bad.status == 1)
    #expect(
      bad.stderr.contains(
        "error: device name 'my laptop' (ENGRAM_DEVICE) is not usable: use 1 to 64 letters, digits, '-' or '_'"))
    #expect(
      try runEngram(["devices", "--json"], home: TemporaryDirectory().path).stdout.contains(
        "\"device\": \"test\", \"this_device\": true, \"events\": 0"))
  }
}
