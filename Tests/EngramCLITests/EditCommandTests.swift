import EngramStore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramCLI

/// `edit KEY` with a fake editor: a shell script that records how it was called and edits the
/// file as a person would.
@Suite struct EditCommandTests {
  let home = TemporaryDirectory()

  /// A fake editor: records "$@" (one line per call) in `calls.log` beside it, then runs
  /// `body` with `$file` set to the file it was given and `$call` to the call number.
  func editor(_ body: String) throws -> String {
    let path = home.write(
      "editor.sh",
      "#!/bin/sh\nlog=\"\(home.path)/calls.log\"\necho \"$@\" >> \"$log\"\ncall=$(wc -l < \"$log\")\nfile=\"$2\"\n\(body)\n"
    )
    chmod(path, 0o755)
    return path
  }

  var calls: [String] { (home.read("calls.log") ?? "").split(separator: "\n").map(String.init) }

  /// The repository's copy of a shipped deck (the binary embeds the same file).
  func shipped(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appending(path: "Decks/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
  }

  @Test func `a shipped card opens in an overriding copy at its line and keeps its history`() throws {
    let key = "ml-fundamentals/overfitting-signature"
    home.write(
      "reviews.tsv",
      "# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n2026-01-01T10:00:00.000Z\t\(key)\t3\t4000\treview\n"
    )
    let original = try shipped("ml-fundamentals.md")
    // The note's heading line in the shipped file, counted from 1.
    let line =
      try #require(
        original.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
          $0 == "## overfitting-signature"
        }) + 1
    let script = try editor("sed -i 's/^Q: /Q: (edited) /' \"$file\"")
    let result = try runEngram(["edit", key], home: home.path, environment: ["EDITOR": script, "VISUAL": ""])
    #expect(result.status == 0, "\(result.stderr)")
    let copy = home.path + "/decks/ml-fundamentals.md"
    #expect(calls == ["+\(line) \(copy)"])
    #expect(flat(result.stdout).contains("Made \(copy), your copy of a shipped deck"))
    #expect(flat(result.stdout).contains("\(copy): ok; \(key) keeps its key and its history."))
    // The copy is the shipped file with the script's edit, and it overrides the shipped deck.
    #expect(home.read("decks/ml-fundamentals.md") == original.replacingOccurrences(of: "\nQ: ", with: "\nQ: (edited) "))
    let lint = try runEngram(["lint", copy], home: home.path)
    #expect(flat(lint.stdout).contains("overrides the shipped deck 'ml-fundamentals' (history kept)"))
    // The key is unchanged, so its review still counts: the card has a state from it.
    let state = try runEngram(["state", "--json"], home: home.path)
    #expect(state.stdout.contains("\"\(key)\""))
    // A second edit opens the same file; no second copy is made.
    let again = try runEngram(["edit", key], home: home.path, environment: ["EDITOR": script])
    #expect(again.status == 0)
    #expect(!again.stdout.contains("Made "))
    #expect(calls.count == 2 && calls[1] == "+\(line) \(copy)")
  }

  @Test func `a file left broken is reported by line and reopened there until fixed`() throws {
    let deck = home.write("decks/mine.md", "# Mine\nid: mine\n\n## first\nQ: one\nA: 1\n\n## second\nQ: two\nA: 2\n")
    // The first call drops the second card's answer; the second call puts it back.
    let script = try editor(
      "if [ \"$call\" = 1 ]; then sed -i '/^A: 2$/d' \"$file\"; else printf 'A: two\\n' >> \"$file\"; fi")
    let result = try runEngram(["edit", "mine/second"], home: home.path, input: "y\n", environment: ["VISUAL": script])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("\(deck):8: card 'second': missing answer"))
    // Opened at the card's heading, then at the problem's line.
    #expect(calls == ["+8 \(deck)", "+8 \(deck)"])
    #expect(flat(result.stdout).contains("\(deck): ok; mine/second keeps its key and its history."))
    #expect(home.read("decks/mine.md")?.hasSuffix("## second\nQ: two\nA: two\n") == true)
  }

  @Test func `declining to reopen a broken file fails and names what is left`() throws {
    let deck = home.write("decks/mine.md", "# Mine\nid: mine\n\n## first\nQ: one\nA: 1\n")
    let script = try editor("sed -i '/^A: 1$/d' \"$file\"")
    let result = try runEngram(["edit", "mine/first"], home: home.path, input: "n\n", environment: ["EDITOR": script])
    #expect(result.status == 1)
    #expect(result.stderr.contains("\(deck):4: card 'first': missing answer"))
    #expect(flat(result.stderr).contains("1 problem left in \(deck); until they are fixed Engram leaves that deck out"))
    #expect(calls.count == 1)
  }

  @Test func `renaming the card warns that its history stays with the old key`() throws {
    home.write("decks/mine.md", "# Mine\nid: mine\n\n## first\nQ: one\nA: 1\n")
    let script = try editor("sed -i 's/^## first$/## renamed/' \"$file\"")
    let result = try runEngram(["edit", "mine/first"], home: home.path, environment: ["EDITOR": script])
    #expect(result.status == 0)
    #expect(flat(result.stderr).contains("has no card 'first' any more: its history stays with the old key"))
  }

  @Test func `unknown keys and a failing editor are errors that say what to do`() throws {
    home.write("decks/mine.md", "# Mine\nid: mine\n\n## first\nQ: one\nA: 1\n")
    let noDeck = try runEngram(["edit", "nope/first"], home: home.path, environment: ["EDITOR": "true"])
    #expect(noDeck.status == 1)
    #expect(noDeck.stderr.contains("no deck for 'nope/first'; decks: "))
    let noCard = try runEngram(["edit", "mine/second"], home: home.path, environment: ["EDITOR": "true"])
    #expect(noCard.status == 1)
    #expect(noCard.stderr.contains("no card 'mine/second' in deck mine"))
    let badKey = try runEngram(["edit", "first"], home: home.path, environment: ["EDITOR": "true"])
    #expect(badKey.status == 1)
    #expect(badKey.stderr.contains("'first' is not a card key"))
    let failing = try runEngram(["edit", "mine/first"], home: home.path, environment: ["EDITOR": "false"])
    #expect(failing.status == 1)
    #expect(flat(failing.stderr).contains("the editor 'false' ended with status 1; set VISUAL or EDITOR"))
    // A file in the way of a shipped deck's copy is not overwritten.
    home.write("decks/agile-scrum.md", "# Other\nid: other\n\n## c\nQ: a\nA: b\n")
    let taken = try runEngram(
      ["edit", "agile-scrum/\(try firstCard("agile-scrum.md"))"], home: home.path, environment: ["EDITOR": "true"])
    #expect(taken.status == 1)
    #expect(flat(taken.stderr).contains("decks/agile-scrum.md exists but is not deck 'agile-scrum'"))
    #expect(home.read("decks/agile-scrum.md") == "# Other\nid: other\n\n## c\nQ: a\nA: b\n")
  }

  /// The first card id of a shipped deck file.
  func firstCard(_ name: String) throws -> String {
    let heading = try #require(try shipped(name).split(separator: "\n").first { $0.hasPrefix("## ") })
    return String(heading.dropFirst(3))
  }

  @Test func `edit runs from the REPL, and the edited card is what the next command sees`() throws {
    home.write("decks/mine.md", "# Mine\nid: mine\n\n## first\nQ: one\nA: 1\n")
    let script = try editor("sed -i 's/^A: 1$/A: uno/' \"$file\"")
    let repl = try runEngram(
      [], home: home.path, input: "edit mine/first\nexport mine \(home.path)/out.md\n", environment: ["EDITOR": script])
    #expect(repl.status == 0, "\(repl.stderr)")
    #expect(calls == ["+4 \(home.path)/decks/mine.md"])
    #expect(flat(repl.stdout).contains("mine/first keeps its key and its history."))
    // The REPL's next command reads the decks again.
    #expect(home.read("out.md")?.contains("A: uno") == true)
  }

  @Test func `the key after edit completes from every card`() throws {
    let completer = Completer(library: DeckLibrary.shipped())
    let completion = completer.complete("edit ml-fundamentals/overfitting-sig")
    #expect(completion.insertion == "nature ")
  }
}
