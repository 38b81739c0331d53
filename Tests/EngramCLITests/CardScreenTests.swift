import EngramCore
import EngramStore
import Testing

@testable import EngramCLI

/// A card on screen, question and answer together, at the widths a learner uses.
@Suite struct CardScreenTests {
  let terminal = Terminal(environment: ["NO_COLOR": "1"])
  let shipped = DeckLibrary.load(userDecks: "/nonexistent").decks.flatMap(\.cards)

  @Test(arguments: [60, 80, 120])
  func `every shipped card's question stays on a 24-row screen when its answer is revealed`(columns: Int) {
    #expect(shipped.count > 100)
    for card in shipped {
      let screen = CardScreen(
        card: card, options: ReviewSession.options(for: card), columns: columns, terminal: terminal)
      let hint = TextLayout.wrap(
        "Enter shows the answer (or type yours first) · :u undo · :s suspend · :b bury · :e why · :q quit",
        columns: columns)
      let previews = TextLayout.wrap("1 again 10m · 2 hard 1.2mo · 3 good 3.4mo · 4 easy 11.2mo", columns: columns)
      // The blank line before the card, the card, the first card's hint, the answer prompt, the
      // answer with a typed answer as long as the expected one, "(e shows why)", the intervals
      // and the rating prompt.
      let rows =
        1 + screen.question(heading: "\(card.deckID) · 20 left · 0 learning").count + hint.count + 1
        + screen.answer(typed: card.back).count + 1 + previews.count + 1
      #expect(rows <= 24, "\(card.key) takes \(rows) rows at \(columns) columns")
    }
  }

  @Test func `every line of a card fits the width`() {
    for card in shipped {
      let screen = CardScreen(card: card, options: ReviewSession.options(for: card), columns: 60, terminal: terminal)
      for line in screen.question(heading: card.deckID) + screen.answer(typed: "") + screen.explanation() {
        #expect(TextLayout.width(line) <= 60, "\(card.key): \(line)")
      }
    }
  }

  @Test func `a cloze answer is the whole sentence with the blank marked`() {
    let note = Note(id: "boil", content: .cloze("Water boils at {{100}} degrees at {{sea level}}."))
    let card = note.cards(deckID: "c")[1]
    #expect(card.front == "Water boils at 100 degrees at [...].")
    #expect(card.revealedCloze { "<\($0)>" } == "Water boils at 100 degrees at <sea level>.")
    let screen = CardScreen(card: card, options: [], columns: 80, terminal: terminal)
    #expect(screen.answer(typed: "") == ["A: Water boils at 100 degrees at sea level."])
  }

  @Test func `an imported image or sound is pointed at in the media folder when the answer shows`() {
    let note = Note(
      id: "dog", content: .basic(question: "dog [image: dog.jpg]", answer: "perro [audio: perro.mp3] [image: dog.jpg]"))
    let card = note.cards(deckID: "lang")[0]
    let screen = CardScreen(card: card, options: [], columns: 80, terminal: terminal, mediaDirectory: "/data/media")
    let lines = screen.answer(typed: "")
    #expect(lines.contains("   image: /data/media/dog.jpg"))
    #expect(lines.contains("   audio: /data/media/perro.mp3"))
    #expect(lines.filter { $0.contains("dog.jpg") && $0.hasPrefix("   image") }.count == 1, "each file once")
    #expect(CardScreen.media(in: "no media [image: ] [image: ../x]").isEmpty)
  }
}
