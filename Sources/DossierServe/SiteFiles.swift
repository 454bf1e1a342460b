import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps a request target to a file of the output folder, and refuses everything else.
///
/// Only files inside the output folder are served: `..` (also percent-encoded), NUL and
/// backslashes are refused, and the path is resolved with `realpath` so a symbolic link
/// pointing outside the folder is refused too. A folder serves its `index.html` (never a
/// listing); a folder asked for without its trailing slash is redirected to it, so the
/// site's relative links keep working.
struct SiteFiles: Sendable {
    let root: URL

    enum Resolution: Equatable {
        case file(path: String, mediaType: String)
        /// The same folder with a trailing slash (path only, built from checked segments).
        case redirect(location: String)
        case forbidden
        case notFound
        case badRequest
    }

    init(root: URL) {
        self.root = root.standardizedFileURL
    }

    func resolve(_ target: String) -> Resolution {
        // The path of the request target: no query, no fragment.
        var rawPath = Substring(target)
        if let end = rawPath.firstIndex(where: { $0 == "?" || $0 == "#" }) { rawPath = rawPath[..<end] }
        guard rawPath.hasPrefix("/") else { return .badRequest }
        guard let path = String(rawPath).removingPercentEncoding else { return .badRequest }
        if path.contains("\0") { return .badRequest }
        if path.contains("\\") { return .forbidden }

        var segments: [String] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == ".." { return .forbidden }
            if segment == "." { continue }
            // Hidden files (and the writer's .Site.staging siblings are outside anyway).
            if segment.hasPrefix(".") { return .notFound }
            segments.append(String(segment))
        }

        guard let realRoot = Self.realPath(root.path) else { return .notFound }
        let candidate = segments.isEmpty ? realRoot : realRoot + "/" + segments.joined(separator: "/")
        guard let real = Self.realPath(candidate) else { return .notFound }
        guard Self.isInside(real, realRoot) else { return .forbidden }

        switch Self.kind(of: real) {
        case .directory:
            if !segments.isEmpty, !path.hasSuffix("/") {
                return .redirect(location: "/" + segments.map(Self.percentEncoded).joined(separator: "/") + "/")
            }
            guard let index = Self.realPath(real + "/index.html") else { return .notFound }
            guard Self.isInside(index, realRoot) else { return .forbidden }
            guard Self.kind(of: index) == .file else { return .notFound }
            return .file(path: index, mediaType: MediaTypes.html)
        case .file:
            return .file(path: real, mediaType: MediaTypes.forName(segments.last ?? ""))
        case .other:
            return .notFound
        }
    }

    /// The site's own `404.html`, if it has one (checked like any other file).
    func notFoundPage() -> String? {
        if case .file(let path, _) = resolve("/404.html") { return path }
        return nil
    }

    // MARK: File system

    enum Kind { case file, directory, other }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }

    static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    static func percentEncoded(_ segment: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;?#")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }
}

/// Content types by file extension, for what a dossier site holds.
enum MediaTypes {
    static let html = "text/html; charset=utf-8"

    static let byExtension: [String: String] = [
        "html": html, "htm": html,
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json", "map": "application/json",
        "xml": "application/xml", "rss": "application/rss+xml", "atom": "application/atom+xml",
        "txt": "text/plain; charset=utf-8", "md": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "gif": "image/gif", "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon", "bmp": "image/bmp",
        "pdf": "application/pdf",
        "woff2": "font/woff2", "woff": "font/woff", "ttf": "font/ttf", "otf": "font/otf",
        "mp3": "audio/mpeg", "ogg": "audio/ogg", "wav": "audio/wav",
        "mp4": "video/mp4", "webm": "video/webm",
        "zip": "application/zip", "gz": "application/gzip",
        "webmanifest": "application/manifest+json", "wasm": "application/wasm",
    ]

    static func forName(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "application/octet-stream" }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }
}
