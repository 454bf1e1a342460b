import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a watched file looked like at one poll: enough to notice any save.
struct FileStamp: Equatable, Sendable {
    var seconds: Int
    var nanoseconds: Int
    var size: Int64
    var inode: UInt64
}

/// The watched folders at one moment: path as displayed (`Content/people/x.md`) → stamp.
struct Snapshot: Equatable, Sendable {
    var files: [String: FileStamp] = [:]

    /// Every regular file under the folders, skipping names editors use for swap, backup
    /// and lock files (`.x.swp`, `x~`, `#x#`, `.#x`) and hidden folders.
    static func take(_ folders: [(url: URL, display: String)]) -> Snapshot {
        var snapshot = Snapshot()
        for (folder, display) in folders {
            let root = folder.path
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") || name.hasSuffix("~") || name.hasPrefix("#") || name.hasSuffix(".swp") || name.hasSuffix(".swx") {
                    if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { walker.skipDescendants() }
                    continue
                }
                var info = stat()
                guard stat(root + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                snapshot.files[display + "/" + relative] = FileStamp(
                    seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec),
                    size: Int64(info.st_size), inode: UInt64(info.st_ino))
            }
        }
        return snapshot
    }

    /// Paths added, removed or changed since `old`, sorted.
    func changes(since old: Snapshot) -> [String] {
        var changed: [String] = []
        for (path, stamp) in files where old.files[path] != stamp { changed.append(path) }
        for path in old.files.keys where files[path] == nil { changed.append(path) }
        return changed.sorted()
    }
}
