/// Builds wrong options for a multiple-choice question.
public enum Distractors {
  /// Up to `count` wrong options for `card`: its own `Choices:` first, then answers of other
  /// cards of the same kind (see `AnswerKind`), from cards sharing a tag before cards of the
  /// same deck before the rest, closest in length first.
  ///
  /// Never the answer or one of its `Accept:` forms (after normalising), never an option the
  /// grader would accept as the answer, never a sibling of the card (another blank of its
  /// note), never the same option twice. Phrases of a very different length are used only
  /// when nothing closer is left; other kinds are never mixed.
  public static func options(for card: Card, among cards: [Card], count: Int = 3) -> [String] {
    var seen = Set(([card.back] + card.note.accept).map(TextNormalizer.normalized))
    var result: [String] = []
    func take(_ option: String) {
      let key = TextNormalizer.normalized(option)
      guard !key.isEmpty, result.count < count, !seen.contains(key),
        AnswerGrader.grade(option, expected: card.back, accepted: card.note.accept).verdict == .wrong
      else { return }
      seen.insert(key)
      result.append(option)
    }
    for choice in card.note.choices { take(choice) }
    guard result.count < count else { return result }

    let kind = AnswerKind(of: card)
    let tags = Set(card.note.tags)
    let length = card.back.count
    let pool = cards.enumerated().compactMap { offset, other -> (card: Card, tier: Int, kind: AnswerKind, offset: Int)? in
      guard !(other.deckID == card.deckID && other.noteID == card.noteID), !other.back.contains("\n") else { return nil }
      let sharesTag = !tags.isDisjoint(with: other.note.tags)
      let sameDeck = other.deckID == card.deckID
      let tier = sharesTag ? (sameDeck ? 0 : 1) : (sameDeck ? 2 : 3)
      return (other, tier, AnswerKind(of: other), offset)
    }.sorted { a, b in
      if a.tier != b.tier { return a.tier < b.tier }
      let da = abs(a.card.back.count - length)
      let db = abs(b.card.back.count - length)
      return da != db ? da < db : a.offset < b.offset
    }
    for strict in [true, false] {
      for candidate in pool where kind.matches(candidate.kind, strict: strict) { take(candidate.card.back) }
    }
    return result
  }
}
