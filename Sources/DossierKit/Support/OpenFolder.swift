import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A folder opened once for the thousands of system calls a build makes on the paths
/// below it (stamps, links, new files). Each call then starts from the folder's top-level
/// folder the path is in (`people/`, `events/`…), opened on first use, instead of walking
/// the whole absolute path from `/` again: the kernel's path walk was most of the cost of
/// stamping 10,000 notes and checking 10,000 pages.
///
/// Descriptors follow the folder, not its name: a staging folder stays the one opened
/// when it is renamed into place.
final class OpenFolder: @unchecked Sendable {
    // @unchecked: `topLevel` is only touched under `lock`; the rest never changes.
    let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    /// The top-level folders opened so far, by name (a handful: a scan, not a table).
    private var topLevel: [(name: [UInt8], descriptor: Int32)] = []

    /// The folder at `path`; a folder that cannot be opened makes every call fail, as
    /// the calls on its paths would have.
    init(_ path: String) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        for folder in topLevel { close(folder.descriptor) }
    }

    /// Calls `body` with the descriptor to start from and the path from there, for a
    /// `/`-separated path below the folder ("" is the folder itself): a pointer into the
    /// path's own bytes, not a string made for each of the tens of thousands of calls a
    /// build makes. A top-level folder that cannot be opened (not made yet, or not a
    /// folder) is not remembered: the path is then walked from the folder itself, with
    /// the same outcome. `dropping` skips that many bytes of `relative` first (a label
    /// before the path, as in the build cache's keys).
    private func start<R>(_ relative: String, dropping: Int = 0, _ body: (Int32, UnsafePointer<CChar>) -> R) -> R {
        relative.withCString { whole in
            let path = whole + dropping
            guard let slash = strchr(path, Int32(UInt8(ascii: "/"))) else { return body(descriptor, path) }
            let name = UnsafeRawBufferPointer(start: path, count: path.distance(to: slash))
            let folder = topLevelFolder(name)
            return folder >= 0 ? body(folder, UnsafePointer(slash) + 1) : body(descriptor, path)
        }
    }

    /// The descriptor of the top-level folder `name`, opened on first use (-1 if it
    /// cannot be).
    private func topLevelFolder(_ name: UnsafeRawBufferPointer) -> Int32 {
        func known() -> Int32? {
            topLevel.first { $0.name.count == name.count && $0.name.withUnsafeBytes { memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 } }?.descriptor
        }
        if let found = lock.withLock(known) { return found }
        let opened = openat(descriptor, String(decoding: name, as: UTF8.self), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard opened >= 0 else { return -1 }
        return lock.withLock {
            if let raced = known() {
                close(opened)
                return raced
            }
            topLevel.append((Array(name), opened))
            return opened
        }
    }

    /// `stat` (`lstat` unless `followingLinks`) of a path below the folder.
    func status(_ relative: String, followingLinks: Bool = true) -> stat? {
        var info = stat()
        if relative.isEmpty { return fstat(descriptor, &info) == 0 ? info : nil }
        return start(relative) { at, rest in fstatat(at, rest, &info, followingLinks ? 0 : AT_SYMLINK_NOFOLLOW) } == 0 ? info : nil
    }

    /// The stamp of a path below the folder (its target's, for a symbolic link).
    func stamp(_ relative: String) -> FileStamp? {
        status(relative).map(FileStamp.init)
    }

    /// The stamp of the path that follows `label` in `key` ("site/people/ada/index.html"
    /// with the label "site/"), with no string made for the path.
    func stamp(_ key: String, after label: String) -> FileStamp? {
        guard key.utf8.count > label.utf8.count, key.hasPrefix(label) else { return nil }
        var info = stat()
        return start(key, dropping: label.utf8.count) { at, rest in fstatat(at, rest, &info, 0) } == 0 ? FileStamp(info) : nil
    }

    func makeFolder(_ relative: String) -> Bool {
        start(relative) { at, rest in mkdirat(at, rest, 0o755) } == 0
    }

    func remove(_ relative: String) {
        _ = start(relative) { at, rest in unlinkat(at, rest, 0) }
    }

    /// A file below the folder opened for reading (-1 if it cannot be).
    func openForReading(_ relative: String) -> Int32 {
        start(relative) { at, rest in openat(at, rest, O_RDONLY | O_CLOEXEC) }
    }

    /// A new file, never one opened through a link or over an existing file.
    func create(_ relative: String) -> Int32 {
        start(relative) { at, rest in openat(at, rest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644) }
    }

    /// A hard link at `relative` below this folder to the file at `source` below `from`.
    func link(_ relative: String, to source: String, in from: OpenFolder) -> Bool {
        from.start(source) { fromAt, fromRest in
            start(relative) { at, rest in linkat(fromAt, fromRest, at, rest, 0) }
        } == 0
    }
}
