/// The data directory: `$ENGRAM_HOME`, else `$XDG_DATA_HOME/engram`, else `~/.local/share/engram`.
public struct DataDirectory: Sendable, Equatable {
  public let path: String

  public init(path: String) { self.path = path }

  /// Resolves the directory from environment variables, as design.md specifies.
  public static func resolve(environment: [String: String]) -> DataDirectory {
    if let home = environment["ENGRAM_HOME"], !home.isEmpty { return DataDirectory(path: home) }
    if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
      return DataDirectory(path: xdg + "/engram")
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
    return DataDirectory(path: home + "/.local/share/engram")
  }

  public var configPath: String { path + "/config.toml" }
  public var decksPath: String { path + "/decks" }
  public var logPath: String { path + "/reviews.tsv" }
  public var historyPath: String { path + "/history" }
  /// Images and sounds kept from imports, by their file names.
  public var mediaPath: String { path + "/media" }
  /// The user's own scenario drills (`*.md`, the format of docs/scenarios.md).
  public var scenariosPath: String { path + "/scenarios" }
  /// Rebuildable snapshot of replayed state; safe to delete.
  public var cachePath: String { path + "/state.cache" }

  /// Creates the directory and `decks/` on first use.
  public func create() throws(FileError) {
    try POSIXFile.makeDirectories(decksPath)
  }
}
