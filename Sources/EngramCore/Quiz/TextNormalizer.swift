import Foundation

/// Reduces answers to a comparable form: lower case, accents folded, punctuation and articles
/// dropped, whitespace collapsed. "The F1-score!" and "f1 score" compare equal.
public enum TextNormalizer {
  static let articles: Set<String> = ["a", "an", "the"]

  /// Words that carry no content (function words and the fillers people type, such as
  /// "basically" or "something"), ignored when grading long answers by key terms and never
  /// listed as missing.
  static let stopWords: Set<String> = [
    "a", "an", "the", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
    "is", "are", "was", "were", "be", "been", "being", "am", "it", "its", "itself", "this", "that", "these",
    "those", "there", "here", "their", "theirs", "they", "them", "themselves", "not", "no", "yes", "so", "than",
    "then", "into", "onto", "about", "over", "under", "which", "who", "whom", "whose", "what", "when", "where",
    "why", "how", "whether", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "do",
    "does", "did", "doing", "done", "has", "have", "had", "having", "each", "any", "all", "both", "either",
    "neither", "some", "such", "more", "most", "less", "least", "only", "also", "very", "too", "just", "one",
    "your", "yours", "you", "our", "ours", "we", "us", "i", "me", "my", "mine", "he", "him", "his", "she",
    "her", "hers", "if", "while", "because", "per", "via", "up", "out", "off", "again", "once", "own",
    "same", "other", "others", "another", "even", "still", "yet", "though", "although", "however", "thus",
    "therefore", "hence", "etc", "eg", "ie", "vs", "versus", "really", "basically", "actually", "simply",
    "literally", "generally", "usually", "often", "mostly", "mainly", "quite", "rather", "pretty", "somewhat",
    "kind", "sort", "like", "thing", "things", "something", "anything", "everything", "nothing", "stuff",
    "way", "ways", "lot", "lots", "much", "many", "well", "ok", "okay", "um", "uh", "maybe", "perhaps",
    "probably", "im", "thats", "theres", "whats", "dont", "doesnt", "isnt", "arent",
    // Generic verbs, comparatives and prepositions that answers use to join their ideas: a learner
    // who names the ideas without them has left nothing out.
    "against", "current", "currently", "work", "works", "worked", "use", "used", "uses", "using", "better",
    "worse", "best", "make", "makes", "made", "get", "gets", "got", "give", "gives", "given", "between",
    "through", "during", "among", "upon", "toward", "towards", "instead",
  ]

  /// Symbols that stand for a word, written out before comparing so that "5%" and "5 percent",
  /// "R&D" and "R and D", "-2" and "minus 2" are the same answer.
  static func spellingSymbols(_ text: String) -> String {
    guard text.contains(where: { "%&+−-".contains($0) }) else { return text }
    var result = ""
    var previous: Character?
    var characters = text.makeIterator()
    var next = characters.next()
    while let character = next {
      let following = characters.next()
      switch character {
      case "%": result += " percent "
      case "&": result += " and "
      case "+": result += " plus "
      case "−": result += " minus "
      case "-" where following?.isNumber == true && !(previous?.isLetter == true || previous?.isNumber == true):
        // A minus sign before a number ("-2", "(-0.5)"), not a hyphen inside a word ("F1-score").
        result += " minus "
      default: result.append(character)
      }
      previous = character
      next = following
    }
    return result
  }

  /// The normalised words of `text`.
  public static func words(_ text: String) -> [String] {
    let text = spellingSymbols(text)
    return text.utf8.allSatisfy({ $0 < 128 }) ? asciiWords(text) : foldedWords(text)
  }

