import ArgumentParser

/// A command that runs against an `AppSession`, so that the REPL and the subcommand share it.
protocol SessionCommand: ParsableCommand {
  func run(in session: AppSession) throws
}

extension SessionCommand {
  /// As a subcommand: a fresh session.
  func run() throws { try run(in: AppSession()) }
}
