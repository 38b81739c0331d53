import EngramCore

/// Limits on what one imported note may hold, so a hostile or broken file is refused with a
/// message instead of making every later start slow (a cloze note with 5,000 blanks is 5,000
/// cards that replay and render on each start).
///
/// Real decks stay far below: Anki's own cloze numbers rarely pass a few dozen, and a field of
/// a megabyte is an embedded file, not text to study.
enum ImportLimits {
  /// Cloze blanks (cards) in one note.
  static let blanksPerNote = 500
  /// Bytes in one field, before and after HTML conversion.
  static let fieldBytes = 1 << 20
  /// Fields of one note (Anki note type fields, or columns of a text row).
  static let fieldsPerNote = 256

  /// The first `count` characters of a note's text on one line, to name it in a message.
  static func name(_ text: String, count: Int = 40) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return flat.count > count ? String(flat.prefix(count)) + "…" : flat
  }

  /// Checks every note against the limits.
  static func check(_ notes: [Note], file: String) throws(Importer.Failure) {
    for note in notes {
      let texts: [String]
      switch note.content {
      case .basic(let question, let answer): texts = [question, answer, note.why]
      case .cloze(let text):
        texts = [text, note.why]
        let blanks = Cloze.blanks(in: text).count
        if blanks > blanksPerNote {
          throw .overLimit(
            file: file, note: name(text),
            problem: "\(blanks) cloze blanks; at most \(blanksPerNote) per note (split the note into several)")
        }
      }
      try checkSize(texts, note: name(texts[0]), file: file)
    }
  }

  /// Checks the size of each field.
  static func checkSize(_ fields: [String], note: @autoclosure () -> String, file: String) throws(Importer.Failure) {
    for field in fields where field.utf8.count > fieldBytes {
      throw .overLimit(
        file: file, note: note(),
        problem: "a field of \(field.utf8.count) bytes; at most \(fieldBytes >> 20) MiB per field")
    }
  }

  /// Checks how many fields a note has.
  static func checkCount(_ count: Int, note: @autoclosure () -> String, file: String) throws(Importer.Failure) {
    if count > fieldsPerNote {
      throw .overLimit(file: file, note: note(), problem: "\(count) fields; at most \(fieldsPerNote) per note")
    }
  }
}

extension ImportLimits {
  /// The times the review log can hold: years 0000 to 9999 (its four-digit ISO 8601 form).
  static let times: ClosedRange<Int64> =
    ISO8601.daysFromCivil(year: 0, month: 1, day: 1) * 86_400_000...ISO8601.daysFromCivil(
      year: 10_000, month: 1, day: 1) * 86_400_000 - 1

  /// Template ordinals an Anki card may have: a cloze number up to the blank limit, or a
  /// template of a note type (Anki's own cap is far below this).
  static let ordinals = 0...10_000
}
