/// Turns the HTML of Anki fields into readable terminal text: line breaks and block ends start a
/// new paragraph (the deck format's only line structure), list items get a bullet, entities are
/// decoded, every other tag is dropped.
enum HTMLText {
  static func plain(_ html: String) -> String {
    var out = ""
    var index = html.startIndex
    while index < html.endIndex {
      let character = html[index]
      if character == "<", let close = html[index...].firstIndex(of: ">") {
        let tag = html[html.index(after: index)..<close].lowercased()
        let closing = tag.hasPrefix("/")
        let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\n" }).first.map(String.init) ?? ""
        switch name {
        case "br": out += "\n"
        case "li": out += closing ? "\n" : "\n• "
        case "div", "p", "ul", "ol", "tr", "h1", "h2", "h3":
          if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
        default: break
        }
        index = html.index(after: close)
        continue
      }
      if character == "&", let semicolon = html[index...].prefix(10).firstIndex(of: ";") {
        let entity = String(html[html.index(after: index)..<semicolon])
        if let decoded = decode(entity) {
          out += decoded
          index = html.index(after: semicolon)
          continue
        }
      }
      out.append(character)
      index = html.index(after: index)
    }
    // Collapse runs of blank lines the tags left behind and trim.
    let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
    var result: [Substring] = []
    for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) { result.append(line) }
    while result.last?.isEmpty == true { result.removeLast() }
    return result.filter { !$0.isEmpty }.joined(separator: "\n\n")
  }

  static let named: [String: String] = [
    "aacute": "á", "eacute": "é", "iacute": "í", "oacute": "ó", "uacute": "ú", "Aacute": "Á", "Eacute": "É",
    "Iacute": "Í", "Oacute": "Ó", "Uacute": "Ú", "agrave": "à", "egrave": "è", "igrave": "ì", "ograve": "ò",
    "ugrave": "ù", "acirc": "â", "ecirc": "ê", "icirc": "î", "ocirc": "ô", "ucirc": "û", "auml": "ä", "euml": "ë",
    "iuml": "ï", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß", "ntilde": "ñ",
    "Ntilde": "Ñ", "ccedil": "ç", "Ccedil": "Ç", "aring": "å", "oslash": "ø", "aelig": "æ", "copy": "©",
    "reg": "®", "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’",
    "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»", "euro": "€", "pound": "£", "deg": "°",
    "times": "×", "divide": "÷", "middot": "·", "bull": "•", "iquest": "¿", "iexcl": "¡",
  ]

  static func decode(_ entity: String) -> String? {
    switch entity {
    case "amp": return "&"
    case "lt": return "<"
    case "gt": return ">"
    case "quot": return "\""
    case "apos", "#39": return "'"
    case "nbsp": return " "
    default:
      if let text = named[entity] { return text }
      if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let value = UInt32(entity.dropFirst(2), radix: 16),
        let scalar = Unicode.Scalar(value)
      {
        return String(Character(scalar))
      }
      if entity.hasPrefix("#"), let value = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(value) {
        return String(Character(scalar))
      }
      return nil
    }
  }
}
