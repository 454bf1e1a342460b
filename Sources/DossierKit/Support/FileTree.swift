#if canImport(Glibc)
import Glibc
#endif

/// Lists a folder tree with `opendir`/`readdir`: Foundation's enumerator looks up owner
/// and group names for every file, which dominated reading a large dossier.
enum FileTree {
    struct Item {
        /// Path below the root, `/`-separated.
        var path: String
        var isSymbolicLink: Bool
    }

    enum Kind: Sendable { case folder, file, symbolicLink, other }

    /// Regular files and symbolic links below `root`, sorted; hidden names (starting
    /// with `.`) are skipped, folders included. Symbolic links to folders are listed,
    /// not descended into.
    static func files(under root: String) -> [Item] {
        walk(root, hidden: false).compactMap { path, kind in
            switch kind {
            case .file: Item(path: path, isSymbolicLink: false)
            case .symbolicLink: Item(path: path, isSymbolicLink: true)
            case .folder, .other: nil
            }
        }.sorted { $0.path < $1.path }
    }

    /// Every entry below `root`, hidden ones included, as root-relative paths: folders
    /// (not followed when they are symbolic links) and everything else. A folder whose
    /// stamp `known` vouches for is not read: its entries are the ones listed there.
    static func everything(under root: String, known: FolderListing? = nil) -> (folders: [String], others: [String]) {
        var folders: [String] = [], others: [String] = []
        let children = known?.children ?? [:]
        let walked = walk(root, hidden: true) { prefix in
            // `prefix` is "" or "/a/b"; listings are keyed by "" or "a/b".
            let folder = String(prefix.dropFirst())
            guard let known, let entries = children[folder], known.vouches(for: folder, at: root + prefix) else { return nil }
            return entries
        }
        for (path, kind) in walked {
            if kind == .folder { folders.append(path) } else { others.append(path) }
        }
        return (folders, others)
    }

    /// Everything below `root`, one level of the tree at a time with the folders of a
    /// level read on both cores: a site has a folder per page, each a directory read.
    /// `listed` gives a folder's entries without reading it, when it can.
    private static func walk(_ root: String, hidden: Bool,
                             listed: @Sendable (String) -> [(name: String, kind: Kind)]? = { _ in nil }) -> [(path: String, kind: Kind)] {
        var found: [(String, Kind)] = []
        var level = [""]
        while !level.isEmpty {
            let listings = level.parallelMap { prefix in listed(prefix) ?? entries(of: root + prefix) }
            var next: [String] = []
            for (prefix, listing) in zip(level, listings) {
                for (name, kind) in listing where hidden || !name.hasPrefix(".") {
                    found.append((prefix.isEmpty ? name : String(prefix.dropFirst()) + "/" + name, kind))
                    if kind == .folder { next.append(prefix + "/" + name) }
                }
            }
            level = next
        }
        return found
    }

    /// The names in one folder with their kind (never `.` and `..`), empty when the
    /// folder cannot be opened.
    private static func entries(of folder: String) -> [(name: String, kind: Kind)] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var result: [(String, Kind)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard name != ".", name != ".." else { continue }
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                // Some file systems do not fill d_type: ask lstat.
                var info = stat()
                guard lstat(folder + "/" + name, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: type = Int32(DT_DIR)
                case S_IFLNK: type = Int32(DT_LNK)
                case S_IFREG: type = Int32(DT_REG)
                default: break
                }
            }
            switch type {
            case Int32(DT_DIR): result.append((name, .folder))
            case Int32(DT_REG): result.append((name, .file))
            case Int32(DT_LNK): result.append((name, .symbolicLink))
            default: result.append((name, .other))
            }
        }
        return result
    }
}

/// A folder tree as a build left it: every folder's stamp, taken at `stampedAt` once
/// the build was done, and every file. Creating, removing or renaming anything in a
/// folder changes its modification time, so while a folder's stamp holds, its entries
/// are the ones listed here and the folder need not be read.
struct FolderListing: Sendable {
    /// When the folders were stamped (`FileStamp.now`).
    var stampedAt: Int64
    /// Folder path below the root ("" for the root itself) → its stamp.
    var folders: [String: FileStamp]
    var files: [String]

    /// Whether the folder at `path` is as it was stamped (and was stamped after the tick
    /// it last changed in, see `FileStamp.isOlder`).
    func vouches(for folder: String, at path: String) -> Bool {
        guard let stamp = folders[folder], stamp.isOlder(than: stampedAt) else { return false }
        var info = stat()
        return lstat(path, &info) == 0 && FileStamp(info) == stamp
    }

    /// Whether every folder is as stamped, so the tree at `root` holds exactly the listed
    /// folders and files (on both cores).
    func isIntact(at root: String) -> Bool {
        Array(folders.keys).parallelMap { folder in vouches(for: folder, at: folder.isEmpty ? root : root + "/" + folder) }
            .allSatisfy { $0 }
    }

    /// Folder → its entries, made from the paths.
    var children: [String: [(name: String, kind: FileTree.Kind)]] {
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
        let stampedAt = FileStamp.now()
        let stamps = folders.parallelMap { folder in FileStamp(path: folder.isEmpty ? root : root + "/" + folder) }
        var all = kept
        for (folder, stamp) in zip(folders, stamps) {
            guard let stamp else { return nil }
            all[folder] = stamp
        }
        return FolderListing(stampedAt: stampedAt, folders: all, files: files)
    }
}
