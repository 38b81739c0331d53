#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The data directory: `$ENGRAM_HOME`, else `$XDG_DATA_HOME/engram`, else `~/.local/share/engram`.
///
/// What is not data follows the XDG base directories when `ENGRAM_HOME` is unset: the REPL's
/// line history in `$XDG_STATE_HOME/engram` (else `~/.local/state/engram`) and the rebuildable
/// `state.cache` in `$XDG_CACHE_HOME/engram` (else `~/.cache/engram`). With `ENGRAM_HOME` set,
/// everything stays in it, so one variable moves or isolates all of Engram's files.
public struct DataDirectory: Sendable, Equatable {
  public let path: String
  /// The REPL's line history.
  public let historyPath: String
  /// Rebuildable snapshot of replayed state; safe to delete.
  public let cachePath: String
  /// This machine's name among the devices sharing the directory (its log is
  /// `reviews/<device>.tsv`). Directories made in code default to `local`.
  public let device: DeviceName

  /// Everything in one directory (as under `ENGRAM_HOME`).
  public init(path: String, device: DeviceName = .fixed("local")) {
    self.init(path: path, historyPath: path + "/history", cachePath: path + "/state.cache", device: device)
  }

  public init(path: String, historyPath: String, cachePath: String, device: DeviceName = .fixed("local")) {
    self.path = path
    self.historyPath = historyPath
    self.cachePath = cachePath
    self.device = device
  }

  /// Resolves the directories from environment variables, as design.md specifies. A relative
  /// XDG path is ignored, as the XDG specification asks.
  public static func resolve(environment: [String: String]) -> DataDirectory {
    let device = DeviceName.resolve(environment: environment)
    if let home = environment["ENGRAM_HOME"], !home.isEmpty { return DataDirectory(path: home, device: device) }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
    func base(_ variable: String, default fallback: String) -> String {
      if let value = environment[variable], value.hasPrefix("/") { return value + "/engram" }
      return home + "/" + fallback + "/engram"
    }
    return DataDirectory(
      path: base("XDG_DATA_HOME", default: ".local/share"),
      historyPath: base("XDG_STATE_HOME", default: ".local/state") + "/history",
      cachePath: base("XDG_CACHE_HOME", default: ".cache") + "/state.cache", device: device)
  }

  public var configPath: String { path + "/config.toml" }
  public var decksPath: String { path + "/decks" }
  /// The shared log of older versions: read, never written (see `HistoryLog`).
  public var logPath: String { path + "/reviews.tsv" }
  /// Images and sounds kept from imports, by their file names.
  public var mediaPath: String { path + "/media" }
  /// The user's own scenario drills (`*.md`, the format of docs/scenarios.md).
  public var scenariosPath: String { path + "/scenarios" }

  /// Creates the directories on first use, and moves a history or cache file left in the data
  /// directory by an older Engram to its XDG place (once: only while the new one is absent).
  public func create() throws(FileError) {
    try POSIXFile.makeDirectories(decksPath)
    for (file, old) in [(historyPath, path + "/history"), (cachePath, path + "/state.cache")] where file != old {
      try POSIXFile.makeDirectories(DataDirectory.parent(of: file))
      DataDirectory.moveOnce(from: old, to: file)
    }
  }

  static func parent(of file: String) -> String {
    guard let slash = file.lastIndex(of: "/") else { return "." }
    return slash == file.startIndex ? "/" : String(file[..<slash])
  }

  /// Moves `old` to `new` when `old` exists and `new` does not; across file systems, by copying.
  static func moveOnce(from old: String, to new: String) {
    guard access(old, F_OK) == 0, access(new, F_OK) != 0 else { return }
    if rename(old, new) == 0 { return }
    let input = open(old, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { return }
    defer { close(input) }
    guard let bytes = try? POSIXFile.readAll(fd: input, path: old) else { return }
    let output = open(new, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard output >= 0 else { return }
    let written = (try? POSIXFile.writeAll(fd: output, bytes: bytes, path: new)) != nil && fsync(output) == 0
    close(output)
    if written { unlink(old) } else { unlink(new) }
  }
}
