/// A strict reader for the small part of TOML that `config.toml` uses: `key = value` lines with
/// strings, integers, floats, booleans and (possibly multi-line) arrays of those, plus comments.
///
/// The machine's package mirror has no TOML library that builds here (TOMLKit needs a package
/// the mirror lacks), so Engram reads this subset itself and rejects anything outside it.
enum TOMLSubset {
  enum Value: Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([Value])

    var typeName: String {
      switch self {
      case .string: "a string"
      case .integer: "an integer"
      case .float: "a number"
      case .bool: "true or false"
      case .array: "an array"
      }
    }
  }

  struct Entry: Equatable {
    var key: String
    var value: Value
    var line: Int
  }

  struct SyntaxError: Error, Equatable {
    var line: Int
    var message: String
  }

  static func parse(_ text: String) throws(SyntaxError) -> [Entry] {
    var reader = Reader(Array(text.unicodeScalars))
    var entries: [Entry] = []
    var seen: Set<String> = []
    while true {
      reader.skipBlankAndComments()
      guard let scalar = reader.peek() else { break }
      let line = reader.line
      if scalar == "[" {
        throw SyntaxError(
          line: line, message: "tables ([section]) are not used in config.toml; write plain 'key = value' lines")
      }
      let key = reader.bareKey()
      guard !key.isEmpty else {
        throw SyntaxError(line: line, message: "expected 'key = value'")
      }
      reader.skipSpaces()
      guard reader.peek() == "=" else {
        throw SyntaxError(line: line, message: "expected '=' after '\(key)'")
      }
      reader.advance()
      reader.skipSpaces()
      let value = try reader.value()
      reader.skipSpaces()
      if reader.peek() == "#" { reader.skipComment() }
      if let next = reader.peek(), next != "\n" {
        throw SyntaxError(line: reader.line, message: "unexpected text after the value of '\(key)'")
      }
      guard seen.insert(key).inserted else {
        throw SyntaxError(line: line, message: "'\(key)' is set twice")
      }
      entries.append(Entry(key: key, value: value, line: line))
    }
    return entries
  }

  private struct Reader {
    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    /// Arrays open around the current value: config.toml needs one level, and a bound keeps a
    /// hostile file from exhausting the stack.
    var depth = 0
    static let maximumDepth = 8

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    func peek() -> Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func advance() {
      if scalars[index] == "\n" { line += 1 }
      index += 1
    }

    mutating func skipSpaces() {
      while let scalar = peek(), scalar == " " || scalar == "\t" || scalar == "\r" { advance() }
    }

    mutating func skipComment() {
      while let scalar = peek(), scalar != "\n" { advance() }
    }

    mutating func skipBlankAndComments() {
      while let scalar = peek() {
        if scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" {
          advance()
        } else if scalar == "#" {
          skipComment()
        } else {
          break
        }
      }
    }

    mutating func bareKey() -> String {
      var key = ""
      while let scalar = peek(),
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
          || scalar == "_" || scalar == "-"
      {
        key.unicodeScalars.append(scalar)
        advance()
      }
      return key
    }

    mutating func value() throws(SyntaxError) -> Value {
      guard let scalar = peek() else { throw SyntaxError(line: line, message: "missing value") }
      switch scalar {
      case "\"": return .string(try string())
      case "[": return .array(try array())
      case "t", "f":
        let word = bareKey()
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        throw SyntaxError(line: line, message: "'\(word)' is not a value (strings need double quotes)")
      default:
        return try number()
      }
    }

    mutating func string() throws(SyntaxError) -> String {
      advance()  // opening quote
      var text = ""
      while let scalar = peek() {
        advance()
        switch scalar {
        case "\"": return text
        case "\n": throw SyntaxError(line: line - 1, message: "unterminated string")
        case "\\":
          guard let escaped = peek() else { break }
          advance()
          switch escaped {
          case "n": text += "\n"
          case "t": text += "\t"
          case "\"": text += "\""
          case "\\": text += "\\"
          default: throw SyntaxError(line: line, message: "unsupported escape '\\\(escaped)'")
          }
        default:
          text.unicodeScalars.append(scalar)
        }
      }
      throw SyntaxError(line: line, message: "unterminated string")
    }

    mutating func array() throws(SyntaxError) -> [Value] {
      let start = line
      guard depth < Reader.maximumDepth else {
        throw SyntaxError(
          line: line, message: "arrays nest more than \(Reader.maximumDepth) deep; config.toml needs only flat arrays")
      }
      depth += 1
      defer { depth -= 1 }
      advance()  // [
      var items: [Value] = []
      while true {
        skipBlankAndComments()
        guard let scalar = peek() else { throw SyntaxError(line: start, message: "unterminated array") }
        if scalar == "]" {
          advance()
          return items
        }
        items.append(try value())
        skipBlankAndComments()
        if peek() == "," {
          advance()
        } else if peek() == nil {
          throw SyntaxError(line: start, message: "unterminated array")
        } else if peek() != "]" {
          throw SyntaxError(line: line, message: "expected ',' or ']' in array")
        }
      }
    }

    mutating func number() throws(SyntaxError) -> Value {
      var text = ""
      while let scalar = peek(),
        (scalar >= "0" && scalar <= "9") || scalar == "." || scalar == "-" || scalar == "+" || scalar == "e"
          || scalar == "E" || scalar == "_"
      {
        if scalar != "_" { text.unicodeScalars.append(scalar) }
        advance()
      }
      if text.isEmpty {
        throw SyntaxError(line: line, message: "expected a value (a number, true/false, \"string\" or [array])")
      }
      if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let integer = Int(text) {
        return .integer(integer)
      }
      if let float = Double(text), float.isFinite { return .float(float) }
      throw SyntaxError(line: line, message: "'\(text)' is not a number")
    }
  }
}
