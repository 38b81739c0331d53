import EngramCore
import EngramStore
import Foundation

/// Tab completion for the REPL, derived from the command definitions (`CommandShapes`): the
/// command name, then for each argument what its definition says it takes — listed values,
/// files (quoted or escaped as needed), deck ids, topics, suspended card keys — and option
/// names after `-`.
public struct Completer: Sendable {
  /// Deck ids, one-word topics and tags: what `review`, `quiz`, `cram` and `stats` take.
  public let targets: [String]
  /// Deck ids, for arguments that name a deck.
  let deckIDs: [String]
  /// Suspended card keys and the decks that have them, for `unsuspend`.
  let suspended: [String]
  /// Every card key, for `edit`.
  let cardKeys: [String]
  let shapes: CommandShapes

  /// Ids offered after `scenario play`.
  let scenarioIDs: [String]

  public init(library: DeckLibrary, suspended: [String] = [], scenarioIDs: [String] = []) {
    self.scenarioIDs = scenarioIDs.sorted()
    var words = Set<String>()
    for deck in library.decks {
      words.insert(deck.id)
      for topic in deck.topics where !topic.contains(" ") { words.insert(topic.lowercased()) }
      for note in deck.notes { for tag in note.tags where !tag.contains(" ") { words.insert(tag) } }
    }
    targets = words.sorted()
    deckIDs = library.decks.map(\.id).sorted()
    cardKeys = library.cards.map(\.key).sorted()
    let decks = suspended.compactMap { CardKey($0)?.deckID }
    self.suspended = Array(Set(suspended + decks)).sorted()
    shapes = CommandShapes(root: REPL.Commands.self)
  }

  /// The completion of the word before the cursor; `text` is the line up to the cursor.
  public func complete(_ text: String) -> Completion {
    let line = LineWords(text)
    guard let command = line.words.first else {
      return Completer.completion(
        of: line.current, among: Set(shapes.names + REPL.builtins).sorted(), quote: line.quote)
    }
    // `help` is the REPL's own; it takes a command name like ArgumentParser's `help`.
    guard var shape = shapes.commands[command] else { return .none }
    // A command with subcommands (`scenario list|play`) takes one of them next.
    var words = ArraySlice(line.words.dropFirst())
    while let subcommands = shape.subcommands, !subcommands.isEmpty {
      guard let next = words.first else {
        return Completer.completion(of: line.current, among: subcommands.map(\.commandName), quote: line.quote)
      }
      guard let subcommand = subcommands.first(where: { $0.commandName == next }) else { return .none }
      shape = subcommand
      words = words.dropFirst()
    }
    // Walk the words typed so far: an option's value follows it; other words are positionals.
    var positional = 0
    var pendingOption: CommandShapes.Argument?
    for word in words {
      if pendingOption != nil {
        pendingOption = nil
      } else if word.hasPrefix("-"), let option = shape.option(word) {
        if option.kind == .option { pendingOption = option }
      } else if !word.hasPrefix("-") {
        positional += 1
      }
    }
    if let option = pendingOption { return values(for: option, prefix: line.current, quote: line.quote) }
    if line.current.hasPrefix("-") {
      return Completer.completion(of: line.current, among: shape.optionNames.sorted(), quote: line.quote)
    }
    let positionals = shape.positionals
    guard !positionals.isEmpty else { return .none }
    let argument = positional < positionals.count ? positionals[positional] : positionals[positionals.count - 1]
    if positional >= positionals.count && !argument.isRepeating { return .none }
    // `export DECK FILE` (or `export --all FILE`): a deck id first, then a file.
    if argument.valueName == "deck-and-file", positional == 0, !line.words.contains("--all") {
      return Completer.completion(of: line.current, among: deckIDs, quote: line.quote)
    }
    return values(for: argument, prefix: line.current, quote: line.quote)
  }

