import EngramTestSupport
import Foundation
import Testing

/// `export DECK FILE`: which deck a short name means, and what happens to the file it names.
@Suite struct ExportCommandTests {
  @Test func `a deck is named as quiz names it: by a word of its id or title`() throws {
    let scratch = TemporaryDirectory()
    let home = scratch.path + "/home"
    let run = try runEngram(["export", "ethics", scratch.path + "/ethics.md"], home: home)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("of ai-ethics-governance to"))
    #expect(scratch.read("ethics.md")?.hasPrefix("# AI Ethics and Governance\nid: ai-ethics-governance\n") == true)
  }

  @Test func `a name two decks share is an error that lists them, and nothing is written`() throws {
    let scratch = TemporaryDirectory()
    let run = try runEngram(["export", "ai", scratch.path + "/ai.md"], home: scratch.path + "/home")
    #expect(run.status == 1)
    #expect(run.stderr.contains("'ai' names several decks: ai-ethics-governance, ai-project-management"))
    #expect(scratch.read("ai.md") == nil)
  }

  @Test func `an unknown deck suggests the nearest ids`() throws {
    let scratch = TemporaryDirectory()
    let run = try runEngram(["export", "agile-scrun", scratch.path + "/x.md"], home: scratch.path + "/home")
    #expect(run.status == 1)
    #expect(run.stderr.contains("no deck 'agile-scrun'; did you mean: agile-scrum?"))
  }

  @Test func `an existing file is kept unless --force is given`() throws {
    let scratch = TemporaryDirectory()
    let home = scratch.path + "/home"
    scratch.write("out.tsv", "mine\n")
    let refused = try runEngram(["export", "agile-scrum", scratch.path + "/out.tsv"], home: home)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("out.tsv exists; add --force to replace it"))
    #expect(scratch.read("out.tsv") == "mine\n")
    let forced = try runEngram(["export", "--force", "agile-scrum", scratch.path + "/out.tsv"], home: home)
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(scratch.read("out.tsv")?.hasPrefix("mine") == false)
  }

  @Test func `a missing folder is reported before any work, without claiming a review was lost`() throws {
    let scratch = TemporaryDirectory()
    let run = try runEngram(["export", "--all", scratch.path + "/no/such/all.apkg"], home: scratch.path + "/home")
    #expect(run.status == 1)
    #expect(
      run.stderr.contains("cannot write \(scratch.path)/no/such/all.apkg: there is no folder \(scratch.path)/no/such"))
    #expect(!run.stderr.contains("recorded"))
  }
}
