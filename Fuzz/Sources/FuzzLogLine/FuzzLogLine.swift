import EngramStore
import FuzzSupport

/// libFuzzer entry: any bytes as review-log lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLogLine(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data = input else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  var events = 0
  ReviewLogParser.parse(bytes) { line, _ in
    if case .event = line { events += 1 }
  }
  return 0
}

@_cdecl("FuzzLogLine_main")
public func fuzzLogLineMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzLogLine)
}
