/// LaTeX and MathJax in Anki fields (`[$]…[/$]`, `[$$]…[/$$]`, `[latex]…[/latex]`, `\(…\)`,
/// `\[…\]`) written as readable Unicode for the common cases: Greek letters, sub- and
/// superscripts, `\frac`, `\sqrt`, `\sum` and other operators, `\text{}`, `\textbf{}`. A formula
/// with anything else is kept as written between `[math: …]` delimiters and counted, so the
/// import can say so once.
enum LaTeXText {
  /// The text with each formula converted; `unconverted` counts formulas kept as written.
  static func readable(_ text: String, unconverted: inout Int) -> String {
    guard text.utf8.contains(where: { $0 == 92 || $0 == 91 }) else { return text }  // '\\' or '['
    let whole = Substring(text)
    // Each delimiter's opening and closing searches only move forward: linear overall.
    var pairs = [
      (ForwardSearch(whole, "[$$]"), ForwardSearch(whole, "[/$$]")),
      (ForwardSearch(whole, "[$]"), ForwardSearch(whole, "[/$]")),
      (ForwardSearch(whole, "[latex]"), ForwardSearch(whole, "[/latex]")),
      (ForwardSearch(whole, "\\("), ForwardSearch(whole, "\\)")),
      (ForwardSearch(whole, "\\["), ForwardSearch(whole, "\\]")),
    ]
    var out = ""
    var rest = whole
    while true {
      var best: (range: Range<Substring.Index>, pair: Int)?
      for number in pairs.indices {
        if let range = pairs[number].0.next(from: rest.startIndex),
          best.map({ range.lowerBound < $0.range.lowerBound }) ?? true
        {
          best = (range, number)
        }
      }
      guard let best, let end = pairs[best.pair].1.next(from: best.range.upperBound) else { break }
      out += rest[..<best.range.lowerBound]
      let formula = String(whole[best.range.upperBound..<end.lowerBound])
      if let converted = convert(formula) {
        out += converted
      } else {
        out += "[math: \(formula.trimmingWhitespace())]"
        unconverted += 1
      }
      rest = whole[end.upperBound...]
    }
    return out + rest
  }

  /// A formula as Unicode, or nil when it uses something not mapped.
  static func convert(_ formula: String) -> String? {
    // Plain text between delimiters needs no parsing.
    if !formula.utf8.contains(where: { $0 == 92 || $0 == 94 || $0 == 95 || $0 == 123 || $0 == 125 }) {
      return formula.trimmingWhitespace()
    }
    var parser = Parser(Array(formula))
    let result = parser.expression(until: nil)
    guard parser.ok else { return nil }
    return result.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
  }

  private struct Parser {
    let characters: [Character]
    var index = 0
    var ok = true
    /// Groups open; a formula nested deeper than any real one is not converted.
    var depth = 0

    init(_ characters: [Character]) { self.characters = characters }

    /// Reads until `end` (or the end), converting.
    mutating func expression(until end: Character?) -> String {
      depth += 1
      defer { depth -= 1 }
      if depth > 32 { ok = false }
      var out = ""
      while index < characters.count, ok {
        let character = characters[index]
        if let end, character == end {
          index += 1
          return out
        }
        switch character {
        case "\\":
          out += command()
        case "^", "_":
          index += 1
          let argument = self.argument()
          let mapped = argument.map { (character == "^" ? LaTeXText.superscripts : LaTeXText.subscripts)[$0] }
          if mapped.allSatisfy({ $0 != nil }) {
            out += String(mapped.compactMap { $0 })
          } else {
            out += (character == "^" ? "^" : "_") + (argument.count == 1 ? argument : "(\(argument))")
          }
        case "{":
          index += 1
          out += expression(until: "}")
        case "}":
          ok = false
        default:
          out.append(character)
          index += 1
        }
      }
      if end != nil { ok = false }
      return out
    }

    /// One argument: a `{group}`, a command or one character.
    mutating func argument() -> String {
      while index < characters.count, characters[index] == " " { index += 1 }
      guard index < characters.count else {
        ok = false
        return ""
      }
      let character = characters[index]
      if character == "{" {
        index += 1
        return expression(until: "}")
      }
      if character == "\\" { return command() }
      index += 1
      return String(character)
    }

