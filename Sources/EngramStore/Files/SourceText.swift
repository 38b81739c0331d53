/// The one decoder for text files Engram reads (decks, and the text and Markdown files `import`
/// reads), so `lint`, start-up and `import` treat a byte order mark, NUL bytes and invalid UTF-8
/// the same way and say so in the same words.
///
/// A UTF-8 byte order mark is dropped. A NUL byte or a byte sequence that is not UTF-8 is an
/// error naming the line and column (in bytes), never guessed at: a file read as the wrong
/// encoding would import wrong text without a word.
public enum SourceText {
  /// Why bytes are not usable text.
  public enum Problem: Error, Equatable, CustomStringConvertible {
    case notUTF8(file: String, line: Int, column: Int)
    case nulByte(file: String, line: Int, column: Int)

    public var description: String {
      switch self {
      case .notUTF8(let file, let line, let column):
        "\(file):\(line): not valid UTF-8 (at byte \(column) of the line); save the file as UTF-8"
      case .nulByte(let file, let line, let column):
        "\(file):\(line): a NUL byte at byte \(column) of the line; this looks like a binary file, not text"
      }
    }
  }

  /// The text of `bytes`, without a leading UTF-8 byte order mark.
  public static func decode(_ bytes: [UInt8], file: String) throws(Problem) -> String {
    let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    let body = bytes[start...]
    if let nul = body.firstIndex(of: 0) {
      let (line, column) = position(of: nul, in: bytes, from: start)
      throw .nulByte(file: file, line: line, column: column)
    }
    if let text = String(validating: body, as: UTF8.self) { return text }
    throw firstInvalid(body, in: bytes, from: start, file: file)
  }

  /// The 1-based line and byte column of `index`.
  private static func position(of index: Int, in bytes: [UInt8], from start: Int) -> (Int, Int) {
    var line = 1
    var lineStart = start
    for offset in start..<index where bytes[offset] == 10 {
      line += 1
      lineStart = offset + 1
    }
    return (line, index - lineStart + 1)
  }

  /// Where the first invalid sequence starts, found by decoding scalar by scalar.
  private static func firstInvalid(_ body: ArraySlice<UInt8>, in bytes: [UInt8], from start: Int, file: String)
    -> Problem
  {
    var iterator = body.makeIterator()
    var decoder = UTF8()
    var offset = start
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        offset += UTF8.width(scalar)
      case .emptyInput:
        let (line, column) = position(of: min(offset, bytes.count), in: bytes, from: start)
        return .notUTF8(file: file, line: line, column: column)
      case .error:
        let (line, column) = position(of: offset, in: bytes, from: start)
        return .notUTF8(file: file, line: line, column: column)
      }
    }
  }
}
