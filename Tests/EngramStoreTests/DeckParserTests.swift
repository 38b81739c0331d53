import EngramCore
import Testing

@testable import EngramStore

@Suite struct DeckParserTests {
  let header = "# Test Deck\nid: test\ntopics: testing, qa\ndescription: For tests.\n"

  func errors(_ body: String) -> [DeckError] {
    do {
      _ = try DeckParser.parse(header + body, file: "t.md")
      return []
    } catch {
      return error.errors
    }
  }

  @Test func `parses every field of basic and cloze cards`() throws {
    let text =
      header + """

        ## overfitting
        Q: What is overfitting?
        A: The model has learned the noise of its training data: it scores well
        on data it has seen and poorly on new data.

        It generalises badly.
        Why: Watch the gap between training and validation scores.
        Tags: evaluation, generalization
        Accept: memorising | memorization
        Choices:
        - Underfitting
        - Data drift
        - Label noise

        ## bias-variance
        C: Making a model more flexible lowers its {{bias}} and raises its {{variance}}.
        Why: Flexibility trades one error for the other.
        """
    let deck = try DeckParser.parse(text, file: "t.md")
    #expect(deck.id == "test")
    #expect(deck.title == "Test Deck")
    #expect(deck.topics == ["testing", "qa"])
    #expect(deck.description == "For tests.")
    #expect(deck.notes.count == 2)
    let note = deck.notes[0]
    #expect(note.id == "overfitting")
    #expect(note.line == 6)
    #expect(
      note.content
        == .basic(
          question: "What is overfitting?",
          answer:
            "The model has learned the noise of its training data: it scores well on data it has seen and poorly on new data.\n\nIt generalises badly."
        ))
    #expect(note.why == "Watch the gap between training and validation scores.")
    #expect(note.tags == ["evaluation", "generalization"])
    #expect(note.accept == ["memorising", "memorization"])
    #expect(note.choices == ["Underfitting", "Data drift", "Label noise"])
    #expect(
      deck.notes[1].content == .cloze("Making a model more flexible lowers its {{bias}} and raises its {{variance}}."))
    #expect(deck.cards.map(\.key) == ["test/overfitting", "test/bias-variance#1", "test/bias-variance#2"])
  }

  @Test func `spaces are trimmed at field edges, Unicode spaces included, and kept inside`() throws {
    let deck = try DeckParser.parse(
      header + "\n## spaces\nQ: \u{00A0}\u{3000}Où\u{00A0}est   la gare ?\u{2003}\t\nA:\tà gauche \u{00A0}\n",
      file: "t.md")
    #expect(deck.notes[0].content == .basic(question: "Où\u{00A0}est   la gare ?", answer: "à gauche"))
  }

  @Test func `writing and parsing again gives the same deck`() throws {
    let text =
      header + """

        ## a
        Q: First paragraph.

        Note: second paragraph that looks like a field.
        A: Answer
        Choices:
        - x
        - y
        - z
        Accept: one | two
        Why: Because.
        Tags: t1, t2

        ## b
        C: A {{cloze}} card.
        Why: Why.
        Tags: t3
        """
    let deck = try DeckParser.parse(
      text.replacingOccurrences(of: "\nNote:", with: "\n  Note:"), file: "t.md")
    let written = DeckWriter.markdown(deck)
    var again = try DeckParser.parse(written, file: "t.md")
    // Line numbers differ between layouts; everything else must match.
    for index in again.notes.indices { again.notes[index].line = deck.notes[index].line }
    #expect(again == deck)
  }

  @Test func `a card without an answer is reported at its heading`() {
    #expect(errors("\n## lonely\nQ: Where is the answer?\n") == [.missingAnswer(file: "t.md", line: 6, card: "lonely")])
  }

  @Test func `an answer without a question is reported`() {
    #expect(errors("\n## lonely\nA: 42\n") == [.missingQuestion(file: "t.md", line: 6, card: "lonely")])
  }

  @Test func `a duplicate card id names the first line`() {
    let body = "\n## same\nQ: a\nA: b\n\n## same\nQ: c\nA: d\n"
    #expect(errors(body) == [.duplicateCardID(file: "t.md", line: 10, card: "same", firstLine: 6)])
  }

  @Test func `bad id characters are rejected`() {
    #expect(errors("\n## Bad_ID\nQ: a\nA: b\n") == [.badCardID(file: "t.md", line: 6, id: "Bad_ID")])
  }

  @Test func `an unknown field names the field`() {
    #expect(
      errors("\n## c\nQ: a\nA: b\nHint: try harder\n") == [
        .unknownField(file: "t.md", line: 9, card: "c", field: "Hint")
      ])
  }

  @Test func `cloze problems are reported with their line`() {
    #expect(errors("\n## c\nC: an {{}} blank\n") == [.emptyCloze(file: "t.md", line: 7, card: "c")])
    #expect(errors("\n## c\nC: an {{open blank\n") == [.unterminatedCloze(file: "t.md", line: 7, card: "c")])
    #expect(errors("\n## c\nC: no blank\n") == [.clozeWithoutBlank(file: "t.md", line: 7, card: "c")])
    #expect(errors("\n## c\nC: a closed}} blank\n") == [.unopenedCloze(file: "t.md", line: 7, card: "c")])
  }

  @Test func `text outside a field and repeated fields are reported`() {
    #expect(errors("\n## c\nstray text\nQ: a\nA: b\n") == [.textOutsideField(file: "t.md", line: 7, card: "c")])
    #expect(errors("\n## c\nQ: a\nQ: again\nA: b\n") == [.repeatedField(file: "t.md", line: 8, card: "c", field: "Q")])
  }

  @Test func `mixing cloze and question fields is reported`() {
    #expect(errors("\n## c\nQ: a\nA: b\nC: {{x}}\n") == [.mixedKinds(file: "t.md", line: 9, card: "c")])
  }

  @Test func `choices must be dash lines that differ from the answer`() {
    #expect(
      errors("\n## c\nQ: a\nA: b\nChoices:\n- x\nnot a choice\n") == [.badChoice(file: "t.md", line: 11, card: "c")])
    #expect(
      errors("\n## c\nQ: a\nA: Paris\nChoices:\n- paris\n") == [
        .choiceEqualsAnswer(file: "t.md", line: 10, card: "c", choice: "paris")
      ])
    #expect(errors("\n## c\nC: {{x}}\nChoices:\n- y\n") == [.choicesOnCloze(file: "t.md", line: 8, card: "c")])
  }

  @Test func `empty fields are reported`() {
    #expect(errors("\n## c\nQ: a\nA: b\nWhy:\n") == [.emptyField(file: "t.md", line: 9, card: "c", field: "Why")])
  }

  @Test func `header problems are reported`() {
    #expect(throws: DeckProblems(errors: [.missingTitle(file: "t.md", line: 1)])) {
      try DeckParser.parse("id: x\n", file: "t.md")
    }
    #expect(throws: DeckProblems(errors: [.missingID(file: "t.md")])) {
      try DeckParser.parse("# T\n\n## c\nQ: a\nA: b\n", file: "t.md")
    }
    #expect(throws: DeckProblems(errors: [.badDeckID(file: "t.md", line: 2, id: "Bad Id")])) {
      try DeckParser.parse("# T\nid: Bad Id\n", file: "t.md")
    }
    #expect(throws: DeckProblems(errors: [.unknownHeaderKey(file: "t.md", line: 3, key: "author")])) {
      try DeckParser.parse("# T\nid: t\nauthor: me\n", file: "t.md")
    }
    #expect(throws: DeckProblems(errors: [.headerTextOutsideKey(file: "t.md", line: 3)])) {
      try DeckParser.parse("# T\nid: t\nloose text\n", file: "t.md")
    }
  }

  @Test func `every problem in a file is reported, not only the first`() {
    #expect(errors("\n## a\nQ: x\n\n## b\nA: y\n").count == 2)
  }

  @Test func `messages read as path, line and card`() {
    let message = DeckError.missingAnswer(file: "decks/x.md", line: 12, card: "overfitting").description
    #expect(message.hasPrefix("decks/x.md:12: card 'overfitting': missing answer"))
  }

  @Test func `text that is not UTF-8 is rejected with its line and byte`() {
    // "# T\nid: \xff": line 2, the fifth byte of the line.
    #expect(throws: DeckProblems(errors: [.badText(.notUTF8(file: "t.md", line: 2, column: 5))])) {
      try DeckParser.parse(bytes: Array("# T\nid: ".utf8) + [0xff], file: "t.md")
    }
  }

  @Test func `a Sibling: link makes a reversed pair, and chains join one note`() throws {
    let text =
      header + """

        ## dog
        Q: dog in French?
        A: chien

        ## chien
        Q: chien in English?
        A: dog
        Sibling: dog

        ## chienne
        Q: chienne in English?
        A: female dog
        Sibling: chien
        """
    let deck = try DeckParser.parse(text, file: "t.md")
    #expect(deck.notes.map(\.sibling) == [nil, "dog", "dog"])
    #expect(Set(deck.cards.map(\.siblingGroup)) == ["test/dog"])
    // Written back, the link survives.
    #expect(try DeckParser.parse(DeckWriter.markdown(deck), file: "t.md") == deck)
  }

  @Test func `See: links survive being written back, so an exported or imported deck keeps them`() throws {
    let text = """
      # Test
      id: test

      ## precision
      Q: Flagged items that were truly positive?
      A: precision
      See: test/recall, test/f1

      ## recall
      Q: Real positives that were flagged?
      A: recall

      ## f1
      Q: Harmonic mean of precision and recall?
      A: F1
      """
    let deck = try DeckParser.parse(text, file: "t.md")
    #expect(deck.notes[0].see == ["test/recall", "test/f1"])
    #expect(try DeckParser.parse(DeckWriter.markdown(deck), file: "t.md") == deck)
    #expect(DeckWriter.markdown(deck).contains("See: test/recall, test/f1\n"))
  }

  /// Every shipped deck reads back equal after being written, links and all.
  @Test func `every shipped deck survives a write and a parse unchanged`() throws {
    // Line numbers may move (the writer lays fields out its own way) and the source is the
    // file read; everything else is kept.
    func lineless(_ deck: Deck) -> Deck {
      var deck = deck
      deck.source = ""
      for index in deck.notes.indices { deck.notes[index].line = 0 }
      return deck
    }
    for deck in DeckLibrary.shipped().decks {
      let back = try DeckParser.parse(DeckWriter.markdown(deck), file: "\(deck.id).md")
      #expect(back.notes.count == deck.notes.count, "\(deck.id)")
      for (a, b) in zip(lineless(back).notes, lineless(deck).notes) where a != b {
        Issue.record("\(deck.id)/\(b.id) changed: \(a) vs \(b)")
      }
      #expect(lineless(back) == lineless(deck), "\(deck.id)")
    }
  }

  @Test func `a Sibling: link to a missing card, to itself or round a loop is reported at its line`() {
    #expect(
      errors("\n## a\nQ: x\nA: y\nSibling: nowhere\n") == [
        .badSibling(file: "t.md", line: 9, card: "a", sibling: "nowhere", reason: "is not a card of this deck")
      ])
    #expect(
      errors("\n## a\nQ: x\nA: y\nSibling: a\n") == [
        .badSibling(file: "t.md", line: 9, card: "a", sibling: "a", reason: "is the card itself")
      ])
    let loop = errors("\n## a\nQ: x\nA: y\nSibling: b\n\n## b\nQ: z\nA: w\nSibling: a\n")
    #expect(loop.count == 2)
    #expect(loop.allSatisfy { $0.description.contains("links back to this card") })
  }

  @Test func `a NUL byte is rejected with its line and byte`() {
    #expect(throws: DeckProblems(errors: [.badText(.nulByte(file: "t.md", line: 1, column: 3))])) {
      try DeckParser.parse(bytes: [0x23, 0x20, 0x00], file: "t.md")
    }
  }

  @Test func `a byte order mark is dropped`() throws {
    let deck = try DeckParser.parse(
      bytes: [0xEF, 0xBB, 0xBF] + Array("# T\nid: t\n\n## a\nQ: q\nA: a\n".utf8), file: "t.md")
    #expect(deck.id == "t")
    #expect(deck.title == "T")
  }

  // MARK: One note alone

  let notes = """

    ## first
    Q: One?
    A: Uno.

    ## second-note
    Q: What does a long
    answer look like?
    A: It wraps.

    It has paragraphs.
    Why: Soft wraps join; blank lines separate.
    Tags: a, b
    Choices:
    - Not this
    - Nor this
    See: test/first

    ##   third\r
    C: A {{blank}} and {{another}}.

    """

  @Test func `a note parsed alone equals the same note of the whole deck, line numbers included`() throws {
    let text = header + notes
    let deck = try DeckParser.parse(text, file: "t.md")
    for id in ["first", "second-note", "third"] {
      let whole = try #require(deck.notes.first { $0.id == id })
      #expect(DeckParser.parseNote(id, in: text, file: "t.md") == whole)
    }
    // Counted by hand: the header is 4 lines, then a blank line, so `## first` is line 6.
    #expect(DeckParser.parseNote("first", in: text, file: "t.md")?.line == 6)
    #expect(DeckParser.parseNote("second-note", in: text, file: "t.md")?.line == 10)
  }

  @Test func `a note that is not there, or a deck whose notes depend on each other, is not parsed alone`() {
    let text = header + notes
    #expect(DeckParser.parseNote("fourth", in: text, file: "t.md") == nil)
    #expect(DeckParser.parseNote("firs", in: text, file: "t.md") == nil)
    // A sibling link makes a note's group depend on another note.
    let linked = header + notes + "## fourth\nQ: q\nA: a\nSibling: first\n"
    #expect(DeckParser.parseNote("first", in: linked, file: "t.md") == nil)
    // A heading followed by a non-ASCII byte: whether it is a heading is Unicode's question.
    let combining = header + notes + "## \u{301}odd\nQ: q\nA: a\n"
    #expect(DeckParser.parseNote("first", in: combining, file: "t.md") == nil)
  }

  @Test func `lines split at every newline byte, each without the carriage return that ends it`() {
    #expect(DeckParser.lines(of: "a\r\n\nb\rc\r\r\n\r\n") == ["a", "", "b\rc\r", "", ""])
    #expect(DeckParser.lines(of: "") == [""])
    #expect(DeckParser.lines(of: "é\nx") == ["é", "x"])
  }

  @Test func `a card heading is read on bytes, and by the character rules when a mark may join its space`() {
    #expect(DeckParser.isCardHeading("## id"))
    #expect(DeckParser.isCardHeading("## "))
    #expect(!DeckParser.isCardHeading("##"))
    #expect(!DeckParser.isCardHeading("# id"))
    #expect(!DeckParser.isCardHeading("###id"))
    // A combining accent after the space makes " \u{301}" one character, not a space.
    #expect(!DeckParser.isCardHeading("## \u{301}id"))
    #expect(DeckParser.isCardHeading("## é"))
  }

  @Test func `a field start is found on bytes, and by the character rules when a mark joins the colon or a space`() {
    func start(_ line: Substring) -> [Substring]? { DeckParser.fieldStart(line).map { [$0.name, $0.rest] } }
    #expect(start("Q: a question") == ["Q", "a question"])
    #expect(start("Why:\t \tbecause") == ["Why", "because"])
    #expect(start("Tags:") == ["Tags", ""])
    #expect(start("Tags:   ") == ["Tags", ""])
    #expect(start("Q:no space") == nil)
    #expect(start("q: lower") == nil)
    #expect(start("Q1: digit") == nil)
    #expect(start("Qé: accent") == nil)
    #expect(start("Q a: space") == nil)
    #expect(start("Q") == nil)
    #expect(start("Q: é") == ["Q", "é"])
    // ":\u{301}" is one character, no colon: no field.
    #expect(start("Q:\u{301} x") == nil)
    // " \u{301}" is one character, no space: no field.
    #expect(start("Q: \u{301}x") == nil)
    // The first space is one; the second, joined by the mark, is text.
    #expect(start("Q:  \u{301}x") == ["Q", " \u{301}x"])
  }

  @Test func `a line is blank when it holds only whitespace, Unicode's included`() {
    #expect(Substring("").isBlank)
    #expect(Substring(" \t\r").isBlank)
    #expect(Substring(" \u{0B}\u{0C}").isBlank)
    #expect(Substring("\u{A0}\u{3000} ").isBlank)
    #expect(!Substring("  x").isBlank)
    #expect(!Substring("é").isBlank)
  }

  @Test func `a summary has the keys and sibling groups of the deck's cards`() throws {
    let deck = try DeckParser.parse(
      header + """

        ## a
        C: {{one}} and {{two}} and {{three}}

        ## b
        C: {{c2::x}} then {{c1::y::hint}} and {{c2::z}}

        ## c
        Q: q
        A: a
        Sibling: b

        ## d
        Q: q
        A: a
        Sibling: c

        ## e
        Q: q
        A: a
        """, file: "t.md")
    let cards = deck.cards
    let summary = deck.summary
    #expect(summary.cardKeys == cards.map(\.key))
    #expect(summary.siblingGroups == Deck.siblingGroups(of: cards.map(\.siblingGroup)))
    #expect(
      summary.cardKeys == ["test/a#1", "test/a#2", "test/a#3", "test/b#1", "test/b#2", "test/c", "test/d", "test/e"])
    #expect(summary.siblingGroups == [0, 0, 0, 3, 3, 3, 3, 7])
  }

  @Test func `a summary skips a note without cards, which names no sibling group`() {
    let notes = [
      Note(id: "empty", content: .cloze("no blanks")), Note(id: "x", content: .basic(question: "q", answer: "a")),
      Note(id: "y", content: .basic(question: "q", answer: "a"), sibling: "empty"),
    ]
    let deck = Deck(id: "d", title: "D", notes: notes)
    #expect(deck.summary.cardKeys == deck.cards.map(\.key))
    #expect(deck.summary.siblingGroups == deck.siblingGroups)
    #expect(deck.summary.siblingGroups == [0, 1])
  }

  @Test func `blank lines at a field's end are left out, and a line that is not blank is kept`() throws {
    let deck = try DeckParser.parse(
      header + "\n## one\nQ: x\n\u{3000}\n \t\n\nA: a\n\u{0B}\n\n## two\nQ: y\n\n  second\n\n\nA:\n\n  b\n",
      file: "t.md")
    #expect(
      deck.notes.map(\.content) == [
        .basic(question: "x", answer: "a \u{0B}"), .basic(question: "y\n\nsecond", answer: "b"),
      ])
    #expect(
      DeckParser.joinParagraphs(["x", "\u{3000}", " \t", ""]) == "x"
        && DeckParser.joinParagraphs(["a", "\u{0B}", ""]) == "a \u{0B}")
  }
}
