import EngramStore
import FuzzSupport
import Foundation

/// libFuzzer entry: any bytes as an Anki text export (CSV and TSV), imported with --dry-run
/// into a scratch data directory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTextImport(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data = input else { return 0 }
  let scratch = NSTemporaryDirectory() + "engram-fuzz-text-\(getpid())"
  try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
  for name in ["notes.tsv", "notes.csv"] {
    let path = scratch + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
    let importer = Importer(directory: DataDirectory(path: scratch + "/home"))
    _ = try? importer.importFile(path, dryRun: true)
  }
  return 0
}

@_cdecl("FuzzTextImport_main")
public func fuzzTextImportMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzTextImport)
}
