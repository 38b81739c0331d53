import EngramStore
import Foundation
import FuzzSupport

/// libFuzzer entry: any bytes as an Anki text export (CSV, TSV: an import reads every text
/// file the same way, its separator from the headers or guessed), straight through the
/// import's text reader (decode, parse, convert, limits, each deck as written and parsed back)
/// with no data directory: an import's merge would load every shipped deck for each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTextImport(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data = input else { return 0 }
  _ = try? Importer.readTextExport(Array(UnsafeBufferPointer(start: data, count: size)), file: "notes.tsv")
  return 0
}

@_cdecl("FuzzTextImport_main")
public func fuzzTextImportMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzTextImport)
}
