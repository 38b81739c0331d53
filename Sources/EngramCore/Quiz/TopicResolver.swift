/// Resolves what a learner types after `quiz` or `cram` to a set of cards.
///
/// Matches are tried in order of strength: a deck id, a deck title or `topics:` entry, a tag,
/// then words in the card text; the strongest kind that matches wins. Within a kind, exact beats
/// prefix beats substring.
public enum TopicResolver {
  /// One way the topic can be read.
  public struct Match: Sendable, Equatable {
    public enum Kind: Int, Sendable, Comparable {
      case deck = 0, topic, tag, text
      public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }
    /// What the learner can type to choose exactly this match.
    public var label: String
    public var kind: Kind
    /// Lower is stronger.
    public var score: Int
    public var keys: [String]
  }

  /// The outcome of resolving a topic.
  public enum Resolution: Sendable, Equatable {
    case cards(label: String, keys: [String])
    /// Several equally strong readings: ask the learner.
    case ambiguous([Match])
    /// Nothing matched; the nearest deck ids, topics and tags.
    case unknown(suggestions: [String])
  }

  public static func resolve(_ topic: String, decks: [Deck]) -> Resolution {
    let query = TextNormalizer.normalized(topic)
    guard !query.isEmpty else { return .unknown(suggestions: decks.map(\.id)) }
    var matches: [Match] = []
    func score(_ candidate: String) -> Int? {
      let text = TextNormalizer.normalized(candidate)
      if text == query { return 0 }
      if text.hasPrefix(query) { return 1 }
      if text.contains(query) { return 2 }
      return nil
    }
    for deck in decks {
      let keys = deck.cards.map(\.key)
      if let s = [score(deck.id), score(deck.id.replacingOccurrences(of: "-", with: " "))].compactMap({ $0 }).min() {
        matches.append(Match(label: deck.id, kind: .deck, score: s, keys: keys))
      } else if let s = ([deck.title] + deck.topics).compactMap(score).min() {
        matches.append(Match(label: deck.id, kind: .topic, score: s, keys: keys))
      }
    }
    var tags: [String: [String]] = [:]
    var tagScores: [String: Int] = [:]
    for deck in decks {
      for card in deck.cards {
        for tag in card.note.tags {
          guard let s = [score(tag), score(tag.replacingOccurrences(of: "-", with: " "))].compactMap({ $0 }).min()
          else { continue }
          tags[tag, default: []].append(card.key)
          tagScores[tag] = s
        }
      }
    }
    for (tag, keys) in tags {
      matches.append(Match(label: tag, kind: .tag, score: tagScores[tag] ?? 2, keys: keys))
    }
    if matches.isEmpty {
      // Words in the cards: every query word must appear in the question, answer or why.
      let words = query.split(separator: " ").map(String.init)
      let keys = decks.flatMap(\.cards).filter { card in
        let text = " " + TextNormalizer.normalized(card.front + " " + card.back + " " + card.note.why) + " "
        return words.allSatisfy { text.contains(" " + $0) }
      }.map(\.key)
      if !keys.isEmpty { return .cards(label: "cards mentioning '\(topic)'", keys: keys) }
      return .unknown(suggestions: nearest(query, decks: decks))
    }
    guard let best = matches.min(by: { ($0.kind, $0.score) < ($1.kind, $1.score) }) else {
      return .unknown(suggestions: nearest(query, decks: decks))
    }
    let tied = matches.filter { $0.kind == best.kind && $0.score == best.score }.sorted { $0.label < $1.label }
    if tied.count == 1 { return .cards(label: best.label, keys: best.keys) }
    // An exact deck or topic name shared by several decks covers them all.
    if best.score == 0 && best.kind != .tag {
      return .cards(label: tied.map(\.label).joined(separator: ", "), keys: tied.flatMap(\.keys))
    }
    return .ambiguous(tied)
  }

  /// Deck ids, topics and tags closest to `query` by edit distance.
  static func nearest(_ query: String, decks: [Deck]) -> [String] {
    var names = Set<String>()
    for deck in decks {
      names.insert(deck.id)
      deck.topics.forEach { names.insert($0.lowercased()) }
      deck.notes.forEach { $0.tags.forEach { names.insert($0) } }
    }
    return nearest(to: query, among: Array(names))
  }

  /// The (up to three) names closest to `query` by edit distance, nearest first.
  public static func nearest(to query: String, among names: [String]) -> [String] {
    names.map { ($0, TextNormalizer.editDistance(query, TextNormalizer.normalized($0))) }
      .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0)
  }
}
