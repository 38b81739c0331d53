/// Whole numbers as ASCII decimal, written straight into a byte buffer: the review log and the
/// JSON outputs write millions of them, so no `String` is made per number. One routine for
/// both, so a number reads the same in either.
public enum DecimalText {
  public static func append(_ value: some BinaryInteger, to bytes: inout [UInt8]) {
    if value < 0 { bytes.append(45) }  // "-"
    // Digits from the right into a small buffer on the stack, then one append: reversing a
    // slice of the growing array checked its uniqueness per byte (3% of a large import).
    var rest = UInt64(truncatingIfNeeded: value.magnitude)
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
      var start = 20
      repeat {
        start -= 1
        buffer[start] = UInt8(truncatingIfNeeded: 48 + rest % 10)
        rest /= 10
      } while rest > 0
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<20]))
    }
  }
}
