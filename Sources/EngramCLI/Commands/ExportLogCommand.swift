import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `export-log --format fsrs FILE`: the review history in the column set FSRS tools read.
struct ExportLogCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "export-log",
    abstract:
      "Write the review history as CSV for FSRS tools (columns card_id, review_time, review_rating, review_state, review_duration)."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case fsrs }

  @Option(help: "Output format (fsrs: the CSV read by FSRS tools and optimizers).")
  var format: Format = .fsrs

  @Argument(help: "The CSV file to write ('-' for standard output).", completion: .file(extensions: ["csv"]))
  var file: String

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let facts = try workspace.reviewFacts().sorted {
      $0.time != $1.time ? $0.time < $1.time : $0.card < $1.card
    }
    var text = "card_id,review_time,review_rating,review_state,review_duration\n"
    for fact in facts {
      // review_state: the card's state before the review (0 new, 1 learning, 2 review, 3 relearning).
      text +=
        "\(csvField(fact.card)),\(fact.time.milliseconds),\(fact.rating.rawValue),\(fact.phaseBefore?.rawValue ?? 0),\(fact.durationMilliseconds)\n"
    }
    if file == "-" {
      session.terminal.write(text)
      return
    }
    guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8)) else {
      throw UserError("cannot write \(file): check the directory exists and is writable")
    }
    session.terminal.line("Wrote \(counted(facts.count, "review")) to \(file).")
  }

  private func csvField(_ text: String) -> String {
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
      ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
  }
}
