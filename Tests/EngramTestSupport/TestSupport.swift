import Foundation

/// A fresh temporary directory per test, removed when the value is discarded.
public final class TemporaryDirectory {
  public let path: String

  public init() {
    path = NSTemporaryDirectory() + "engram-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  @discardableResult
  public func write(_ name: String, _ text: String) -> String {
    let file = path + "/" + name
    try? FileManager.default.createDirectory(
      atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
    return file
  }

  /// Every file under `folder` (relative) with its bytes, for checking that nothing changed.
  public func snapshot(_ folder: String) -> [String: Data] {
    var result: [String: Data] = [:]
    let root = path + "/" + folder
    for file in FileManager.default.subpaths(atPath: root) ?? [] {
      if let data = FileManager.default.contents(atPath: root + "/" + file) { result[file] = data }
    }
    return result
  }

  public func read(_ name: String) -> String? {
    FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
  }
}

/// The built `engram` binary: `$ENGRAM_BINARY` (set by `make test`), else the debug build.
/// (`#filePath` is this file, in Tests/EngramTestSupport.)
public func engramBinary() -> String {
  if let path = ProcessInfo.processInfo.environment["ENGRAM_BINARY"] { return path }
  return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appending(path: ".build/debug/engram").path
}

public struct RunResult {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

/// Runs the binary with piped input and its own data directory.
public func runEngram(_ arguments: [String], home: String, input: String = "", environment: [String: String] = [:])
  throws -> RunResult
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: engramBinary())
  process.arguments = arguments
  // One fixed device name, so a test knows its log file: `reviews/test.tsv`.
  var env = ["ENGRAM_HOME": home, "PATH": "/usr/bin:/bin", "TZ": "UTC", "ENGRAM_DEVICE": "test"]
  env.merge(environment) { $1 }
  process.environment = env
  let stdin = Pipe()
  let stdout = Pipe()
  let stderr = Pipe()
  process.standardInput = stdin
  process.standardOutput = stdout
  process.standardError = stderr
  try process.run()
  stdin.fileHandleForWriting.write(Data(input.utf8))
  try stdin.fileHandleForWriting.close()
  let out = stdout.fileHandleForReading.readDataToEndOfFile()
  let err = stderr.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return RunResult(
    status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
    stderr: String(decoding: err, as: UTF8.self))
}

/// `../shared` beside the checkout (or `$ENGRAM_SHARED`): reference vectors and Anki-made fixtures.
public func sharedDirectory() -> URL {
  if let override = ProcessInfo.processInfo.environment["ENGRAM_SHARED"] {
    return URL(fileURLWithPath: override)
  }
  return URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appending(path: "shared")
}
