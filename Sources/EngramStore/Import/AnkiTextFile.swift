import EngramCore

/// A CSV/TSV file in Anki's text-import format, read into notes grouped by deck.
///
/// Header lines (`#key:value`, before the first row) follow Anki's rules: `#separator:` (a name
/// such as Tab, Comma, Semicolon, Space, Pipe, Colon, or the character itself), `#html:`,
/// `#tags:` (added to every note), `#columns:`, `#deck:`, `#notetype:`, and 1-based
/// `#deck column:`, `#tags column:`, `#guid column:`, `#notetype column:`. Without a separator
/// header the separator is guessed from the first rows.
public struct AnkiTextFile {
  struct Note: Equatable {
    var line: Int
    var guid: String?
    var deck: String?
    var notetype: String?
    var front: String
    var back: String
    var tags: [String]
    /// Content columns after the front and back, with their header names when known.
    var extras: [Extra] = []
  }

  /// A column beyond the front and back.
  struct Extra: Equatable {
    var name: String?
    var value: String
  }

  public enum Problem: Error, Equatable, CustomStringConvertible {
    case unterminatedQuote(file: String, line: Int)
    case badHeader(file: String, line: Int, message: String)
    case missingFields(file: String, line: Int)
    case tooManyColumns(file: String, line: Int, count: Int)

    public var description: String {
      switch self {
      case .unterminatedQuote(let file, let line):
        "\(file):\(line): a quoted field is never closed; close it with \" (write \"\" for a quote inside a field)"
      case .badHeader(let file, let line, let message): "\(file):\(line): \(message)"
      case .missingFields(let file, let line):
        "\(file):\(line): the row has no front text; each row needs at least a front and a back"
      case .tooManyColumns(let file, let line, let count):
        "\(file):\(line): the row has \(count) columns; at most \(ImportLimits.fieldsPerNote) per note"
      }
    }
  }

  var separator: Character = "\t"
  var html = true
  var tags: [String] = []
  var deck: String?
  var notetype: String?
  var deckColumn: Int?
  var tagsColumn: Int?
  var guidColumn: Int?
  var notetypeColumn: Int?
  var notes: [Note] = []
  /// Column names, from `#columns:` or a header row.
  var columnNames: [String]?
  /// Whether the first row was read as column names rather than a card.
  var headerRow = false
  /// The fields' text conversion, as a package's (formulas, furigana, media, HTML), with what
  /// it found to report.
  var fieldText = AnkiFieldText()

  /// Names a header row's cells may have (lowercased): if the first row's cells are all short
  /// and one of them is among these, the row names the columns.
  static let knownColumnNames: Set<String> = [
    "front", "back", "question", "answer", "term", "definition", "word", "meaning", "text", "extra",
    "back extra", "tags", "tag", "deck", "notetype", "note type", "guid", "why", "explanation", "notes",
    "example", "examples", "reading", "expression", "translation", "hint", "source", "id",
  ]

  static let separatorNames: [String: Character] = [
    "tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":",
  ]

