/// Substring search on UTF-8 bytes. Foundation's `range(of:)` and `contains(_:)` on strings go
/// through NSString and cost microseconds per call, which adds up to seconds over a
/// 100,000-note import; these ASCII needles match on bytes, where a match always starts and
/// ends on a character boundary of the haystack's scalars.
extension StringProtocol {
  /// The first occurrence of the ASCII `needle`, optionally ignoring ASCII case.
  func firstRange(ofASCII needle: StaticString, ignoringCase: Bool = false) -> Range<Index>? {
    let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    guard let first = pattern.first else { return nil }
    func same(_ a: UInt8, _ b: UInt8) -> Bool {
      a == b || (ignoringCase && a | 0x20 == b | 0x20 && (b | 0x20) >= 97 && (b | 0x20) <= 122)
    }
    let bytes = utf8
    var index = bytes.startIndex
    while index != bytes.endIndex {
      if same(bytes[index], first) {
        var probe = bytes.index(after: index)
        var matched = 1
        while matched < pattern.count, probe != bytes.endIndex, same(bytes[probe], pattern[matched]) {
          probe = bytes.index(after: probe)
          matched += 1
        }
        if matched == pattern.count { return index..<probe }
      }
      index = bytes.index(after: index)
    }
    return nil
  }

  /// Whether the ASCII `needle` occurs.
  func contains(ascii needle: StaticString) -> Bool { firstRange(ofASCII: needle) != nil }
}

/// Repeated searches for one ASCII needle in one text, each starting at or after the last:
/// a match still ahead is reused and a search that found nothing is not repeated, so a loop
/// that searches from each of n positions stays linear (searching afresh each time is
/// quadratic on a text such as 100,000 unclosed `{{c`).
struct ForwardSearch {
  let text: Substring
  let needle: StaticString
  let ignoringCase: Bool
  private var found: Range<Substring.Index>?
  private var searchedFrom: Substring.Index?

  init(_ text: Substring, _ needle: StaticString, ignoringCase: Bool = false) {
    self.text = text
    self.needle = needle
    self.ignoringCase = ignoringCase
  }

  /// The first match that starts at or after `start`.
  mutating func next(from start: Substring.Index) -> Range<Substring.Index>? {
    if let searchedFrom, start >= searchedFrom {
      guard let found else { return nil }
      if found.lowerBound >= start { return found }
    }
    searchedFrom = start
    found = text[start...].firstRange(ofASCII: needle, ignoringCase: ignoringCase)
    return found
  }
}
