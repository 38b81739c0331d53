/// Anki's card template language, rendered to HTML for one card: field references
/// (`{{Field}}`), `{{FrontSide}}`, sections `{{#F}}…{{/F}}` (shown when F is not empty) and
/// `{{^F}}…{{/F}}` (shown when it is), filters (`{{type:F}}`, `{{hint:F}}`, `{{text:F}}`,
/// `{{furigana:F}}`, `{{kana:F}}`, `{{kanji:F}}`, `{{cloze:F}}`, chained right to left), special
/// fields (`Tags`, `Deck`, `Subdeck`, `Card`, `Type`), and `{{tts …}}` dropped.
///
/// Each field a template shows is wrapped in private-use marks (`fieldStart` name `fieldMiddle`
/// value `fieldEnd`), so the converter can tell the field that answers a card from the fields
/// the back adds beyond it; `plain(_:)` removes them.
struct AnkiTemplate {
  /// Why a template cannot be rendered.
  enum Problem: Error, Equatable {
    case unclosedSection(String)
    case unopenedSection(String)
    case unknownField(String)
  }

  static let fieldStart: Character = "\u{E000}"
  static let fieldMiddle: Character = "\u{E001}"
  static let fieldEnd: Character = "\u{E002}"

  /// What a template can refer to besides the note's fields.
  struct Context {
    var fields: [String: String]
    var tags: [String] = []
    var deck = ""
    var card = ""
    var noteType = ""
    /// The rendered question, for `{{FrontSide}}` on the back.
    var frontSide: String?
    /// Rendering the back: `{{type:F}}` shows the field's value (on the front, nothing).
    var isBack = false
  }

  private enum Token {
    case text(Substring)
    case open(String, inverted: Bool)
    case close(String)
    case field(filters: [String], name: String)
  }

  private let tokens: [Token]

  /// Parses a template once, to render it for many notes.
  init(_ template: String) { tokens = AnkiTemplate.tokenize(template) }

  /// Renders the template; throws when its sections do not nest or it names a field the note
  /// type does not have.
  func render(_ context: Context) throws(Problem) -> String {
    var index = 0
    return try AnkiTemplate.render(tokens, &index, until: nil, context)
  }

  /// Parses and renders `template`.
  static func render(_ template: String, _ context: Context) throws(Problem) -> String {
    try AnkiTemplate(template).render(context)
  }

  private static func render(_ tokens: [Token], _ index: inout Int, until section: String?, _ context: Context)
    throws(Problem) -> String
  {
    var out = ""
    while index < tokens.count {
      let token = tokens[index]
      index += 1
      switch token {
      case .text(let text):
        out += text
      case .open(let name, let inverted):
        let value = context.fields[name] ?? special(name, context) ?? ""
        let shown = isNonEmpty(value) != inverted
        let inner = try render(tokens, &index, until: name, context)
        if shown { out += inner }
      case .close(let name):
        guard name == section else { throw .unopenedSection(name) }
        return out
      case .field(let filters, let name):
        out += try field(name, filters: filters, context)
      }
    }
    if let section { throw .unclosedSection(section) }
    return out
  }

  private static func field(_ name: String, filters: [String], _ context: Context) throws(Problem) -> String {
    if name == "FrontSide" { return context.frontSide ?? "" }
    if filters.contains(where: { $0.hasPrefix("tts") }) || name.hasPrefix("tts") { return "" }
    guard var value = context.fields[name] ?? special(name, context) else {
      throw .unknownField(name)
    }
    for filter in filters.reversed() {
      switch filter.lowercased() {
      case "type", "type-cloze", "type-nc": if !context.isBack { return "" }
      case "hint": value = "(hint: \(value))"
      case "text": value = HTMLText.plain(value)
      case "furigana": break  // `Furigana.readable` shows the readings after conversion
      case "kana": value = Furigana.reading(value)
      case "kanji": value = Furigana.base(value)
      default: break  // cloze is handled by cloze note types; other filters show the field
      }
    }
    guard context.fields[name] != nil else { return value }
    return String(fieldStart) + name + String(fieldMiddle) + value + String(fieldEnd)
  }

