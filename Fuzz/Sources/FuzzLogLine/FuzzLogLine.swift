import EngramStore

/// libFuzzer entry: any bytes as review-log lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLogLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  var events = 0
  ReviewLogParser.parse(bytes) { line, _ in
    if case .event = line { events += 1 }
  }
  return 0
}

/// The executable's entry (SwiftPM names it `<target>_main`): hands the input callback to
/// libFuzzer's driver, which parses libFuzzer's own options from the command line.
@_cdecl("FuzzLogLine_main")
public func fuzzLogLineMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  var count = argc
  var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
  return runFuzzerDriver(&count, &arguments) { data, size in
    guard let data else { return 0 }
    return fuzzLogLine(data, size)
  }
}

/// libFuzzer's driver (compiler-rt), for programs that keep their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
