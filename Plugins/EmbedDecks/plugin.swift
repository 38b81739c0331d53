import Foundation
import PackagePlugin

/// Embeds every `Decks/*.md` and `Scenarios/*.md` file into the target as Swift string literals at build time, so the
/// binary carries its shipped decks wherever it is copied (SwiftPM resources on Linux live in a
/// bundle directory beside the binary, which a copied binary would lose).
@main
struct EmbedDecks: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    func markdownFiles(in folder: String) -> [URL] {
      let directory = context.package.directoryURL.appending(path: folder)
      return (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil))?
        .filter { $0.pathExtension == "md" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent } ?? []
    }
    let decks = markdownFiles(in: "Decks")
    let scenarios = markdownFiles(in: "Scenarios")
    let output = context.pluginWorkDirectoryURL.appending(path: "ShippedDeckFiles.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(decks.count) shipped decks and \(scenarios.count) scenarios",
        executable: try context.tool(named: "DeckEmbedder").url,
        arguments: [output.path] + decks.map(\.path) + ["--"] + scenarios.map(\.path),
        inputFiles: decks + scenarios,
        outputFiles: [output]
      )
    ]
  }
}
