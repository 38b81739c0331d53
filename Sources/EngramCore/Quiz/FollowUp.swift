/// Chooses the one follow-up question offered after a wrong or close answer: a card the missed
/// card links to with `See:`, else the nearest card by shared tags and words.
///
/// Siblings of the missed card (other blanks or templates of its note) are never chosen: they
/// would give the answer away or repeat it.
public enum FollowUp {
  /// The follow-up for `missed`: the first of `linked` (its `See:` cards, in order) that is
  /// eligible, else the nearest of `neighbours`. Cards of the sibling groups in `excluding`
  /// (what the session asks or asked) are skipped, as are the missed card's own siblings.
  public static func pick(
    after missed: Card, linked: [Card], neighbours cards: [Card], excluding: Set<String> = []
  ) -> Card? {
    func eligible(_ card: Card) -> Bool {
      card.siblingGroup != missed.siblingGroup && !excluding.contains(card.siblingGroup)
    }
    if let card = linked.first(where: eligible) { return card }
    let tags = Set(missed.note.tags.filter { $0 != "scenario" })
    let words = contentWords(missed.front + " " + missed.back)
    var best: (card: Card, score: Double)?
    for card in cards where eligible(card) {
      let sharedTags = Double(tags.intersection(card.note.tags).count)
      let other = contentWords(card.front + " " + card.back)
      let union = words.union(other).count
      let overlap = union == 0 ? 0 : Double(words.intersection(other).count) / Double(union)
      let score = sharedTags * 2 + overlap * 6 + (card.deckID == missed.deckID ? 0.5 : 0)
      // Ties keep the earlier card, so the choice does not depend on anything but the decks.
      if score > 0, score > (best?.score ?? 0) { best = (card, score) }
    }
    return best?.card
  }

  /// The stems of the words that carry meaning (the grader's key terms).
  static func contentWords(_ text: String) -> Set<String> { Set(TextNormalizer.keyTerms(text)) }
}
