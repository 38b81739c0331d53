import EngramTestSupport
import Foundation
import Testing

/// `leeches` and the link to it from `stats`, run as real processes.
@Suite struct LeechesCommandTests {
  let home = TemporaryDirectory()

  init() {
    home.write(
      "decks/mini.md",
      "# Mini\nid: mini\n\n## a\nQ: Name the four values of the Agile Manifesto, in order, with what each is preferred over\nA: Individuals and interactions over processes and tools, working software over comprehensive documentation, customer collaboration\n"
    )
    var log = "# engram review log v1\n2026-01-01T10:00:00.000Z\tmini/a\t4\t0\treview\n"
    for day in 0..<9 {
      let date = String(format: "2026-01-%02d", 2 + 2 * day)
      log += "\(date)T10:00:00.000Z\tmini/a\t1\t0\treview\n\(date)T10:10:00.000Z\tmini/a\t3\t0\treview\n"
    }
    home.write("reviews.tsv", log)
  }

  @Test func `leeches shows the question, lapses, timeline and advice`() throws {
    let result = try runEngram(["leeches"], home: home.path, environment: ["ENGRAM_NOW": "2026-02-01T12:00:00Z"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("mini/a"))
    #expect(result.stdout.contains("9 lapses"))
    #expect(result.stdout.contains("Q: Name the four values"))
    #expect(result.stdout.contains("reviews: (7 earlier) "))
    #expect(result.stdout.contains("2026-01-18 again"))
    #expect(result.stdout.contains("Split it: the answer runs to 14 words"))
    #expect(result.stdout.contains("Add a mnemonic"))
  }

  @Test func `with no leeches it says so`() throws {
    home.write("reviews.tsv", "# engram review log v1\n")
    let result = try runEngram(["leeches"], home: home.path)
    #expect(result.status == 0)
    #expect(result.stdout.contains("No leeches"))
  }

  @Test func `stats lists leeches and points to the leeches command`() throws {
    let result = try runEngram(["stats"], home: home.path, environment: ["ENGRAM_NOW": "2026-02-01T12:00:00Z"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Leeches"))
    #expect(result.stdout.contains("'leeches' shows each"))
  }

  @Test(arguments: [("suspend", true), ("tag", false)])
  func `the review that makes a card a leech says so on screen`(action: String, suspended: Bool) throws {
    home.write("config.toml", "leech_threshold = 2\nleech_action = \"\(action)\"\nfollow_ups = false\n")
    home.write(
      "reviews.tsv",
      "# engram review log v1\n2026-01-01T10:00:00.000Z\tmini/a\t4\t0\treview\n"
        + "2026-01-10T10:00:00.000Z\tmini/a\t1\t0\treview\n2026-01-10T10:10:00.000Z\tmini/a\t3\t0\treview\n")
    let result = try runEngram(
      ["review", "mini"], home: home.path, input: "\n1\n:q\n", environment: ["ENGRAM_NOW": "2026-02-15T10:00:00Z"])
    #expect(result.status == 0)
    let screen = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(
      separator: " ")
    #expect(screen.contains("This card is now a leech (2 lapses)"))
    #expect(screen.contains("and is suspended") == suspended)
    #expect(screen.contains("'unsuspend mini/a' brings it back") == suspended)
    #expect(screen.contains("'leeches' lists it with ways to fix it"))
  }
}
