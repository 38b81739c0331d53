import EngramStore
import Foundation

/// libFuzzer entry: any bytes as an Anki text export (CSV and TSV), imported with --dry-run
/// into a scratch data directory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTextImport(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
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

/// The executable's entry (SwiftPM names it `<target>_main`): hands the input callback to
/// libFuzzer's driver, which parses libFuzzer's own options from the command line.
@_cdecl("FuzzTextImport_main")
public func fuzzTextImportMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  var count = argc
  var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
  return runFuzzerDriver(&count, &arguments) { data, size in
    guard let data else { return 0 }
    return fuzzTextImport(data, size)
  }
}

/// libFuzzer's driver (compiler-rt), for programs that keep their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
