import Testing

@testable import EngramCore

@Suite struct TextNormalizerTests {
  @Test(arguments: [
    ("The F1-score!", "f1 score"),
    ("  An   Overfit\tmodel ", "overfit model"),
    ("the model's output", "model output"),  // a possessive 's goes, so hints name "model"
    ("don't overfit", "dont overfit"),  // other apostrophes join the word
    ("the models' outputs", "models outputs"),
    ("Café RÉSUMÉ", "cafe resume"),
    ("ＡＢＣ", "abc"),
    ("4 hrs", "4 hours"),
    ("2 wks", "2 weeks"),
    ("5%", "5 percent"),
    ("R&D", "r and d"),
    ("-2", "minus 2"),
    ("(−0.5)", "minus 0 5"),
  ])
  func `answers reduce to one comparable form`(text: String, normal: String) {
    #expect(TextNormalizer.normalized(text) == normal)
  }

  @Test func `a hyphen inside a word is not a minus sign`() {
    #expect(TextNormalizer.words("F1-score") == ["f1", "score"])
    #expect(TextNormalizer.words("x-2") == ["x", "2"])
    #expect(TextNormalizer.words("a -2") == ["a", "minus", "2"])
  }

  @Test func `ASCII and Unicode paths agree on ASCII text`() {
    let text = "Precision, Recall & the F1-Score: 'it's' 42!"
    #expect(TextNormalizer.asciiWords(text) == TextNormalizer.foldedWords(text))
  }

  @Test func `key terms drop stop words and short words but keep numbers`() {
    #expect(TextNormalizer.keyTerms("It is basically the labelling of data") == ["label", "data"])
    #expect(TextNormalizer.keyTerms("an F1 of 90") == ["f1", "90"])
    #expect(TextNormalizer.keyTerms("labels label labelled") == ["label"])
  }

  @Test func `key term words keep the word as first written for hints`() {
    let terms = TextNormalizer.keyTermWords("predictions predicted")
    #expect(terms.count == 1)
    #expect(terms.first?.stem == "predict")
    #expect(terms.first?.word == "predictions")
  }

  @Test(arguments: [
    ("labels", "label"), ("labelling", "label"), ("prediction", "predict"), ("predicts", "predict"),
    ("stopped", "stop"), ("studies", "study"), ("carried", "carry"), ("quickly", "quick"),
    ("gas", "gas"), ("is", "is"),
  ])
  func `the stemmer strips common suffixes and doubled consonants`(word: String, stem: String) {
    #expect(TextNormalizer.stem(word) == stem)
  }

  @Test(arguments: [("", "", 0), ("", "abc", 3), ("kitten", "sitting", 3), ("flaw", "lawn", 2), ("漢字", "漢子", 1)])
  func `edit distance is Levenshtein over scalars`(a: String, b: String, distance: Int) {
    #expect(TextNormalizer.editDistance(a, b) == distance)
    #expect(TextNormalizer.editDistance(b, a) == distance)
  }
}
