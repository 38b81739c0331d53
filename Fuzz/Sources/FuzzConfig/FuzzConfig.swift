import EngramStore
import FuzzSupport

/// libFuzzer entry: any bytes as config.toml.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data = input else { return 0 }
  guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
  _ = try? Config.parse(text, file: "config.toml")
  return 0
}

@_cdecl("FuzzConfig_main")
public func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzConfig)
}
