import Foundation
import PackagePlugin

/// Embeds every `Decks/*.md` file into the target as Swift string literals at build time, so the
/// binary carries its shipped decks wherever it is copied (SwiftPM resources on Linux live in a
/// bundle directory beside the binary, which a copied binary would lose).
@main
struct EmbedDecks: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let decksDirectory = context.package.directoryURL.appending(path: "Decks")
    let files = (try? FileManager.default.contentsOfDirectory(
      at: decksDirectory, includingPropertiesForKeys: nil))?
      .filter { $0.pathExtension == "md" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent } ?? []
    let output = context.pluginWorkDirectoryURL.appending(path: "ShippedDeckFiles.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(files.count) shipped decks",
        executable: try context.tool(named: "DeckEmbedder").url,
        arguments: [output.path] + files.map(\.path),
        inputFiles: files,
        outputFiles: [output]
      )
    ]
  }
}
