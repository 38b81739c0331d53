import EngramCore
import EngramStore
import Foundation

/// Tab completion for the REPL: command names first, then each command's arguments (deck ids,
/// topics and tags for `review`, options for `state`/`due`, file names for `lint`).
public struct Completer: Sendable {
  public static let commands = [
    "advance", "cram", "decks", "due", "exit", "export", "export-log", "help", "import", "leeches", "lint", "optimize",
    "postpone", "quit", "quiz", "review", "scenario", "simulate", "state", "stats", "unsuspend",
  ]

  /// Words offered after `review`: deck ids, one-word topics and tags.
  public let targets: [String]

  /// Ids offered after `scenario play`.
  public let scenarioIDs: [String]

  public init(library: DeckLibrary, scenarioIDs: [String] = []) {
    self.scenarioIDs = scenarioIDs.sorted()
    var words = Set<String>()
    for deck in library.decks {
      words.insert(deck.id)
      for topic in deck.topics where !topic.contains(" ") { words.insert(topic.lowercased()) }
      for note in deck.notes { for tag in note.tags where !tag.contains(" ") { words.insert(tag) } }
    }
    targets = words.sorted()
  }

  /// The completion of the last word of `text` (the line up to the cursor).
  public func complete(_ text: String) -> Completion {
    let endsWithSpace = text.last == " "
    let words = text.split(separator: " ").map(String.init)
    let current = endsWithSpace ? "" : (words.last ?? "")
    let previous = endsWithSpace ? words : Array(words.dropLast())
    let options: [String]
    if previous.isEmpty {
      options = Completer.commands
    } else {
      switch previous[0] {
      case "review", "quiz", "cram", "stats", "postpone": options = previous.count == 1 ? targets : []
      case "export": if previous.count == 2 { return Completer.completeFile(current) } else { options = previous.count == 1 ? targets : [] }
      case "scenario":
        if previous.count == 1 { options = ["list", "play"] }
        else if previous.count == 2 && previous[1] == "play" { options = scenarioIDs }
        else if previous.count == 2 && previous[1] == "list" { options = ["--json"] }
        else { options = [] }
      case "state": options = ["--json", "--at"]
      case "due", "decks": options = ["--json"]
      case "optimize": options = ["--dry-run", "--json", "--yes"]
      case "lint", "export-log": return current.hasPrefix("-") ? Completer.completion(of: current, among: ["--format"]) : Completer.completeFile(current)
      case "import":
        if previous.last == "--on-duplicate" { options = Importer.DuplicatePolicy.allCases.map(\.rawValue) }
        else if previous.last == "--deck" { options = targets }
        else if current.hasPrefix("-") { options = ["--deck", "--dry-run", "--on-duplicate"] }
        else { return Completer.completeFile(current) }
      default: options = []
      }
    }
    return Completer.completion(of: current, among: options)
  }

  /// The shared continuation of every option starting with `prefix`; a unique match also gets
  /// a trailing space.
  static func completion(of prefix: String, among options: [String]) -> Completion {
    let matches = options.filter { $0.hasPrefix(prefix) }
    guard let first = matches.first else { return .none }
    if matches.count == 1 { return Completion(insertion: String(first.dropFirst(prefix.count)) + " ", candidates: matches) }
    var common = first
    for match in matches.dropFirst() {
      while !match.hasPrefix(common) { common.removeLast() }
    }
    return Completion(insertion: String(common.dropFirst(prefix.count)), candidates: matches)
  }

  static func completeFile(_ prefix: String) -> Completion {
    let directory: String
    let namePrefix: String
    if let slash = prefix.lastIndex(of: "/") {
      directory = String(prefix[...slash])
      namePrefix = String(prefix[prefix.index(after: slash)...])
    } else {
      directory = ""
      namePrefix = prefix
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
    let options = names.filter { !$0.hasPrefix(".") || namePrefix.hasPrefix(".") }.map { name -> String in
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: directory + name, isDirectory: &isDirectory)
      return directory + name + (isDirectory.boolValue ? "/" : "")
    }.sorted()
    var result = completion(of: directory + namePrefix, among: options)
    if result.insertion.hasSuffix("/ ") { result.insertion.removeLast() }
    return result
  }
}
