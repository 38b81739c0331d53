import EngramCore
import Testing

@testable import EngramStore

/// The parser's byte-level parts: the card-key table and the line scan, checked against what a
/// plain byte-by-byte reading gives.
@Suite struct ReviewLogParserTests {
  /// Looks every key up in one table, each inside a buffer with `after` more bytes behind it
  /// (0: the key ends the buffer, so no word may be loaded past it).
  func numbers(_ keys: [[UInt8]], after: Int = 16) -> (numbers: [Int?], keys: [String]) {
    var table = ReviewLogParser.KeyTable()
    let numbers = keys.map { key -> Int? in
      let buffer = key + [UInt8](repeating: 9, count: after)
      return buffer.withUnsafeBufferPointer { bytes in
        table.number(for: UnsafeBufferPointer(rebasing: bytes[0..<key.count]), readable: bytes.count)
      }
    }
    return (numbers, table.keys)
  }

  @Test func `keys are numbered by first appearance and found again, through many growths of the table`() {
    let distinct = (0..<5000).map { Array("deck\($0 % 7)/card-\($0)".utf8) }
    let lookups = distinct + distinct.reversed() + distinct
    let (numbers, keys) = numbers(lookups)
    #expect(numbers == (0..<5000).map { $0 } + (0..<5000).reversed().map { $0 } + (0..<5000).map { $0 })
    #expect(keys == distinct.map { String(decoding: $0, as: UTF8.self) })
  }

  @Test func `keys alike in their first 24 bytes, or alike but for their length, stay apart`() {
    let long = Array("a-deck-with-a-long-name/card-1".utf8)  // 30 bytes
    let keys: [[UInt8]] = [
      long, Array("a-deck-with-a-long-name/card-2".utf8), Array("a-deck-with-a-long-name/".utf8),
      Array("a-deck-with-a-long-name/c".utf8), [97], [97, 0], [97, 0, 0, 0, 0, 0, 0, 0, 0], long,
    ]
    #expect(numbers(keys).numbers == [0, 1, 2, 3, 4, 5, 6, 0])
  }

  @Test(arguments: [0, 1, 3, 7, 8])
  func `a key at the end of the buffer reads only its own bytes and is the same key`(after: Int) {
    let keys = [Array("d/short".utf8), Array("deck/exactly-sixteen".utf8), Array("x/a-key-that-is-over-24-bytes".utf8)]
    var table = ReviewLogParser.KeyTable()
    for (number, key) in keys.enumerated() {
      // Copied into a buffer of its own length plus `after`: ASan catches any read past it.
      let buffer = key + [UInt8](repeating: 0xff, count: after)
      let found = buffer.withUnsafeBufferPointer { bytes in
        table.number(for: UnsafeBufferPointer(rebasing: bytes[0..<key.count]), readable: bytes.count)
      }
      #expect(found == number)
      let again = (key + [9, 9, 9, 9, 9, 9, 9, 9, 9]).withUnsafeBufferPointer { bytes in
        table.number(for: UnsafeBufferPointer(rebasing: bytes[0..<key.count]), readable: bytes.count)
      }
      #expect(again == number)
    }
  }

  @Test func `a key of invalid UTF-8 has no number and takes none`() {
    let (numbers, keys) = numbers([Array("d/a".utf8), [100, 47, 0xff, 0xfe], Array("d/b".utf8), [0xc3]])
    #expect(numbers == [0, nil, 1, nil])
    #expect(keys == ["d/a", "d/b"])
  }

  @Test func `the line scan finds each newline and the tabs before it wherever they fall in a word`() {
    // Every placement of tabs and a newline in the first 20 bytes, with bytes that are close
    // to a tab or a newline (8, 11, 0x89, 0x8a) around them, against a byte-by-byte reading.
    var text: [UInt8] = []
    for shift in 0..<20 {
      let near: [UInt8] = [8, 11, 0x89, 0x8a, 65]
      var line = (0..<20).map { near[($0 + shift) % 5] }
      line[shift % 20] = 9
      line[(shift * 7 + 3) % 20] = 9
      text += line + [10]
      text += [9, 9, 10, 10]
    }
    text += [1, 9, 2]  // no newline at the end
    var expected: [(end: Int, tabs: [Int])] = []
    var start = 0
    while start < text.count {
      var end = start
      var tabs: [Int] = []
      while end < text.count, text[end] != 10 {
        if text[end] == 9 { tabs.append(end) }
        end += 1
      }
      expected.append((end, tabs))
      start = end + 1
    }
    var found: [(end: Int, tabs: [Int])] = []
    text.withUnsafeBufferPointer { bytes in
      var start = 0
      while start < bytes.count {
        var tabs: [Int] = []
        let end = ReviewLogParser.lineEnd(bytes.baseAddress!, from: start, count: bytes.count) { tabs.append($0) }
        found.append((end, tabs))
        start = end + 1
      }
    }
    #expect(found.map(\.end) == expected.map(\.end))
    #expect(found.map(\.tabs) == expected.map(\.tabs))
  }

  @Test
  func `lines past the first chunk keep their numbers, order and cards, and a tail without newline is not parsed`() {
    var text = "# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n"
    var cards: [String] = []
    var broken: [Int] = []
    for index in 0..<300 {
      if index % 37 == 5 {
        text += "broken line\n"
        broken.append(index + 3)
        continue
      }
      cards.append("d/c\(index % 90)")
      text += "2026-01-01T00:00:00.000Z\td/c\(index % 90)\t3\t1000\treview\n"
    }
    text += "2026-01-01T00:00:00.000Z\td/tail\t3\t1000\treview"
    var read: [String] = []
    var numbers: [Int] = []
    var unreadable: [Int] = []
    ReviewLogParser.parse(Array(text.utf8)) { line, number in
      switch line {
      case .event(let event):
        read.append(event.card)
        numbers.append(number)
      case .unreadable(let line, _): unreadable.append(line)
      }
    }
    #expect(read == cards)
    var first: [String: Int] = [:]
    #expect(
      numbers
        == cards.map { card in
          first[card]
            ?? {
              first[card] = first.count
              return first.count - 1
            }()
        })
    #expect(unreadable == broken)
    // Every line is counted, the unfinished last one too (a caller reading in pieces passes
    // only complete lines, and numbers the next piece from there).
    var names = ReviewLogParser.Names()
    let counted = Array(text.utf8).withUnsafeBufferPointer { bytes in
      ReviewLogParser.parseRows(bytes, firstLine: 1, names: &names, row: { _, _ in }, unreadable: { _, _ in })
    }
    #expect(counted == 2 + 300 + 1)
  }
}
