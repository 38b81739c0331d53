import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

@Suite struct AtomicFileTests {
  let directory = TemporaryDirectory()

  func mode(_ path: String) -> mode_t {
    var info = stat()
    stat(path, &info)
    return info.st_mode & 0o7777
  }

  func names() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] }

  @Test func `a replaced file keeps its mode and a new one gets the given mode`() throws {
    let path = directory.write("config.toml", "old\n")
    chmod(path, 0o640)
    try AtomicFile.write([Array("new\n".utf8)], to: path)
    #expect(directory.read("config.toml") == "new\n")
    #expect(mode(path) == 0o640)
    let fresh = directory.path + "/fresh"
    try AtomicFile.write([Array("a".utf8), Array("b".utf8)], to: fresh, mode: 0o600)
    #expect(directory.read("fresh") == "ab")
    #expect(mode(fresh) == 0o600)
    #expect(names().sorted() == ["config.toml", "fresh"], "no temporary file is left")
  }

  @Test func `optimize's config rewrite keeps the file's mode and follows no planted symlink`() throws {
    let path = directory.write("config.toml", "desired_retention = 0.9\n")
    chmod(path, 0o644)
    let outside = directory.write("outside.txt", "untouched\n")
    // The old fixed temporary name, planted as a symlink out of the directory.
    symlink(outside, path + ".tmp")
    try ConfigWriter.replaceParameters(in: path, with: [1, 2], previous: [3, 4], date: "2026-11-30")
    #expect(mode(path) == 0o644)
    #expect(directory.read("config.toml")?.contains("fsrs_parameters = [1.0, 2.0]") == true)
    #expect(directory.read("outside.txt") == "untouched\n")
  }

  @Test func `a write that cannot happen throws and leaves nothing behind`() {
    let path = directory.path + "/missing-folder/file"
    #expect(throws: FileError.self) { try AtomicFile.write([[1, 2, 3]], to: path) }
    #expect(names().isEmpty)
  }

  @Test func `leftovers of a process that is gone are cleared, a running one's are kept`() throws {
    let finished = Process()
    finished.executableURL = URL(fileURLWithPath: "/bin/true")
    try finished.run()
    finished.waitUntilExit()
    let dead = ".config.toml\(AtomicFile.marker)\(finished.processIdentifier)-abc"
    let live = ".config.toml\(AtomicFile.marker)\(getpid())-def"
    directory.write(dead, "x")
    directory.write(live, "y")
    directory.write("keep.md", "z")
    AtomicFile.clearLeftovers(in: directory.path)
    #expect(names().sorted() == [live, "keep.md"].sorted())
  }
}
