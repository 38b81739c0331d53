import EngramTestSupport
import Foundation
import Testing

/// The shell completion scripts `make install` puts in place come from the command definitions.
@Suite struct CompletionScriptTests {
  let home = TemporaryDirectory()

  @Test(arguments: ["bash", "zsh", "fish"])
  func `each shell's script names every command, scenario's subcommands included`(shell: String) throws {
    let result = try runEngram(["--generate-completion-script", shell], home: home.path)
    #expect(result.status == 0)
    for command in ["review", "quiz", "cram", "stats", "import", "export", "unsuspend", "scenario", "play"] {
      #expect(result.stdout.contains(command), "\(shell) script lacks \(command)")
    }
  }

  @Test func `the bash script loads and registers completion for engram`() throws {
    let script = try runEngram(["--generate-completion-script", "bash"], home: home.path)
    let file = home.write("engram.bash", script.stdout)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", "source '\(file)' && complete -p engram"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    process.waitUntilExit()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(text.contains("engram"))
  }
}
