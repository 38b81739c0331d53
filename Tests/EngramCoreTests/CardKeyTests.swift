import Testing

@testable import EngramCore

@Suite struct CardKeyTests {
  @Test(arguments: [
    ("ml-fundamentals/overfitting", "ml-fundamentals", "overfitting", nil as Int?),
    ("a/b", "a", "b", nil),
    ("deck-1/0", "deck-1", "0", nil),
    ("-/-", "-", "-", nil),
    ("stats/bayes#1", "stats", "bayes", 1),
    ("stats/bayes#12", "stats", "bayes", 12),
    ("stats/bayes#9223372036854775807", "stats", "bayes", Int.max),
  ])
  func parsesValidKeys(text: String, deck: String, note: String, blank: Int?) throws {
    let key = try #require(CardKey(text))
    #expect(key.deckID == deck)
    #expect(key.noteID == note)
    #expect(key.blank == blank)
    #expect(key.description == text)
    #expect(key == CardKey(deckID: deck, noteID: note, blank: blank))
    #expect(CardKey.isValid(text))
    #expect(Note.isValidLink(text))
  }

  @Test(arguments: [
    "",  // nothing
    "deck",  // no note
    "/note", "deck/", "/",  // an empty id
    "deck/note/extra", "a/b/c#1",  // two slashes
    "Deck/note", "deck/Note", "deck/no_te", "deck/no te", "déck/note", " deck/note", "deck/note ",  // not an id
    "deck/note#", "deck/note#x", "deck/note#1x", "deck/note#-1", "deck/note#+1", "deck/note# 1",  // not a number
    "deck/note#1#2", "deck#1/note", "deck/#1",  // a misplaced hash
    "deck/note#0", "deck/note#00", "deck/note#01", "deck/note#007",  // zero or leading zeros
    "deck/note#٣", "deck/note#１",  // digits but not ASCII ones
    "deck/note#9223372036854775808", "deck/note#99999999999999999999999999999999",  // beyond Int: no crash
  ])
  func rejectsInvalidKeys(text: String) {
    #expect(CardKey(text) == nil)
    #expect(!CardKey.isValid(text))
    #expect(!Note.isValidLink(text))
  }

  @Test func parsesSubstringsAndSlices() throws {
    let line = "x,deck/note#3,y"
    let field = line.split(separator: ",")[1]
    let key = try #require(CardKey(field))
    #expect(key.description == "deck/note#3")
  }

  @Test func roundTripsFromParts() {
    for blank in [nil, 1, 2, 10, 999, Int.max] as [Int?] {
      let key = CardKey(deckID: "d-1", noteID: "n-2", blank: blank)
      #expect(CardKey(key.description) == key)
    }
  }

  @Test func noteKeyDropsTheBlank() throws {
    let blank = try #require(CardKey("stats/bayes#2"))
    #expect(blank.noteKey.description == "stats/bayes")
    #expect(blank.noteKey == CardKey("stats/bayes"))
    let question = try #require(CardKey("stats/bayes"))
    #expect(question.noteKey == question)
  }

  @Test func ordersAsItsText() {
    let texts = ["a/b#10", "a/b#2", "a-b/c", "a/b", "ab/c", "a/b-c", "a/b#1"]
    let keys = texts.compactMap { CardKey($0) }
    #expect(keys.count == texts.count)
    #expect(keys.sorted().map(\.description) == texts.sorted())
  }

  @Test func deckPartIsTheTextBeforeTheSlash() {
    #expect(CardKey.deckPart(of: "stats/bayes#2") == "stats")
    #expect(CardKey.deckPart(of: "no-slash") == nil)
  }

  /// An imported Anki note's second template is its own note, `<note>-2`, keyed without a
  /// blank (AnkiConverter.CardRef); a cloze note's n-th card is blank n.
  @Test func templateAndClozeCardKeysFromTheImporter() throws {
    let template = try #require(CardKey("anki-spanish/1700000000000-2"))
    #expect(template.deckID == "anki-spanish")
    #expect(template.noteID == "1700000000000-2")
    #expect(template.blank == nil)
    let cloze = try #require(CardKey("anki-spanish/1700000000001#3"))
    #expect(cloze.blank == 3)
  }

  @Test func cardsOfANoteAreKeyedByCardKey() {
    let cloze = Note(id: "bayes", content: .cloze("{{c1::prior}} times {{c2::likelihood}}"))
    let cards = cloze.cards(deckID: "stats")
    #expect(cards.map(\.key) == ["stats/bayes#1", "stats/bayes#2"])
    #expect(cards.allSatisfy { CardKey($0.key)?.noteKey.description == $0.siblingGroup })
    let basic = Note(id: "mean", content: .basic(question: "q", answer: "a"))
    #expect(basic.cards(deckID: "stats").map(\.key) == ["stats/mean"])
  }
}
