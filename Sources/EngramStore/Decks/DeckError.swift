import EngramCore

/// A problem in a deck file, reported as `path:line: message`.
public enum DeckError: Error, Equatable, CustomStringConvertible {
  case missingTitle(file: String, line: Int)
  case missingID(file: String)
  case badDeckID(file: String, line: Int, id: String)
  case unknownHeaderKey(file: String, line: Int, key: String)
  case headerTextOutsideKey(file: String, line: Int)
  case badCardID(file: String, line: Int, id: String)
  case duplicateCardID(file: String, line: Int, card: String, firstLine: Int)
  case textOutsideField(file: String, line: Int, card: String)
  case unknownField(file: String, line: Int, card: String, field: String)
  case repeatedField(file: String, line: Int, card: String, field: String)
  case missingAnswer(file: String, line: Int, card: String)
  case missingQuestion(file: String, line: Int, card: String)
  case emptyField(file: String, line: Int, card: String, field: String)
  case mixedKinds(file: String, line: Int, card: String)
  case noContent(file: String, line: Int, card: String)
  case clozeWithoutBlank(file: String, line: Int, card: String)
  case emptyCloze(file: String, line: Int, card: String)
  case unterminatedCloze(file: String, line: Int, card: String)
  case unopenedCloze(file: String, line: Int, card: String)
  case mixedClozeNumbering(file: String, line: Int, card: String)
  case badChoice(file: String, line: Int, card: String)
  case choiceEqualsAnswer(file: String, line: Int, card: String, choice: String)
  case choicesOnCloze(file: String, line: Int, card: String)
  case badLink(file: String, line: Int, card: String, link: String)
  case danglingLink(file: String, line: Int, card: String, link: String)
  /// `Sibling:` names no other card of the deck, or the links loop.
  case badSibling(file: String, line: Int, card: String, sibling: String, reason: String)
  case duplicateDeckID(id: String, file: String, otherFile: String)
  /// Bytes that are not usable text (see `SourceText`).
  case badText(SourceText.Problem)
  case unreadable(file: String, reason: String)

  /// The line the problem is on, when it has one: every message with a line starts
  /// `file:line:`, so the line is read from there (for `engram edit` to reopen the editor at).
  public var line: Int? {
    let text = description
    guard text.hasPrefix(file + ":") else { return nil }
    return Int(text.dropFirst(file.count + 1).prefix { $0.isNumber })
  }

  /// The file the problem is in.
  public var file: String {
    switch self {
    case .missingTitle(let file, _), .missingID(let file), .badDeckID(let file, _, _),
      .unknownHeaderKey(let file, _, _), .headerTextOutsideKey(let file, _), .badCardID(let file, _, _),
      .duplicateCardID(let file, _, _, _), .textOutsideField(let file, _, _),
      .unknownField(let file, _, _, _), .repeatedField(let file, _, _, _),
      .missingAnswer(let file, _, _), .missingQuestion(let file, _, _), .emptyField(let file, _, _, _),
      .mixedKinds(let file, _, _), .noContent(let file, _, _), .clozeWithoutBlank(let file, _, _),
      .emptyCloze(let file, _, _), .unterminatedCloze(let file, _, _), .unopenedCloze(let file, _, _),
      .mixedClozeNumbering(let file, _, _),
      .badChoice(let file, _, _), .choiceEqualsAnswer(let file, _, _, _), .choicesOnCloze(let file, _, _),
      .badLink(let file, _, _, _), .danglingLink(let file, _, _, _), .badSibling(let file, _, _, _, _),
      .duplicateDeckID(_, let file, _), .unreadable(let file, _):
      file
    case .badText(.notUTF8(let file, _, _)), .badText(.nulByte(let file, _, _)):
      file
    }
  }

