import Testing

@testable import EngramStore

/// The one decoder `lint`, start-up and `import` share: the same bytes give the same text or the
/// same message everywhere.
@Suite struct SourceTextTests {
  @Test func `plain UTF-8 is returned unchanged, accents and CJK included`() throws {
    let text = "# Déjà vu\n漢字[かんじ]\n"
    #expect(try SourceText.decode(Array(text.utf8), file: "d.md") == text)
  }

  @Test func `a byte order mark is dropped, and only at the start`() throws {
    #expect(try SourceText.decode([0xEF, 0xBB, 0xBF] + Array("abc".utf8), file: "d.md") == "abc")
    let inner = Array("a".utf8) + [0xEF, 0xBB, 0xBF]
    #expect(try SourceText.decode(inner, file: "d.md") == "a\u{FEFF}")
  }

  @Test func `a NUL byte names its line and byte column`() {
    let bytes = Array("first\nse".utf8) + [0] + Array("cond\n".utf8)
    #expect(throws: SourceText.Problem.nulByte(file: "d.md", line: 2, column: 3)) {
      try SourceText.decode(bytes, file: "d.md")
    }
  }

  @Test func `columns count from the first byte after a byte order mark`() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF, 0x61, 0x00]
    #expect(throws: SourceText.Problem.nulByte(file: "f", line: 1, column: 2)) {
      try SourceText.decode(bytes, file: "f")
    }
  }

  @Test func `Latin-1 text is not guessed at: the first bad byte is named`() {
    // "café" saved as Latin-1: é is the single byte 0xE9, which starts a three-byte UTF-8
    // sequence that "\n" cannot continue.
    let bytes = Array("ok\ncaf".utf8) + [0xE9] + Array("\n".utf8)
    #expect(throws: SourceText.Problem.notUTF8(file: "cards.tsv", line: 2, column: 4)) {
      try SourceText.decode(bytes, file: "cards.tsv")
    }
  }

  @Test func `a sequence cut off at the end of the file is reported where it starts`() {
    let bytes = Array("ab".utf8) + [0xE6, 0xBC]  // the first two bytes of 漢
    #expect(throws: SourceText.Problem.notUTF8(file: "f", line: 1, column: 3)) {
      try SourceText.decode(bytes, file: "f")
    }
  }

  @Test func `the messages say what to do`() {
    #expect(
      SourceText.Problem.notUTF8(file: "a.md", line: 3, column: 7).description
        == "a.md:3: not valid UTF-8 (at byte 7 of the line); save the file as UTF-8")
    #expect(
      SourceText.Problem.nulByte(file: "a.md", line: 1, column: 1).description
        == "a.md:1: a NUL byte at byte 1 of the line; this looks like a binary file, not text")
  }
}
