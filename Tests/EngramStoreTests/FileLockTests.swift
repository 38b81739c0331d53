import Foundation
import Testing

@testable import EngramStore

/// `POSIXFile`, the calls the review log's durability rests on (Sources/EngramStore/Files/FileLock.swift).
@Suite struct FileLockTests {
  let directory: String

  init() throws {
    directory = NSTemporaryDirectory() + "engram-posix-\(UUID().uuidString)"
    try POSIXFile.makeDirectories(directory)
  }

  private func openFile(_ name: String, _ flags: Int32 = O_RDWR | O_CREAT) -> (Int32, String) {
    let path = directory + "/" + name
    return (open(path, flags | O_CLOEXEC, 0o600), path)
  }

  @Test func `written bytes read back whole and from an offset`() throws {
    let (fd, path) = openFile("a")
    defer { close(fd) }
    let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
    try POSIXFile.writeAll(fd: fd, bytes: bytes, path: path)
    try POSIXFile.sync(fd: fd, path: path)
    #expect(try POSIXFile.readAll(fd: fd, path: path) == bytes)
    #expect(try POSIXFile.readAll(fd: fd, path: path, from: 199_990) == Array(bytes[199_990...]))
    #expect(try POSIXFile.readAll(fd: fd, path: path, from: 300_000) == [])
    #expect(try POSIXFile.size(fd: fd, path: path) == 200_000)
    #expect(try POSIXFile.byte(fd: fd, at: 1_000, path: path) == UInt8(truncatingIfNeeded: 1_000))
  }

  @Test func `a read past the end returns what there is, and one byte past the end is an error`() throws {
    let (fd, path) = openFile("b")
    defer { close(fd) }
    try POSIXFile.writeAll(fd: fd, bytes: Array("hello".utf8), path: path)
    var into: [UInt8] = [1]
    try POSIXFile.read(fd: fd, from: 3, count: 10, into: &into, path: path)
    #expect(into == [1] + Array("lo".utf8))
    #expect(throws: FileError.cannotRead(path: path, reason: "the file ended early")) {
      try POSIXFile.byte(fd: fd, at: 5, path: path)
    }
  }

  @Test func `a write to a read-only descriptor is an error that says nothing was recorded`() throws {
    let (created, path) = openFile("c")
    close(created)
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    let error = #expect(throws: FileError.self) { try POSIXFile.writeAll(fd: fd, bytes: [1], path: path) }
    #expect(error?.description.hasPrefix("cannot write \(path): ") == true)
    #expect(error?.description.hasSuffix("(nothing was recorded)") == true)
  }

  @Test func `an exclusive lock excludes a second open file description until it is released`() throws {
    let (first, path) = openFile("lock")
    defer { close(first) }
    let second = open(path, O_RDWR)
    defer { close(second) }
    try POSIXFile.lock(fd: first, exclusive: true, path: path)
    #expect(flock(second, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK)
    #expect(flock(second, LOCK_SH | LOCK_NB) != 0)
    POSIXFile.unlock(fd: first)
    try POSIXFile.lock(fd: second, exclusive: false, path: path)
    #expect(flock(first, LOCK_SH | LOCK_NB) == 0)
    #expect(flock(first, LOCK_EX | LOCK_NB) != 0)
  }

  @Test func `directories are made with their parents, private, and existing ones are fine`() throws {
    let nested = directory + "/x/y/z"
    try POSIXFile.makeDirectories(nested)
    try POSIXFile.makeDirectories(nested)
    var info = stat()
    #expect(stat(directory + "/x/y", &info) == 0)
    #expect(info.st_mode & 0o777 == 0o700)
  }

  @Test func `a directory that cannot be made names the component that failed`() throws {
    let (fd, path) = openFile("plain-file")
    close(fd)
    #expect(throws: FileError.self) { try POSIXFile.makeDirectories(path + "/sub") }
    let error = #expect(throws: FileError.self) { try POSIXFile.makeDirectories(path + "/sub") }
    #expect(error?.description.hasPrefix("cannot create directory \(path)/sub: ") == true)
  }
}
