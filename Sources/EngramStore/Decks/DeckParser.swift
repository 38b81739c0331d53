import EngramCore

/// Reads the Markdown deck format of design.md, reporting every problem as `path:line: message`.
public enum DeckParser {
  /// The fields a card may have, named as written before the colon. Numbered, so that a note's
  /// fields are an array: hashing each field name twice per note was a third of parsing a
  /// 5,000-note deck, which a review session does for each deck its cards come from.
  private enum Field: Int, CaseIterable {
    case q, a, c, why, tags, choices, accept, see, sibling

    init?(_ name: Substring) {
      switch name {
      case "Q": self = .q
      case "A": self = .a
      case "C": self = .c
      case "Why": self = .why
      case "Tags": self = .tags
      case "Choices": self = .choices
      case "Accept": self = .accept
      case "See": self = .see
      case "Sibling": self = .sibling
      default: return nil
      }
    }

    /// The fields whose lines are joined into one text (all but `Choices`, a list), in order.
    static let texts: [Field] = allCases.filter { $0 != .choices }

    var name: String {
      switch self {
      case .q: "Q"
      case .a: "A"
      case .c: "C"
      case .why: "Why"
      case .tags: "Tags"
      case .choices: "Choices"
      case .accept: "Accept"
      case .see: "See"
      case .sibling: "Sibling"
      }
    }
  }

  /// Parses a deck, or throws every problem found (not only the first, so `lint` can list all).
  public static func parse(_ text: String, file: String) throws(DeckProblems) -> Deck {
    try parse(text, file: file, lineGap: 0)
  }

  /// - Parameter lineGap: lines left out of `text` after its header: card lines are numbered
  ///   as if they were there (`parseNote`).
  private static func parse(_ text: String, file: String, lineGap: Int) throws(DeckProblems) -> Deck {
    var parser = Parser(file: file)
    parser.lineGap = lineGap
    parser.run(text)
    guard parser.errors.isEmpty, let deck = parser.deck else {
      throw DeckProblems(errors: parser.errors)
    }
    return deck
  }

  /// Parses raw bytes through the shared decoder (`SourceText`): a byte order mark is
  /// dropped, NUL bytes and invalid UTF-8 are errors.
  public static func parse(bytes: [UInt8], file: String) throws(DeckProblems) -> Deck {
    let text: String
    do { text = try SourceText.decode(bytes, file: file) } catch { throw DeckProblems(errors: [.badText(error)]) }
    return try parse(text, file: file)
  }

