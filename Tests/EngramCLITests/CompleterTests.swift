import EngramCore
import EngramStore
import EngramTestSupport
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
    #expect(completion.candidates == ["decks", "devices", "due"])
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
    #expect(
      completer.complete("import deck.apkg --on-duplicate k")
        == Completion(insertion: "eep-both ", candidates: ["keep-both"]))
  }

  @Test func `nothing to offer gives no completion`() {
    #expect(completer.complete("zzz") == .none)
  }

  @Test func `every command of the definitions completes, with the REPL's own words`() {
    let names = Engram.commandTypes.compactMap { $0.configuration.commandName }
    let offered = completer.complete("").candidates
    for name in names + ["help", "quit", "exit"] { #expect(offered.contains(name), "\(name)") }
    // Each command's options come from its definition.
    #expect(completer.complete("quiz --mo") == Completion(insertion: "de ", candidates: ["--mode"]))
    #expect(completer.complete("quiz drift --mode t") == Completion(insertion: "yped ", candidates: ["typed"]))
    #expect(completer.complete("export-log --format ") == Completion(insertion: "fsrs ", candidates: ["fsrs"]))
    #expect(completer.complete("help expo").candidates == ["export", "export-log"])
  }

  @Test func `export completes a deck id, then a file`() throws {
    #expect(completer.complete("export ml-") == Completion(insertion: "fundamentals ", candidates: ["ml-fundamentals"]))
    let folder = TemporaryDirectory()
    folder.write("out put.md", "")
    #expect(
      completer.complete("export ml-fundamentals \(folder.path)/out")
        == Completion(
          insertion: "\\ put.md ", candidates: ["\(folder.path)/out put.md"]))
  }

  @Test func `unsuspend completes suspended card keys and their decks`() {
    let completer = Completer(
      library: DeckLibrary.shipped(), suspended: ["agile-scrum/spike", "ml-fundamentals/overfitting"])
    #expect(
      completer.complete("unsuspend agile-scrum/") == Completion(insertion: "spike ", candidates: ["agile-scrum/spike"])
    )
    #expect(
      completer.complete("unsuspend ").candidates == [
        "agile-scrum", "agile-scrum/spike", "ml-fundamentals", "ml-fundamentals/overfitting",
      ])
    #expect(Completer(library: DeckLibrary.shipped()).complete("unsuspend a") == .none)
  }

  @Test(arguments: [
    ("lint ", ""), ("lint '", "'"), ("lint \"", "\""),
  ])
  func `file names with spaces are escaped or quoted so the line splits back to them`(start: String, quote: String)
    throws
  {
    let folder = TemporaryDirectory()
    folder.write("my deck.md", "")
    folder.write("it's here.md", "")
    folder.write("notes.csv", "")
    for name in ["my deck.md", "it's here.md"] {
      // Type the folder and the first two letters, then Tab.
      let typed =
        start + Completer.escaped(folder.path + "/", quote: quote.first)
        + Completer.escaped(String(name.prefix(2)), quote: quote.first)
      let completion = completer.complete(typed)
      #expect(completion.candidates == [folder.path + "/" + name])
      #expect(completion.insertion.hasSuffix(" "))
      #expect(try ShellWords.split(typed + completion.insertion) == ["lint", folder.path + "/" + name])
    }
    // lint takes Markdown files: the CSV is not offered.
    #expect(completer.complete(start + folder.path + "/no") == .none)
  }

  @Test func `an unfinished line splits into words, the last one, and its open quote`() {
    #expect(LineWords("lint 'my d") == LineWords(words: ["lint"], current: "my d", quote: "'"))
    #expect(LineWords("lint my\\ d") == LineWords(words: ["lint"], current: "my d", quote: nil))
    #expect(LineWords("review ") == LineWords(words: ["review"], current: "", quote: nil))
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

@Suite struct CompleterWorkloadTests {
  @Test func `the workload commands complete and postpone completes deck ids`() {
    let completer = Completer(library: DeckLibrary.shipped())
    // Command names come from the command definitions.
    for name in ["advance", "leeches", "postpone", "simulate"] {
      #expect(completer.complete(String(name.prefix(4))).candidates.contains(name), "\(name)")
    }
    #expect(
      completer.complete("postpone ml-f") == Completion(insertion: "undamentals ", candidates: ["ml-fundamentals"]))
  }
}

@Suite struct ScenarioCompletionTests {
  let completer = Completer(library: DeckLibrary.shipped(), scenarioIDs: ["drift-incident", "ds-product-conflict"])

  @Test func `scenario completes its subcommands, then the ids of the drills`() {
    #expect(completer.complete("scenario ").candidates == ["list", "play"])
    #expect(completer.complete("scenario pl") == Completion(insertion: "ay ", candidates: ["play"]))
    #expect(
      completer.complete("scenario play dr") == Completion(insertion: "ift-incident ", candidates: ["drift-incident"]))
    #expect(completer.complete("scenario play d").candidates == ["drift-incident", "ds-product-conflict"])
    #expect(completer.complete("scenario list --j") == Completion(insertion: "son ", candidates: ["--json"]))
  }
}
