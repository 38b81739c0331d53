import EngramCore
import EngramStore
import Foundation

/// Resolves what the learner typed after `review` to cards: a deck id, a deck's title or topic,
/// or a tag.
enum DeckSelection {
  /// The cards to study and a title for them.
  static func resolve(_ target: String?, in library: DeckLibrary) throws -> (title: String, cards: [Card]) {
    guard let raw = target?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
      return ("all decks", library.cards)
    }
    let target = raw.lowercased()
    // Best tier wins: exact id, exact title or topic, id prefix, then substring of id/title/topic.
    let tiers: [(Deck) -> Bool] = [
      { $0.id == target },
      { $0.title.lowercased() == target || $0.topics.contains { $0.lowercased() == target } },
      { $0.id.hasPrefix(target) },
      {
        $0.id.contains(target) || $0.title.lowercased().contains(target)
          || $0.topics.contains { $0.lowercased().contains(target) }
      },
    ]
    for tier in tiers {
      let decks = library.decks.filter(tier)
      if !decks.isEmpty {
        return (decks.map(\.id).joined(separator: ", "), decks.flatMap(\.cards))
      }
    }
    let tagged = library.cards.filter { card in card.note.tags.contains { $0.lowercased() == target } }
    if !tagged.isEmpty { return ("tag '\(raw)'", tagged) }
    let ids = library.decks.map(\.id).joined(separator: ", ")
    throw UserError("no deck, topic or tag matches '\(raw)'; decks: \(ids)")
  }
}
