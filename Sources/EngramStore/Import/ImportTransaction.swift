import EngramCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An import's all-or-nothing commit, safe against `kill -9` or power loss at any instant.
///
/// Everything an import writes is first staged in its own folder, `$ENGRAM_HOME/.staging/PID-XXXXXX`
/// (the expanded Anki collection, each merged deck, the exact log bytes to append), every file
/// created with `O_EXCL|O_NOFOLLOW` and fsync'd. The commit point is the rename of a journal into
/// that folder: it names the log's size before the import and each staged deck's final id.
/// Before that rename nothing outside the folder has changed; after it, the log append and the
/// deck renames are applied, and a crash part-way is finished by the next start
/// (`recover(in:)`), which rolls a journaled folder forward and deletes any other.
struct ImportTransaction {
  /// The folder of every import's staging folder.
  static func root(of directory: DataDirectory) -> String { directory.path + "/.staging" }

  static let journalName = "journal"
  static let historyName = "history.tsv"

  let directory: DataDirectory
  /// This import's folder.
  let path: String
  /// Staged decks: file name in the folder and deck id.
  private(set) var decks: [(staged: String, id: String)] = []
  /// Staged media files: file name in the folder and name in `media/`.
  var media: [(staged: String, name: String)] = []

  /// Creates a fresh staging folder with a unique name.
  static func begin(in directory: DataDirectory) throws(FileError) -> ImportTransaction {
    let root = root(of: directory)
    if mkdir(root, 0o700) != 0 && errno != EEXIST {
      throw .cannotCreateDirectory(path: root, reason: FileError.reason())
    }
    var info = stat()
    guard lstat(root, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
      throw .cannotCreateDirectory(path: root, reason: "it exists and is not a directory")
    }
    var template = Array("\(root)/\(getpid())-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else {
      throw .cannotCreateDirectory(path: root, reason: FileError.reason())
    }
    return ImportTransaction(directory: directory, path: String(cString: made))
  }

  /// Writes a deck's new text into the staging folder.
  mutating func stage(deck id: String, markdown: String) throws(FileError) {
    let name = "deck-\(decks.count).md"
    try ImportTransaction.createSynced(path + "/" + name, Array(markdown.utf8))
    decks.append((name, id))
  }

