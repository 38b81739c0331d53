import EngramTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a program to completion with posix_spawn and waitpid, its output captured in a file.
///
/// Foundation's `Process` is not used here: the tmux server daemonises holding descriptors
/// Foundation uses to notice its child's exit, so `waitUntilExit` would never return.
func spawn(_ arguments: [String]) throws -> (Int32, String) {
  let outputPath = NSTemporaryDirectory() + "spawn-out-" + UUID().uuidString
  defer { unlink(outputPath) }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_adddup2(&actions, 1, 2)
  let environment = ["PATH=/usr/bin:/bin:/usr/local/bin", "TERM=xterm"]
  var argv = arguments.map { strdup($0) } + [nil]
  var envp = environment.map { strdup($0) } + [nil]
  defer {
    for argument in argv { free(argument) }
    for variable in envp { free(variable) }
  }
  // Start tmux (and so engram) with no blocked signals and default handlers, as a shell would;
  // the test runner's threads may block SIGINT.
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var empty = sigset_t()
  sigemptyset(&empty)
  posix_spawnattr_setsigmask(&attributes, &empty)
  var defaults = sigset_t()
  sigemptyset(&defaults)
  sigaddset(&defaults, SIGINT)
  sigaddset(&defaults, SIGPIPE)
  posix_spawnattr_setsigdefault(&attributes, &defaults)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
  var pid: pid_t = 0
  let result = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, &envp)
  guard result == 0 else { throw TerminalEndToEndTests.TmuxError(message: "cannot run \(arguments[0]): \(result)") }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  let text = FileManager.default.contents(atPath: outputPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
  let exited = (status & 0x7f) == 0
  return (exited ? (status >> 8) & 0xff : -1, text)
}

/// Drives the built binary in a real terminal (tmux), as a person would: line editing,
/// completion, history, UTF-8, Ctrl-C and Ctrl-D.
@Suite(.serialized) struct TerminalEndToEndTests {
  /// A tmux server of our own (its own socket), with one window running engram.
  final class TmuxSession {
    let socket = "engram-test-\(UUID().uuidString.prefix(8))"
    let name = "e2e"
    let home: String

    init(home: String, columns: Int = 120, rows: Int = 40, environment: [String: String] = [:]) throws {
      self.home = home
      try tmux(
        ["new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)"]
          + [
            "-e", "ENGRAM_HOME=\(home)", "-e", "ENGRAM_DEVICE=test", "-e", "TZ=UTC", "-e", "LANG=", "-e", "LC_ALL=",
            "-e", "TERM=xterm",
          ]
          + environment.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
          + [engramBinary()])
      try tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
      let (status, text) = try spawn(["/usr/bin/env", "tmux", "-L", socket] + arguments)
      if status != 0 && arguments.first != "kill-server" {
        throw TmuxError(message: "tmux \(arguments.joined(separator: " ")) failed: \(text)")
      }
      return text
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// Waits until the screen satisfies `condition`, up to ten seconds.
    func wait(for description: String, _ condition: (String) -> Bool) throws -> String {
      for _ in 0..<200 {
        let text = try screen()
        if condition(text) { return text }
        usleep(50_000)
      }
      let text = try screen()
      Issue.record("timed out waiting for \(description); screen:\n\(text)")
      return text
    }

    /// Waits until the REPL is idle at its prompt (the last line on screen is the bare prompt):
    /// keys sent before libedit takes the terminal could be read in cooked mode.
    func waitForIdlePrompt() throws {
      _ = try wait(for: "an idle prompt") { screen in
        screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } == "engram>"
      }
    }
  }

