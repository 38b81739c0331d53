/// Turns the HTML of Anki fields into readable terminal text, in one pass over the bytes (linear
/// in the input, whatever it holds: a field of 100,000 `<` converts as fast as prose).
///
/// As a browser shows it: runs of white space, raw newlines included, are one space; `<br>` and
/// block elements (`<div>`, `<p>`, headings, list items, table rows...) end a line, which in the
/// deck format is a paragraph. Unordered list items get a bullet, ordered ones their number;
/// a table becomes rows of cells padded to aligned columns. Entities are decoded; comments,
/// `<script>` and `<style>` are dropped with their content; other tags are dropped. A `<` that
/// does not start a tag (`a < b`, or no `>` follows) is kept as text.
enum HTMLText {
  static func plain(_ html: String) -> String {
    var converter = Converter(bytes: Array(html.utf8))
    converter.run()
    return converter.result
  }

  private struct Converter {
    let bytes: [UInt8]
    var lines: [[UInt8]] = []
    var line: [UInt8] = []
    var space = false
    var lists: [(ordered: Bool, next: Int)] = []
    /// Rows of the table being read, if any; nested tables read as cell text.
    var table: [[[UInt8]]]?
    var tableDepth = 0
    var row: [[UInt8]]?
    var inCell = false
    var cell: [UInt8] = []
    /// Searches from a position at or past these find nothing: each is scanned once.
    var noTagEndFrom = Int.max
    var noCommentEndFrom = Int.max
    var noScriptEndFrom = Int.max
    var noStyleEndFrom = Int.max

    var result: String {
      lines.map { String(decoding: $0, as: UTF8.self).trimmingWhitespace() }.filter { !$0.isEmpty }
        .joined(separator: "\n\n")
    }

    mutating func run() {
      var index = 0
      let count = bytes.count
      while index < count {
        let byte = bytes[index]
        if byte == 60, let end = tag(at: index) {  // '<'
          index = end
          continue
        }
        if byte == 38, let end = entity(at: index) {  // '&'
          index = end
          continue
        }
        text(byte)
        index += 1
      }
      endLine()
      if table != nil { endTable() }
    }

    // MARK: output

    mutating func text(_ byte: UInt8) {
      if byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12 {
        space = true
        return
      }
      if space && !(inCell ? cell.isEmpty : line.isEmpty) { put(32) }
      space = false
      put(byte)
    }

    mutating func text(_ bytes: some Sequence<UInt8>) { for byte in bytes { text(byte) } }

    mutating func put(_ byte: UInt8) {
      if inCell { cell.append(byte) } else { line.append(byte) }
    }

    mutating func endLine() {
      if inCell {
        space = true
        return
      }
      if !line.isEmpty { lines.append(line) }
      line = []
      space = false
    }

    // MARK: tags

    /// Handles the tag, comment or script starting at `start`; returns where text resumes, or
    /// nil when the `<` is plain text.
    mutating func tag(at start: Int) -> Int? {
      let count = bytes.count
      guard start + 1 < count else { return nil }
      let next = bytes[start + 1]
      if next == 33, bytes[(start + 1)...].starts(with: [33, 45, 45]) {  // "<!--"
        guard let end = Converter.find(bytes, [45, 45, 62], from: start + 4, memo: &noCommentEndFrom) else {
          return count
        }
        return end + 3
      }
      // A tag starts with a letter, '/', '!' or '?'.
      guard Converter.isLetter(next) || next == 47 || next == 33 || next == 63 else { return nil }
      guard let close = Converter.find(bytes, [62], from: start + 1, memo: &noTagEndFrom) else { return nil }
      let closing = next == 47
      var nameStart = start + 1
      if closing { nameStart += 1 }
      var nameEnd = nameStart
      while nameEnd < close, Converter.isLetter(bytes[nameEnd]) || (bytes[nameEnd] >= 48 && bytes[nameEnd] <= 57) {
        nameEnd += 1
      }
      let name = String(decoding: bytes[nameStart..<nameEnd].map { $0 | 0x20 }, as: UTF8.self)
      let after = close + 1
      switch name {
      case "script" where !closing:
        return (Converter.find(bytes, Array("</script".utf8), from: after, memo: &noScriptEndFrom, ignoringCase: true))
          .map { skipTag(from: $0) } ?? count
      case "style" where !closing:
        return (Converter.find(bytes, Array("</style".utf8), from: after, memo: &noStyleEndFrom, ignoringCase: true))
          .map { skipTag(from: $0) } ?? count
      case "br":
        endLine()
      case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "section", "article",
        "header", "footer", "dl", "dt", "dd", "center", "figure", "figcaption", "details", "summary":
        endLine()
      case "ul", "ol":
        endLine()
        if closing {
          if !lists.isEmpty { lists.removeLast() }
        } else {
          lists.append((name == "ol", startNumber(from: start, to: close) ?? 1))
        }
      case "li":
        endLine()
        if !closing && !inCell {
          if let last = lists.indices.last, lists[last].ordered {
            line = Array("\(lists[last].next). ".utf8)
            lists[last].next += 1
          } else {
            line = Array("• ".utf8)
          }
          space = false
        }
      case "table":
        if closing {
          if tableDepth == 1 { endTable() }
          tableDepth = max(0, tableDepth - 1)
        } else {
          tableDepth += 1
          if tableDepth == 1 {
            endLine()
            table = []
          }
        }
      case "tr" where tableDepth == 1:
        endCell()
        if let row, !row.isEmpty { table?.append(row) }
        row = closing ? nil : []
      case "td", "th":
        if tableDepth == 1 {
          endCell()
          if !closing {
            if row == nil { row = [] }
            inCell = true
            cell = []
            space = false
          }
        } else {
          space = true
        }
      default:
        break
      }
      return after
    }