    mutating func command() -> String {
      index += 1  // the backslash
      var name = ""
      while index < characters.count, characters[index].isLetter {
        name.append(characters[index])
        index += 1
      }
      if name.isEmpty {
        guard index < characters.count else { return "" }
        let symbol = characters[index]
        index += 1
        switch symbol {
        case ",", ";", ":", " ", "!": return " "
        case "{", "}", "%", "$", "&", "#", "_": return String(symbol)
        case "\\": return " "
        default:
          ok = false
          return ""
        }
      }
      if let symbol = LaTeXText.symbols[name] { return symbol }
      switch name {
      case "frac", "dfrac", "tfrac":
        let top = argument()
        let bottom = argument()
        return "\(LaTeXText.grouped(top))/\(LaTeXText.grouped(bottom))"
      case "sqrt":
        return "√" + LaTeXText.grouped(argument())
      case "text", "textbf", "textit", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "operatorname", "emph",
        "boldsymbol", "mbox":
        return argument()
      case "left", "right", "big", "Big", "bigg", "Bigg", "displaystyle", "limits", "quad", "qquad":
        return name.hasSuffix("quad") ? " " : ""
      default:
        ok = false
        return ""
      }
    }
  }

  /// `a+b` → `(a+b)`; a single symbol or number stays as it is.
  static func grouped(_ text: String) -> String {
    text.count <= 1 || text.allSatisfy({ $0.isNumber }) || text.allSatisfy({ $0.isLetter }) ? text : "(\(text))"
  }

  static let symbols: [String: String] = [
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "sum": "∑", "prod": "∏", "int": "∫", "oint": "∮", "infty": "∞", "partial": "∂", "nabla": "∇",
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "ne": "≠", "approx": "≈", "equiv": "≡", "sim": "∼", "propto": "∝", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "leftrightarrow": "↔",
    "Leftrightarrow": "⇔", "implies": "⇒", "iff": "⇔", "mapsto": "↦", "in": "∈", "notin": "∉", "subset": "⊂",
    "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "cup": "∪", "cap": "∩", "emptyset": "∅", "varnothing": "∅",
    "forall": "∀", "exists": "∃", "neg": "¬", "land": "∧", "lor": "∨", "wedge": "∧", "vee": "∨",
    "ldots": "…", "cdots": "⋯", "dots": "…", "circ": "∘", "degree": "°", "angle": "∠", "perp": "⊥",
    "parallel": "∥", "langle": "⟨", "rangle": "⟩", "lvert": "|", "rvert": "|", "mid": "|", "log": "log",
    "ln": "ln", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan", "lim": "lim", "max": "max", "min": "min",
    "det": "det", "mathbb": "", "hbar": "ℏ", "ell": "ℓ", "star": "⋆", "ast": "∗", "bullet": "•",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "prime": "′", "sqrt": "√",
  ]

  static let superscripts: [Character: Character] = [
    "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
    "+": "⁺", "-": "⁻", "=": "⁼", "(": "⁽", ")": "⁾", "n": "ⁿ", "i": "ⁱ", "T": "ᵀ", "k": "ᵏ", "x": "ˣ",
    "a": "ᵃ", "b": "ᵇ", "c": "ᶜ", "d": "ᵈ", "e": "ᵉ", "m": "ᵐ", "t": "ᵗ", "*": "*", "′": "′",
  ]

  static let subscripts: [Character: Character] = [
    "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉",
    "+": "₊", "-": "₋", "=": "₌", "(": "₍", ")": "₎", "a": "ₐ", "e": "ₑ", "i": "ᵢ", "j": "ⱼ", "k": "ₖ",
    "n": "ₙ", "m": "ₘ", "o": "ₒ", "p": "ₚ", "r": "ᵣ", "s": "ₛ", "t": "ₜ", "x": "ₓ", "u": "ᵤ", "v": "ᵥ",
  ]
}
