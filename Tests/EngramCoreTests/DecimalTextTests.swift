import EngramCore
import Testing

/// The one decimal writer of the log and the JSON outputs, against Swift's own `description`.
@Suite struct DecimalTextTests {
  @Test(arguments: [0, 7, -7, 10, 99, 100, 1_234_567, Int.max, Int.min])
  func `an Int is written as its description`(value: Int) {
    var bytes: [UInt8] = Array("x".utf8)
    DecimalText.append(value, to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == "x" + String(value))
  }

  @Test func `other widths are written the same way`() {
    var bytes: [UInt8] = []
    DecimalText.append(Int64.min, to: &bytes)
    bytes.append(32)
    DecimalText.append(UInt32.max, to: &bytes)
    bytes.append(32)
    DecimalText.append(Int32(-5), to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == "-9223372036854775808 4294967295 -5")
  }
}
