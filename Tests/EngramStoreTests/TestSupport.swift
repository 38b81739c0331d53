import Foundation

/// A fresh temporary directory per test, removed when the value is discarded.
final class TemporaryDirectory {
  let path: String

  init() {
    path = NSTemporaryDirectory() + "engram-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  func write(_ name: String, _ text: String) -> String {
    let file = path + "/" + name
    try? FileManager.default.createDirectory(
      atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
    return file
  }

  func read(_ name: String) -> String? {
    FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
  }
}

/// The built `engram` binary: `$ENGRAM_BINARY` (set by `make test`), else the debug build.
func engramBinary() -> String {
  if let path = ProcessInfo.processInfo.environment["ENGRAM_BINARY"] { return path }
  return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appending(path: ".build/debug/engram").path
}
