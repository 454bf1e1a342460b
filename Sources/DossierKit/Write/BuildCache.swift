import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the last successful build read and wrote, by size and modification time, kept
/// beside the output (`.Site.cache.json`). When nothing it read has changed and the
/// output is as it was left, a rebuild has nothing to do: it reports the same result
/// and touches no file. Otherwise the page digests let it skip rendering every page
/// whose context is unchanged and whose file is still as this build wrote it.
struct BuildCache: Codable, Equatable {
    static let format = 3

    var format = BuildCache.format
    /// The program that built it: a new Dossier may render the same input differently.
    var tool = FileStamp(path: "/proc/self/exe") ?? FileStamp(path: CommandLine.arguments[0])
    var inputs: [String: FileStamp]
    var outputs: [String: FileStamp]
    var pages: Int
    var diagnostics: [Diagnostic]
    /// Output path → digest of the context it was rendered from (see PageDigest).
    var pageDigests: [String: String] = [:]

    static func url(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).cache.json")
    }

    static func load(for output: URL) -> BuildCache? {
        guard let data = FileManager.default.contents(atPath: url(for: output).path),
              let cache = try? JSONDecoder().decode(BuildCache.self, from: data), cache.format == format,
              cache.tool != nil, cache.tool == BuildCache(inputs: [:], outputs: [:], pages: 0, diagnostics: []).tool else { return nil }
        return cache
    }

    func save(for output: URL) {
        guard let data = try? JSONEncoder().encode(self) else { return }
        try? data.write(to: Self.url(for: output), options: .atomic)
    }

    /// True when the previous build rendered `path` from the same context and the file
    /// is still exactly as that build left it.
    func canReuse(_ path: String, digest: String, in output: URL) -> Bool {
        guard pageDigests[path] == digest, let stamp = outputs["site/" + path] else { return false }
        return FileStamp(path: output.path + "/" + path) == stamp
    }

    /// Every file below the folders, keyed by a label and the relative path.
    static func stamps(of folders: [(label: String, url: URL)]) -> [String: FileStamp] {
        var result: [String: FileStamp] = [:]
        for (label, folder) in folders {
            for item in FileTree.files(under: folder.path) {
                if let stamp = FileStamp(path: folder.path + "/" + item.path), !stamp.isDirectory {
                    result[label + "/" + item.path] = stamp
                }
            }
        }
        return result
    }
}

/// Size and modification time (to the nanosecond) of a file, as `stat` reports them.
/// Stored as one string ("size mtime-seconds mtime-nanoseconds d|f"): a cache holds one
/// per input and output file, and a keyed object each made reading and writing the
/// cache of a 10,000-note site take most of a second.
struct FileStamp: Codable, Equatable {
    var size: Int64
    var seconds: Int64
    var nanoseconds: Int64
    var isDirectory: Bool

    init?(path: String) {
        var info = stat()
        // stat follows symbolic links: a link's target changing counts as a change.
        guard stat(path, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        seconds = Int64(info.st_mtim.tv_sec)
        nanoseconds = Int64(info.st_mtim.tv_nsec)
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
    }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let fields = text.split(separator: " ")
        guard fields.count == 4, let size = Int64(fields[0]), let seconds = Int64(fields[1]),
              let nanoseconds = Int64(fields[2]), fields[3] == "d" || fields[3] == "f" else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad file stamp '\(text)'"))
        }
        (self.size, self.seconds, self.nanoseconds, isDirectory) = (size, seconds, nanoseconds, fields[3] == "d")
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("\(size) \(seconds) \(nanoseconds) \(isDirectory ? "d" : "f")")
    }
}
