import EngramCore

/// Turns an Anki collection into Engram decks and review events. Pure: no files, no clock.
///
/// Mapping: a standard note type whose every template shows one field on the front and adds one
/// on the back (Basic, Basic and reversed, optional reversed, type-in) gives one question and
/// answer per Anki card, so a reversed card is a second Engram card. A cloze note type gives one
/// `C:` card whose blanks are Anki's cloze cards. Any other note type is read from its first two
/// fields, with a warning. Ids come from the note's GUID (plus the card ordinal), so the same
/// note imports to the same id every time and its history follows it.
struct AnkiConverter {
  /// One Anki card as Engram will know it: a note in a deck, and for cloze the blank number.
  struct CardRef: Hashable, Sendable {
    var deck: String
    var note: String
    var blank: Int?

    func key(note final: String) -> String {
      CardKey(deckID: deck, noteID: final, blank: blank).description
    }
  }

  struct ImportedDeck: Sendable {
    var id: String
    var title: String
    var notes: [Note]
  }

  struct Event: Sendable {
    /// The card, as its position in `importedCards`: a million events share a hundred
    /// thousand cards, so each event's key is looked up once per card, not once per event.
    var card: Int
    var time: Timestamp
    var rating: Rating
    var milliseconds: Int64
  }

  var decks: [ImportedDeck] = []
  /// Rated reviews in time order (ties in revlog order).
  var events: [Event] = []
  var suspended: [CardRef] = []
  var warnings: [String] = []
  /// Notes left out (no usable text), each with a warning.
  var skipped = 0
  /// Revlog rows left out: manual entries (ease 0) and filtered-deck reviews that did not
  /// reschedule, which Anki's own FSRS also ignores.
  var ignoredReviews = 0
  /// Cards of the package, and rows of its review log.
  var packageCards = 0
  var packageReviews = 0
  /// Every card that became an Engram card, in package order.
  var importedCards: [CardRef] = []
  /// Cards left out, by reason (in the order first met), with how many review-log rows they had.
  var leftOut: [(reason: String, cards: Int, reviews: Int)] = []
  /// Media file names the imported text refers to.
  var referencedMedia = Set<String>()

