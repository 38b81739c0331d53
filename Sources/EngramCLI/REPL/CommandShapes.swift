import ArgumentParser
import Foundation

/// The shape of every command, as swift-argument-parser describes its own command tree (the
/// JSON of `--experimental-dump-help`): names, options and flags, positional arguments, their
/// value names, listed values and completion kinds. Completion is derived from it, so a new
/// option or argument completes without a list kept by hand.
struct CommandShapes: Sendable {
  /// One argument of a command.
  struct Argument: Decodable, Sendable, Equatable {
    enum Kind: String, Decodable, Sendable { case positional, option, flag }
    struct Name: Decodable, Sendable, Equatable {
      var kind: String
      var name: String
      /// As typed: `--json`, `-n`.
      var spelled: String { kind == "short" ? "-" + name : "--" + name }
    }
    /// How its values complete, as the parser declares it.
    enum Completion: Decodable, Sendable, Equatable {
      case list([String])
      case file(extensions: [String])
      case directory
      case other

      private struct Values: Decodable { var values: [String] }
      private struct Extensions: Decodable { var extensions: [String] }
      private enum Keys: String, CodingKey { case list, file, directory }

      init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let list = try container.decodeIfPresent(Values.self, forKey: .list) {
          self = .list(list.values)
        } else if let file = try container.decodeIfPresent(Extensions.self, forKey: .file) {
          self = .file(extensions: file.extensions)
        } else if container.contains(.directory) {
          self = .directory
        } else {
          self = .other
        }
      }
    }

    var kind: Kind
    var names: [Name]?
    var valueName: String?
    var isRepeating: Bool
    var shouldDisplay: Bool
    var allValues: [String]?
    var completionKind: Completion?
  }

  /// One command: its name and arguments.
  struct Command: Decodable, Sendable {
    var commandName: String
    var arguments: [Argument]?
    var subcommands: [Command]?

    /// Options and flags as typed (`--json`, `-n`), shown ones only.
    var optionNames: [String] {
      (arguments ?? []).filter { $0.kind != .positional && $0.shouldDisplay }
        .flatMap { ($0.names ?? []).map(\.spelled) }
    }

    /// The option or flag spelled `word`.
    func option(_ word: String) -> Argument? {
      (arguments ?? []).first { $0.kind != .positional && ($0.names ?? []).contains { $0.spelled == word } }
    }

    /// The positional arguments, in order.
    var positionals: [Argument] { (arguments ?? []).filter { $0.kind == .positional } }
  }

  private struct ToolInfo: Decodable { var command: Command }

  /// The subcommands of `root`, by name.
  let commands: [String: Command]
  /// Command names in the order the root lists them.
  let names: [String]

  init(root: ParsableCommand.Type) {
    let json = Data(root._dumpHelp().utf8)
    let tool = try? JSONDecoder().decode(ToolInfo.self, from: json)
    let subcommands = tool?.command.subcommands ?? []
    commands = Dictionary(subcommands.map { ($0.commandName, $0) }, uniquingKeysWith: { first, _ in first })
    names = subcommands.map(\.commandName)
  }
}
