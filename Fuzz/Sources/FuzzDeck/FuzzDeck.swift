import EngramStore
import FuzzSupport

/// libFuzzer entry: any bytes as a deck file. Problems are expected; a crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeck(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data = input else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let deck = try? DeckParser.parse(bytes: bytes, file: "fuzz.md") {
    _ = deck.cards.count
  }
  return 0
}

@_cdecl("FuzzDeck_main")
public func fuzzDeckMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzDeck)
}