  /// - Parameters:
  ///   - deckName: put every card in this deck instead of the package's decks.
  ///   - progress: told how many notes are converted, every 1,000.
  /// - Throws: `Importer.Failure.overLimit` for a note with too many or too large fields.
  init(
    _ collection: AnkiCollection, file: String, deckName: String? = nil, progress: (_ notes: Int) -> Void = { _ in }
  ) throws(Importer.Failure) {
    var deckIDs: [Int64: String] = [:]
    var deckOrder: [String] = []
    var deckTitles: [String: String] = [:]
    var deckNotes: [String: [Note]] = [:]
    var usedNoteIDs: [String: Set<String>] = [:]
    var cardRefs: [Int64: CardRef] = [:]
    var fieldText = AnkiFieldText()
    var warnedTypes = Set<Int64>()
    var unrenderable = Set<Int64>()
    var parsedTemplates: [TemplateKey: (question: AnkiTemplate, answer: AnkiTemplate)] = [:]
    var cardReasons: [Int64: Int] = [:]
    var reasons: [String: Int] = [:]
    var reasonList: [(reason: String, cards: Int, reviews: Int)] = []
    /// Records why a card is left out.
    func leaveOut(_ cards: [AnkiCollection.Card], _ reason: String) {
      let number: Int
      if let known = reasons[reason] {
        number = known
      } else {
        number = reasonList.count
        reasons[reason] = number
        reasonList.append((reason, 0, 0))
      }
      for card in cards where cardReasons[card.id] == nil {
        cardReasons[card.id] = number
        reasonList[number].cards += 1
      }
    }

    func deckID(for ankiDeck: Int64) -> String {
      if let known = deckIDs[ankiDeck] { return known }
      let name = deckName ?? collection.decks[ankiDeck] ?? "Anki deck \(ankiDeck)"
      var id = Importer.slug(name)
      if id.isEmpty { id = "anki-deck-\(ankiDeck)" }
      // Two Anki decks whose names slug alike stay apart.
      let base = id
      var counter = 2
      while let owner = deckTitles[id], deckName == nil, owner != AnkiConverter.title(name) {
        id = "\(base)-\(counter)"
        counter += 1
      }
      deckIDs[ankiDeck] = id
      if deckTitles[id] == nil {
        deckTitles[id] = deckName ?? AnkiConverter.title(name)
        deckOrder.append(id)
      }
      return id
    }

    func add(_ note: Note, to deck: String) -> String {
      var id = note.id
      var counter = 2
      // Mutated in place: copying the set out and back would copy it on every note.
      while usedNoteIDs[deck, default: []].contains(id) {
        id = "\(note.id)-\(counter)"
        counter += 1
      }
      usedNoteIDs[deck, default: []].insert(id)
      var note = note
      note.id = id
      deckNotes[deck, default: []].append(note)
      return id
    }

    func text(_ html: String) -> String { fieldText.readable(html: html) }

    // Ordinals are untrusted numbers: a card whose ordinal no template or cloze number can
    // have is left out (and counted) before any arithmetic on it.
    let plausible = collection.cards.filter { ImportLimits.ordinals.contains($0.ordinal) }
    leaveOut(
      collection.cards.filter { !ImportLimits.ordinals.contains($0.ordinal) },
      "with a template number outside 0–\(ImportLimits.ordinals.upperBound) (a damaged package)")
    let cardsByNote = Dictionary(grouping: plausible, by: \.note)
    for (number, note) in collection.notes.enumerated() {
      if number > 0 && number % 1_000 == 0 { progress(number) }
      guard let cards = cardsByNote[note.id]?.sorted(by: { $0.ordinal < $1.ordinal }), let first = cards.first else {
        continue
      }
      /// The note named by its first field's text (by its GUID only when that is empty).
      func front() -> String {
        let front = ImportLimits.name(HTMLText.plain(AnkiConverter.withMediaPlaceholders(note.fields.first ?? "").0))
        return front.isEmpty ? "GUID \(note.guid)" : front
      }
      func noteName() -> String { "'\(front())'" }
      try ImportLimits.checkCount(note.fields.count, note: front(), file: file)
      try ImportLimits.checkSize(note.fields, note: front(), file: file)
      guard let type = collection.noteTypes[note.noteType] else {
        warnings.append("\(file): note \(noteName()) uses a note type missing from the package; skipped")
        leaveOut(cards, "whose note type is missing from the package")
        skipped += 1
        continue
      }
      let base = AnkiConverter.noteID(guid: note.guid)
      let tags = note.tags.map(Importer.slug).filter { !$0.isEmpty }
      func field(_ index: Int) -> String { index < note.fields.count ? note.fields[index] : "" }

      if type.isCloze {
        let clozeField = AnkiConverter.clozeField(of: type)
        let raw = field(clozeField)
        if raw.contains(ascii: "image-occlusion:") {
          if warnedTypes.insert(type.id).inserted {
            warnings.append("\(file): image occlusion notes ('\(type.name)') need their images and were skipped")
          }
          leaveOut(cards, "of image occlusion note type '\(type.name)'")
          skipped += 1
          continue
        }
        let (blankText, numbers) = AnkiConverter.cloze(text(raw))
        guard !numbers.isEmpty, Cloze.problem(in: blankText) == nil else {
          warnings.append("\(file): cloze note \(noteName()) has no usable {{c1::...}} blank; skipped")
          leaveOut(cards, "of cloze notes with no usable {{c1::…}} blank")
          skipped += 1
          continue
        }
        let why = AnkiConverter.extraFields(of: type, excluding: clozeField).map { text(field($0)) }
          .filter { !$0.isEmpty }.joined(separator: "\n\n")
        let deck = deckID(for: first.deck)
        let id = add(Note(id: base, content: .cloze(blankText), why: why, tags: tags), to: deck)
        for card in cards {
          // Anki's card ordinal n is cloze number n+1, which the blanks keep.
          guard numbers.contains(card.ordinal + 1) else {
            leaveOut([card], "of cloze numbers no blank of their note has any more")
            continue
          }
          cardRefs[card.id] = CardRef(deck: deck, note: id, blank: card.ordinal + 1)
        }
        continue
      }

      // Each card is its template rendered; a note type whose templates cannot be rendered is
      // read from its first two fields, with one warning naming it.
      var fallback = unrenderable.contains(type.id)
      // The note's first card in each deck; its other cards there are its siblings.
      var firstInDeck: [String: String] = [:]
      var renderedCards: [(card: AnkiCollection.Card, question: String, answer: String, why: String)] = []
      if !fallback {
        for card in cards {
          guard let template = type.templates.first(where: { $0.ordinal == card.ordinal }) else {
            leaveOut([card], "whose template note type '\(type.name)' does not have")
            continue
          }
          do {
            let key = TemplateKey(type: type.id, ordinal: template.ordinal)
            let parsed = parsedTemplates[key] ?? (AnkiTemplate(template.question), AnkiTemplate(template.answer))
            parsedTemplates[key] = parsed
            let html = try AnkiConverter.render(
              template, of: type, note: note, deck: collection.decks[card.deck] ?? "", parsed: parsed)
            renderedCards.append((card, text(html.question), text(html.answer), text(html.why)))
          } catch {
            unrenderable.insert(type.id)
            warnings.append(
              "\(file): note type '\(type.name)' has a template Engram cannot render (\(error)); its notes were imported from their first two fields"
            )
            fallback = true
            break
          }
        }
      }
      if fallback {
        guard let card = cards.first(where: { $0.ordinal == first.ordinal }) else { continue }
        leaveOut(
          cards.filter { $0.id != card.id },
          "of note type '\(type.name)' beyond its first card (its notes are read from two fields)")
        renderedCards = [(card, text(field(0)), text(field(1)), "")]
      }
      for (card, question, answer, why) in renderedCards {
        guard !question.isEmpty, !answer.isEmpty else {
          warnings.append(
            "\(file): note \(noteName()) (card \(card.ordinal + 1)) has no text on its \(question.isEmpty ? "front" : "back"); skipped"
          )
          leaveOut([card], "with no text on a side")
          skipped += 1
          continue
        }
        let deck = deckID(for: card.deck)
        let id = add(
          Note(
            id: card.ordinal == 0 ? base : "\(base)-\(card.ordinal + 1)",
            content: .basic(question: question, answer: answer), why: why, tags: tags, sibling: firstInDeck[deck]),
          to: deck)
        if firstInDeck[deck] == nil { firstInDeck[deck] = id }
        cardRefs[card.id] = CardRef(deck: deck, note: id, blank: nil)
      }
    }

    decks = deckOrder.compactMap { id in
      guard let notes = deckNotes[id], !notes.isEmpty else { return nil }
      return ImportedDeck(id: id, title: deckTitles[id] ?? id, notes: notes)
    }
    for card in collection.cards where card.queue == -1 {
      if let ref = cardRefs[card.id] { suspended.append(ref) }
    }
    leaveOut(collection.cards.filter { cardRefs[$0.id] == nil }, "whose note is missing from the package")
    packageCards = collection.cards.count
    packageReviews = collection.reviews.count
    var cardNumbers: [Int64: Int] = [:]
    cardNumbers.reserveCapacity(cardRefs.count)
    for card in collection.cards {
      guard let ref = cardRefs[card.id], cardNumbers[card.id] == nil else { continue }
      cardNumbers[card.id] = importedCards.count
      importedCards.append(ref)
    }
    var outOfRange = 0
    var unknownCards = 0
    for review in collection.reviews {
      guard let number = cardNumbers[review.card] else {
        if let number = cardReasons[review.card] { reasonList[number].reviews += 1 } else { unknownCards += 1 }
        continue
      }
      guard ImportLimits.times.contains(review.time) else {
        outOfRange += 1
        continue
      }
      guard let rating = Rating(rawValue: review.ease), !(review.type == 3 && review.factor == 0) else {
        ignoredReviews += 1
        continue
      }
      events.append(
        Event(
          card: number, time: Timestamp(milliseconds: review.time), rating: rating,
          milliseconds: max(0, review.milliseconds)))
    }
    // A row's time is its revlog id and `AnkiCollection.read` reads rows in id order, so they
    // are in time order already; only a collection built otherwise is sorted (stable).
    if zip(events, events.dropFirst()).contains(where: { $0.time > $1.time }) {
      events = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }
    if ignoredReviews > 0 {
      warnings.append(
        "\(file): \(counted(ignoredReviews, "review-log row")) \(ignoredReviews == 1 ? "was" : "were") left out: manual entries (Forget, Set Due Date) and filtered-deck reviews that did not reschedule, which Anki's own FSRS also leaves out"
      )
    }
    if outOfRange > 0 {
      warnings.append(
        "\(file): \(counted(outOfRange, "review-log row")) \(outOfRange == 1 ? "was" : "were") left out: their times fall outside the years 0000–9999 the log can hold (a damaged package)"
      )
    }
    leftOut = reasonList.filter { $0.cards > 0 }
    for entry in leftOut {
      warnings.append(
        "\(file): \(counted(entry.cards, "card")) \(entry.reason) \(entry.cards == 1 ? "was" : "were") left out; \(counted(entry.reviews, "review-log row")) of \(entry.cards == 1 ? "it" : "them") not imported"
      )
    }
    if unknownCards > 0 {
      warnings.append(
        "\(file): \(counted(unknownCards, "review-log row")) \(unknownCards == 1 ? "belongs" : "belong") to no card of the package and \(unknownCards == 1 ? "was" : "were") left out"
      )
    }
    referencedMedia = fieldText.media
    warnings += fieldText.warnings(file: file)
  }

