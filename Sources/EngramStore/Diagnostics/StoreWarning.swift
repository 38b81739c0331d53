/// Something the store noticed while opening a data directory that the user should hear about
/// once, though the command goes on: a value with its data, so that nothing downstream decides
/// by reading an English sentence. EngramCLI renders it (`Diagnostics`), in one place.
public enum StoreWarning: Equatable, Sendable {
  /// A log line that is no event (bad fields, a bad time or id); it is kept in the file.
  case unreadableLogLine(file: String, line: Int, reason: String)
  /// A log line longer than any event's (`limitKiB`); it is kept in the file.
  case overlongLogLine(file: String, line: Int, limitKiB: Int)
  /// A last line cut off by a crash while it was written, moved to `movedTo`: it was never
  /// acknowledged, so nothing the user was told about is lost.
  case tornLineSetAside(file: String, movedTo: String)
  /// A cut-off last line in a directory that cannot be written now: read around, and set aside
  /// the next time the directory is writable.
  case tornLineIgnored(file: String)
  /// A file in `reviews/` whose name is no device's: it is not read.
  case strayLogFile(path: String)
  /// A sync tool's conflict copy of `reviews.tsv`, merged once the directory is writable.
  case sharedConflictCopyWaiting(path: String)
  /// A sync tool's conflict copy whose events were merged into `into`; the copy was removed.
  case conflictCopyMerged(copy: String, into: String)
  /// A conflict copy that could not be merged now (it is read as it is, and merged later).
  case conflictCopyNotMerged(copy: String, error: FileError)
  /// An import interrupted by a crash, completed at this start.
  case importRecovered
  /// An import interrupted by a crash that could not be completed now; the next start tries.
  case importNotRecovered(FileError)
  /// The folder of interrupted imports could not be locked to look at them.
  case importRecoveryLocked(FileError)
  /// A deck file with a problem (left out, or a card of it): the problem as `DeckError` words
  /// it. Text, because the snapshot keeps it to show again without parsing the decks.
  case deckProblem(String)
}
