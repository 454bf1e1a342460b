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
    private var topLevel: [Substring: Int32] = [:]

    /// The folder at `path`; a folder that cannot be opened makes every call fail, as
    /// the calls on its paths would have.
    init(_ path: String) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        for folder in topLevel.values { close(folder) }
    }

    /// The descriptor to start from and the path from there, for a `/`-separated path
    /// below the folder ("" is the folder itself). A top-level folder that cannot be
    /// opened (not made yet, or not a folder) is not remembered: the path is then
    /// walked from the folder itself, with the same outcome.
    private func start(_ relative: String) -> (Int32, String) {
        guard let slash = relative.utf8.firstIndex(of: UInt8(ascii: "/")) else { return (descriptor, relative) }
        let name = relative[..<slash]
        let rest = String(relative[relative.utf8.index(after: slash)...])
        if let known = lock.withLock({ topLevel[name] }) { return (known, rest) }
        let opened = openat(descriptor, String(name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard opened >= 0 else { return (descriptor, relative) }
        return lock.withLock {
            if let raced = topLevel[name] {
                close(opened)
                return (raced, rest)
            }
            topLevel[name] = opened
            return (opened, rest)
        }
    }

    /// `stat` (`lstat` unless `followingLinks`) of a path below the folder.
    func status(_ relative: String, followingLinks: Bool = true) -> stat? {
        var info = stat()
        if relative.isEmpty { return fstat(descriptor, &info) == 0 ? info : nil }
        let (at, rest) = start(relative)
        return fstatat(at, rest, &info, followingLinks ? 0 : AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    /// The stamp of a path below the folder (its target's, for a symbolic link).
    func stamp(_ relative: String) -> FileStamp? {
        status(relative).map(FileStamp.init)
    }

    func makeFolder(_ relative: String) -> Bool {
        let (at, rest) = start(relative)
        return mkdirat(at, rest, 0o755) == 0
    }

    func remove(_ relative: String) {
        let (at, rest) = start(relative)
        unlinkat(at, rest, 0)
    }

    /// A file below the folder opened for reading (-1 if it cannot be).
    func openForReading(_ relative: String) -> Int32 {
        let (at, rest) = start(relative)
        return openat(at, rest, O_RDONLY | O_CLOEXEC)
    }

    /// A new file, never one opened through a link or over an existing file.
    func create(_ relative: String) -> Int32 {
        let (at, rest) = start(relative)
        return openat(at, rest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    }

    /// A hard link at `relative` below this folder to the file at `source` below `from`.
    func link(_ relative: String, to source: String, in from: OpenFolder) -> Bool {
        let (fromAt, fromRest) = from.start(source)
        let (at, rest) = start(relative)
        return linkat(fromAt, fromRest, at, rest, 0) == 0
    }
}
