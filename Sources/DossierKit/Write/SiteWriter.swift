import Foundation

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

public struct WriteError: Error, CustomStringConvertible {
    public var description: String
}

/// Last stage: writes the site into a staging folder beside the output, then swaps it
/// in. Until the swap the previous site is untouched; files whose bytes did not change
/// are hard-linked from it, so they keep their modification time.
public struct SiteWriter {
    public let output: URL
    private let fileManager = FileManager.default

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
        var stats = WriteStats()
        do {
            try fileManager.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
            var madeFolders: Set<String> = [""]
            for file in files {
                guard Self.isSafe(file.path) else { throw WriteError(description: "refusing to write outside the output folder: \(file.path)") }
                let destination = staging.appendingPathComponent(file.path)
                let folder = (file.path as NSString).deletingLastPathComponent
                if madeFolders.insert(folder).inserted {
                    try fileManager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                }
                let data: Data
                switch file.content {
                case .bytes(let bytes): data = bytes
                case .copy(let url): data = try Data(contentsOf: url)
                }
                let previous = output.appendingPathComponent(file.path)
                if let old = fileManager.contents(atPath: previous.path), old == data,
                   (try? fileManager.linkItem(at: previous, to: destination)) != nil {
                    stats.unchanged += 1
                } else {
                    try data.write(to: destination)
                    stats.written += 1
                }
            }
            try swapIn()
        } catch let error as WriteError {
            try? fileManager.removeItem(at: staging)
            throw error
        } catch {
            try? fileManager.removeItem(at: staging)
            throw WriteError(description: "cannot write the site: \(error.localizedDescription)")
        }
        return stats
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
