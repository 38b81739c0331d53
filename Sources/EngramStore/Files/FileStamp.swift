#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file's size and last change time: equal stamps mean the file was not rewritten between
/// them (as far as the file system's clock tells). What the snapshot's deck fingerprint and
/// the kept deck texts of `CardIndex` compare.
struct FileStamp: Equatable {
  var size: Int64
  var seconds: Int64
  var nanoseconds: Int64

  /// The stamp of the file at `path` now; nil when it cannot be examined.
  init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    size = Int64(info.st_size)
    seconds = Int64(info.st_mtim.tv_sec)
    nanoseconds = Int64(info.st_mtim.tv_nsec)
  }
}
