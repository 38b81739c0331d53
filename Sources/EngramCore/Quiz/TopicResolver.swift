/// Resolves what a learner types after `quiz`, `cram`, `review` or `stats` to a set of cards.
///
/// Readings are tried from the broadest name to the narrowest, and the first kind that matches
/// wins:
/// 1. a deck, by its id or title (exactly, as a prefix, or as whole words: `agile`, `ethics`);
/// 2. a tag (exactly or as a prefix: `alpha` for `alpha-one`);
/// 3. words in the cards: the cards whose question, answer, explanation or tags use the words
///    (whole words compared by stem, so `sit` never matches "situation");
/// 4. an entry of a deck's `topics:` line, as the whole deck, only when no card names it.
///
/// So a topic narrower than a deck (`drift`, listed on the lifecycle deck's `topics:` line)
/// gives the cards about it rather than the whole deck. Within a kind, exact beats prefix beats
/// whole words; equally good readings are listed for the learner to choose.
public enum TopicResolver {
  /// One way the topic can be read.
  public struct Match: Sendable, Equatable {
    public enum Kind: Int, Sendable, Comparable {
      case deck = 0
      case topic
      case tag
      case text
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

  /// How well `query` names `candidate`: 0 exactly, 1 as a prefix ending at a word boundary,
  /// 2 as a run of whole words inside it; nil otherwise.
  static func score(_ query: [String], naming candidate: String) -> Int? {
    let words = TextNormalizer.normalized(candidate).split(separator: " ").map(String.init)
    guard !query.isEmpty, query.count <= words.count else { return nil }
    if words == query { return 0 }
    if Array(words.prefix(query.count)) == query { return 1 }
    return contains(Array(words.dropFirst()), phrase: query) ? 2 : nil
  }

  public static func resolve(_ topic: String, decks: [Deck]) -> Resolution {
    let normalized = TextNormalizer.normalized(topic)
    let query = normalized.split(separator: " ").map(String.init)
    guard !query.isEmpty else { return .unknown(suggestions: decks.map(\.id)) }

    // 1. Decks by id or title.
    var matches = deckScores(query, decks).map { deck, s in
      Match(label: deck.id, kind: .deck, score: s, keys: deck.cards.map(\.key))
    }
    if let resolution = strongest(matches) { return resolution }

    // 2. Tags, exactly or as a prefix.
    var tagKeys: [String: [String]] = [:]
    var tagScores: [String: Int] = [:]
    for deck in decks {
      for card in deck.cards {
        for tag in card.note.tags {
          guard let s = score(query, naming: tag), s < 2 else { continue }
          tagKeys[tag, default: []].append(card.key)
          tagScores[tag] = s
        }
      }
    }
    for (tag, keys) in tagKeys {
      matches.append(Match(label: tag, kind: .tag, score: tagScores[tag] ?? 1, keys: keys))
    }
    if let resolution = strongest(matches) { return resolution }

    // 3. Words in the cards: the words as a phrase, else each of them anywhere in the card.
    let stems = query.map(TextNormalizer.stem)
    let cards = decks.flatMap(\.cards)
    let cardStems = cards.map { card in
      TextNormalizer.words(
        [card.front, card.back, card.note.why, card.note.tags.joined(separator: " ")].joined(separator: " ")
      )
      .map(TextNormalizer.stem)
    }
    var keys = zip(cards, cardStems).filter { contains($0.1, phrase: stems) }.map(\.0.key)
    if keys.isEmpty && stems.count > 1 {
      keys = zip(cards, cardStems).filter { card in stems.allSatisfy(Set(card.1).contains) }.map(\.0.key)
    }
    if !keys.isEmpty { return .cards(label: "cards mentioning '\(topic)'", keys: keys) }

    // 4. A deck's `topics:` entry that no card mentions: the deck.
    for deck in decks {
      if let s = deck.topics.compactMap({ score(query, naming: $0) }).filter({ $0 < 2 }).min() {
        matches.append(Match(label: deck.id, kind: .topic, score: s, keys: deck.cards.map(\.key)))
      }
    }
    if let resolution = strongest(matches) { return resolution }
    return .unknown(suggestions: nearest(normalized, decks: decks))
  }

  /// The decks `topic` names by id or title, as step 1 of `resolve` reads them: the best
  /// readings only (one, or several equally good). Commands that act on one whole deck
  /// (`export`) take the same short names `quiz` does.
  public static func decks(named topic: String, in decks: [Deck]) -> [Deck] {
    let scored = deckScores(TextNormalizer.normalized(topic).split(separator: " ").map(String.init), decks)
    guard let best = scored.map(\.score).min() else { return [] }
    return scored.filter { $0.score == best }.map(\.deck)
  }

  /// Each deck `query` names by its id or title, with the better of the two scores.
  private static func deckScores(_ query: [String], _ decks: [Deck]) -> [(deck: Deck, score: Int)] {
    decks.compactMap { deck in
      [score(query, naming: deck.id), score(query, naming: deck.title)].compactMap { $0 }.min().map { (deck, $0) }
    }
  }

  /// Whether `words` holds `phrase` as consecutive words.
  static func contains(_ words: [String], phrase: [String]) -> Bool {
    guard !phrase.isEmpty, words.count >= phrase.count else { return false }
    for start in 0...(words.count - phrase.count) where words[start] == phrase[0] {
      if Array(words[start..<(start + phrase.count)]) == phrase { return true }
    }
    return false
  }

  /// The best of `matches`: one, all of several exact deck readings, or the tied ones to choose
  /// from; nil when there are none.
  static func strongest(_ matches: [Match]) -> Resolution? {
    guard let best = matches.min(by: { ($0.kind, $0.score) < ($1.kind, $1.score) }) else { return nil }
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
      for topic in deck.topics { names.insert(topic.lowercased()) }
      for note in deck.notes { names.formUnion(note.tags) }
    }
    return nearest(to: query, among: Array(names))
  }

  /// The (up to three) names closest to `query`, nearest first: those within a typo's reach
  /// (edit distance up to a third of the query, at least 2) or containing it or contained in
  /// it. A name far from everything typed is no help, so none is better than three unrelated.
  public static func nearest(to query: String, among names: [String]) -> [String] {
    let typed = TextNormalizer.normalized(query)
    guard !typed.isEmpty else { return [] }
    let typedCount = typed.count
    let reach = max(2, typedCount / 3)
    return names.compactMap { name -> (String, Int)? in
      let normal = TextNormalizer.normalized(name)
      // An edit distance is at least the difference in length, so the quadratic distance is
      // computed only where it can be within reach (a pasted page as a topic stays linear).
      let gap = abs(normal.count - typedCount)
      if gap <= reach {
        let distance = TextNormalizer.editDistance(typed, normal)
        if distance <= reach { return (name, distance) }
      }
      // One containing the other: the distance is exactly the difference in length.
      let related = normal.contains(typed) || (typedCount >= 3 && !normal.isEmpty && typed.contains(normal))
      return related ? (name, gap) : nil
    }
    .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0)
  }
}
