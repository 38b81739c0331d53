/// RFC 4180 reading of delimited text (CSV, TSV, ...): quoted fields with `""` escapes and
/// line breaks inside quotes, ragged rows allowed, each row with the line it started on.
enum DelimitedText {
  struct Row: Equatable {
    var line: Int
    var fields: [String]
  }

  enum Problem: Error, Equatable {
    case unterminatedQuote(line: Int)
  }

  /// Splits `text` into rows; lines starting with `#` (outside quotes, at a row start) are
  /// skipped, as are empty lines. Works on UTF-8 bytes (every separator Anki offers is ASCII);
  /// another separator takes the slower path over Unicode scalars.
  static func rows(_ text: String, separator: Character) throws(Problem) -> [Row] {
    guard let separatorByte = separator.asciiValue, separatorByte != 34, separatorByte != 10, separatorByte != 13 else {
      return try scalarRows(text, separator: separator)
    }
    var text = text
    let result: Result<[Row], Problem> = text.withUTF8 { bytes in
      var rows: [Row] = []
      var fields: [String] = []
      var field: [UInt8] = []
      var line = 1
      var rowLine = 1
      var inQuotes = false
      var quoteLine = 1
      var atFieldStart = true
      var wasQuotedStart = false
      func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
      }
      func endRow() {
        endField()
        let empty = fields.count == 1 && fields[0].isEmpty
        let comment = fields.first?.hasPrefix("#") == true && !wasQuotedStart
        if !empty && !comment { rows.append(Row(line: rowLine, fields: fields)) }
        fields = []
        atFieldStart = true
        wasQuotedStart = false
      }
      var index = 0
      let count = bytes.count
      while index < count {
        let byte = bytes[index]
        index += 1
        if inQuotes {
          if byte == 34 {
            if index < count && bytes[index] == 34 {
              field.append(34)
              index += 1
            } else {
              inQuotes = false
            }
          } else {
            if byte == 10 { line += 1 }
            if byte != 13 { field.append(byte) }
          }
          continue
        }
        if byte == 34 && atFieldStart {
          inQuotes = true
          quoteLine = line
          if fields.isEmpty { wasQuotedStart = true }
          atFieldStart = false
        } else if byte == separatorByte {
          endField()
          atFieldStart = true
        } else if byte == 10 {
          endRow()
          line += 1
          rowLine = line
        } else if byte != 13 {
          field.append(byte)
          atFieldStart = false
        }
      }
      if inQuotes { return .failure(.unterminatedQuote(line: quoteLine)) }
      if !field.isEmpty || !fields.isEmpty { endRow() }
      return .success(rows)
    }
    return try result.get()
  }

  /// The same reading over Unicode scalars, for a separator outside ASCII.
  private static func scalarRows(_ text: String, separator: Character) throws(Problem) -> [Row] {
    var rows: [Row] = []
    var fields: [String] = []
    var field = ""
    var line = 1
    var rowLine = 1
    var inQuotes = false
    var quoteLine = 1
    var atFieldStart = true
    var iterator = Array(text.unicodeScalars.map(Character.init)).makeIterator()
    var pending: Character?
    var wasQuotedStart = false
    func next() -> Character? {
      if let character = pending {
        pending = nil
        return character
      }
      return iterator.next()
    }
    func endRow() {
      fields.append(field)
      let empty = fields.count == 1 && fields[0].isEmpty
      let comment = fields.first?.hasPrefix("#") == true && !wasQuotedStart
      if !empty && !comment { rows.append(Row(line: rowLine, fields: fields)) }
      fields = []
      field = ""
      atFieldStart = true
      wasQuotedStart = false
    }
    while let character = next() {
      if inQuotes {
        if character == "\"" {
          if let following = next() {
            if following == "\"" {
              field.append("\"")
            } else {
              inQuotes = false
              pending = following
            }
          } else {
            inQuotes = false
          }
        } else {
          if character == "\n" { line += 1 }
          if character != "\r" { field.append(character) }
        }
        continue
      }
      switch character {
      case "\"" where atFieldStart:
        inQuotes = true
        quoteLine = line
        if fields.isEmpty { wasQuotedStart = true }
        atFieldStart = false
      case separator:
        fields.append(field)
        field = ""
        atFieldStart = true
      case "\n":
        endRow()
        line += 1
        rowLine = line
      case "\r":
        continue
      default:
        field.append(character)
        atFieldStart = false
      }
    }
    if inQuotes { throw .unterminatedQuote(line: quoteLine) }
    if !field.isEmpty || !fields.isEmpty { endRow() }
    return rows
  }
}
