/// Builds wrong options for a multiple-choice question.
public enum Distractors {
  /// Three wrong options for `card`: its own `Choices:` when it has them, else answers of other
  /// cards of the same deck and kind, closest in length first. Never the answer itself (after
  /// normalisation), never the same option twice.
  public static func options(for card: Card, among deckCards: [Card], count: Int = 3) -> [String] {
    let answer = TextNormalizer.normalized(card.back)
    var seen: Set<String> = [answer]
    var result: [String] = []
    func take(_ option: String) {
      let key = TextNormalizer.normalized(option)
      guard !key.isEmpty, seen.insert(key).inserted, result.count < count else { return }
      result.append(option)
    }
    for choice in card.note.choices { take(choice) }
    guard result.count < count else { return result }
    let isCloze = card.key.contains("#")
    let pool = deckCards.filter { other in
      other.noteID != card.noteID && other.key.contains("#") == isCloze && !other.back.contains("\n")
    }
    let length = card.back.count
    let ranked = pool.enumerated().sorted { a, b in
      let da = abs(a.element.back.count - length)
      let db = abs(b.element.back.count - length)
      return da != db ? da < db : a.offset < b.offset
    }
    for candidate in ranked { take(candidate.element.back) }
    return result
  }
}
