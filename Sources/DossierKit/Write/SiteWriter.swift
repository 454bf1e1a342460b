import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file of the site to be: rendered bytes or an asset copied from disk.
public struct OutputFile: Sendable {
    public enum Content: Sendable {
        case bytes(Data)
        case copy(URL)
    }

    /// Path inside the output folder, `/`-separated, never absolute and without `..`.
    public var path: String
    public var content: Content

    public init(path: String, content: Content) {
        self.path = path
        self.content = content
    }
}

public struct WriteStats: Sendable, Equatable {
    public var written = 0
    public var unchanged = 0
}

public struct WriteOutcome: Sendable {
    public var written = false
    public var failure: WriteError?
}

public struct WriteError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Last stage: writes the site into a staging folder beside the output, then swaps it
/// in. Until the swap the previous site is untouched; files whose bytes did not change
/// are hard-linked from it, so they keep their modification time.
public struct SiteWriter: Sendable {
    public let output: URL
    private var fileManager: FileManager { .default }

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    var staging: URL { sibling("staging") }
    var retired: URL { sibling("old") }

    private func sibling(_ suffix: String) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).\(suffix)")
    }

    /// Puts back a site left half-swapped by an interrupted run and removes its staging folder.
    public func recover() throws(WriteError) {
        do {
            if !fileManager.fileExists(atPath: output.path), fileManager.fileExists(atPath: retired.path) {
                try fileManager.moveItem(at: retired, to: output)
            }
            if fileManager.fileExists(atPath: retired.path) { try fileManager.removeItem(at: retired) }
            if fileManager.fileExists(atPath: staging.path) { try fileManager.removeItem(at: staging) }
        } catch {
            throw WriteError(description: "cannot clean up after an earlier interrupted build: \(error.localizedDescription)")
        }
    }

    /// Writes the whole site at once (tools and tests; the build streams through `stage`).
    public func write(_ files: [OutputFile]) throws(WriteError) -> WriteStats {
        let staged = try stage(folders: files.map(\.path))
        let outcomes = files.parallelMap { staged.place($0) }
        return try staged.commit(outcomes)
    }

    /// Opens a fresh staging folder with every folder the given file paths need, so
    /// files can then be placed from both cores as they are rendered.
    public func stage(folders paths: [String]) throws(WriteError) -> StagedSite {
        try recover()
        if let unsafe = paths.first(where: { !Self.isSafe($0) }) {
            throw WriteError(description: "refusing to write outside the output folder: \(unsafe)")
        }
        do {
            try fileManager.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw WriteError(description: "cannot create \(staging.path): \(error.localizedDescription)")
        }
        // Every folder a file needs, with its parents, created a level at a time so
        // each level can use both cores.
        var folders = Set<String>()
        for path in paths {
            var folder = (path as NSString).deletingLastPathComponent
            while !folder.isEmpty, folders.insert(folder).inserted { folder = (folder as NSString).deletingLastPathComponent }
        }
        let levels = Dictionary(grouping: folders) { $0.count { $0 == "/" } }
        for depth in levels.keys.sorted() {
            let failures = levels[depth]!.sorted().parallelMap { folder -> String? in
                mkdir(staging.path + "/" + folder, 0o755) == 0 || errno == EEXIST ? nil : "\(folder): \(String(cString: strerror(errno)))"
            }
            if let failure = failures.lazy.compactMap({ $0 }).first {
                try? fileManager.removeItem(at: staging)
                throw WriteError(description: "cannot create \(failure)")
            }
        }
        return StagedSite(writer: self)
    }

    /// The staging folder of one build. `place` and `reuse` may run concurrently, each
    /// path once; `commit` swaps the result in, `discard` forgets it.
    public struct StagedSite: Sendable {
        let writer: SiteWriter

        /// Puts one file into the staging folder: a hard link to the previous site's
        /// copy when the bytes are the same, else the new bytes.
        public func place(_ file: OutputFile) -> WriteOutcome {
            let destination = writer.staging.path + "/" + file.path
            let data: Data
            switch file.content {
            case .bytes(let bytes): data = bytes
            case .copy(let url):
                guard let bytes = FileManager.default.contents(atPath: url.path) else {
                    return WriteOutcome(failure: WriteError(description: "cannot read \(url.path)"))
                }
                data = bytes
            }
            let previous = writer.output.path + "/" + file.path
            if let old = FileManager.default.contents(atPath: previous), old == data, link(previous, destination) == 0 {
                return WriteOutcome()
            }
            guard SiteWriter.writeFile(destination, data) else {
                return WriteOutcome(failure: WriteError(description: "cannot write \(destination): \(String(cString: strerror(errno)))"))
            }
            return WriteOutcome(written: true)
        }

        /// Hard-links the previous site's copy of a file the caller knows is unchanged;
        /// false when that is not possible (then render and `place` it).
        public func reuse(_ path: String) -> Bool {
            link(writer.output.path + "/" + path, writer.staging.path + "/" + path) == 0
        }

        public func commit(_ outcomes: [WriteOutcome]) throws(WriteError) -> WriteStats {
            if let failure = outcomes.lazy.compactMap({ $0.failure }).first {
                discard()
                throw failure
            }
            do { try writer.swapIn() } catch {
                discard()
                throw WriteError(description: "cannot write the site: \(error.localizedDescription)")
            }
            return WriteStats(written: outcomes.count { $0.written }, unchanged: outcomes.count { !$0.written })
        }

        public func discard() { try? FileManager.default.removeItem(at: writer.staging) }
    }

    /// A new file with these bytes (the staging folder is fresh, so nothing is overwritten).
    static func writeFile(_ path: String, _ data: Data) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue } else { return false } }
                offset += written
            }
            return true
        }
    }

    fileprivate func swapIn() throws {
        if fileManager.fileExists(atPath: output.path) {
            try fileManager.moveItem(at: output, to: retired)
            try fileManager.moveItem(at: staging, to: output)
            Self.removeTree(retired.path)
        } else {
            try fileManager.moveItem(at: staging, to: output)
        }
    }

    /// Deletes a site tree on both cores: a site of 10,000 pages is 10,000 folders, and
    /// removing them one by one would cost as much as writing them.
    static func removeTree(_ root: String) {
        let children = FileTree.children(of: root)
        let grandchildren = children.flatMap { child in FileTree.children(of: child).map { (child, $0) } }
        _ = grandchildren.map(\.1).parallelMap { try? FileManager.default.removeItem(atPath: $0) }
        _ = children.parallelMap { try? FileManager.default.removeItem(atPath: $0) }
        try? FileManager.default.removeItem(atPath: root)
    }

    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
