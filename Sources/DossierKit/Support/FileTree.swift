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

    /// Regular files and symbolic links below `root`, sorted; hidden names (starting
    /// with `.`) are skipped, folders included. Symbolic links to folders are listed,
    /// not descended into.
    static func files(under root: String) -> [Item] {
        var items: [Item] = []
        walk(root, prefix: "", into: &items)
        return items.sorted { $0.path < $1.path }
    }

    /// Every entry below `root`, hidden ones included, as root-relative paths: folders
    /// (not followed when they are symbolic links) and everything else.
    static func everything(under root: String) -> (folders: [String], others: [String]) {
        var folders: [String] = [], others: [String] = []
        var pending = [""]
        while let prefix = pending.popLast() {
            guard let directory = opendir(prefix.isEmpty ? root : root + "/" + prefix) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                    pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
                }
                guard name != ".", name != ".." else { continue }
                let path = prefix.isEmpty ? name : prefix + "/" + name
                var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
                if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    isFolder = lstat(root + "/" + path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
                }
                if isFolder {
                    folders.append(path)
                    pending.append(path)
                } else {
                    others.append(path)
                }
            }
        }
        return (folders, others)
    }

    private static func walk(_ folder: String, prefix: String, into items: inout [Item]) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        var subfolders: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard !name.hasPrefix(".") else { continue }
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                // Some file systems do not fill d_type: ask lstat.
                var info = stat()
                guard lstat(folder + "/" + name, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: type = UInt8(DT_DIR)
                case S_IFLNK: type = UInt8(DT_LNK)
                case S_IFREG: type = UInt8(DT_REG)
                default: continue
                }
            }
            switch Int32(type) {
            case Int32(DT_DIR): subfolders.append(name)
            case Int32(DT_REG): items.append(Item(path: prefix + name, isSymbolicLink: false))
            case Int32(DT_LNK): items.append(Item(path: prefix + name, isSymbolicLink: true))
            default: continue
            }
        }
        for name in subfolders {
            walk(folder + "/" + name, prefix: prefix + name + "/", into: &items)
        }
    }
}
