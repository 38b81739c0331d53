import EngramTestSupport
import Foundation
import Testing

/// `decks`: a table that keeps its columns at every width.
@Suite struct DecksCommandTests {
  let home = TemporaryDirectory()

  init() {
    home.write(
      "decks/spanish-vocabulary-for-travelling-in-south-america.md",
      """
      # Spanish vocabulary for travelling in South America
      id: spanish-vocabulary-for-travelling-in-south-america

      ## hola
      Q: Hello
      A: hola

      """)
  }

  /// Each table row: the number columns start where the header's "due" column ends.
  private func rows(columns: Int) throws -> [String] {
    let result = try runEngram(["decks"], home: home.path, environment: ["COLUMNS": String(columns)])
    #expect(result.status == 0)
    return result.stdout.split(separator: "\n").map(String.init)
  }

  @Test(arguments: [60, 80, 120])
  func `every row keeps the header's columns and fits the width`(columns: Int) throws {
    let lines = try rows(columns: columns)
    let header = try #require(lines.first)
    #expect(header.hasPrefix("deck "))
    let dueEnd = try #require(header.range(of: "   due")).upperBound
    let dueColumn = header.distance(from: header.startIndex, to: dueEnd)
    let table = lines.dropFirst().prefix { !$0.contains(" due · ") }
    #expect(table.count == 7)  // six shipped decks and the user's
    for row in table {
      #expect(row.count <= columns, "\(row)")
      // The due count is right-aligned to the header's "due".
      let characters = Array(row)
      #expect(characters.count > dueColumn && characters[dueColumn - 1].isNumber, "\(row)")
      #expect(characters[dueColumn] == " ", "\(row)")
    }
    #expect(table.contains { $0.hasPrefix("agile-scrum ") && $0.contains("Agile") })
  }

  @Test func `a long id and title are cut with an ellipsis at 60 columns, whole when there is room`() throws {
    let narrow = try rows(columns: 60)
    let cut = try #require(narrow.first { $0.hasPrefix("spanish-") })
    #expect(cut.contains("…"))
    let wide = try rows(columns: 160)
    #expect(
      wide.contains {
        $0.hasPrefix("spanish-vocabulary-for-travelling-in-south-america ") && $0.hasSuffix("South America")
      })
  }

  @Test func `decks are listed by id, as due lists them, the user's among the shipped`() throws {
    home.write("decks/b-user.md", "# B\nid: b-user\n\n## x\nQ: x\nA: y\n")
    let lines = try rows(columns: 120)
    let ids = lines.dropFirst().prefix { !$0.contains(" due · ") }.map { String($0.prefix { $0 != " " }) }
    #expect(ids == ids.sorted())
    #expect(ids.firstIndex(of: "b-user") == 3)  // after agile-scrum and the two ai- decks
  }
}
