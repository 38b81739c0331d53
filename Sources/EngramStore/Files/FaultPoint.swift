import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Numbered crash points between the steps of a multi-file commit, for testing that a `kill -9`
/// at any of them leaves the data directory as it was before or as it is after.
///
/// With `ENGRAM_FAULT=N` in the environment the process kills itself with SIGKILL at the Nth
/// point it passes (counting from 1), exactly as `kill -9` would: no cleanup runs. Without the
/// variable a point costs one atomic increment.
enum FaultPoint {
  /// The point to die at, read once from the environment.
  private static let target: Int? = getenv("ENGRAM_FAULT").flatMap { Int(String(cString: $0)) }
  private static let passed = Atomic<Int>(0)

  /// Marks that one durable step (a write, fsync, rename or unlink) is done.
  static func pass() {
    guard let target else { return }
    let count = passed.add(1, ordering: .relaxed).newValue
    if count == target { raise(SIGKILL) }
  }
}
