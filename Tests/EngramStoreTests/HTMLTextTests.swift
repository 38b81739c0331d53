import Testing

@testable import EngramStore

/// HTML as a browser shows it, in the deck format's paragraphs. Expected texts are written by
/// hand from how a browser renders each snippet.
@Suite struct HTMLTextTests {
  @Test func `raw newlines and runs of spaces inside html are one space`() {
    #expect(HTMLText.plain("one\ntwo   three\r\n\tfour") == "one two three four")
  }

  @Test func `br and block elements end a line`() {
    #expect(HTMLText.plain("a<br>b<BR/>c<div>d</div>e<p>f</p>") == "a\n\nb\n\nc\n\nd\n\ne\n\nf")
  }

  @Test func `ordered lists are numbered, from their start, and unordered ones bulleted`() {
    #expect(HTMLText.plain("Steps:<ol><li>mix</li><li>bake</li></ol>") == "Steps:\n\n1. mix\n\n2. bake")
    #expect(HTMLText.plain("<ol start=\"4\"><li>d</li><li>e</li></ol>") == "4. d\n\n5. e")
    #expect(HTMLText.plain("<ul><li>x</li><li>y<ol><li>inner</li></ol></li></ul>") == "• x\n\n• y\n\n1. inner")
  }

  @Test func `a table becomes aligned rows`() {
    let html =
      "use the following table<table><tr><th>Term</th><th>Meaning</th></tr><tr><td>p</td><td>probability</td></tr></table>after"
    #expect(HTMLText.plain(html) == "use the following table\n\nTerm | Meaning\n\np    | probability\n\nafter")
  }

  @Test func `comments, scripts and styles are dropped with their content`() {
    #expect(HTMLText.plain("a<!-- hidden -->b<script>var x = 1 < 2;</script>c<style>.x{}</style>d") == "abcd")
  }

  @Test func `a less-than sign that starts no tag is text`() {
    #expect(HTMLText.plain("x<3 and a <b>bold</b> y") == "x<3 and a bold y")
    #expect(HTMLText.plain("a <b unclosed") == "a <b unclosed")
  }

  @Test func `entities are decoded, unknown ones kept`() {
    #expect(HTMLText.plain("&lt;tag&gt; &amp; &eacute; &#233; &#xE9; &bogus; &") == "<tag> & é é é &bogus; &")
  }

  @Test func `furigana shows the reading in parentheses`() {
    #expect(Furigana.readable("仕出[しで]かす") == "仕出(しで)かす")
    #expect(Furigana.readable("日本 語[ご]を 話[はな]す") == "日本語(ご)を話(はな)す")
    #expect(
      Furigana.readable("array[i] and [image: a.png] and 図[image: b.png]")
        == "array[i] and [image: a.png] and 図[image: b.png]")
  }

  @Test(arguments: [
    ("[$]\\text{Unit Law of } \\textbf{C}[/$]", "Unit Law of C"),
    ("\\(\\alpha + \\beta^2\\)", "α + β²"),
    ("\\[\\frac{a+b}{2}\\]", "(a+b)/2"),
    ("[$$]\\sum_{i=1}^{n} x_i[/$$]", "∑ᵢ₌₁ⁿ xᵢ"),
    ("[latex]\\sqrt{x} \\leq \\infty[/latex]", "√x ≤ ∞"),
    ("before \\(x \\to 0\\) after", "before x → 0 after"),
    ("E = mc^2", "E = mc^2"),
  ])
  func `common latex becomes unicode`(input: String, expected: String) {
    var unconverted = 0
    #expect(LaTeXText.readable(input, unconverted: &unconverted) == expected)
    #expect(unconverted == 0)
  }

  @Test func `latex beyond the common cases is kept in clear delimiters and counted`() {
    var unconverted = 0
    #expect(
      LaTeXText.readable("see \\(\\begin{matrix} a \\end{matrix}\\)", unconverted: &unconverted)
        == "see [math: \\begin{matrix} a \\end{matrix}]")
    #expect(unconverted == 1)
  }
}
