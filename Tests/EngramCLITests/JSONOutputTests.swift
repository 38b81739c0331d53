import Testing

@testable import EngramCLI

/// `JSONBytes` writes `state --json` as bytes; its pieces must read as JSON's rules say.
@Suite struct JSONOutputTests {
  func written(_ body: (inout JSONBytes) -> Void) -> String {
    var out = JSONBytes()
    body(&out)
    return String(decoding: out.bytes, as: UTF8.self)
  }

  @Test func `integers are written in decimal, signs and extremes included`() {
    #expect(written { $0.integer(0) } == "0")
    #expect(written { $0.integer(7) } == "7")
    #expect(written { $0.integer(10) } == "10")
    #expect(written { $0.integer(1_000_000) } == "1000000")
    #expect(written { $0.integer(-42) } == "-42")
    #expect(written { $0.integer(Int.max) } == "9223372036854775807")
    #expect(written { $0.integer(Int.min) } == "-9223372036854775808")
  }

  @Test func `strings are quoted and escaped: quote, backslash, line breaks, tab, other controls`() {
    func quoted(_ text: String) -> String {
      written { out in
        var copy = text
        copy.withUTF8 { out.string(UnsafeRawBufferPointer($0)) }
      }
    }
    #expect(quoted("deck/card#2") == #""deck/card#2""#)
    #expect(quoted("a\"b\\c") == #""a\"b\\c""#)
    #expect(quoted("line\nnext\r\tend") == #""line\nnext\r\tend""#)
    #expect(quoted("bell\u{7}") == #""bell\u0007""#)
    #expect(quoted("unit\u{1F}") == #""unit\u001f""#)
    // Non-ASCII text is UTF-8 as it is (JSON allows it unescaped).
    #expect(quoted("café ✓") == "\"café ✓\"")
  }

  @Test func `numbers are Swift's shortest round-trip text, and null when not finite`() {
    #expect(written { $0.number(0.5) } == "0.5")
    #expect(written { $0.number(2.0) } == "2.0")
    #expect(written { $0.number(1e-7) } == "1e-07")
    #expect(written { $0.number(.nan) } == "null")
    #expect(written { $0.number(.infinity) } == "null")
  }
}