  /// Words after Unicode case, accent and width folding.
  static func foldedWords(_ text: String) -> [String] {
    let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
      .lowercased()
    var words: [String] = []
    var current = ""
    let scalars = Array(folded.unicodeScalars)
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      index += 1
      if CharacterSet.alphanumerics.contains(scalar) {
        current.unicodeScalars.append(scalar)
      } else if scalar == "'" || scalar == "’" {
        // A possessive "'s" goes ("model's" -> "model"); other apostrophes join ("don't" -> "dont").
        if index < scalars.count, scalars[index] == "s",
          index + 1 == scalars.count || !CharacterSet.alphanumerics.contains(scalars[index + 1])
        {
          index += 1
        }
        continue
      } else if !current.isEmpty {
        words.append(current)
        current = ""
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  /// `words` for ASCII text, where folding changes nothing but case: the same words without
  /// Foundation's folding, which dominates importing or grading tens of thousands of cards.
  static func asciiWords(_ text: String) -> [String] {
    var words: [String] = []
    var current: [UInt8] = []
    let bytes = Array(text.utf8)
    func isWordByte(_ byte: UInt8) -> Bool {
      (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte)
    }
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case 65...90: current.append(byte + 32)
      case 97...122, 48...57: current.append(byte)
      case 39:
        // A possessive "'s" goes ("model's" -> "model"); other apostrophes join ("don't" -> "dont").
        if index < bytes.count, bytes[index] == 115 || bytes[index] == 83,
          index + 1 == bytes.count || !isWordByte(bytes[index + 1])
        {
          index += 1
        }
        continue
      default:
        if !current.isEmpty {
          words.append(String(decoding: current, as: UTF8.self))
          current.removeAll(keepingCapacity: true)
        }
      }
    }
    if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
    return words
  }

  /// Abbreviations learners type for units, mapped to the word, so "4 hrs" matches "4 hours".
  static let abbreviations: [String: String] = [
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "min": "minutes", "mins": "minutes",
    "minute": "minutes", "sec": "seconds", "secs": "seconds", "second": "seconds", "wk": "weeks",
    "wks": "weeks", "week": "weeks", "yr": "years", "yrs": "years", "year": "years", "mo": "months",
    "mos": "months", "month": "months", "day": "days", "pct": "percent",
  ]

  /// The normalised form used for whole-answer comparison (articles dropped, unit words and
  /// their abbreviations made the same).
  public static func normalized(_ text: String) -> String {
    words(text).filter { !articles.contains($0) }.map { abbreviations[$0] ?? $0 }.joined(separator: " ")
  }

  /// The content words of `text`, stemmed, for key-term grading.
  public static func keyTerms(_ text: String) -> [String] { keyTermWords(text).map(\.stem) }

  /// Each content word's stem with the word as first written, so that a missing term can be
  /// shown to the learner as a word rather than a stem.
  public static func keyTermWords(_ text: String) -> [(stem: String, word: String)] {
    var seen = Set<String>()
    var terms: [(stem: String, word: String)] = []
    for word in words(text) where !stopWords.contains(word) && (word.count > 2 || word.contains(where: \.isNumber)) {
      let stem = stem(word)
      if seen.insert(stem).inserted { terms.append((stem, word)) }
    }
    return terms
  }

  /// A light suffix stripper (plural, -ing, -ed, -ly, -ation...). Enough to match "labels" with
  /// "labelling" and "predicts" with "prediction" without a dictionary.
  public static func stem(_ word: String) -> String {
    var stem = word
    for suffix in [
      "ational", "ations", "ation", "ions", "ion", "ments", "ment", "ness", "ings", "ing", "ies", "ied", "edly", "ed",
      "ly", "es", "s",
    ] {
      if stem.count > suffix.count + 2, stem.hasSuffix(suffix) {
        stem.removeLast(suffix.count)
        if suffix == "ies" || suffix == "ied" { stem += "y" }
        break
      }
    }
    // "labell" -> "label", "stopp" -> "stop"
    if stem.count > 3, let last = stem.last, stem.dropLast().last == last, !"aeiou".contains(last) {
      stem.removeLast()
    }
    return stem
  }

  /// Levenshtein distance over Unicode scalars.
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[y.count]
  }
}
