import CZstd

/// Streaming zstd decompression with a ceiling on the output, so a small compressed file that
/// expands without end (a decompression bomb) is stopped instead of filling memory or disk.
enum Zstd {
  enum Failure: Error, Equatable {
    case corrupt(String)
    case tooLarge(limit: Int)
  }

  /// Decompresses `input`, handing output to `write` in chunks; stops once output passes `limit`.
  static func decompress(
    _ input: [UInt8], limit: Int, write: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    guard let stream = ZSTD_createDStream() else { throw Failure.corrupt("out of memory") }
    defer { ZSTD_freeDStream(stream) }
    ZSTD_initDStream(stream)
    let chunk = ZSTD_DStreamOutSize()
    var output = [UInt8](repeating: 0, count: chunk)
    var produced = 0
    var lastResult = 0
    try input.withUnsafeBytes { source in
      var inBuffer = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
      while true {
        let result = try output.withUnsafeMutableBytes { target -> Int in
          var outBuffer = ZSTD_outBuffer(dst: target.baseAddress, size: target.count, pos: 0)
          let code = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
          if ZSTD_isError(code) != 0 { throw Failure.corrupt(String(cString: ZSTD_getErrorName(code))) }
          produced += outBuffer.pos
          if produced > limit { throw Failure.tooLarge(limit: limit) }
          if outBuffer.pos > 0 { try write(UnsafeRawBufferPointer(rebasing: target[0..<outBuffer.pos])) }
          // More output may be pending while the output buffer came back full.
          return outBuffer.pos == outBuffer.size ? -1 : code
        }
        lastResult = result
        if result == -1 { continue }
        if inBuffer.pos == inBuffer.size { break }
        if result == 0 && inBuffer.pos < inBuffer.size {
          // A frame ended; another may follow (zstd allows concatenated frames).
          continue
        }
      }
    }
    // A non-zero hint at the end means the frame was cut short.
    if lastResult != 0 { throw Failure.corrupt("the compressed data ends in the middle of a frame") }
  }
}
