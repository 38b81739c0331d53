import Testing

@testable import EngramStore

@Suite struct ByteSearchTests {
  @Test func `finds the first occurrence and its exact range`() {
    let text = "a <b>bold</b> and <b>more</b>"
    let range = text.firstRange(ofASCII: "<b>")
    #expect(range.map { String(text[$0]) } == "<b>")
    #expect(range.map { text.distance(from: text.startIndex, to: $0.lowerBound) } == 2)
    #expect(text.firstRange(ofASCII: "<i>") == nil)
    #expect(text.firstRange(ofASCII: "") == nil)
  }

  @Test func `case is ignored only for letters when asked`() {
    #expect("x <BR> y".firstRange(ofASCII: "<br>") == nil)
    #expect("x <BR> y".firstRange(ofASCII: "<br>", ignoringCase: true) != nil)
    // '@' (0x40) and '`' (0x60) differ only by the case bit but are not letters.
    #expect("@".firstRange(ofASCII: "`", ignoringCase: true) == nil)
    #expect("[".firstRange(ofASCII: "{", ignoringCase: true) == nil)
  }

  @Test func `matches land on character boundaries in non-ASCII text`() {
    let text = "漢字<br>かな"
    let range = text.firstRange(ofASCII: "<br>")!
    #expect(String(text[..<range.lowerBound]) == "漢字")
    #expect(String(text[range.upperBound...]) == "かな")
  }

  @Test func `a needle cut off by the end is not a match`() {
    #expect("abc{{c".firstRange(ofASCII: "{{c1") == nil)
    #expect("abc".contains(ascii: "bc"))
    #expect(!"abc".contains(ascii: "cd"))
  }

  @Test func `forward search reuses a match ahead and remembers a miss`() {
    let text = Substring("..x....x..")
    var search = ForwardSearch(text, "x")
    let first = search.next(from: text.startIndex)
    #expect(first.map { text.distance(from: text.startIndex, to: $0.lowerBound) } == 2)
    let fromOne = search.next(from: text.index(text.startIndex, offsetBy: 1))
    #expect(fromOne == first)
    let fromThree = search.next(from: text.index(text.startIndex, offsetBy: 3))
    #expect(fromThree.map { text.distance(from: text.startIndex, to: $0.lowerBound) } == 7)
    #expect(search.next(from: text.index(text.startIndex, offsetBy: 8)) == nil)
    #expect(search.next(from: text.index(text.startIndex, offsetBy: 9)) == nil)
  }

  @Test func `searching from every position of 100,000 unclosed openers stays linear`() {
    // Quadratic search would compare about 5 * 10^9 bytes here; the forward search does one pass.
    let text = Substring(String(repeating: "{{c", count: 100_000))
    var search = ForwardSearch(text, "}}")
    var index = text.startIndex
    var misses = 0
    while index != text.endIndex {
      if search.next(from: index) == nil { misses += 1 }
      index = text.index(after: index)
    }
    #expect(misses == 300_000)
  }
}
