import EngramStore

/// libFuzzer entry: any bytes as config.toml.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
  _ = try? Config.parse(text, file: "config.toml")
  return 0
}
