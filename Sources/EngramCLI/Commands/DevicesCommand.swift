import ArgumentParser
import EngramCore
import EngramStore

/// `devices [--json]`: the devices whose logs make up the history, with their last event and
/// event counts, this machine marked.
struct DevicesCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "devices",
    abstract: "List the devices that share this data directory's history, with their last event and counts.")

  @Flag(help: "Print JSON (see README: machine-readable outputs).")
  var json = false

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let devices = try workspace.history.devices()
    let terminal = session.terminal
    if json {
      terminal.write(JSONOutput.devices(devices))
      return
    }
    guard !devices.isEmpty else {
      terminal.line("No history yet.")
      return
    }
    let names = devices.map { $0.device ?? "(reviews.tsv)" }
    let width = max(6, names.map(\.count).max() ?? 6)
    terminal.line(terminal.dim(pad("device", width) + "  events  reviews  last event"))
    for (summary, name) in zip(devices, names) {
      let last = summary.lastEvent.map { ISO8601.format($0) } ?? "none"
      terminal.line(
        pad(name, width) + "  " + number(summary.events, 6) + "  " + number(summary.reviews, 7) + "  " + last
          + (summary.isThisDevice ? terminal.cyan("  ← this device") : ""))
    }
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  private func number(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }
}
