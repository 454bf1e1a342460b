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

    public func write(_ files: [OutputFile]) throws(WriteError) -> WriteStats {
        try recover()
        if let unsafe = files.first(where: { !Self.isSafe($0.path) }) {
            throw WriteError(description: "refusing to write outside the output folder: \(unsafe.path)")
        }
        do {
            try fileManager.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
            // Folders first, once each, so the files can then be written on both cores.
            let folders = Set(files.map { ($0.path as NSString).deletingLastPathComponent }).subtracting([""]).sorted()
            for folder in folders where mkdir(staging.path + "/" + folder, 0o755) != 0 && errno != EEXIST {
                // Sorted, so parents come first; anything else is a real failure.
                throw WriteError(description: "cannot create \(folder): \(String(cString: strerror(errno)))")
            }
            let outcomes = files.parallelMap { file in place(file) }
            if let failure = outcomes.lazy.compactMap({ $0.failure }).first { throw failure }
            try swapIn()
            return WriteStats(written: outcomes.count { $0.written }, unchanged: outcomes.count { !$0.written })
        } catch {
            try? fileManager.removeItem(at: staging)
            if let error = error as? WriteError { throw error }
            throw WriteError(description: "cannot write the site: \(error.localizedDescription)")
        }
    }

    private struct Outcome: Sendable {
        var written = false
        var failure: WriteError?
    }

    /// Puts one file into the staging folder: a hard link to the previous site's copy
    /// when the bytes are the same, else the new bytes.
    private func place(_ file: OutputFile) -> Outcome {
        let destination = staging.path + "/" + file.path
        let data: Data
        switch file.content {
        case .bytes(let bytes): data = bytes
        case .copy(let url):
            guard let bytes = fileManager.contents(atPath: url.path) else {
                return Outcome(failure: WriteError(description: "cannot read \(url.path)"))
            }
            data = bytes
        }
        let previous = output.path + "/" + file.path
        if let old = fileManager.contents(atPath: previous), old == data, link(previous, destination) == 0 {
            return Outcome()
        }
        guard Self.writeFile(destination, data) else {
            return Outcome(failure: WriteError(description: "cannot write \(destination): \(String(cString: strerror(errno)))"))
        }
        return Outcome(written: true)
    }

    /// A new file with these bytes (the staging folder is fresh, so nothing is overwritten).
    private static func writeFile(_ path: String, _ data: Data) -> Bool {
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

    private func swapIn() throws {
        if fileManager.fileExists(atPath: output.path) {
            try fileManager.moveItem(at: output, to: retired)
            try fileManager.moveItem(at: staging, to: output)
            try fileManager.removeItem(at: retired)
        } else {
            try fileManager.moveItem(at: staging, to: output)
        }
    }

    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
