import ArgumentParser
import EngramCore
import EngramStore
import Foundation

/// `optimize [--dry-run] [--yes] [--json]`: fit FSRS-6's parameters to your own history.
struct OptimizeCommand: SessionCommand {
  static let configuration = CommandConfiguration(
    commandName: "optimize",
    abstract: "Fit the 21 FSRS-6 parameters to your review history and (after you confirm) save them.")

  @Flag(help: "Show the comparison but change nothing.")
  var dryRun = false

  @Flag(help: "Save without asking.")
  var yes = false

  @Flag(help: "Print JSON (implies no question: combine with --yes to save).")
  var json = false

  func run(in session: AppSession) throws {
    let workspace = try session.openWorkspace()
    let set = try workspace.trainingSet()
    let optimizer = Optimizer()
    let current = workspace.config.parameters.weights
    let started = Date()
    // What the history supports, as fsrs-rs decides: nothing below 8 items, the initial
    // stabilities below 64, all 21 parameters from 64.
    let (fitted, plan) = optimizer.fitting(set, initial: current)
    let kept = InitialStability.analyse(set).items
    let seconds = Date().timeIntervalSince(started)
    let before = optimizer.evaluate(current, on: set)
    let after = optimizer.evaluate(fitted, on: set)
    // Never offer parameters that fit the learner's own data worse than the current ones.
    let improved = plan != .keep && after.logLoss < before.logLoss
    let chosen = improved ? fitted : current
    let chosenEval = improved ? after : before
    let terminal = session.terminal
    if json {
      terminal.write(
        "{\"parameters\": [\(chosen.map { JSONOutput.number($0) }.joined(separator: ", "))], \"reviews\": \(set.reviewCount), \"items\": \(set.itemCount), "
          + "\"log_loss_before\": \(JSONOutput.number(before.logLoss)), \"log_loss_after\": \(JSONOutput.number(chosenEval.logLoss)), "
          + "\"rmse_bins_before\": \(JSONOutput.number(before.rmseBins)), \"rmse_bins_after\": \(JSONOutput.number(chosenEval.rmseBins)), "
          + "\"seconds\": \(JSONOutput.number(seconds)), \"fit\": \(JSONOutput.string(plan.name)), \"full_fit_items\": \(Optimizer.fullFitItems)}\n"
      )
    } else {
      switch plan {
      case .keep:
        terminal.line(
          "Not enough history to fit yet, so your parameters stay as they are. Optimizing learns from reviews that come a day or more after an earlier review of the same card: you have \(set.itemCount) (\(kept) usable after fsrs-rs's outlier filter, which leaves out cards whose first wait is rare) and it needs \(Optimizer.minimumItems) to fit the first four parameters (all 21 from \(Optimizer.fullFitItems)). Keep reviewing for a few weeks and run 'optimize' again."
        )
        return
      case .initialStability:
        terminal.line(
          "Fitted the initial stabilities (w0-w3) to \(set.reviewCount) reviews (\(kept) predictions after fsrs-rs's outlier filter); the full fit of all 21 parameters needs \(Optimizer.fullFitItems) predictions, \(max(0, Optimizer.fullFitItems - kept)) more."
        )
      case .full:
        terminal.line(
          "Fitted FSRS-6 to \(set.reviewCount) reviews (\(set.itemCount) predictions) in \(String(format: "%.2f", seconds))s."
        )
      }
      terminal.line("               log loss   RMSE(bins)")
      terminal.line(
        "  current      " + String(format: "%.5f", before.logLoss) + "    " + String(format: "%.5f", before.rmseBins))
      terminal.line(
        "  fitted       " + String(format: "%.5f", after.logLoss) + "    " + String(format: "%.5f", after.rmseBins))
      terminal.line("  parameters   [" + fitted.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]")
      if !improved {
        terminal.line("The fitted parameters predict your history no better than the current ones; nothing to change.")
      }
    }
    guard improved, !dryRun else { return }
    if !yes {
      guard !json else { return }
      switch session.lineReader().read(prompt: "Save them to config.toml? Every card is rescheduled at once. [y/N] ") {
      case .line(let answer) where ["y", "yes"].contains(answer.lowercased().trimmingCharacters(in: .whitespaces)):
        break
      default:
        terminal.line("Nothing changed.")
        return
      }
    }
    try ConfigWriter.replaceParameters(
      in: workspace.directory.configPath, with: chosen, previous: current,
      date: workspace.clock.dayLabel(containing: session.now()))
    if !json {
      terminal.line("Saved to \(workspace.directory.configPath); the previous parameters are kept there in a comment.")
    }
  }
}

extension Optimizer.Plan {
  /// The plan as `optimize --json` names it.
  var name: String {
    switch self {
    case .keep: "none"
    case .initialStability: "initial_stability"
    case .full: "full"
    }
  }
}