  /// Note `id` of a deck that parsed without problems as this text, parsed alone: the header
  /// and the note's own lines, numbered as in the whole text. A review session needs one note of each deck it visits, and parsing
  /// a whole 5,000-note deck for it took tens of milliseconds per deck.
  ///
  /// Nil when the note is not found, or when the text has what makes a note depend on the
  /// others (a `Sibling:` line) or a line whose reading as a heading needs Unicode's rules
  /// (`## ` then a non-ASCII byte): the caller then parses the whole deck.
  public static func parseNote(_ id: String, in text: String, file: String) -> Note? {
    var text = text
    return text.withUTF8 { bytes -> Note? in
      let heading = Array("## ".utf8)
      let sibling = Array("Sibling:".utf8)
      func starts(with prefix: [UInt8], at offset: Int) -> Bool {
        guard offset + prefix.count <= bytes.count else { return false }
        for index in prefix.indices where bytes[offset + index] != prefix[index] { return false }
        return true
      }
      var header: (offset: Int, line: Int)?
      var note: (offset: Int, line: Int)?
      var noteEnd: Int?
      var offset = 0
      var line = 1
      while offset < bytes.count {
        var end = offset
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        if starts(with: heading, at: offset) {
          if offset + 3 < end, bytes[offset + 3] >= 0x80 { return nil }
          if header == nil { header = (offset, line) }
          if note != nil {
            if noteEnd == nil { noteEnd = offset }
          } else {
            var start = offset + 3
            var stop = end
            func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 }
            while start < stop, isSpace(bytes[start]) { start += 1 }
            while stop > start, isSpace(bytes[stop - 1]) { stop -= 1 }
            if stop > start, bytes[stop - 1] >= 0x80 { return nil }
            if UnsafeBufferPointer(rebasing: bytes[start..<stop]).elementsEqual(id.utf8) { note = (offset, line) }
          }
        } else if starts(with: sibling, at: offset) {
          return nil
        }
        offset = end + 1
        line += 1
      }
      guard let header, let note else { return nil }
      var kept = Array(UnsafeBufferPointer(rebasing: bytes[0..<header.offset]))
      kept.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[note.offset..<(noteEnd ?? bytes.count)]))
      let alone = String(decoding: kept, as: UTF8.self)
      return (try? parse(alone, file: file, lineGap: note.line - header.line))?.notes.first { $0.id == id }
    }
  }

  private struct PendingNote {
    var id: String
    var line: Int
    /// The field that lines without a field name of their own continue.
    var current: Field?
  }

  private struct Parser {
    let file: String
    var errors: [DeckError] = []
    var deck: Deck?
    var notes: [Note] = []
    var seen: [String: Int] = [:]
    var pending: PendingNote?
    /// The pending note's fields by `Field` number: the line a field starts on, and where its
    /// lines are in `fieldLines` (one field's lines follow each other: only the current field
    /// grows). Both and `fieldTexts` are the parser's, emptied when a note is finished, rather
    /// than a table, its texts and an array of lines per field allocated for every note.
    var fields: [(line: Int, lines: Range<Int>)?] = Array(repeating: nil, count: Field.allCases.count)
    var fieldLines: [(number: Int, text: Substring)] = []
    /// Each field's text, joined once, by `Field` number.
    var fieldTexts: [String?] = Array(repeating: nil, count: Field.allCases.count)
    /// `Sibling:` links to check once every card id is known: note index, field line, target.
    var siblingLinks: [(note: Int, line: Int, target: String)] = []
    /// Lines left out after the header (see `parse(_:file:lineGap:)`).
    var lineGap = 0

    init(file: String) { self.file = file }

    mutating func run(_ text: String) {
      let lines = DeckParser.lines(of: text)
      var index = 0
      while index < lines.count, lines[index].isBlank { index += 1 }
      guard index < lines.count, lines[index].hasPrefix("# ") else {
        errors.append(.missingTitle(file: file, line: min(index, max(lines.count - 1, 0)) + 1))
        return
      }
      var header = Deck(id: "", title: trimmed(lines[index].dropFirst(2)), source: file)
      var sawID = false
      index += 1
      // Header: key: value lines until the first card.
      while index < lines.count, !lines[index].hasPrefix("## ") {
        let line = lines[index]
        let number = index + 1
        index += 1
        if line.isBlank { continue }
        guard let colon = line.firstIndex(of: ":"),
          line[..<colon].allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" }), colon != line.startIndex
        else {
          errors.append(.headerTextOutsideKey(file: file, line: number))
          continue
        }
        let key = line[..<colon]
        let value = trimmed(line[line.index(after: colon)...])
        switch key {
        case "id":
          sawID = true
          header.id = value
          if !Deck.isValidID(value) { errors.append(.badDeckID(file: file, line: number, id: value)) }
        case "topics":
          header.topics = value.split(separator: ",").map(trimmed).filter { !$0.isEmpty }
        case "description":
          header.description = value
        default:
          errors.append(.unknownHeaderKey(file: file, line: number, key: String(key)))
        }
      }
      if !sawID { errors.append(.missingID(file: file)) }
      // Cards.
      while index < lines.count {
        let line = lines[index]
        let number = index + 1 + lineGap
        index += 1
        if DeckParser.isCardHeading(line) {
          finishNote()
          let id = trimmed(line.dropFirst(3))
          if !Deck.isValidID(id) { errors.append(.badCardID(file: file, line: number, id: id)) }
          // One lookup for the usual new id; a repeated one puts its first line back.
          if let first = seen.updateValue(number, forKey: id) {
            seen[id] = first
            errors.append(.duplicateCardID(file: file, line: number, card: id, firstLine: first))
          }
          pending = PendingNote(id: id, line: number)
          continue
        }
        // The note being read, if a card has started; put back below.
        guard var note = pending.take() else { continue }
        if let (name, rest) = DeckParser.fieldStart(line) {
          if let field = Field(name) {
            if fields[field.rawValue] != nil {
              errors.append(.repeatedField(file: file, line: number, card: note.id, field: String(name)))
            }
            if !rest.isBlank { fieldLines.append((number, rest)) }
            fields[field.rawValue] = (number, fieldLines.count - (rest.isBlank ? 0 : 1)..<fieldLines.count)
            note.current = field
          } else {
            errors.append(.unknownField(file: file, line: number, card: note.id, field: String(name)))
            note.current = nil
          }
        } else if let current = note.current, let field = fields[current.rawValue] {
          fieldLines.append((number, line))
          fields[current.rawValue] = (field.line, field.lines.lowerBound..<fieldLines.count)
        } else if !line.isBlank {
          errors.append(.textOutsideField(file: file, line: number, card: note.id))
        }
        pending = note
      }
      finishNote()
      resolveSiblings()
      header.notes = notes
      deck = header
    }

    /// Checks every `Sibling:` link and points each at the first note of its chain, so cards
    /// linked through another card share one group.
    mutating func resolveSiblings() {
      guard !siblingLinks.isEmpty else { return }
      var index: [String: Int] = [:]
      for (position, note) in notes.enumerated() where index[note.id] == nil { index[note.id] = position }
      for link in siblingLinks {
        let id = notes[link.note].id
        func fail(_ reason: String) {
          errors.append(.badSibling(file: file, line: link.line, card: id, sibling: link.target, reason: reason))
        }
        guard link.target != id else {
          fail("is the card itself")
          continue
        }
        guard var current = index[link.target] else {
          fail("is not a card of this deck")
          continue
        }
        var steps = 0
        while let next = notes[current].sibling, let position = index[next], steps <= notes.count {
          current = position
          steps += 1
        }
        if steps > notes.count || notes[current].id == id {
          fail("links back to this card")
          continue
        }
        notes[link.note].sibling = notes[current].id
      }
    }

    mutating func finishNote() {
      guard let note = pending else { return }
      pending = nil
      defer {
        for index in fields.indices {
          fields[index] = nil
          fieldTexts[index] = nil
        }
        fieldLines.removeAll(keepingCapacity: true)
      }
      let id = note.id
      for field in Field.texts {
        guard let range = fields[field.rawValue]?.lines else { continue }
        // Blank lines at a field's end (the one before the next card, in most notes) only
        // close its last paragraph: left out, most fields are one line, which needs no
        // array of its texts.
        var end = range.upperBound
        while end > range.lowerBound, fieldLines[end - 1].text.trimmingWhitespace().isEmpty { end -= 1 }
        fieldTexts[field.rawValue] =
          end - range.lowerBound == 1
          ? String(fieldLines[range.lowerBound].text.trimmingWhitespace())
          : joinParagraphs(fieldLines[range.lowerBound..<end].map(\.text))
      }
      func text(_ field: Field) -> String? { fieldTexts[field.rawValue] }
      func line(_ field: Field) -> Int { fields[field.rawValue]?.line ?? note.line }
      for field in Field.texts {
        if let value = text(field), value.isEmpty {
          errors.append(.emptyField(file: file, line: line(field), card: id, field: field.name))
        }
      }
      let question = text(.q)
      let answer = text(.a)
      let cloze = text(.c)
      var content: Note.Content?
      if cloze != nil && (question != nil || answer != nil) {
        errors.append(.mixedKinds(file: file, line: line(.c), card: id))
      } else if let cloze {
        switch Cloze.problem(in: cloze) {
        case .noBlank: errors.append(.clozeWithoutBlank(file: file, line: line(.c), card: id))
        case .empty: errors.append(.emptyCloze(file: file, line: line(.c), card: id))
        case .unterminated: errors.append(.unterminatedCloze(file: file, line: line(.c), card: id))
        case .unopened: errors.append(.unopenedCloze(file: file, line: line(.c), card: id))
        case .mixedNumbering: errors.append(.mixedClozeNumbering(file: file, line: line(.c), card: id))
        case nil: content = .cloze(cloze)
        }
      } else if let question, let answer {
        content = .basic(question: question, answer: answer)
      } else if question != nil {
        errors.append(.missingAnswer(file: file, line: note.line, card: id))
      } else if answer != nil {
        errors.append(.missingQuestion(file: file, line: note.line, card: id))
      } else {
        errors.append(.noContent(file: file, line: note.line, card: id))
      }
      var choices: [String] = []
      if let field = fields[Field.choices.rawValue] {
        if cloze != nil { errors.append(.choicesOnCloze(file: file, line: field.line, card: id)) }
        for (number, raw) in fieldLines[field.lines] {
          if raw.isBlank { continue }
          let stripped = raw.drop(while: { $0 == " " || $0 == "\t" })
          guard stripped.hasPrefix("- "), !trimmed(stripped.dropFirst(2)).isEmpty else {
            errors.append(.badChoice(file: file, line: number, card: id))
            continue
          }
          let choice = trimmed(stripped.dropFirst(2))
          if let answer, choice.lowercased() == answer.lowercased() {
            errors.append(.choiceEqualsAnswer(file: file, line: number, card: id, choice: choice))
          }
          choices.append(choice)
        }
        if fieldLines[field.lines].allSatisfy({ $0.text.isBlank }) {
          errors.append(.emptyField(file: file, line: field.line, card: id, field: "Choices"))
        }
      }
      let see = (text(.see) ?? "").split(separator: ",").map(trimmed).filter { !$0.isEmpty }
      for key in see where !Note.isValidLink(key) {
        errors.append(.badLink(file: file, line: line(.see), card: id, link: key))
      }
      guard let content else { return }
      let sibling = text(.sibling).flatMap { $0.isEmpty ? nil : $0 }
      if let sibling { siblingLinks.append((notes.count, line(.sibling), sibling)) }
      notes.append(
        Note(
          id: id, content: content, why: text(.why) ?? "",
          tags: (text(.tags) ?? "").split(separator: ",").map(trimmed).filter { !$0.isEmpty },
          choices: choices,
          accept: (text(.accept) ?? "").split(separator: "|").map(trimmed).filter { !$0.isEmpty },
          see: see, sibling: sibling, line: note.line))
    }
  }

  /// A line that opens a field: an unindented capitalised word, a colon, then a space or the
  /// end. Deck cards and scenario options share this rule.
  static func fieldStart(_ line: Substring) -> (name: Substring, rest: Substring)? {
    // On bytes where every character that decides the answer is ASCII (a non-ASCII byte can
    // join the character before it, so one right after the colon or the spaces needs the
    // character rules below).
    let bytes = line.utf8
    func isLetter(_ byte: UInt8) -> Bool { (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) }
    guard let first = bytes.first, first >= 65, first <= 90 else { return nil }
    var colon = bytes.index(after: bytes.startIndex)
    while colon < bytes.endIndex, isLetter(bytes[colon]) { colon = bytes.index(after: colon) }
    guard colon < bytes.endIndex, bytes[colon] == 58 else { return nil }
    let restStart = bytes.index(after: colon)
    var textStart = restStart
    while textStart < bytes.endIndex, bytes[textStart] == 32 || bytes[textStart] == 9 {
      textStart = bytes.index(after: textStart)
    }
    let joinsColon = restStart < bytes.endIndex && bytes[restStart] >= 0x80
    let joinsSpace = textStart > restStart && textStart < bytes.endIndex && bytes[textStart] >= 0x80
    if !joinsColon && !joinsSpace {
      guard restStart == bytes.endIndex || textStart > restStart else { return nil }
      return (line[..<colon], line[textStart...])
    }
    return fieldStartByCharacters(line)
  }

  /// `fieldStart` by the character rules: a colon or space joined by a following combining mark
  /// is another character.
  private static func fieldStartByCharacters(_ line: Substring) -> (name: Substring, rest: Substring)? {
    guard let first = line.utf8.first, first >= 65, first <= 90, let colon = line.firstIndex(of: ":") else {
      return nil
    }
    let name = line[..<colon]
    guard name.allSatisfy({ $0.isLetter && $0.isASCII }) else { return nil }
    let rest = line[line.index(after: colon)...]
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    return (name, rest.drop(while: { $0 == " " || $0 == "\t" }))
  }

  /// Whether `line` opens a card (`## `): on bytes unless a non-ASCII byte follows the space
  /// (a combining mark would make the space another character).
  static func isCardHeading(_ line: Substring) -> Bool {
    let bytes = line.utf8
    var index = bytes.startIndex
    func next(is byte: UInt8) -> Bool {
      guard index < bytes.endIndex, bytes[index] == byte else { return false }
      index = bytes.index(after: index)
      return true
    }
    guard next(is: 35), next(is: 35), next(is: 32) else { return false }
    if index < bytes.endIndex, bytes[index] >= 0x80 { return line.hasPrefix("## ") }
    return true
  }

  /// The lines of `text`, split at each newline byte, without a carriage return at their end.
  /// The bytes are scanned in place; each line is then cut by offset (constant time on UTF-8).
  static func lines(of text: String) -> [Substring] {
    var text = text
    var bounds: [(start: Int, end: Int)] = []
    text.withUTF8 { bytes in
      func bound(_ start: Int, _ end: Int) -> (start: Int, end: Int) {
        (start, end > start && bytes[end - 1] == 13 ? end - 1 : end)
      }
      var start = 0
      for index in bytes.indices where bytes[index] == 10 {
        bounds.append(bound(start, index))
        start = index + 1
      }
      bounds.append(bound(start, bytes.count))
    }
    let utf8 = text.utf8
    return bounds.map { bound in
      Substring(
        utf8[utf8.index(utf8.startIndex, offsetBy: bound.start)..<utf8.index(utf8.startIndex, offsetBy: bound.end)])
    }
  }

  /// Joins a field's lines: single line breaks are soft wraps (a space), blank lines separate
  /// paragraphs.
  static func joinParagraphs(_ lines: [Substring]) -> String {
    if lines.count == 1 { return String(lines[0].trimmingWhitespace()) }
    var paragraphs: [String] = []
    var current: [Substring] = []
    for line in lines {
      let text = line.trimmingWhitespace()
      if text.isEmpty {
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        current = []
      } else {
        current.append(text)
      }
    }
    if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
    return paragraphs.joined(separator: "\n\n")
  }
}

