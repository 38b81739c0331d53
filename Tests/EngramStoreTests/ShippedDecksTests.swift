import EngramCore
import Testing

@testable import EngramStore

/// The invariants issue 3 sets for the shipped decks, checked through the real parser on the
/// copies embedded in the binary.
@Suite struct ShippedDecksTests {
  let library = DeckLibrary.shipped()

  @Test func `all six shipped decks parse without problems`() {
    #expect(library.problems.isEmpty, "\(library.problems)")
    #expect(
      library.decks.map(\.id).sorted() == [
        "agile-scrum", "ai-ethics-governance", "ai-project-management", "leading-ai-teams", "ml-fundamentals",
        "model-lifecycle",
      ])
  }

  @Test func `every See link names a card of the shipped decks, never the card itself`() {
    #expect(library.danglingLinks().isEmpty, "\(library.danglingLinks().map(\.description))")
    for deck in library.decks {
      for note in deck.notes {
        #expect(!note.see.contains("\(deck.id)/\(note.id)"), "\(deck.id)/\(note.id) links to itself")
      }
    }
  }

  @Test func `the leading-ai-teams deck covers its topics with at least seventy notes`() {
    let deck = library.decks.first { $0.id == "leading-ai-teams" }
    #expect((deck?.notes.count ?? 0) >= 70)
    for topic in ["leadership", "communication", "conflict", "career"] {
      #expect(deck?.topics.contains(topic) == true, "topics lack \(topic)")
    }
    let tags = Set(deck?.notes.flatMap(\.tags) ?? [])
    for tag in ["certifications", "interviews", "career-paths", "conflict", "scenario"] {
      #expect(tags.contains(tag), "no card tagged \(tag)")
    }
  }

  @Test func `each deck has at least sixty notes, ten multiple-choice and three cloze`() {
    for deck in library.decks {
      #expect(deck.notes.count >= 60, "\(deck.id): \(deck.notes.count) notes")
      #expect(deck.notes.filter { !$0.choices.isEmpty }.count >= 10, "\(deck.id): choice cards")
      let clozes = deck.notes.filter { if case .cloze = $0.content { true } else { false } }
      #expect(clozes.count >= 3, "\(deck.id): cloze cards")
      #expect(!deck.title.isEmpty && !deck.description.isEmpty && !deck.topics.isEmpty, "\(deck.id): header")
    }
  }

  @Test func `every card has a why of one to three sentences and tags`() {
    for deck in library.decks {
      for note in deck.notes {
        #expect(!note.why.isEmpty, "\(deck.id)/\(note.id) has no Why")
        #expect(!note.tags.isEmpty, "\(deck.id)/\(note.id) has no Tags")
        let sentences = note.why.split(whereSeparator: { ".!?".contains($0) }).filter {
          $0.trimmingWhitespace().count > 3
        }
        #expect((1...4).contains(sentences.count), "\(deck.id)/\(note.id): Why has \(sentences.count) sentences")
      }
    }
  }

  @Test func `choice cards have exactly three wrong options distinct from the answer and each other`() {
    for deck in library.decks {
      for note in deck.notes where !note.choices.isEmpty {
        guard case .basic(_, let answer) = note.content else {
          Issue.record("\(deck.id)/\(note.id): choices on a cloze")
          continue
        }
        #expect(note.choices.count == 3, "\(deck.id)/\(note.id)")
        let lowered = note.choices.map { $0.lowercased() }
        #expect(!lowered.contains(answer.lowercased()), "\(deck.id)/\(note.id)")
        #expect(Set(lowered).count == 3, "\(deck.id)/\(note.id) repeats an option")
      }
    }
  }

  @Test func `shipped cloze blanks are numbered c1 to cn in order, so their keys are the old positions`() {
    for deck in library.decks {
      for note in deck.notes {
        guard case .cloze(let text) = note.content else { continue }
        let numbers = Cloze.parse(text).map(\.number)
        #expect(numbers == Array(1...numbers.count).map { Optional($0) }, "\(deck.id)/\(note.id): \(numbers)")
      }
    }
  }

  @Test func `card ids are unique across all decks and every cloze has a blank`() {
    let keys = library.cards.map(\.key)
    #expect(Set(keys).count == keys.count)
    for deck in library.decks {
      for note in deck.notes {
        if case .cloze(let text) = note.content { #expect(!Cloze.blanks(in: text).isEmpty) }
      }
    }
  }

  @Test func `each deck keeps its tags to a small vocabulary`() {
    for deck in library.decks {
      let tags = Set(deck.notes.flatMap(\.tags))
      #expect(tags.count <= 16, "\(deck.id) uses \(tags.count) tags")
    }
  }
}
