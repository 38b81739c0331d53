import EngramCore
import Foundation

/// The lines of a review card on screen, word-wrapped to a width: the question side and the
/// answer side. No I/O (the width and the styles come in), so tests can check every shipped card
/// fits a 24-row terminal at any width.
struct CardScreen {
  let card: Card
  /// The card's options when it is written as multiple choice (empty otherwise).
  let options: [String]
  let columns: Int
  let terminal: Terminal
  /// Where imported images and sounds are kept (`$ENGRAM_HOME/media`), so the answer can point
  /// at the files its `[image: name]` and `[audio: name]` placeholders stand for.
  var mediaDirectory: String?

  /// The heading, the question (hanging after `Q: `) and any options (hanging after `A) `).
  func question(heading: String) -> [String] {
    var lines = [terminal.dim(TextLayout.truncate(heading, columns: columns))]
    lines += TextLayout.wrap(card.front, columns: columns, label: terminal.bold("Q: "))
    for (index, option) in options.enumerated() {
      lines += TextLayout.wrap(option, columns: columns, label: "  \(ReviewSession.letters[index])) ")
    }
    return lines
  }

  /// The answer: for a cloze card the whole sentence with the blank filled in and highlighted,
  /// else the answer text; then the learner's own answer marked by the grader.
  func answer(typed: String) -> [String] {
    let shown = card.revealedCloze { terminal.bold(terminal.green($0)) } ?? card.back
    var lines = TextLayout.wrap(shown, columns: columns, label: terminal.green("A: "))
    let answer = typed.trimmingCharacters(in: .whitespaces)
    // An option picked by letter, number or text, or a typed answer: graded as a quiz grades it.
    let (picked, result) = ChoiceAnswer.grade(answer, card: card, options: options)
    if let index = picked {
      let right = result.verdict == .correct
      lines += TextLayout.wrap(
        options[index] + " " + (right ? terminal.green("✓") : terminal.red("✗")), columns: columns,
        label: terminal.dim("   you: \(ChoiceAnswer.letters[index])) "))
    } else if !answer.isEmpty {
      // The quiz grader's verdict, as a hint for rating: the learner still decides.
      let verdict = result.verdict
      let mark =
        switch verdict {
        case .correct: terminal.green("✓")
        case .close: terminal.yellow("≈ close")
        case .wrong: terminal.red("✗")
        }
      lines += TextLayout.wrap(answer + " " + mark, columns: columns, label: terminal.dim("   you: "))
    }
    if let mediaDirectory {
      for (kind, name) in CardScreen.media(in: card.front + "\n" + card.back) {
        lines += TextLayout.wrap(mediaDirectory + "/" + name, columns: columns, label: terminal.dim("   \(kind): "))
      }
    }
    return lines
  }

  /// The `[image: name]` and `[audio: name]` placeholders of a text, in order, without repeats.
  static func media(in text: String) -> [(kind: String, name: String)] {
    var found: [(kind: String, name: String)] = []
    for kind in ["image", "audio"] {
      var rest = text[...]
      while let start = rest.range(of: "[\(kind): ") {
        guard let end = rest[start.upperBound...].firstIndex(of: "]") else { break }
        let name = String(rest[start.upperBound..<end])
        if !name.isEmpty, !name.contains("/"), !found.contains(where: { $0 == (kind, name) }) {
          found.append((kind, name))
        }
        rest = rest[rest.index(after: end)...]
      }
    }
    return found
  }

  /// The card's explanation, hanging after `Why: `.
  func explanation() -> [String] {
    card.note.why.isEmpty
      ? [terminal.dim("This card has no explanation.")]
      : TextLayout.wrap(card.note.why, columns: columns, label: terminal.cyan("Why: "))
  }
}