  private static func special(_ name: String, _ context: Context) -> String? {
    switch name {
    case "Tags": context.tags.joined(separator: " ")
    case "Deck": context.deck
    case "Subdeck": context.deck.components(separatedByASCII: "::").last ?? context.deck
    case "Card": context.card
    case "Type", "Notetype": context.noteType
    case "CardFlag", "CardID": ""
    default: nil
    }
  }

  /// Anki's emptiness test: nothing but white space and tags.
  static func isNonEmpty(_ value: String) -> Bool { !HTMLText.plain(value).isEmpty }

  private static func tokenize(_ template: String) -> [Token] {
    var tokens: [Token] = []
    var rest = Substring(template)
    while let open = rest.firstRange(ofASCII: "{{") {
      guard let close = rest[open.upperBound...].firstRange(ofASCII: "}}") else { break }
      if open.lowerBound > rest.startIndex { tokens.append(.text(rest[..<open.lowerBound])) }
      let inner = rest[open.upperBound..<close.lowerBound].trimmingWhitespace()
      rest = rest[close.upperBound...]
      guard let first = inner.first else { continue }
      switch first {
      case "#": tokens.append(.open(String(inner.dropFirst()).trimmingWhitespace(), inverted: false))
      case "^": tokens.append(.open(String(inner.dropFirst()).trimmingWhitespace(), inverted: true))
      case "/": tokens.append(.close(String(inner.dropFirst()).trimmingWhitespace()))
      case "!": continue  // a comment
      default:
        if inner.hasPrefix("tts") { continue }
        let parts = inner.split(separator: ":", omittingEmptySubsequences: false).map {
          String($0).trimmingWhitespace()
        }
        tokens.append(.field(filters: Array(parts.dropLast()), name: parts.last ?? ""))
      }
    }
    if !rest.isEmpty { tokens.append(.text(rest)) }
    return tokens
  }

  /// The text without the field marks (and the names inside them). Works on UTF-8 bytes: the
  /// marks are U+E000–U+E002, `EE 80 80`–`EE 80 82`.
  static func plain(_ text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.contains(0xEE) else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    var inName = false
    while index < bytes.count {
      if bytes[index] == 0xEE, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] <= 0x82 {
        switch bytes[index + 2] {
        case 0x80: inName = true
        case 0x81: inName = false
        default: break
        }
        index += 3
        continue
      }
      if !inName { out.append(bytes[index]) }
      index += 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The marked fields of a rendered text, in order: each field's name and value, and where
  /// the whole marked stretch lies.
  static func fields(in text: String) -> [(name: String, value: String, range: Range<String.Index>)] {
    var result: [(String, String, Range<String.Index>)] = []
    let utf8 = text.utf8
    var index = utf8.startIndex
    var start: String.Index?
    var middle: String.Index?
    while index != utf8.endIndex {
      guard utf8[index] == 0xEE else {
        index = utf8.index(after: index)
        continue
      }
      let second = utf8.index(after: index)
      guard second != utf8.endIndex, utf8[second] == 0x80 else {
        index = second
        continue
      }
      let third = utf8.index(after: second)
      guard third != utf8.endIndex else { break }
      let after = utf8.index(after: third)
      switch utf8[third] {
      case 0x80:
        start = index
        middle = nil
      case 0x81:
        middle = after
      case 0x82:
        if let begin = start, let valueStart = middle {
          let nameStart = text.utf8.index(begin, offsetBy: 3)
          let nameEnd = text.utf8.index(valueStart, offsetBy: -3)
          result.append((String(text[nameStart..<nameEnd]), String(text[valueStart..<index]), begin..<after))
        }
        start = nil
        middle = nil
      default: break
      }
      index = after
    }
    return result
  }
}

extension StringProtocol {
  /// Splits on an ASCII separator string, without Foundation.
  func components(separatedByASCII separator: StaticString) -> [String] {
    var parts: [String] = []
    var rest = Substring(self)
    while let range = rest.firstRange(ofASCII: separator) {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }
}
