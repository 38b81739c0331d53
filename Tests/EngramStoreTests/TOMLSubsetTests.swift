import Testing

@testable import EngramStore

/// The TOML subset `config.toml` is read with: what it accepts, and that everything it refuses
/// names the line, since a learner fixes the file by that number.
@Suite struct TOMLSubsetTests {
  @Test func `every value type, comments and a multi-line array with a trailing comma`() throws {
    let text = """
      # a comment line
      name = "say \\"hi\\"\\tthen\\\\go\\n"   # trailing comment
      count = 1_000
      negative = -3
      ratio = 0.9
      tiny = 2.5e-3
      on = true
      off = false
      steps = [
        "1m",   # first
        "10m",
      ]
      """
    let entries = try TOMLSubset.parse(text)
    #expect(entries.map(\.key) == ["name", "count", "negative", "ratio", "tiny", "on", "off", "steps"])
    #expect(entries.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9])
    #expect(entries[0].value == .string("say \"hi\"\tthen\\go\n"))
    #expect(entries[1].value == .integer(1000))
    #expect(entries[2].value == .integer(-3))
    #expect(entries[3].value == .float(0.9))
    #expect(entries[4].value == .float(0.0025))
    #expect(entries[5].value == .bool(true))
    #expect(entries[6].value == .bool(false))
    #expect(entries[7].value == .array([.string("1m"), .string("10m")]))
  }

  @Test func `an empty file and a file of comments have no entries`() throws {
    #expect(try TOMLSubset.parse("").isEmpty)
    #expect(try TOMLSubset.parse("# nothing\n\n   # set\n").isEmpty)
  }

  @Test func `a whole number is an integer and one with a point or exponent is a float`() throws {
    #expect(try TOMLSubset.parse("x = 7")[0].value == .integer(7))
    #expect(try TOMLSubset.parse("x = 7.0")[0].value == .float(7))
    #expect(try TOMLSubset.parse("x = 7e0")[0].value == .float(7))
  }

  @Test(
    arguments: [
      ("[section]", 1, "tables ([section]) are not used in config.toml; write plain 'key = value' lines"),
      ("\n= 3", 2, "expected 'key = value'"),
      ("a 3", 1, "expected '=' after 'a'"),
      ("a = ", 1, "missing value"),
      ("a = \"open\nb = 1", 1, "unterminated string"),
      ("a = \"bad \\q\"", 1, "unsupported escape '\\q'"),
      ("a = yes", 1, "expected a value (a number, true/false, \"string\" or [array])"),
      ("a = truthy", 1, "'truthy' is not a value (strings need double quotes)"),
      ("a = 1.2.3", 1, "'1.2.3' is not a number"),
      ("a = 1e999", 1, "'1e999' is not a number"),
      ("a = 1 2", 1, "unexpected text after the value of 'a'"),
      ("a = 1\n\nb = 2\na = 3", 4, "'a' is set twice"),
      ("a = [1, 2\n\n", 1, "unterminated array"),
      ("a = [1 2]", 1, "expected ',' or ']' in array"),
    ] as [(String, Int, String)])
  func `malformed text is refused with its line`(text: String, line: Int, message: String) {
    #expect(throws: TOMLSubset.SyntaxError(line: line, message: message)) { try TOMLSubset.parse(text) }
  }

  @Test func `arrays nest at most eight deep`() throws {
    let eight = "a = " + String(repeating: "[", count: 8) + String(repeating: "]", count: 8)
    #expect(try TOMLSubset.parse(eight).count == 1)
    let nine = "a = " + String(repeating: "[", count: 9) + String(repeating: "]", count: 9)
    #expect(throws: TOMLSubset.SyntaxError.self) { try TOMLSubset.parse(nine) }
  }

  @Test func `a hundred thousand open brackets is an error, not a stack overflow`() {
    let text = "a = " + String(repeating: "[", count: 100_000)
    #expect(throws: TOMLSubset.SyntaxError.self) { try TOMLSubset.parse(text) }
  }
}
