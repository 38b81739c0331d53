import EngramCore

/// Anki field text made readable, the one conversion every Anki import uses (packages and
/// text exports alike): images and sounds as `[image: name]`/`[audio: name]`, HTML as text,
/// LaTeX and MathJax as Unicode, furigana as `漢字(かんじ)`. It remembers what the import must
/// report: the media files named and the formulas kept as written.
struct AnkiFieldText {
  /// Media file names the converted text refers to.
  private(set) var media = Set<String>()
  /// Formulas kept as written (`[math: …]`) because they use LaTeX Engram does not convert.
  private(set) var unconvertedMath = 0

  /// An HTML field (a package's fields, a text export with `#html:true`).
  mutating func readable(html: String) -> String {
    let (clean, names) = AnkiConverter.withMediaPlaceholders(html)
    media.formUnion(names)
    return readable(plain: HTMLText.plain(clean))
  }

  /// A field that is already plain text (a text export with `#html:false`, where Anki has
  /// removed the markup but left formulas and furigana as typed).
  mutating func readable(plain: String) -> String {
    Furigana.readable(LaTeXText.readable(plain, unconverted: &unconvertedMath))
  }

  /// What the import says about the text: formulas kept as written, media named.
  ///
  /// - Parameter mediaIncluded: whether the file carries the media (a package does, a text
  ///   export does not).
  func warnings(file: String, mediaIncluded: Bool = true) -> [String] {
    var warnings: [String] = []
    if unconvertedMath > 0 {
      warnings.append(
        "\(file): \(counted(unconvertedMath, "formula")) \(unconvertedMath == 1 ? "uses" : "use") LaTeX Engram does not convert; they are kept as written between [math: …]"
      )
    }
    if !media.isEmpty {
      warnings.append(
        "\(file): \(counted(media.count, "image and sound file", plural: "image and sound files")) the cards refer to \(media.count == 1 ? "is" : "are") shown as [image: name] and [audio: name]"
          + (mediaIncluded
            ? ""
            : "; a text export carries no media files: copy them from Anki's collection.media folder into the media folder of your data directory")
      )
    }
    return warnings
  }
}