  /// What `argument` takes, by its declared completion, listed values, or value name.
  func values(for argument: CommandShapes.Argument, prefix: String, quote: Character?) -> Completion {
    switch argument.completionKind {
    case .file(let extensions):
      return Completer.completeFile(prefix, extensions: extensions, quote: quote)
    case .directory:
      return Completer.completeFile(prefix, extensions: [], directoriesOnly: true, quote: quote)
    case .list(let values):
      return Completer.completion(of: prefix, among: values, quote: quote)
    case .other, nil:
      break
    }
    if let values = argument.allValues, !values.isEmpty {
      return Completer.completion(of: prefix, among: values, quote: quote)
    }
    let options: [String]
    switch argument.valueName {
    case "target", "topic": options = targets
    case "deck": options = deckIDs
    case "cards", "card": options = suspended
    case "key": options = cardKeys
    case "scenario": options = scenarioIDs
    case "subcommands": options = shapes.names.filter { $0 != "help" }
    default: options = []
    }
    return Completer.completion(of: prefix, among: options, quote: quote)
  }

  /// The shared continuation of every option starting with `prefix`, written to fit where the
  /// word stands (escaped, or inside the open quote); a unique match also gets its closing
  /// quote and a space.
  static func completion(of prefix: String, among options: [String], quote: Character? = nil) -> Completion {
    let matches = options.filter { $0.hasPrefix(prefix) }
    guard let first = matches.first else { return .none }
    if matches.count == 1 {
      let rest = String(first.dropFirst(prefix.count))
      if first.hasSuffix("/") { return Completion(insertion: escaped(rest, quote: quote), candidates: matches) }
      return Completion(
        insertion: escaped(rest, quote: quote) + (quote.map(String.init) ?? "") + " ", candidates: matches)
    }
    var common = first
    for match in matches.dropFirst() {
      while !match.hasPrefix(common) { common.removeLast() }
    }
    return Completion(insertion: escaped(String(common.dropFirst(prefix.count)), quote: quote), candidates: matches)
  }

  /// `text` written so that the line splits back to it: inside single quotes a quote is
  /// `'\''`; inside double quotes `"` and `\` are escaped; bare, every character a shell or
  /// `ShellWords` would take specially is escaped with a backslash.
  static func escaped(_ text: String, quote: Character?) -> String {
    switch quote {
    case "'": return text.replacingOccurrences(of: "'", with: "'\\''")
    case "\"":
      return text.reduce(into: "") { result, character in
        if character == "\"" || character == "\\" || character == "$" || character == "`" { result.append("\\") }
        result.append(character)
      }
    default:
      return text.reduce(into: "") { result, character in
        if character.isWhitespace || "\\'\"$`!#&*()[]{};|<>?~".contains(character) { result.append("\\") }
        result.append(character)
      }
    }
  }

  static func completeFile(
    _ prefix: String, extensions: [String], directoriesOnly: Bool = false, quote: Character? = nil
  ) -> Completion {
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
    let options = names.filter { !$0.hasPrefix(".") || namePrefix.hasPrefix(".") }.compactMap { name -> String? in
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: directory + name, isDirectory: &isDirectory)
      if isDirectory.boolValue { return directory + name + "/" }
      if directoriesOnly { return nil }
      if !extensions.isEmpty && !extensions.contains(where: { name.lowercased().hasSuffix("." + $0.lowercased()) }) {
        return nil
      }
      return directory + name
    }.sorted()
    return completion(of: directory + namePrefix, among: options, quote: quote)
  }
}

/// The words of a command line up to the cursor, with shell quoting (single and double quotes,
/// backslashes): the finished words, the last word so far (unquoted), and the quote it is still
/// inside, if any. The one splitter for completion and for running a line (`ShellWords`).
struct LineWords: Equatable {
  var words: [String] = []
  var current = ""
  var quote: Character?
  /// Whether the text ends inside a word (possibly an empty quoted one, `''`).
  var inWord = false

  init(words: [String], current: String, quote: Character?) {
    self.words = words
    self.current = current
    self.quote = quote
    inWord = !current.isEmpty || quote != nil
  }

  init(_ text: String) {
    var escaped = false
    for character in text {
      if escaped {
        current.append(character)
        escaped = false
        continue
      }
      if let open = quote {
        if character == open {
          quote = nil
        } else if character == "\\" && open == "\"" {
          escaped = true
        } else {
          current.append(character)
        }
        continue
      }
      switch character {
      case "\\":
        escaped = true
        inWord = true
      case "\"", "'":
        quote = character
        inWord = true
      case " ", "\t":
        if inWord { words.append(current) }
        current = ""
        inWord = false
      default:
        current.append(character)
        inWord = true
      }
    }
  }
}
