import EngramCore
import EngramStore
import FuzzSupport

/// libFuzzer entry: any bytes as a scenario file; a scenario that parses is played through,
/// always taking the first option, to its end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data = input else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let scenario = try? ScenarioParser.parse(bytes: bytes, file: "fuzz.md"), var play = ScenarioPlay(scenario)
  else {
    return 0
  }
  var steps = 0
  while !play.isOver, steps <= scenario.nodes.count, let option = play.node.options.first {
    _ = play.choose(option.letter)
    steps += 1
  }
  return 0
}

@_cdecl("FuzzScenario_main")
public func fuzzScenarioMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzScenario)
}
