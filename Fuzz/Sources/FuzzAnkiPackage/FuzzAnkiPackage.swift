import EngramStore
import Foundation
import FuzzSupport

/// libFuzzer entry: any bytes as an Anki package (zip, SQLite collection, zstd), imported with
/// --dry-run into a scratch data directory. Seeds are real packages made by Anki.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnkiPackage(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data = input else { return 0 }
  let scratch = NSTemporaryDirectory() + "engram-fuzz-apkg-\(getpid())"
  try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
  let path = scratch + "/deck.apkg"
  FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
  let importer = Importer(directory: DataDirectory(path: scratch + "/home"))
  _ = try? importer.importFile(path, dryRun: true)
  return 0
}

@_cdecl("FuzzAnkiPackage_main")
public func fuzzAnkiPackageMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzAnkiPackage)
}