  /// Appends `history` to the log and moves the staged decks into place, as one step.
  ///
  /// - Throws: `FileError` when something fails before the commit point or while appending to
  ///   the log (then nothing has changed); a failure after that is reported as
  ///   `Finishing.interrupted`, and the next start finishes the import.
  func commit(history: [ReviewEvent]) throws(Finishing) {
    // One import commits or recovers at a time.
    let rootLock: Int32
    do { rootLock = try ImportTransaction.lockFolder(ImportTransaction.root(of: directory)) } catch {
      throw .failed(error)
    }
    defer { close(rootLock) }
    var log: (fd: Int32, size: Int, count: Int, path: String)?
    // Closed here only when the commit stops before its point; after it, below.
    var committed = false
    defer { if !committed, let log, log.fd >= 0 { close(log.fd) } }
    var lines = "engram import journal v1\n"
    do throws(FileError) {
      if !history.isEmpty {
        // The history goes to this device's own log file, numbered under its lock. A device's
        // first file is only created after the commit point, so a failed import leaves no
        // empty file or folder behind.
        let device: String
        do { device = try directory.device.name() } catch {
          throw FileError.cannotWrite(path: directory.path + "/reviews", reason: error.description)
        }
        let reviewLog = HistoryLog(directory: directory, device: device).ownFile(device: device)
        var size = 0
        var first = 1
        let fd = open(reviewLog.path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
        if fd >= 0 {
          log = (fd, 0, 0, reviewLog.path)
          // Held until the history is appended, so the size journaled is where it goes.
          try POSIXFile.lock(fd: fd, exclusive: true, path: reviewLog.path)
          _ = try reviewLog.repairTornTail(fd: fd)
          size = try POSIXFile.size(fd: fd, path: reviewLog.path)
          first = try reviewLog.lastSequence(fd: fd, device: device) + 1
        } else if errno != ENOENT {
          throw FileError.cannotOpen(path: reviewLog.path, reason: FileError.reason())
        }
        let count = try ImportTransaction.stageHistory(
          history, header: size == 0 ? reviewLog.header : "", device: device, first: first,
          path: path + "/" + ImportTransaction.historyName)
        log = (fd, size, count, reviewLog.path)
        lines += "log\t\(size)\t\(count)\treviews/\(device).tsv\n"
      }
      for deck in decks { lines += "deck\t\(deck.staged)\t\(deck.id)\n" }
      for file in media { lines += "media\t\(file.staged)\t\(file.name)\n" }
      try ImportTransaction.createSynced(path + "/journal.tmp", Array(lines.utf8))
      guard rename(path + "/journal.tmp", path + "/" + ImportTransaction.journalName) == 0 else {
        throw FileError.cannotWrite(path: path + "/" + ImportTransaction.journalName, reason: FileError.reason())
      }
      FaultPoint.pass()
      try ImportTransaction.syncFolder(path)
    } catch {
      throw .failed(error)
    }
    // Committed.
    committed = true
    if var log {
      do {
        if log.fd < 0 {
          // The device's first file: made now, as roll-forward would make it.
          log.fd = try ImportTransaction.openLog(log.path, in: directory)
        }
        try ImportTransaction.append(
          staged: path + "/" + ImportTransaction.historyName, count: log.count, at: log.size, fd: log.fd,
          path: log.path)
      } catch {
        // A full disk: take the history back out and the journal with it.
        if log.fd >= 0, ftruncate(log.fd, off_t(log.size)) == 0, fsync(log.fd) == 0,
          unlink(path + "/" + ImportTransaction.journalName) == 0
        {
          try? ImportTransaction.syncFolder(path)
          close(log.fd)
          throw .failed(error)
        }
        if log.fd >= 0 { close(log.fd) }
        throw .interrupted(error)
      }
      POSIXFile.unlock(fd: log.fd)
      close(log.fd)
    }
    do {
      try ImportTransaction.moveMedia(media, from: path, directory: directory)
      try ImportTransaction.moveDecks(decks.map(\.staged), ids: decks.map(\.id), from: path, directory: directory)
    } catch {
      throw .interrupted(error)
    }
    discard()
  }

  /// How a commit failed.
  enum Finishing: Error {
    /// Nothing was changed.
    case failed(FileError)
    /// The import is committed but not yet complete; the next start completes it.
    case interrupted(FileError)
  }

  /// Deletes the staging folder (an import that failed before its commit point), and the
  /// `.staging` folder too when no other import uses it.
  func discard() {
    ImportTransaction.removeFolder(path)
    rmdir(ImportTransaction.root(of: directory))
  }

  // MARK: recovery

  /// Finishes or removes the staging folders of imports whose process is gone: a folder with a
  /// journal is rolled forward, any other is deleted. Returns messages for the user. Called on
  /// every start and before every import.
  static func recover(in directory: DataDirectory) -> [StoreWarning] {
    let root = root(of: directory)
    guard access(root, F_OK) == 0 else { return [] }
    let rootLock: Int32
    do { rootLock = try lockFolder(root) } catch { return [.importRecoveryLocked(error)] }
    defer { close(rootLock) }
    var messages: [StoreWarning] = []
    for name in entries(of: root) {
      let pid = name.prefix { $0.isASCII && $0.isNumber }
      if let number = Int32(pid), number == getpid() || kill(number, 0) == 0 || errno != ESRCH { continue }
      let folder = root + "/" + name
      if access(folder + "/" + journalName, F_OK) == 0 {
        do {
          try rollForward(folder, directory: directory)
          messages.append(.importRecovered)
        } catch {
          messages.append(.importNotRecovered(error))
          continue
        }
      }
      removeFolder(folder)
    }
    rmdir(root)
    return messages
  }

  /// Applies a journal again; every step is idempotent.
  static func rollForward(_ folder: String, directory: DataDirectory) throws(FileError) {
    let journalPath = folder + "/" + journalName
    let text = String(decoding: try readFile(journalPath), as: UTF8.self)
    var staged: [String] = []
    var ids: [String] = []
    var log: (size: Int, count: Int, path: String)?
    var media: [(staged: String, name: String)] = []
    for line in text.split(separator: "\n").dropFirst() {
      let parts = line.split(separator: "\t").map(String.init)
      if parts.count == 3 || parts.count == 4, parts[0] == "log", let size = Int(parts[1]), let count = Int(parts[2]),
        size >= 0, count >= 0, let file = ImportTransaction.logFile(parts.count == 4 ? parts[3] : nil, in: directory)
      {
        log = (size, count, file)
      } else if parts.count == 3, parts[0] == "deck", !parts[1].contains("/"), Deck.isValidID(parts[2]) {
        staged.append(parts[1])
        ids.append(parts[2])
      } else if parts.count == 3, parts[0] == "media", !parts[1].contains("/"), AnkiPackage.isSafeMediaName(parts[2]) {
        media.append((parts[1], parts[2]))
      } else {
        throw .cannotRead(path: journalPath, reason: "unreadable journal line '\(line)'")
      }
    }
    if let log {
      let staged = folder + "/" + historyName
      var info = stat()
      guard stat(staged, &info) == 0 else { throw .cannotRead(path: staged, reason: FileError.reason()) }
      guard Int(info.st_size) == log.count else {
        throw .cannotRead(path: staged, reason: "\(info.st_size) bytes where the journal says \(log.count)")
      }
      let fd = try openLog(log.path, in: directory)
      defer { close(fd) }
      try append(staged: staged, count: log.count, at: log.size, fd: fd, path: log.path)
    }
    try moveMedia(media, from: folder, directory: directory)
    try moveDecks(staged, ids: ids, from: folder, directory: directory)
  }

  /// Opens (creating it, and `reviews/` with its `.gitignore`, when needed) the log file an
  /// import appends to, and takes its lock.
  static func openLog(_ path: String, in directory: DataDirectory) throws(FileError) -> Int32 {
    if path != directory.logPath { try HistoryLog(directory: directory, device: nil).makeFolder() }
    let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileError.reason()) }
    do { try POSIXFile.lock(fd: fd, exclusive: true, path: path) } catch {
      close(fd)
      throw error
    }
    return fd
  }

  /// The log file a journal's `log` line names: `reviews/<device>.tsv`, or (a journal of an
  /// older version, without the name) `reviews.tsv`; nil for anything else.
  static func logFile(_ name: String?, in directory: DataDirectory) -> String? {
    guard let name else { return directory.logPath }
    guard name.hasPrefix("reviews/"), name.hasSuffix(".tsv"),
      EventID.isValidDevice(name.dropFirst("reviews/".count).dropLast(4))
    else { return nil }
    return directory.path + "/" + name
  }

  /// Writes `history` as log lines, numbered from `first` under `device`, into a new staged file,
  /// fsync'd; returns its size. Lines go out in 1 MiB pieces: a million-review import never
  /// holds its 80 MB of log text at once.
  static func stageHistory(
    _ history: [ReviewEvent], header: String, device: String, first: Int, path: String
  ) throws(FileError) -> Int {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileError.reason()) }
    defer { close(fd) }
    let piece = 1 << 20
    var bytes = Array(header.utf8)
    bytes.reserveCapacity(piece + 4096)
    var count = 0
    for (offset, event) in history.enumerated() {
      ReviewLogParser.append(event, numbered: (device, first + offset), to: &bytes)
      if bytes.count >= piece {
        try POSIXFile.writeAll(fd: fd, bytes: bytes, path: path)
        count += bytes.count
        bytes.removeAll(keepingCapacity: true)
      }
    }
    try POSIXFile.writeAll(fd: fd, bytes: bytes, path: path)
    count += bytes.count
    FaultPoint.pass()
    try POSIXFile.sync(fd: fd, path: path)
    FaultPoint.pass()
    return count
  }

  /// Makes the log hold the `count` bytes of the staged file from offset `start`, with the log's
  /// lock held on `fd`: appends whatever part of them is not there yet. A crash may have left a
  /// prefix (even half a line), and another process may since have set a torn line aside and
  /// appended its own lines; then the whole lines already written are kept and the rest follows
  /// the other lines. Both files are read in 1 MiB pieces.
  static func append(staged: String, count: Int, at start: Int, fd: Int32, path: String) throws(FileError) {
    let source = open(staged, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard source >= 0 else { throw .cannotOpen(path: staged, reason: FileError.reason()) }
    defer { close(source) }
    let piece = 1 << 20
    func stagedBytes(_ offset: Int, _ length: Int) throws(FileError) -> [UInt8] {
      var bytes: [UInt8] = []
      try POSIXFile.read(fd: source, from: offset, count: length, into: &bytes, path: staged)
      guard bytes.count == length else { throw .cannotRead(path: staged, reason: "it ends before the journal says") }
      return bytes
    }
    let size = try POSIXFile.size(fd: fd, path: path)
    let deviceHeader = Array(ReviewLog.deviceHeader.utf8)
    let opening = try stagedBytes(0, min(count, deviceHeader.count))
    let header = opening == deviceHeader ? deviceHeader : Array(ReviewLog.header.utf8)
    var from = 0
    if size > start {
      // How far the log already holds the staged bytes, and the last whole line within that.
      let overlap = min(size - start, count)
      var common = 0
      var lineEnd = 0
      comparing: while common < overlap {
        let length = min(piece, overlap - common)
        var existing: [UInt8] = []
        try POSIXFile.read(fd: fd, from: start + common, count: length, into: &existing, path: path)
        let ours = try stagedBytes(common, length)
        for index in 0..<min(existing.count, length) {
          guard existing[index] == ours[index] else {
            common += index
            break comparing
          }
          if ours[index] == 10 { lineEnd = common + index + 1 }
        }
        common += existing.count
        if existing.count < length { break }
      }
      if common == count { return }
      if start + common == size {
        from = common
      } else {
        // Other lines follow: keep our whole lines, set any torn tail aside, append the rest.
        from = lineEnd
        _ = try ReviewLog(path: path).repairTornTail(fd: fd)
      }
    }
    // A log someone else created meanwhile has its header already.
    if start == 0 && size > 0 && from < header.count && opening.starts(with: header) { from = header.count }
    var offset = from
    while offset < count {
      let bytes = try stagedBytes(offset, min(piece, count - offset))
      try POSIXFile.writeAll(fd: fd, bytes: bytes, path: path)
      offset += bytes.count
    }
    FaultPoint.pass()
    try POSIXFile.sync(fd: fd, path: path)
    FaultPoint.pass()
  }

  /// Renames each staged deck still in `folder` over its final file; a deck already moved is
  /// no longer there.
  static func moveDecks(_ staged: [String], ids: [String], from folder: String, directory: DataDirectory)
    throws(FileError)
  {
    for (name, id) in zip(staged, ids) {
      let source = folder + "/" + name
      let target = directory.decksPath + "/" + id + ".md"
      if rename(source, target) != 0 {
        if errno == ENOENT && access(source, F_OK) != 0 { continue }
        throw .cannotWrite(path: target, reason: "cannot move the imported deck into place: \(FileError.reason())")
      }
      FaultPoint.pass()
    }
    try syncFolder(directory.decksPath)
  }

  /// Renames each staged media file still in `folder` to `media/<name>`.
  static func moveMedia(_ files: [(staged: String, name: String)], from folder: String, directory: DataDirectory)
    throws(FileError)
  {
    guard !files.isEmpty else { return }
    if mkdir(directory.mediaPath, 0o700) != 0 && errno != EEXIST {
      throw .cannotCreateDirectory(path: directory.mediaPath, reason: FileError.reason())
    }
    for file in files {
      let source = folder + "/" + file.staged
      let target = directory.mediaPath + "/" + file.name
      if rename(source, target) != 0 {
        if errno == ENOENT && access(source, F_OK) != 0 { continue }
        throw .cannotWrite(
          path: target, reason: "cannot move the imported media file into place: \(FileError.reason())")
      }
      FaultPoint.pass()
    }
    try syncFolder(directory.mediaPath)
  }

  // MARK: files

  /// Creates `path` (never following or replacing anything there), writes and fsyncs it.
  static func createSynced(_ path: String, _ bytes: [UInt8]) throws(FileError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileError.reason()) }
    defer { close(fd) }
    try POSIXFile.writeAll(fd: fd, bytes: bytes, path: path)
    FaultPoint.pass()
    try POSIXFile.sync(fd: fd, path: path)
    FaultPoint.pass()
  }

  static func syncFolder(_ path: String) throws(FileError) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileError.reason()) }
    defer { close(fd) }
    try POSIXFile.sync(fd: fd, path: path)
    FaultPoint.pass()
  }

  /// An exclusive lock on a folder; close the descriptor to release it.
  static func lockFolder(_ path: String) throws(FileError) -> Int32 {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileError.reason()) }
    do { try POSIXFile.lock(fd: fd, exclusive: true, path: path) } catch {
      close(fd)
      throw error
    }
    return fd
  }

  static func readFile(_ path: String) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: FileError.reason()) }
    defer { close(fd) }
    return try POSIXFile.readAll(fd: fd, path: path)
  }

  /// Names in a folder, without `.` and `..`.
  static func entries(of folder: String) -> [String] {
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// Removes a staging folder: the journal first, so a crash part-way leaves a folder the next
  /// start simply deletes.
  static func removeFolder(_ path: String) {
    if unlink(path + "/" + journalName) == 0 {
      FaultPoint.pass()
      try? syncFolder(path)
    }
    for name in entries(of: path) { unlink(path + "/" + name) }
    rmdir(path)
    FaultPoint.pass()
  }
}
