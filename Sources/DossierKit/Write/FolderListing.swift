#if canImport(Glibc)
import Glibc
#endif

/// A folder tree as a build left it: every folder's stamp, taken at `stampedAt` once
/// the build was done, and every file. Creating, removing or renaming anything in a
/// folder changes its modification time, so while a folder's stamp holds, its entries
/// are the ones listed here and the folder need not be read.
struct FolderListing: Sendable {
    /// When the folders were stamped (`FileStamp.now`).
    var stampedAt: Int64
    /// Folder path below the root ("" for the root itself) → its stamp.
    var folders: [String: FileStamp] { didSet { encoded = nil } }
    var files: [String] { didSet { encoded = nil } }
    /// The listing as the cache it was read from held it: the spare a build saves is the
    /// site the last build saved, written again as those bytes (see BuildCache).
    var encoded: SharedBytes? = nil

    init(stampedAt: Int64, folders: [String: FileStamp], files: [String]) {
        (self.stampedAt, self.folders, self.files) = (stampedAt, folders, files)
    }

    /// Whether `folder` of the tree at `root` is as it was stamped (and was stamped after
    /// the tick it last changed in, see `FileStamp.isOlder`).
    func vouches(for folder: String, under root: OpenFolder) -> Bool {
        guard let stamp = folders[folder] else { return false }
        return vouches(for: folder, stamped: stamp, under: root)
    }

    private func vouches(for folder: String, stamped stamp: FileStamp, under root: OpenFolder) -> Bool {
        stamp.isOlder(than: stampedAt) && root.status(folder, followingLinks: false).map(FileStamp.init) == stamp
    }

    /// The entries of each folder of the tree at `root` that is still as stamped, for
    /// `FileTree.everything`; nil for the others, which must be read.
    func knownEntries(under root: OpenFolder) -> @Sendable (String) -> [(name: String, kind: FileTree.Kind)]? {
        let children = children
        return { folder in
            guard let entries = children[folder], vouches(for: folder, under: root) else { return nil }
            return entries
        }
    }

    /// Whether every folder is as stamped, so the tree at `root` holds exactly the listed
    /// folders and files (on both cores, or on this thread alone beside other work).
    func isIntact(at root: OpenFolder, onBothCores: Bool = true) -> Bool {
        // The table's own pairs: looking each folder up again was 10,000 hash look-ups.
        guard onBothCores else { return folders.allSatisfy { vouches(for: $0.key, stamped: $0.value, under: root) } }
        return Array(folders).parallelMap { vouches(for: $0.key, stamped: $0.value, under: root) }.allSatisfy { $0 }
    }

    /// Folder → its entries, made from the paths.
    private var children: [String: [(name: String, kind: FileTree.Kind)]] {
        var children: [String: [(name: String, kind: FileTree.Kind)]] = [:]
        for folder in folders.keys where !folder.isEmpty {
            children[SiteWriter.parent(folder), default: []].append((Self.name(folder), .folder))
        }
        for file in files { children[SiteWriter.parent(file), default: []].append((Self.name(file), .file)) }
        for folder in folders.keys where children[folder] == nil { children[folder] = [] }
        return children
    }

    private static func name(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// Stamps the given folders of the tree at `root` (on both cores); `kept` are the
    /// stamps of its other folders, checked since the last change to them.
    static func stamping(_ root: String, folders: [String], files: [String], keeping kept: [String: FileStamp] = [:]) -> FolderListing? {
        let root = OpenFolder(root)
        var stampedAt = FileStamp.now()
        var stamps = folders.parallelMap { folder in root.stamp(folder) }
        guard stamps.allSatisfy({ $0 != nil }) else { return nil }
        // A folder changed in the clock tick it was stamped in vouches for nothing, and
        // the build has just changed some: once the clock has moved past them, they are
        // stamped again (a tick is at most 10 ms). Otherwise a quick build, of a small
        // dossier, would never find its spare intact. A folder dated in the future (a
        // file server's clock ahead of ours) is not waited for beyond that.
        let racy = stamps.indices.filter { !stamps[$0]!.isOlder(than: stampedAt) }
        if !racy.isEmpty {
            let latest = racy.map { stamps[$0]!.seconds * 1_000_000_000 + stamps[$0]!.nanoseconds }.max()!
            for _ in 0..<20 where FileStamp.now() <= latest { usleep(1000) }
            stampedAt = FileStamp.now()
            for index in racy { stamps[index] = root.stamp(folders[index]) }
        }
        var all = kept
        // Sized once: grown a doubling at a time, the table hashed every folder's path again.
        all.reserveCapacity(kept.count + folders.count)
        for (folder, stamp) in zip(folders, stamps) {
            guard let stamp else { return nil }
            all[folder] = stamp
        }
        return FolderListing(stampedAt: stampedAt, folders: all, files: files)
    }
}
