#if canImport(Glibc)
import Glibc
#endif

/// Lists a folder tree with `opendir`/`readdir`: Foundation's enumerator looks up owner
/// and group names for every file, which dominated reading a large dossier.
enum FileTree {
    struct Item: Sendable {
        /// Path below the root, `/`-separated.
        var path: String
        var isSymbolicLink: Bool
    }

    enum Kind: Sendable { case folder, file, symbolicLink, other }

    /// A regular file's bytes in one read (nil for folders and unreadable files).
    static func contents(of path: String) -> [UInt8]? { stampedContents(of: path)?.bytes }

    /// A regular file's bytes, with its stamp as it was just before they were read.
    static func stampedContents(of path: String) -> (bytes: [UInt8], stamp: FileStamp)? {
        stampedContents(open(path, O_RDONLY | O_CLOEXEC))
    }

    /// `stampedContents(of:)` for a path below an opened folder.
    static func stampedContents(of relative: String, in folder: OpenFolder) -> (bytes: [UInt8], stamp: FileStamp)? {
        stampedContents(folder.openForReading(relative))
    }

    private static func stampedContents(_ descriptor: Int32) -> (bytes: [UInt8], stamp: FileStamp)? {
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: Int(info.st_size)) { buffer, filled in
            while filled < buffer.count {
                let count = read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { complete = count == 0; return }
                filled += count
            }
        }
        // A file that shrank while being read: keep what is there.
        return complete ? (bytes, FileStamp(info)) : nil
    }

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
    /// (not followed when they are symbolic links) and everything else. A folder for
    /// which `known` (given its root-relative path, "" for the root) returns entries is
    /// not read.
    static func everything(under root: String, known: @Sendable (String) -> [(name: String, kind: Kind)]? = { _ in nil })
        -> (folders: [String], others: [String]) {
        var folders: [String] = [], others: [String] = []
        // `prefix` is "" or "/a/b".
        for (path, kind) in walk(root, hidden: true, listed: { prefix in known(String(prefix.dropFirst())) }) {
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
                // The folder's path below the root, made once for all its entries.
                let folder = prefix.isEmpty ? "" : String(prefix.dropFirst()) + "/"
                for (name, kind) in listing where hidden || !name.hasPrefix(".") {
                    found.append((folder + name, kind))
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
