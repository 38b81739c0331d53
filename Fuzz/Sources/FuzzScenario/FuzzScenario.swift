import EngramCore
import EngramStore

/// libFuzzer entry: any bytes as a scenario file; a scenario that parses is played through,
/// always taking the first option, to its end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let scenario = try? ScenarioParser.parse(bytes: bytes, file: "fuzz.md"), var play = ScenarioPlay(scenario) else {
    return 0
  }
  var steps = 0
  while !play.isOver, steps <= scenario.nodes.count, let option = play.node.options.first {
    _ = play.choose(option.letter)
    steps += 1
  }
  return 0
}

/// The executable's entry (SwiftPM names it `<target>_main`): hands the input callback to
/// libFuzzer's driver, which parses libFuzzer's own options from the command line.
@_cdecl("FuzzScenario_main")
public func fuzzScenarioMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  var count = argc
  var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
  return runFuzzerDriver(&count, &arguments) { data, size in
    guard let data else { return 0 }
    return fuzzScenario(data, size)
  }
}

/// libFuzzer's driver (compiler-rt), for programs that keep their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