/// Every problem found in one deck file.
public struct DeckProblems: Error, Equatable, CustomStringConvertible {
  public var errors: [DeckError]
  public init(errors: [DeckError]) { self.errors = errors }
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}

private func trimmed(_ text: Substring) -> String { String(text.trimmingWhitespace()) }

extension Substring {
  /// Drops leading and trailing whitespace; ASCII whitespace is checked on bytes first, which
  /// is all that deck files normally contain.
  func trimmingWhitespace() -> Substring {
    let bytes = utf8
    var start = bytes.startIndex
    var end = bytes.endIndex
    func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 || byte == 10 }
    while start < end, isSpace(bytes[start]) { start = bytes.index(after: start) }
    while start < end, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
    var result = self[start..<end]
    // A character that starts (or ends) with an ASCII byte other than a space is not
    // whitespace; only other edges need Unicode's answer (no-break space, ideographic space).
    if let first = result.utf8.first, first >= 128 {
      while let character = result.first, character.isWhitespace { result.removeFirst() }
    }
    if let last = result.utf8.last, last >= 128 {
      while let character = result.last, character.isWhitespace { result.removeLast() }
    }
    return result
  }

  /// True when the line holds only whitespace.
  var isBlank: Bool {
    guard let other = utf8.first(where: { $0 != 32 && $0 != 9 && $0 != 13 }) else { return true }
    // Any other ASCII byte but a line or page break starts a character that is no whitespace.
    if other < 0x80 && (other < 10 || other > 12) { return false }
    return allSatisfy(\.isWhitespace)
  }
}
