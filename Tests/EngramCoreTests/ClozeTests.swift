import Testing

@testable import EngramCore

@Suite struct ClozeTests {
  let text = "Making a model more flexible lowers its {{bias}} and raises its {{variance}}."

  @Test func `each blank becomes its own card with the others filled in`() {
    let note = Note(id: "bias-variance", content: .cloze(text))
    let cards = note.cards(deckID: "ml")
    #expect(cards.map(\.key) == ["ml/bias-variance#1", "ml/bias-variance#2"])
    #expect(cards[0].front == "Making a model more flexible lowers its [...] and raises its variance.")
    #expect(cards[0].back == "bias")
    #expect(cards[1].front == "Making a model more flexible lowers its bias and raises its [...].")
  }

  @Test(arguments: [
    ("no blank here", Cloze.ClozeProblem.noBlank),
    ("an {{}} blank", .empty),
    ("an {{  }} blank", .empty),
    ("an {{open blank", .unterminated),
    ("a {{nested {{x}} }} blank", .unterminated),
    ("a closed}} blank", .unopened),
  ])
  func `malformed cloze text is detected`(text: String, problem: Cloze.ClozeProblem) {
    #expect(Cloze.problem(in: text) == problem)
  }
}

@Suite struct NumberedClozeTests {
  @Test func `blanks sharing a number are one card keyed by that number`() {
    let note = Note(id: "n", content: .cloze("{{c2::a}} then {{c1::b}} and {{c2::c}}"))
    let cards = note.cards(deckID: "d")
    #expect(cards.map(\.key) == ["d/n#1", "d/n#2"])
    #expect(cards[0].front == "a then [...] and c")
    #expect(cards[0].back == "b")
    #expect(cards[1].front == "[...] then b and [...]")
    #expect(cards[1].back == "a, c")
  }

  @Test func `a hint is shown in place of the hidden text`() {
    let note = Note(id: "n", content: .cloze("Tu as oublié son nom ? Non, {{c1::je m'en souviens::I remember it}}."))
    #expect(note.cards(deckID: "d")[0].front == "Tu as oublié son nom ? Non, [I remember it].")
    #expect(note.cards(deckID: "d")[0].back == "je m'en souviens")
  }

  @Test func `inserting a numbered blank before the others keeps every card's key and text`() {
    let before = Note(id: "n", content: .cloze("{{c1::Paris}} is in {{c2::France}}")).cards(deckID: "d")
    let after = Note(id: "n", content: .cloze("{{c3::Today}} {{c1::Paris}} is in {{c2::France}}")).cards(deckID: "d")
    #expect(after.map(\.key) == ["d/n#1", "d/n#2", "d/n#3"])
    #expect(after[0].back == before[0].back)
    #expect(after[1].back == before[1].back)
  }

  @Test func `unnumbered blanks keep their positional keys`() {
    #expect(Note(id: "n", content: .cloze("{{a}} {{b}}")).cards(deckID: "d").map(\.key) == ["d/n#1", "d/n#2"])
    #expect(Cloze.blank("std::vector").number == nil)
    #expect(Cloze.blank("c0::x").number == nil)
    #expect(Cloze.blank("c12::x::y") == Cloze.Blank(number: 12, text: "x", hint: "y"))
  }

  @Test func `mixing numbered and unnumbered blanks, or an empty numbered blank, is a problem`() {
    #expect(Cloze.problem(in: "{{c1::a}} {{b}}") == .mixedNumbering)
    #expect(Cloze.problem(in: "{{c1::}}") == .empty)
    #expect(Cloze.problem(in: "{{c1::a::hint}} {{c2::b}}") == nil)
  }
}

@Suite struct ClozeRevealTests {
  @Test func `a numbered card's answer shows its sentence without numbers or hints, its blanks marked`() {
    let note = Note(
      id: "task-types",
      content: .cloze(
        "A category is {{c1::classification}}, a number {{c2::regression::kind of task}} and groups {{c3::clustering}}."
      ))
    let cards = note.cards(deckID: "ml")
    #expect(cards.map(\.key) == ["ml/task-types#1", "ml/task-types#2", "ml/task-types#3"])
    #expect(
      cards[1].revealedCloze { "<\($0)>" }
        == "A category is classification, a number <regression> and groups clustering.")
    #expect(cards[1].front == "A category is classification, a number [kind of task] and groups clustering.")
  }

  @Test func `blanks sharing a number are all marked, and numbers need not start at one or be in order`() {
    let note = Note(id: "n", content: .cloze("{{c3::Paris}} is in {{c2::France}}; {{c3::Lyon}} too."))
    let cards = note.cards(deckID: "geo")
    #expect(cards.map(\.key) == ["geo/n#2", "geo/n#3"])
    #expect(cards[1].revealedCloze { "<\($0)>" } == "<Paris> is in France; <Lyon> too.")
    #expect(cards[0].revealedCloze { "<\($0)>" } == "Paris is in <France>; Lyon too.")
  }

  @Test func `unnumbered blanks keep their positional meaning`() {
    let note = Note(id: "n", content: .cloze("{{a}} then {{b}}"))
    let cards = note.cards(deckID: "d")
    #expect(cards[1].revealedCloze { "<\($0)>" } == "a then <b>")
  }

  @Test func `card numbers are those of the cards, by position or by number`() {
    for text in ["{{a}} {{b}} {{c}}", "{{c3::a}} {{c1::b}} {{c3::c}}", "no blank", "{{c2::a::h}} {{c10::b}}"] {
      #expect(Cloze.cardNumbers(in: text) == Cloze.cards(in: text).map(\.number))
    }
    #expect(Cloze.cardNumbers(in: "{{c3::a}} {{c1::b}} {{c3::c}}") == [1, 3])
  }
}
