import EngramCore
import Testing

@testable import EngramStore

/// Anki's template language: expected texts are what Anki shows for each template and note,
/// written by hand from Anki's template rules.
@Suite struct AnkiTemplateTests {
  func type(_ fields: [String], _ templates: [(String, String)]) -> AnkiCollection.NoteType {
    AnkiCollection.NoteType(
      id: 1, name: "Custom", isCloze: false, fields: fields,
      templates: templates.enumerated().map {
        AnkiCollection.Template(ordinal: $0, name: "Card \($0 + 1)", question: $1.0, answer: $1.1)
      })
  }

  func note(_ fields: [String], tags: [String] = []) -> AnkiCollection.Note {
    AnkiCollection.Note(id: 1, guid: "g", noteType: 1, tags: tags, fields: fields)
  }

  func render(_ type: AnkiCollection.NoteType, _ note: AnkiCollection.Note, card: Int = 0) throws -> (
    String, String, String
  ) {
    let html = try AnkiConverter.render(type.templates[card], of: type, note: note, deck: "Lang::Japanese")
    return (HTMLText.plain(html.question), HTMLText.plain(html.answer), HTMLText.plain(html.why))
  }

  @Test func `a two-template note type gives each card its own question and answer`() throws {
    let reversed = type(
      ["Front", "Back"],
      [("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"), ("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}")])
    #expect(try render(reversed, note(["向量", "vector"])) == ("向量", "vector", ""))
    #expect(try render(reversed, note(["向量", "vector"]), card: 1) == ("vector", "向量", ""))
  }

  @Test func `fields the back shows beyond the answer go to the explanation`() throws {
    let mining = type(
      ["Expression", "Reading", "Meaning", "Sentence"],
      [
        (
          "{{Expression}}",
          "{{FrontSide}}<hr id=answer>{{furigana:Reading}}<br>{{Meaning}}<div>Example: {{Sentence}}</div>"
        )
      ])
    let (question, answer, why) = try render(mining, note(["仕出かす", "仕出[しで]かす", "to do (something bad)", "何を仕出かすか"]))
    #expect(question == "仕出かす")
    #expect(Furigana.readable(answer) == "仕出(しで)かす")
    #expect(why == "to do (something bad)\n\nExample: 何を仕出かすか")
  }

  @Test func `conditional sections show or hide with their field`() throws {
    let conditional = type(
      ["Front", "Back", "Note"],
      [
        (
          "{{Front}}{{#Note}}<br>({{Note}}){{/Note}}{{^Note}}<br>no note{{/Note}}",
          "{{FrontSide}}<hr id=answer>{{Back}}"
        )
      ])
    #expect(try render(conditional, note(["a", "b", "careful"])).0 == "a\n\n(careful)")
    #expect(try render(conditional, note(["a", "b", ""])).0 == "a\n\nno note")
    #expect(try render(conditional, note(["a", "b", "<br> "])).0 == "a\n\nno note")
  }

  @Test func `type-in shows nothing on the front and the answer on the back; hint and text filters`() throws {
    let typed = type(
      ["Front", "Back", "Hint"], [("{{Front}} {{type:Back}} {{hint:Hint}}", "{{Front}}<hr id=answer>{{type:Back}}")])
    #expect(try render(typed, note(["gato", "cat", "a pet"])) == ("gato (hint: a pet)", "cat", ""))
    let text = type(["Front", "Back"], [("{{text:Front}}", "{{FrontSide}}<hr id=answer>{{text:Back}}")])
    #expect(try render(text, note(["<b>bold</b>", "<i>it</i>"])) == ("bold", "it", ""))
  }

  @Test func `kana and kanji filters keep one side of furigana; tts is dropped`() throws {
    let japanese = type(
      ["Word"], [("{{kanji:Word}}{{tts ja_JP:Word}}", "{{FrontSide}}<hr id=answer>{{kana:Word}}")])
    let (question, answer, _) = try render(japanese, note([" 日本 語[ご]"]))
    #expect(question == "日本語")
    #expect(answer == "日本ご")
  }

  @Test func `special fields read the note's tags, deck, card and type`() throws {
    let special = type(["Front", "Back"], [("{{Front}} {{Deck}} {{Subdeck}} {{Card}} {{Type}} {{Tags}}", "{{Back}}")])
    #expect(
      try render(special, note(["q", "a"], tags: ["x", "y"])).0 == "q Lang::Japanese Japanese Card 1 Custom x y")
  }

  @Test func `a back without the hr convention still drops its repeated front`() throws {
    let plain = type(["Front", "Back"], [("{{Front}}", "{{FrontSide}}<br>{{Back}}")])
    #expect(try render(plain, note(["q", "a"])) == ("q", "a", ""))
  }

  @Test(arguments: [
    ("{{#Front}}open", AnkiTemplate.Problem.unclosedSection("Front")),
    ("{{/Front}}", .unopenedSection("Front")),
    ("{{Missing}}", .unknownField("Missing")),
  ])
  func `templates that cannot be rendered are reported`(template: String, problem: AnkiTemplate.Problem) {
    let broken = type(["Front", "Back"], [(template, "{{Back}}")])
    #expect(throws: problem) {
      _ = try AnkiConverter.render(broken.templates[0], of: broken, note: note(["q", "a"]), deck: "")
    }
  }

  @Test func `a note type that cannot be rendered is imported from its fields with a warning naming it`() throws {
    let broken = type(["Front", "Back"], [("{{#Front}}{{Front}}", "{{Back}}"), ("{{Back}}", "{{Front}}")])
    let collection = AnkiCollection(
      schema: 11, noteTypes: [1: broken], decks: [1: "D"], notes: [note(["q", "a"])],
      cards: [
        AnkiCollection.Card(id: 10, note: 1, deck: 1, ordinal: 0, queue: 0),
        AnkiCollection.Card(id: 11, note: 1, deck: 1, ordinal: 1, queue: 0),
      ],
      reviews: [])
    let converted = try AnkiConverter(collection, file: "f")
    #expect(converted.decks.first?.notes.map(\.content) == [.basic(question: "q", answer: "a")])
    #expect(converted.warnings.contains { $0.contains("note type 'Custom' has a template Engram cannot render") })
    #expect(converted.leftOut.map(\.cards) == [1])
  }
}