  public var description: String {
    switch self {
    case .missingTitle(let file, let line):
      "\(file):\(line): a deck must start with a '# Title' line"
    case .missingID(let file):
      "\(file):1: the deck has no 'id:' line; add one under the title, e.g. 'id: my-deck'"
    case .badDeckID(let file, let line, let id):
      "\(file):\(line): deck id '\(id)' may use only lowercase letters, digits and '-'"
    case .unknownHeaderKey(let file, let line, let key):
      "\(file):\(line): unknown deck setting '\(key)'; the header allows id, topics and description"
    case .headerTextOutsideKey(let file, let line):
      "\(file):\(line): text before the first card must be 'key: value' (id, topics, description); start cards with '## card-id'"
    case .badCardID(let file, let line, let id):
      "\(file):\(line): card id '\(id)' may use only lowercase letters, digits and '-'"
    case .duplicateCardID(let file, let line, let card, let firstLine):
      "\(file):\(line): card '\(card)': duplicate card id (first used on line \(firstLine)); ids must be unique in a deck"
    case .textOutsideField(let file, let line, let card):
      "\(file):\(line): card '\(card)': text outside a field; start it with Q:, A:, C:, Why:, Tags:, Choices:, Accept: or See:"
    case .unknownField(let file, let line, let card, let field):
      "\(file):\(line): card '\(card)': unknown field '\(field):'; fields are Q, A, C, Why, Tags, Choices, Accept, See (indent the line to keep it as text)"
    case .repeatedField(let file, let line, let card, let field):
      "\(file):\(line): card '\(card)': field '\(field):' appears twice"
    case .missingAnswer(let file, let line, let card):
      "\(file):\(line): card '\(card)': missing answer; add an 'A:' line after the question"
    case .missingQuestion(let file, let line, let card):
      "\(file):\(line): card '\(card)': missing question; add a 'Q:' line before the answer"
    case .emptyField(let file, let line, let card, let field):
      "\(file):\(line): card '\(card)': field '\(field):' is empty"
    case .mixedKinds(let file, let line, let card):
      "\(file):\(line): card '\(card)': a card is either Q:/A: or C: (cloze), not both"
    case .noContent(let file, let line, let card):
      "\(file):\(line): card '\(card)': no Q:/A: or C: field"
    case .clozeWithoutBlank(let file, let line, let card):
      "\(file):\(line): card '\(card)': cloze has no {{blank}}"
    case .emptyCloze(let file, let line, let card):
      "\(file):\(line): card '\(card)': empty cloze '{{}}'; put the hidden text between the braces"
    case .unterminatedCloze(let file, let line, let card):
      "\(file):\(line): card '\(card)': unterminated '{{'; close each blank with '}}'"
    case .unopenedCloze(let file, let line, let card):
      "\(file):\(line): card '\(card)': '}}' without a matching '{{'"
    case .mixedClozeNumbering(let file, let line, let card):
      "\(file):\(line): card '\(card)': some blanks are numbered ({{c1::…}}) and some are not; number them all or none"
    case .badChoice(let file, let line, let card):
      "\(file):\(line): card '\(card)': each wrong option under Choices: must be a line starting with '- '"
    case .choiceEqualsAnswer(let file, let line, let card, let choice):
      "\(file):\(line): card '\(card)': wrong option '\(choice)' is the same as the answer"
    case .choicesOnCloze(let file, let line, let card):
      "\(file):\(line): card '\(card)': Choices: needs a Q:/A: card, not a cloze"
    case .badLink(let file, let line, let card, let link):
      "\(file):\(line): card '\(card)': See: link '\(link)' is not a card key; write 'deck-id/card-id', separated by commas"
    case .danglingLink(let file, let line, let card, let link):
      "\(file):\(line): card '\(card)': See: names '\(link)', which no loaded deck has"
    case .badSibling(let file, let line, let card, let sibling, let reason):
      "\(file):\(line): card '\(card)': Sibling: '\(sibling)' \(reason); name the id of another card of this deck"
    case .duplicateDeckID(let id, let file, let otherFile):
      "\(file):1: deck id '\(id)' is already used by \(otherFile); deck ids must be unique"
    case .badText(let problem):
      problem.description
    case .unreadable(let file, let reason):
      "\(file): cannot read: \(reason)"
    }
  }
}
