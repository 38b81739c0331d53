import EngramCore
import EngramStore
import Foundation

/// What every command runs against: the environment, the terminal, the data directory, an
/// input reader and the clock. The REPL keeps one for its whole life; a subcommand makes one.
public final class AppSession {
  public let environment: [String: String]
  public let terminal: Terminal
  public let directory: DataDirectory
  /// Created on first use: libedit on a terminal, plain reads otherwise.
  private var reader: LineReader?
  private var completer: Completer?
  /// The workspace of the latest command, for completion (built from its decks on first Tab).
  private var latestWorkspace: Workspace?
  /// Warnings shown so far, as rendered: each is shown once per session.
  private var shownWarnings: Set<String> = []
  /// Lines of input read so far, for `ENGRAM_NOW_STEP_SECONDS`.
  private var linesRead: Int64 = 0

  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
    terminal = Terminal(environment: environment)
    directory = DataDirectory.resolve(environment: environment)
  }

  /// Whether log appends are fsync'd. Always, except under `ENGRAM_NO_FSYNC=1`, which exists
  /// only so `make bench` can measure what the fsync costs; it gives up crash safety.
  public var syncWrites: Bool { environment["ENGRAM_NO_FSYNC"] != "1" }

  /// The current time; `ENGRAM_NOW` (ISO 8601) pins it for tests and benchmarks.
  ///
  /// With it, `ENGRAM_NOW_STEP_SECONDS` moves that clock on by so many seconds for every line
  /// of input read: tests use it to let time pass between showing a card and rating it.
  public func now() -> Timestamp {
    if let pinned = environment["ENGRAM_NOW"] {
      if let time = ISO8601.parse(pinned) { return time + .seconds(linesRead * clockStepSeconds) }
      show(Diagnostics.line(unusableClock: pinned))
    }
    return Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
  }

  /// Opens the data directory and shows each warning (deck problems, a torn log line) once.
  public func openWorkspace() throws -> Workspace {
    let workspace = try Workspace(
      directory: directory, now: now(), timeZone: TimeZoneSource(identifier: environment["TZ"]))
    for warning in workspace.warnings { show(Diagnostics.line(warning)) }
    latestWorkspace = workspace
    completer = nil
    return workspace
  }

  /// The scenario drills: shipped, then the user's own; each problem shown once as a warning.
  public func scenarios() -> ScenarioLibrary {
    let library = ScenarioLibrary.load(userScenarios: directory.scenariosPath)
    for problem in library.problems { show(Diagnostics.line(problem)) }
    return library
  }

  /// Shows a rendered warning on standard error unless this session showed it already.
  private func show(_ line: String) {
    if shownWarnings.insert(line).inserted { terminal.error(line) }
  }

  /// Forgets the decks completion knows, after a command changed them (an import).
  public func decksChanged() {
    latestWorkspace = nil
    completer = nil
  }

  /// The input reader, made on first use.
  public func lineReader() -> LineReader {
    if let reader { return reader }
    let made: LineReader
    if terminal.inputIsTerminal,
      let editor = EditLineReader(
        historyPath: historyPath(),
        complete: { [weak self] text in self?.complete(text) ?? .none })
    {
      made = editor
    } else {
      made = PlainLineReader()
    }
    guard clockStepSeconds != 0 else {
      reader = made
      return made
    }
    let counting = CountingLineReader(made) { [weak self] in self?.linesRead += 1 }
    reader = counting
    return counting
  }

  /// `ENGRAM_NOW_STEP_SECONDS`, 0 when unset or not a number of seconds up to a day.
  private var clockStepSeconds: Int64 {
    guard let text = environment["ENGRAM_NOW_STEP_SECONDS"], let step = Int64(text), (0...86_400).contains(step)
    else { return 0 }
    return step
  }

  private func complete(_ text: String) -> Completion {
    if completer == nil {
      if latestWorkspace == nil { latestWorkspace = try? openWorkspace() }
      if let workspace = latestWorkspace {
        let suspended = workspace.records.filter(\.value.suspended).keys.sorted()
        completer = Completer(
          library: workspace.library, suspended: suspended,
          scenarioIDs: ScenarioLibrary.load(userScenarios: directory.scenariosPath).scenarios.map(\.id))
      }
    }
    return completer?.complete(text) ?? .none
  }

  private func historyPath() -> String? {
    (try? directory.create()).map { directory.historyPath }
  }
}

/// A line reader that reports each line read, for the stepping test clock.
private final class CountingLineReader: LineReader {
  private let base: LineReader
  private let onLine: () -> Void

  init(_ base: LineReader, onLine: @escaping () -> Void) {
    self.base = base
    self.onLine = onLine
  }

  func read(prompt: String) -> InputLine {
    let line = base.read(prompt: prompt)
    onLine()
    return line
  }

  func remember(_ line: String) { base.remember(line) }
}
