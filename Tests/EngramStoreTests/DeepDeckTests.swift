import EngramCore
import Foundation
import Synchronization
import Testing

@testable import EngramStore

/// Deck files are read line by line with no recursion, so however deep the Markdown inside a
/// field nests, parsing (and the import's write-then-parse check) runs on a small stack: the
/// deck parsing that runs beside the log replay needs no thread of its own with a large stack.
@Suite struct DeepDeckTests {
  /// 100,000 levels of each kind of nesting Markdown and cloze syntax have.
  let depth = 100_000

  func deepDeck(nestedCloze: Bool) -> String {
    let quotes = String(repeating: "> ", count: depth) + "quoted"
    let brackets = String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth)
    let emphasis = String(repeating: "*_", count: depth) + "deep" + String(repeating: "_*", count: depth)
    let list = (0..<2_000).map { String(repeating: "  ", count: $0) + "- level \($0)" }.joined(separator: "\n")
    let clozes = String(repeating: "{{c1::", count: depth) + "deep" + String(repeating: "}}", count: depth)
    return "# Deep\nid: deep\n\n## quotes\nQ: \(quotes)\nA: \(brackets)\nWhy: \(emphasis)\n\n## list\nQ: Which?\nA:\n"
      + list + (nestedCloze ? "\n\n## cloze\nC: \(clozes)" : "") + "\n\n## plain\nQ: still read?\nA: yes\n"
  }

  /// Runs `body` on a thread with a 256 KiB stack (the smallest a Swift task gets on any
  /// platform is 512 KiB) and returns its result.
  func onSmallStack<Value: Sendable>(_ body: @escaping @Sendable () -> Value) -> Value? {
    let result = Mutex<Value?>(nil)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      let value = body()
      result.withLock { $0 = value }
      done.signal()
    }
    thread.stackSize = 256 << 10
    thread.start()
    done.wait()
    return result.withLock { $0.take() }
  }

  @Test func `a deck nested 100,000 levels deep parses on a small stack`() throws {
    let text = deepDeck(nestedCloze: true)
    let outcome = onSmallStack { () -> Result<[String], DeckProblems> in
      Result { () throws(DeckProblems) in try DeckParser.parse(text, file: "deep.md").notes.map(\.id) }
    }
    // The nested blanks are refused as one unterminated cloze; every other card is read.
    guard case .failure(let problems) = outcome else {
      Issue.record("the nested cloze was accepted: \(String(describing: outcome))")
      return
    }
    // Heading, id, blank, then two cards of 4 and 3 lines, the list, a blank, the heading.
    let clozeLine = 3 + 4 + 3 + 2_000 + 2 + 2
    #expect(problems.errors == [.unterminatedCloze(file: "deep.md", line: clozeLine, card: "cloze")])
  }

  @Test func `a deeply nested deck is written and read back on a small stack`() throws {
    let deck = try DeckParser.parse(deepDeck(nestedCloze: false), file: "deep.md")
    #expect(deck.notes.map(\.id) == ["quotes", "list", "plain"])
    let again = onSmallStack { () -> Result<[(id: String, markdown: String)], DeckProblems> in
      Result { () throws(DeckProblems) in try Importer.written([(deck: deck, file: "deep.md")]) }
    }
    let written = try #require(try again?.get().first)
    // The same cards with the same text (their line numbers follow the written layout).
    let reread = try DeckParser.parse(written.markdown, file: "deep.md").notes
    #expect(reread.map(\.id) == deck.notes.map(\.id))
    #expect(reread.map(\.content) == deck.notes.map(\.content))
    #expect(reread.map(\.why) == deck.notes.map(\.why))
  }
}
