import EngramStore

/// libFuzzer entry: any bytes as a deck file. Problems are expected; a crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeck(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let deck = try? DeckParser.parse(bytes: bytes, file: "fuzz.md") {
    _ = deck.cards.count
  }
  return 0
}
