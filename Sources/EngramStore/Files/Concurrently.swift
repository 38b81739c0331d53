import Dispatch
import Synchronization

/// Two independent pieces of work at once on a synchronous path: opening a data directory
/// (decks parsed while the log is read) and importing (decks written while the history is
/// matched). On two cores each takes the time of the longer piece instead of their sum.
///
/// The opening and import paths are synchronous, called from every command and a few hundred
/// tests, so this is the one place where the path runs work on a second thread: `background`
/// runs on a dispatch queue and the caller's thread runs `foreground`; `run` returns only when
/// both are done, so the work never outlives the call (structured in effect, though the caller
/// is not async). The result comes back through a `Mutex`, which is `Sendable` by construction.
enum Concurrently {
  /// Runs `background` on a dispatch queue while this thread runs `foreground`; both results once both
  /// are done. When `foreground` throws, the background work is still waited for, then the
  /// error rethrown.
  static func run<Background: Sendable, Foreground, Failure: Error>(
    _ background: @escaping @Sendable () -> Background,
    alongside foreground: () throws(Failure) -> Foreground
  ) throws(Failure) -> (background: Background, foreground: Foreground) {
    let result = Mutex<Background?>(nil)
    let done = DispatchSemaphore(value: 0)
    // A dispatch queue, not a task: the caller blocks until it is done, and a caller that is
    // itself a task (the test runner's) could otherwise hold the last thread of Swift's
    // cooperative pool, leaving the background task no thread to run on.
    DispatchQueue.global().async {
      let value = background()
      result.withLock { $0 = value }
      done.signal()
    }
    let foregroundResult = Result { () throws(Failure) in try foreground() }
    done.wait()
    // The task stored its value before signalling; nothing else writes it.
    let value = result.withLock { $0.take() }
    guard let value else { preconditionFailure("the background task signalled without a value") }
    return (value, try foregroundResult.get())
  }
}

/// A value the two sides of `Concurrently.run` pass mid-way: one side `send`s it once (nil when
/// it has none, e.g. after a failure), the other `receive`s it, waiting until it is sent. The
/// sender must send on every path (a `defer`), or the receiver waits for ever.
///
/// Opening a directory uses it so that the deck side, once parsed, finds where each card's
/// record will be among the log's card numbers while the log side replays.
final class Handoff<Value: Sendable>: Sendable {
  private let slot = Mutex<Value?>(nil)
  private let sent = DispatchSemaphore(value: 0)

  init() {}

  /// Hands `value` over; call once.
  func send(_ value: Value?) {
    slot.withLock { $0 = value }
    sent.signal()
  }

  /// The value sent, once it is; nil when the sender had none.
  func receive() -> Value? {
    sent.wait()
    return slot.withLock { $0.take() }
  }
}