  init(text: String, file: String) throws(Problem) {
    // Header lines come first; `#` lines later are comments. Lines are found on UTF-8 bytes,
    // which also splits CRLF files (as Characters, "\r\n" is one character, not a newline).
    var rest = Substring(text)
    var headerEnd = 0
    var sawSeparator = false
    while rest.hasPrefix("#") {
      let lineEnd = rest.utf8.firstIndex(of: 10) ?? rest.endIndex
      let header = rest[..<lineEnd]
      guard let colon = header.firstIndex(of: ":") else { break }
      let number = headerEnd + 1
      let key = header[header.index(after: header.startIndex)..<colon].lowercased()
      var value = String(header[header.index(after: colon)...])
      if value.hasSuffix("\r") { value.removeLast() }
      func column() throws(Problem) -> Int {
        guard let index = Int(value.trimmingWhitespace()), index >= 1 else {
          throw .badHeader(file: file, line: number, message: "'#\(key):' needs a column number from 1")
        }
        return index
      }
      switch key {
      case "separator":
        let name = value.trimmingWhitespace().lowercased()
        if let named = AnkiTextFile.separatorNames[name] {
          separator = named
        } else if value.count == 1, let character = value.first {
          separator = character
        } else {
          throw .badHeader(
            file: file, line: number,
            message: "unknown separator '\(value)'; use Tab, Comma, Semicolon, Space, Pipe, Colon or one character")
        }
        sawSeparator = true
      case "html":
        html = value.trimmingWhitespace().lowercased() == "true"
      case "tags":
        tags = value.split(separator: " ").map(String.init).filter { !$0.isEmpty }
      case "deck":
        deck = value.trimmingWhitespace()
      case "notetype":
        notetype = value.trimmingWhitespace()
      case "deck column": deckColumn = try column()
      case "tags column": tagsColumn = try column()
      case "guid column": guidColumn = try column()
      case "notetype column": notetypeColumn = try column()
      case "columns":
        // Anki writes the names separated by the file's separator; any separator is accepted.
        columnNames = value.split(whereSeparator: { $0 == "\t" || $0 == ";" || $0 == "," || $0 == "|" })
          .map { String($0).trimmingWhitespace() }
      default:
        break  // other Anki headers do not change how Engram reads the rows
      }
      headerEnd += 1
      rest = lineEnd < rest.endIndex ? rest[rest.index(after: lineEnd)...] : rest[rest.endIndex...]
    }
    let body = String(rest)
    if !sawSeparator { separator = AnkiTextFile.guessSeparator(body) }
    var rows: [DelimitedText.Row]
    do { rows = try DelimitedText.rows(body, separator: separator) } catch {
      switch error {
      case .unterminatedQuote(let line): throw .unterminatedQuote(file: file, line: line + headerEnd)
      }
    }
    let special = Set([deckColumn, tagsColumn, guidColumn, notetypeColumn].compactMap { $0 })
    if columnNames == nil, let first = rows.first, first.fields.count >= 2,
      first.fields.allSatisfy({ !$0.isEmpty && $0.count <= 40 && !$0.contains("<") }),
      first.fields.contains(where: { AnkiTextFile.knownColumnNames.contains($0.trimmingWhitespace().lowercased()) })
    {
      columnNames = first.fields.map { $0.trimmingWhitespace() }
      headerRow = true
      rows.removeFirst()
    }
    // Content columns (1-based) and their names; the front and back are the columns named so,
    // else the first two.
    let contentColumns = (1...max(1, rows.map { $0.fields.count }.max() ?? 1)).filter { !special.contains($0) }
    func name(_ column: Int) -> String? {
      guard let names = columnNames, column <= names.count, !names[column - 1].isEmpty else { return nil }
      return names[column - 1]
    }
    func named(_ candidates: Set<String>) -> Int? {
      contentColumns.first { name($0).map { candidates.contains($0.lowercased()) } ?? false }
    }
    let frontColumn = named(["front", "question", "term", "word", "expression", "text"]) ?? contentColumns.first ?? 1
    let backColumn =
      named(["back", "answer", "definition", "meaning", "translation"])
      ?? contentColumns.first { $0 != frontColumn }
    let extraColumns = contentColumns.filter { $0 != frontColumn && $0 != backColumn }
    for row in rows {
      if row.fields.count > ImportLimits.fieldsPerNote {
        throw .tooManyColumns(file: file, line: row.line + headerEnd, count: row.fields.count)
      }
      func at(_ column: Int?) -> String? {
        guard let column, column <= row.fields.count else { return nil }
        return row.fields[column - 1]
      }
      // A line break typed inside a field of a text file is meant as one, HTML or not. Without
      // HTML (Anki's export with HTML left out) the markup is gone but formulas and furigana
      // are still as typed.
      func clean(_ text: String) -> String {
        html
          ? fieldText.readable(
            html: text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "<br>"))
          : fieldText.readable(plain: text.trimmingWhitespace())
      }
      guard let front = at(frontColumn).map(clean), !front.isEmpty else {
        throw .missingFields(file: file, line: row.line + headerEnd)
      }
      let back = at(backColumn).map(clean) ?? ""
      let rowTags = (at(tagsColumn) ?? "").split(separator: " ").map(String.init).filter { !$0.isEmpty }
      let extras = extraColumns.compactMap { column -> Extra? in
        guard let value = at(column).map(clean), !value.isEmpty else { return nil }
        return Extra(name: name(column), value: value)
      }
      notes.append(
        Note(
          line: row.line + headerEnd, guid: at(guidColumn).map { $0.trimmingWhitespace() }, deck: at(deckColumn),
          notetype: at(notetypeColumn) ?? notetype, front: front, back: back, tags: tags + rowTags, extras: extras))
    }
  }

  /// The separator Anki would guess: the first of tab, semicolon, comma, pipe and colon that
  /// appears the same number of times in each of the first rows (tab wins any tie).
  static func guessSeparator(_ text: String) -> Character {
    let sample = text.utf8.split(separator: 10).lazy.map { Substring($0) }.filter { !$0.hasPrefix("#") }.prefix(5)
    for candidate in ["\t", ";", ",", "|", ":"] as [Character] {
      let counts = sample.map { line in line.filter { $0 == candidate }.count }
      if let first = counts.first, first > 0, counts.allSatisfy({ $0 == first }) { return candidate }
    }
    for candidate in ["\t", ";", ","] as [Character] where sample.contains(where: { $0.contains(candidate) }) {
      return candidate
    }
    return "\t"
  }
}

extension String {
  func trimmingWhitespace() -> String { String(Substring(self).trimmingWhitespace()) }
}