  /// One card of a standard note type as HTML: the question is the rendered front; the answer
  /// is the first field the back shows that the front does not (after Anki's `<hr id=answer>`,
  /// or after the repeated front); whatever else the back shows is the explanation.
  static func render(
    _ template: AnkiCollection.Template, of type: AnkiCollection.NoteType, note: AnkiCollection.Note, deck: String,
    parsed: (question: AnkiTemplate, answer: AnkiTemplate)? = nil
  ) throws(AnkiTemplate.Problem) -> (question: String, answer: String, why: String) {
    let templates = parsed ?? (AnkiTemplate(template.question), AnkiTemplate(template.answer))
    var fields: [String: String] = [:]
    for (index, name) in type.fields.enumerated() { fields[name] = index < note.fields.count ? note.fields[index] : "" }
    var context = AnkiTemplate.Context(
      fields: fields, tags: note.tags, deck: deck, card: template.name, noteType: type.name)
    let question = try templates.question.render(context)
    context.frontSide = question
    context.isBack = true
    var back = Substring(try templates.answer.render(context))
    if let marker = back.firstRange(ofASCII: "id=answer", ignoringCase: true)
      ?? back.firstRange(ofASCII: "id=\"answer\"", ignoringCase: true),
      let end = back[marker.upperBound...].firstRange(ofASCII: ">")
    {
      back = back[end.upperBound...]
    } else if back.hasPrefix(question) {
      back = back.dropFirst(question.count)
    }
    let shownOnFront = Set(AnkiTemplate.fields(in: question).map(\.name))
    let text = String(back)
    let marked = AnkiTemplate.fields(in: text)
    guard let answer = marked.first(where: { !shownOnFront.contains($0.name) && AnkiTemplate.isNonEmpty($0.value) })
    else {
      return (AnkiTemplate.plain(question), AnkiTemplate.plain(text), "")
    }
    // The explanation: the back without the answer and without fields the front showed.
    var why = ""
    var position = text.startIndex
    for field in marked where field.range == answer.range || shownOnFront.contains(field.name) {
      why += text[position..<field.range.lowerBound]
      position = field.range.upperBound
    }
    why += text[position...]
    return (AnkiTemplate.plain(question), answer.value, AnkiTemplate.plain(why))
  }