    /// Past the `>` of the closing tag found at `start`.
    mutating func skipTag(from start: Int) -> Int {
      Converter.find(bytes, [62], from: start, memo: &noTagEndFrom).map { $0 + 1 } ?? bytes.count
    }

    /// `<ol start="3">`: the number of the first item.
    func startNumber(from start: Int, to close: Int) -> Int? {
      let inside = String(decoding: bytes[start..<close], as: UTF8.self).lowercased()
      guard let range = inside.firstRange(ofASCII: "start=") else { return nil }
      let digits = inside[range.upperBound...].drop { $0 == "\"" || $0 == "'" }.prefix { $0.isASCII && $0.isNumber }
      return Int(digits.prefix(9))
    }

    mutating func endCell() {
      guard inCell else { return }
      inCell = false
      row?.append(cell)
      cell = []
      space = false
    }

    /// Lays the table out: each row a line, each column padded to its widest cell.
    mutating func endTable() {
      endCell()
      if let row, !row.isEmpty { table?.append(row) }
      row = nil
      let rows = (table ?? []).map { $0.map { String(decoding: $0, as: UTF8.self).trimmingWhitespace() } }
      table = nil
      var widths: [Int] = []
      for cells in rows {
        for (column, text) in cells.enumerated() {
          if column == widths.count { widths.append(0) }
          widths[column] = max(widths[column], text.count)
        }
      }
      for cells in rows where cells.contains(where: { !$0.isEmpty }) {
        let padded = cells.enumerated().map { column, text in
          column == cells.count - 1 ? text : text + String(repeating: " ", count: widths[column] - text.count)
        }
        lines.append(Array(padded.joined(separator: " | ").utf8))
      }
    }

    // MARK: entities

    /// Decodes the entity at `start`; nil when it is not one (the `&` is then text).
    mutating func entity(at start: Int) -> Int? {
      let limit = min(bytes.count, start + 12)
      var end = start + 1
      while end < limit, bytes[end] != 59 { end += 1 }  // ';'
      guard end < limit, end > start + 1 else { return nil }
      let name = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
      guard let decoded = HTMLText.decode(name) else { return nil }
      text(decoded.utf8)
      return end + 1
    }

    // MARK: search

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }

    /// The first index of `needle` at or after `from`; `memo` remembers where a search found
    /// nothing, so no stretch of the text is searched twice for the same needle in vain.
    static func find(
      _ bytes: [UInt8], _ needle: [UInt8], from: Int, memo: inout Int, ignoringCase: Bool = false
    ) -> Int? {
      guard from < memo else { return nil }
      let count = bytes.count
      var index = from
      while index + needle.count <= count {
        var matched = 0
        while matched < needle.count {
          let a = bytes[index + matched]
          let b = needle[matched]
          guard a == b || (ignoringCase && Converter.isLetter(b) && a | 0x20 == b | 0x20) else { break }
          matched += 1
        }
        if matched == needle.count { return index }
        index += 1
      }
      memo = from
      return nil
    }
  }

  static let named: [String: String] = [
    "aacute": "á", "eacute": "é", "iacute": "í", "oacute": "ó", "uacute": "ú", "Aacute": "Á", "Eacute": "É",
    "Iacute": "Í", "Oacute": "Ó", "Uacute": "Ú", "agrave": "à", "egrave": "è", "igrave": "ì", "ograve": "ò",
    "ugrave": "ù", "acirc": "â", "ecirc": "ê", "icirc": "î", "ocirc": "ô", "ucirc": "û", "auml": "ä", "euml": "ë",
    "iuml": "ï", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß", "ntilde": "ñ",
    "Ntilde": "Ñ", "ccedil": "ç", "Ccedil": "Ç", "aring": "å", "oslash": "ø", "aelig": "æ", "copy": "©",
    "reg": "®", "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’",
    "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»", "euro": "€", "pound": "£", "deg": "°",
    "times": "×", "divide": "÷", "middot": "·", "bull": "•", "iquest": "¿", "iexcl": "¡", "rarr": "→",
    "larr": "←", "harr": "↔", "rArr": "⇒", "hArr": "⇔", "le": "≤", "ge": "≥", "ne": "≠", "plusmn": "±",
    "minus": "−", "infin": "∞", "sup2": "²", "sup3": "³", "frac12": "½", "frac14": "¼", "frac34": "¾",
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