  struct TmuxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
  }

  @Test func `completion, a good review, UTF-8, Ctrl-C, history and Ctrl-D in a real terminal`() throws {
    let home = TemporaryDirectory()
    home.write("decks/mini.md", "# Mini\nid: mini\ntopics: tiny\n\n## one\nQ: What is 1+1?\nA: 2\nWhy: Counting.\n")
    // No learning steps: Good graduates the card, so the session ends after one rating.
    home.write("config.toml", "learning_steps = []\n")
    let terminal = try TmuxSession(home: home.path)
    _ = try terminal.wait(for: "the prompt") { $0.contains("engram>") }

    // Tab completes a command name.
    try terminal.type("revi")
    try terminal.send("Tab")
    // (capture-pane drops trailing spaces, so the space completion adds shows once we type on.)
    try terminal.type("mini")
    _ = try terminal.wait(for: "completion of revi") { $0.contains("engram> review mini") }

    // A review rated Good lands in the log.
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the question") { $0.contains("Q: What is 1+1?") }
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the answer and intervals") { $0.contains("3 good") }
    try terminal.type("3")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the acknowledgement") { $0.contains("Recorded good") }
    // The line was fsync'd before the acknowledgement appeared.
    let log = try #require(home.read("reviews/test.tsv"))
    #expect(log.contains("\tmini/one\t3\t"))
    _ = try terminal.wait(for: "the prompt again") { $0.contains("Session done") }

    // UTF-8 input survives line editing even with no locale in the environment.
    try terminal.type("review 日本é")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the UTF-8 echo") { $0.contains("nothing matches '日本é'") }

    // Ctrl-C discards the line being typed, not the program.
    try terminal.type("this line is abandoned")
    try terminal.send("C-c")
    try terminal.type("decks")
    try terminal.send("Enter")
    let afterInterrupt = try terminal.wait(for: "decks after Ctrl-C") { $0.contains("Mini") }
    #expect(!afterInterrupt.contains("abandonedecks"))

    // Ctrl-D exits cleanly: the process ends, not by a signal, with status 0 once tmux has
    // reaped it (tmux sometimes marks the pane dead before it records the status).
    try terminal.waitForIdlePrompt()
    try terminal.send("C-d")
    var ending = ""
    for _ in 0..<100 {
      ending = try terminal.tmux([
        "display-message", "-p", "-t", terminal.name, "#{pane_dead}|#{pane_dead_signal}|#{pane_dead_status}",
      ])
      .trimmingCharacters(in: .whitespacesAndNewlines)
      if ending == "1||0" { break }
      usleep(50_000)
    }
    #expect(ending == "1||0" || ending == "1||", "pane state after Ctrl-D: \(ending)")

    // History was written and comes back in a new session (Up recalls the last command).
    let history = try #require(home.read("history"))
    #expect(history.contains("decks"))
    let second = try TmuxSession(home: home.path)
    _ = try second.wait(for: "the prompt") { $0.contains("engram>") }
    try second.send("Up")
    _ = try second.wait(for: "recalled history") { $0.contains("engram> decks") }
    try second.send("Up")
    _ = try second.wait(for: "recalled UTF-8 history") { $0.contains("engram> review 日本é") }
  }

  @Test func `tab after review lists deck ids and topics`() throws {
    let home = TemporaryDirectory()
    let terminal = try TmuxSession(home: home.path)
    _ = try terminal.wait(for: "the prompt") { $0.contains("engram>") }
    try terminal.type("review ml-f")
    try terminal.send("Tab")
    try terminal.type("x")
    _ = try terminal.wait(for: "deck id completion") { $0.contains("engram> review ml-fundamentals x") }
    try terminal.send("C-u")
    try terminal.type("review ai-")
    try terminal.send("Tab")
    _ = try terminal.wait(for: "candidate list") {
      $0.contains("ai-ethics-governance") && $0.contains("ai-project-management")
    }
  }

  @Test func `a three-question typed quiz in a real terminal, and Ctrl-C ending one early`() throws {
    let home = TemporaryDirectory()
    home.write(
      "decks/capitals.md",
      "# Capitals\nid: capitals\n\n## france\nQ: Capital of France?\nA: Paris\nWhy: Since the 10th century.\nTags: europe\n\n"
        + "## italy\nQ: Capital of Italy?\nA: Rome\nAccept: Roma\nWhy: Since 1871.\nTags: europe\n\n"
        + "## spain\nQ: Capital of Spain?\nA: Madrid\nWhy: Since 1561.\nTags: europe\n")
    let terminal = try TmuxSession(home: home.path)
    try terminal.waitForIdlePrompt()
    try terminal.type("quiz capitals -n 3 --mode typed")
    try terminal.send("Enter")
    for number in 1...3 {
      let screen = try terminal.wait(for: "question \(number)") { screen in
        screen.contains("\(number)/3 · capitals")
          && screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } == "answer>"
      }
      let question = screen.split(separator: "\n").last { $0.hasPrefix("Q: ") } ?? ""
      // One exact answer (case differs), one accepted alternative, one typo: 2 correct, 1 close.
      let answer = question.contains("France") ? "paris" : question.contains("Italy") ? "Roma" : "Madrd"
      try terminal.type(answer)
      try terminal.send("Enter")
      _ = try terminal.wait(for: "verdict \(number)") { $0.components(separatedBy: "yours: ").count > number }
    }
    // Two right and one close (half a point): 2.5 of 3.
    let summary = try terminal.wait(for: "the summary") { $0.contains("Score: 2.5/3") }
    #expect(summary.contains("(83%) · 2 correct · 1 close · 0 wrong"))
    let lines = (home.read("reviews/test.tsv") ?? "").split(separator: "\n").filter { $0.contains("\tquiz\t") }
    #expect(lines.count == 3)

    // Ctrl-C at a question ends the quiz and still sums up what was answered.
    try terminal.waitForIdlePrompt()
    try terminal.send("C-l")  // libedit clears the screen, so only the second quiz is visible
    _ = try terminal.wait(for: "a cleared screen") { !$0.contains("Score: 2.5/3") }
    try terminal.type("quiz capitals -n 3 --mode typed")
    try terminal.send("Enter")
    let idle = { (screen: String) in
      screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } == "answer>"
    }
    _ = try terminal.wait(for: "the first question") { $0.contains("1/3 · capitals") && idle($0) }
    try terminal.type("Lisbon")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the second question") { $0.contains("2/3 · capitals") && idle($0) }
    try terminal.send("C-c")
    let early = try terminal.wait(for: "the early summary") { $0.contains("stopped after 1 of 3") }
    #expect(early.contains("Score: 0/1"))
    try terminal.waitForIdlePrompt()
  }

  /// A text file large enough that its import runs past a second (even in a debug build).
  static func largeTextFile(in home: TemporaryDirectory, rows: Int = 40_000) -> String {
    var text = "#separator:tab\n#html:false\n#deck:Large\n"
    for row in 0..<rows { text += "front number \(row)\tback number \(row)\n" }
    return home.write("large.tsv", text)
  }

  @Test func `a long import and export show a progress line on a terminal that is gone at the end`() throws {
    let home = TemporaryDirectory()
    let file = Self.largeTextFile(in: home)
    let terminal = try TmuxSession(home: home.path + "/data")
    try terminal.waitForIdlePrompt()
    try terminal.type("import \(file)")
    try terminal.send("Enter")
    // The line: stage, done/total, rate, elapsed, e.g. "import: converting 12000/40000 · 8000/s · 1.6 s".
    let progress = try terminal.wait(for: "the import's progress line") {
      $0.range(of: #"import: [a-z ]+ \d+/\d+ · \d+/s · \d+\.\d s"#, options: .regularExpression) != nil
    }
    #expect(progress.contains("import: "))
    let done = try terminal.wait(for: "the import summary") { $0.contains("Imported into large") }
    try terminal.waitForIdlePrompt()
    #expect(done.contains("Imported into large: 40000 cards added"))
    #expect(!(try terminal.screen()).contains("import: "))
    try terminal.type("export --all \(home.path)/all.apkg")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the export's progress line") {
      $0.range(of: #"export: [a-z ]+.* · \d+\.\d s"#, options: .regularExpression) != nil
    }
    let exported = try terminal.wait(for: "the export summary") { $0.contains("to \(home.path)/all.apkg.") }
    try terminal.waitForIdlePrompt()
    #expect(exported.contains("40000 cards"))
    #expect(!(try terminal.screen()).contains("export: "))
  }

  @Test func `Ctrl-C stops a long simulation in the REPL with a message, and the prompt returns`() throws {
    let home = TemporaryDirectory()
    let terminal = try TmuxSession(home: home.path + "/data")
    try terminal.waitForIdlePrompt()
    // Fifty retentions of 3,000 cards over 1,000 days: many seconds, so the progress line shows.
    try terminal.type("simulate --retention-range 0.50:0.99:0.01 --days 1000 --deck-size 3000 --new-per-day 30")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the simulation's progress line") {
      $0.range(of: #"simulate: retentions \d+/50"#, options: .regularExpression) != nil
    }
    try terminal.send("C-c")
    let stopped = try terminal.wait(for: "the stop message") { $0.contains("simulate stopped (Ctrl-C) after") }
    #expect(stopped.contains("of 50 retentions"))
    try terminal.waitForIdlePrompt()
    #expect(!(try terminal.screen()).contains("Desired retention"))
  }

  /// Expected counts from `../shared/fixtures/anki_history_manifest.json` (made by Anki).
  @Test func `importing an Anki package from the REPL, its file name completed with Tab`() throws {
    let home = TemporaryDirectory()
    let package = home.path + "/anki-history.apkg"
    try FileManager.default.copyItem(
      atPath: sharedDirectory().appending(path: "fixtures/anki_history_modern.apkg").path, toPath: package)
    let terminal = try TmuxSession(home: home.path + "/data")
    try terminal.waitForIdlePrompt()
    try terminal.type("import \(home.path)/anki-hi")
    try terminal.send("Tab")
    _ = try terminal.wait(for: "file name completion") { $0.contains("anki-history.apkg") }
    try terminal.send("Enter")
    let imported = try terminal.wait(for: "the import summary") { $0.contains("History:") }
    #expect(imported.contains("Imported into bench-deck00: 500 cards added"))
    #expect(imported.contains("4912 reviews added · 5 cards suspended as in Anki"))
    #expect(imported.contains("'optimize' fits FSRS-6 to it"))
    try terminal.waitForIdlePrompt()
    // Completion knows the new deck at once.
    try terminal.type("review bench-d")
    try terminal.send("Tab")
    try terminal.type("x")
    _ = try terminal.wait(for: "completion of the imported deck") { $0.contains("engram> review bench-deck00 x") }
    try terminal.send("C-u")
    try terminal.type("decks")
    try terminal.send("Enter")
    _ = try terminal.wait(for: "the imported deck listed") { $0.contains("Bench / Deck00") }
  }
}
