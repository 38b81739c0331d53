import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// Looking a card up by key from real deck files: from the parsed library, from the card's own
/// deck file, or from its note alone when the decks are the snapshot's; what was parsed is kept.
@Suite struct CardIndexTests {
  let home = TemporaryDirectory()
  let deck = "# Mini\nid: mini\n\n## a\nQ: Which one?\nA: This one\n\n## b\nC: The {{first}} and the {{second}}.\n"

  var path: String { home.path + "/decks/mini.md" }

  /// A lookup that counts how often it asked for a deck's file.
  func lookup(
    _ key: String, in index: inout CardIndex, library: DeckLibrary? = nil, fromSnapshot: Bool = false,
    asked: inout Int
  ) -> Card? {
    index.card(key, loadedLibrary: library, fromSnapshot: fromSnapshot) { id in
      asked += 1
      return id == "mini" ? path : nil
    }
  }

  @Test func `a basic card and each blank of a cloze are found from the deck file`() {
    home.write("decks/mini.md", deck)
    var index = CardIndex()
    var asked = 0
    let basic = lookup("mini/a", in: &index, asked: &asked)
    #expect(basic?.key == "mini/a")
    #expect(basic?.front == "Which one?")
    #expect(basic?.back == "This one")
    #expect(lookup("mini/b#2", in: &index, asked: &asked)?.back == "second")
    #expect(lookup("mini/b#1", in: &index, asked: &asked)?.back == "first")
    // The deck was parsed once, on the first lookup; the others found its notes kept.
    #expect(asked == 1)
  }

  @Test func `a card of the parsed library is found without reading any file`() {
    home.write("decks/mini.md", deck)
    let library = DeckLibrary.load(userDecks: home.path + "/decks")
    home.write("decks/mini.md", "# Mini\nid: mini\n\n## a\nQ: Changed\nA: Changed\n")
    var index = CardIndex()
    var asked = 0
    #expect(lookup("mini/a", in: &index, library: library, asked: &asked)?.front == "Which one?")
    #expect(asked == 0)
  }

  @Test func `a deck parsed once is not read again, so a note added since is not found`() {
    home.write("decks/mini.md", deck)
    var index = CardIndex()
    var asked = 0
    #expect(lookup("mini/a", in: &index, asked: &asked) != nil)
    home.write("decks/mini.md", deck + "\n## c\nQ: New\nA: Note\n")
    #expect(lookup("mini/c", in: &index, asked: &asked) == nil)
    #expect(asked == 1)
  }

  @Test func `from the snapshot each note is parsed alone, when it is first asked for`() {
    home.write("decks/mini.md", deck)
    var index = CardIndex()
    var asked = 0
    #expect(lookup("mini/a", in: &index, fromSnapshot: true, asked: &asked)?.back == "This one")
    // Note b was not parsed with a: changed now, it is read as it is now.
    home.write("decks/mini.md", deck.replacingOccurrences(of: "{{second}}", with: "{{other}}"))
    #expect(lookup("mini/b#2", in: &index, fromSnapshot: true, asked: &asked)?.back == "other")
    #expect(asked == 2)
  }

  @Test func `an unknown deck, note or key that is not a card key finds nothing`() {
    home.write("decks/mini.md", deck)
    var index = CardIndex()
    var asked = 0
    #expect(lookup("other/a", in: &index, asked: &asked) == nil)
    #expect(lookup("mini/zz", in: &index, asked: &asked) == nil)
    #expect(lookup("mini/b#3", in: &index, asked: &asked) == nil)
    #expect(lookup("no key", in: &index, asked: &asked) == nil)
  }

  @Test func `a deck file that is gone finds nothing`() {
    var index = CardIndex()
    var asked = 0
    #expect(lookup("mini/a", in: &index, asked: &asked) == nil)
    #expect(lookup("mini/a", in: &index, fromSnapshot: true, asked: &asked) == nil)
  }
}