  /// A template of a note type, for caching its parsed form.
  struct TemplateKey: Hashable {
    var type: Int64
    var ordinal: Int
  }

  /// "Parent::Child" → "Parent / Child".
  static func title(_ name: String) -> String { name.replacingOccurrences(of: "::", with: " / ") }

  /// A card id from an Anki note GUID: the GUID itself when it is already a valid id (so an
  /// Engram export comes back unchanged), else a short stable hash of it. GUIDs are
  /// case-sensitive, so folding them into a slug could merge two notes.
  static func noteID(guid: String) -> String {
    if !guid.isEmpty, guid.count <= 60,
      guid.unicodeScalars.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }),
      !guid.hasPrefix("-"), !guid.hasSuffix("-")
    {
      return guid
    }
    var hash = FNV1a()
    hash.add(guid)
    return "n" + String(hash.value, radix: 36)
  }

  /// The field a cloze note type blanks out (`{{cloze:Text}}`), else its first field.
  static func clozeField(of type: AnkiCollection.NoteType) -> Int {
    for template in type.templates {
      for reference in references(in: template.question) where reference.cloze {
        if let index = type.fields.firstIndex(of: reference.name) { return index }
      }
    }
    return 0
  }

  /// Fields the back of a cloze card adds (such as "Back Extra"): the explanation.
  static func extraFields(of type: AnkiCollection.NoteType, excluding cloze: Int) -> [Int] {
    guard let template = type.templates.first else { return type.fields.count > 1 ? [1] : [] }
    let names = unique(references(in: template.answer).map(\.name))
    return names.compactMap { type.fields.firstIndex(of: $0) }.filter { $0 != cloze }
  }

  struct Reference {
    var name: String
    var typed: Bool
    var cloze: Bool
  }

  /// Field references in an Anki template: `{{Name}}`, `{{type:Name}}`, `{{cloze:Name}}`,
  /// `{{hint:Name}}`...; section markers (`{{#…}}`, `{{^…}}`, `{{/…}}`), comments and special
  /// fields such as `{{FrontSide}}` are not fields.
  static func references(in template: String) -> [Reference] {
    var result: [Reference] = []
    var rest = Substring(template)
    while let open = rest.firstRange(ofASCII: "{{"), let close = rest[open.upperBound...].firstRange(ofASCII: "}}") {
      let inner = rest[open.upperBound..<close.lowerBound].trimmingWhitespace()
      rest = rest[close.upperBound...]
      guard let first = inner.first, !"#^/!".contains(first) else { continue }
      let parts = inner.split(separator: ":", omittingEmptySubsequences: false)
      let name = String(parts.last ?? "").trimmingWhitespace()
      let modifiers = parts.dropLast().map { $0.lowercased() }
      guard !specialFields.contains(name) else { continue }
      result.append(Reference(name: name, typed: modifiers.contains("type"), cloze: modifiers.contains("cloze")))
    }
    return result
  }

  static let specialFields: Set<String> = [
    "FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID", "Notetype",
  ]

  private static func unique(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }
  }

  /// The text with `[sound:name]` as `[audio: name]` and each `<img src="name">` as
  /// `[image: name]`, and the media file names referenced. Linear in the text, whatever it holds.
  static func withMediaPlaceholders(_ html: String) -> (String, [String]) {
    var out = ""
    var names: [String] = []
    let whole = Substring(html)
    var rest = whole
    var sounds = ForwardSearch(whole, "[sound:")
    var images = ForwardSearch(whole, "<img", ignoringCase: true)
    var brackets = ForwardSearch(whole, "]")
    var angles = ForwardSearch(whole, ">")
    while true {
      let sound = sounds.next(from: rest.startIndex)
      let image = images.next(from: rest.startIndex)
      guard let chosen = [sound, image].compactMap({ $0 }).min(by: { $0.lowerBound < $1.lowerBound }),
        let end = chosen == sound ? brackets.next(from: chosen.upperBound) : angles.next(from: chosen.upperBound)
      else { break }
      out += rest[..<chosen.lowerBound]
      if chosen == sound {
        let name = String(whole[chosen.upperBound..<end.lowerBound]).trimmingWhitespace()
        out += "[audio: \(name)]"
        names.append(name)
      } else if let name = source(of: whole[chosen.upperBound..<end.lowerBound]) {
        out += "[image: \(name)]"
        names.append(name)
      } else {
        out += "[image]"
      }
      rest = whole[end.upperBound...]
    }
    return (out + rest, names)
  }

  /// The `src` attribute of an `<img …>` tag's inside, entities decoded.
  static func source(of tag: Substring) -> String? {
    guard let attribute = tag.firstRange(ofASCII: "src=", ignoringCase: true) else { return nil }
    var value = tag[attribute.upperBound...]
    if let quote = value.first, quote == "\"" || quote == "'" {
      value = value.dropFirst()
      value = value.prefix { $0 != quote }
    } else {
      value = value.prefix { $0 != " " && $0 != "/" && $0 != ">" }
    }
    let name = HTMLText.plain(String(value))
    return name.isEmpty ? nil : name
  }

  /// Anki cloze markup as Engram numbered blanks (the same syntax, checked), with each blank's
  /// number: "{{c2::Paris::city}} in {{c1::France}}" → (the same text, [2, 1]). A `{{c` that is
  /// not a cloze is left as text.
  /// Linear in the text, whatever it holds.
  static func cloze(_ text: String) -> (String, [Int]) {
    let bytes = Array(text.utf8)
    let count = bytes.count
    var out: [UInt8] = []
    out.reserveCapacity(count)
    var numbers: [Int] = []
    // The next "}}" at or after a position, remembered so no stretch is searched twice.
    var close = -1
    var noCloseFrom = Int.max
    func closing(from start: Int) -> Int? {
      if close >= start { return close }
      guard start < noCloseFrom else { return nil }
      var index = start
      while index + 1 < count {
        if bytes[index] == 125 && bytes[index + 1] == 125 {
          close = index
          return index
        }
        index += 1
      }
      noCloseFrom = start
      return nil
    }
    var index = 0
    while index < count {
      if bytes[index] == 123, index + 2 < count, bytes[index + 1] == 123, bytes[index + 2] == 99 {  // "{{c"
        var cursor = index + 3
        var number = 0
        while cursor < count, cursor - index - 3 < 4, bytes[cursor] >= 48, bytes[cursor] <= 57 {
          number = number * 10 + Int(bytes[cursor] - 48)
          cursor += 1
        }
        if cursor > index + 3, cursor + 1 < count, bytes[cursor] == 58, bytes[cursor + 1] == 58,
          let end = closing(from: cursor + 2)
        {
          out.append(contentsOf: "{{c\(number)::".utf8)
          out.append(contentsOf: bytes[(cursor + 2)..<end])
          out.append(contentsOf: [125, 125])
          numbers.append(number)
          index = end + 2
          continue
        }
      }
      out.append(bytes[index])
      index += 1
    }
    return (String(decoding: out, as: UTF8.self), numbers)
  }

}
