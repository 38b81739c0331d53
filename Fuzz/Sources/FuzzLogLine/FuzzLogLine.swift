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
