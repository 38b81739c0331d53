import EngramCore
import EngramStore
import Testing

@testable import EngramCLI

@Suite struct CompleterTests {
  let completer = Completer(library: DeckLibrary.shipped())

  @Test func `a unique command prefix completes with a space`() {
    #expect(completer.complete("revi") == Completion(insertion: "ew ", candidates: ["review"]))
  }

  @Test func `an ambiguous prefix lists the candidates`() {
    let completion = completer.complete("d")
    #expect(completion.insertion == "")
    #expect(completion.candidates == ["decks", "due"])
  }

  @Test func `review completes deck ids, topics and tags`() {
    #expect(completer.complete("review ml-f") == Completion(insertion: "undamentals ", candidates: ["ml-fundamentals"]))
    #expect(completer.complete("review agile-").candidates.contains("agile-scrum"))
    #expect(completer.targets.contains("scrum"))
    #expect(completer.targets.contains("evaluation"))
  }

  @Test func `options complete after state`() {
    #expect(completer.complete("state --j") == Completion(insertion: "son ", candidates: ["--json"]))
  }

  @Test func `import completes its options and the duplicate policies`() {
    #expect(completer.complete("import deck.apkg --d").candidates == ["--deck", "--dry-run"])
    #expect(completer.complete("import deck.apkg --on-duplicate k") == Completion(insertion: "eep-both ", candidates: ["keep-both"]))
  }

  @Test func `nothing to offer gives no completion`() {
    #expect(completer.complete("zzz") == .none)
  }
}

@Suite struct ShellWordsTests {
  @Test(arguments: [
    ("review ml", ["review", "ml"]),
    ("  review   \"model drift\" ", ["review", "model drift"]),
    ("lint 'my deck.md' other\\ deck.md", ["lint", "my deck.md", "other deck.md"]),
    ("review 日本 é", ["review", "日本", "é"]),
  ])
  func `splits like a shell`(line: String, words: [String]) throws {
    #expect(try ShellWords.split(line) == words)
  }

  @Test func `an unterminated quote is an error`() {
    #expect(throws: ShellWords.UnterminatedQuote.self) { try ShellWords.split("review \"oops") }
  }
}

@Suite struct IntervalTextTests {
  @Test(arguments: [
    (Interval.seconds(45), "45s"), (.minutes(10), "10m"), (.hours(5), "5h"), (.days(12), "12d"),
    (.days(91), "3mo"), (.days(400), "1.1y"),
  ])
  func `waits read as short text`(interval: Interval, text: String) {
    #expect(IntervalText.format(interval) == text)
  }
}

@Suite struct CompleterWorkloadTests {
  @Test func `the workload commands complete and postpone completes deck ids`() {
    let completer = Completer(library: DeckLibrary.shipped())
    #expect(Set(["advance", "leeches", "postpone", "simulate"]).isSubset(of: Set(Completer.commands)))
    #expect(Set(Completer.commands) == Set(Engram.commandTypes.map { $0.configuration.commandName ?? "" } + ["exit", "help", "quit"]))
    #expect(completer.complete("postpone ml-f") == Completion(insertion: "undamentals ", candidates: ["ml-fundamentals"]))
  }
}
