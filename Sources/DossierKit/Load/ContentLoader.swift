import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Markdown note read from disk, decoded and normalised (BOM dropped, CRLF → LF).
public struct ContentFile: Sendable {
    /// Path inside the content folder, with `/` separators (`people/x.md`).
    public var relativePath: String
    /// Path as shown in diagnostics (`Content/people/x.md`).
    public var displayPath: String
    public var text: String
    /// The file's size, time and inode just before it was read (see BuildCache.inputs).
    var stamp: FileStamp? = nil
}

/// A file copied to the site unchanged.
public struct AssetFile: Sendable, Hashable {
    /// Path inside the output folder (`assets/…`).
    public var outputPath: String
    public var source: URL
}

/// A note the loader found. An unchanged note (the size, modification time and inode
/// the last build saw, see `BuildCache.saw`) is not read: that build's memo of it stands
/// in, and its text is read only if it is needed after all (`ContentLoader.readNote`).
public enum LoadedNote: Sendable {
    case read(ContentFile)
    case unread(relativePath: String, displayPath: String)

    public var relativePath: String {
        switch self {
        case .read(let file): file.relativePath
        case .unread(let relativePath, _): relativePath
        }
    }

    public var displayPath: String {
        switch self {
        case .read(let file): file.displayPath
        case .unread(_, let displayPath): displayPath
        }
    }
}

/// The files of a content folder, as a build listed them when it stamped them.
public struct ContentListing: Sendable {
    let files: [FileTree.Item]
}

public struct LoadedContent: Sendable {
    public var configFile: ContentFile?
    public var notes: [LoadedNote] = []
    public var assets: [AssetFile] = []
    public var diagnostics: [Diagnostic] = []
}

/// First stage: finds the dossier's files, reads them as UTF-8 and rejects what cannot be
/// a note. Symbolic links are followed only when they stay inside the content folder.
public struct ContentLoader: Sendable {
    public var root: URL
    public var displayRoot: String
    /// The root, opened: notes are read by paths from there, not walked from `/` again.
    private let opened: OpenFolder

    public init(root: URL, displayRoot: String) {
        let standardized = root.standardizedFileURL
        // The same resolution as `resolvedInsideRoot`, so prefixes compare.
        if let real = realpath(standardized.path, nil) {
            self.root = URL(fileURLWithPath: String(cString: real))
            free(real)
        } else {
            self.root = standardized
        }
        self.displayRoot = displayRoot
        opened = OpenFolder(self.root.path)
    }

    /// Finds and reads the dossier's files. Without `readingNotes`, notes are found but
    /// not read (`LoadedNote.unread`, for `readNote`), unless they are symbolic links.
    /// `listing` is the content folder's, if the build has just made it.
    public func load(listing: ContentListing? = nil, readingNotes: Bool = true) -> LoadedContent {
        var content = LoadedContent()
        var readable: [FileTree.Item] = []
        var unread: [String] = []
        let files = listing?.files ?? FileTree.files(under: root.path)
        for item in files {
            let relative = item.path
            var display: String { displayRoot + "/" + relative }
            if !readingNotes, relative.hasSuffix(".md"), !item.isSymbolicLink, !relative.hasPrefix("assets/") {
                unread.append(relative)
            } else if relative.hasPrefix("assets/") {
                if resolvedInsideRoot(relative) != nil {
                    content.assets.append(AssetFile(outputPath: relative, source: root.appendingPathComponent(relative)))
                } else {
                    content.diagnostics.append(outsideLink(display))
                }
            } else if relative.hasSuffix(".md") || relative == "dossier.yml" {
                readable.append(item)
            } else if let data = FileTree.contents(of: root.path + "/" + relative), Self.firstNUL(in: data) != nil {
                content.diagnostics.append(.error(
                    SourceLocation(file: display, line: 1, column: 1), "binary file in the content folder",
                    notes: ["move images and documents to \(displayRoot)/assets/, which is copied as is"]))
            } else {
                content.diagnostics.append(.warning(
                    SourceLocation(file: display, line: 1, column: 1),
                    "file ignored: only .md notes, dossier.yml and assets/ are read",
                    notes: ["rename it to .md if it is a note, or move it to \(displayRoot)/assets/"]))
            }
        }
        // Reading and decoding are independent per file: both cores, results in path order.
        let results = readable.parallelMap { item in read(item, display: displayRoot + "/" + item.path) }
        for (relative, result) in zip(readable.map(\.path), results) {
            switch result {
            case .success(let (text, stamp)):
                let file = ContentFile(relativePath: relative, displayPath: displayRoot + "/" + relative, text: text, stamp: stamp)
                if relative == "dossier.yml" { content.configFile = file } else { content.notes.append(.read(file)) }
            case .failure(let diagnostic):
                content.diagnostics.append(diagnostic)
            }
        }
        if !unread.isEmpty {
            // Both lists are in the listing's order, by path: merged, not sorted.
            let read = content.notes
            let readPaths = read.map(\.relativePath)
            content.notes = []
            content.notes.reserveCapacity(read.count + unread.count)
            var next = read.startIndex
            for path in unread {
                while next < read.endIndex, readPaths[next] < path {
                    content.notes.append(read[next])
                    next += 1
                }
                content.notes.append(.unread(relativePath: path, displayPath: displayRoot + "/" + path))
            }
            content.notes += read[next...]
        }
        return content
    }

    /// Reads a note (again, or for the first time if `load` left it unread) as `load` reads it.
    /// `isSymbolicLink` as the listing `load` made says, if the note is read just after it
    /// (`load` reads every link itself); otherwise the file is looked at again.
    public func readNote(_ relativePath: String, isSymbolicLink: Bool? = nil) -> Result<ContentFile, Diagnostic> {
        let display = displayRoot + "/" + relativePath
        var info = stat()
        let isLink = isSymbolicLink ?? (lstat(root.path + "/" + relativePath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
        return read(FileTree.Item(path: relativePath, isSymbolicLink: isLink), display: display).map {
            ContentFile(relativePath: relativePath, displayPath: display, text: $0.text, stamp: $0.stamp)
        }
    }

    /// Every file below the root, as root-relative paths, for copying as assets.
    public func assetList() -> [String] { FileTree.files(under: root.path).map(\.path) }

    private func read(_ item: FileTree.Item, display: String) -> Result<(text: String, stamp: FileStamp), Diagnostic> {
        let start = SourceLocation(file: display, line: 1, column: 1)
        // The walk never enters a linked folder, so only a link itself can lead outside.
        let read: (bytes: [UInt8], stamp: FileStamp)?
        if item.isSymbolicLink {
            guard let resolved = resolvedInsideRoot(item.path) else { return .failure(outsideLink(display)) }
            read = FileTree.stampedContents(of: resolved)
        } else {
            read = FileTree.stampedContents(of: item.path, in: opened)
        }
        guard let (data, stamp) = read else {
            return .failure(.error(start, "cannot read the file", notes: ["check that it exists and is readable"]))
        }
        if data.isEmpty {
            return .failure(.error(start, "empty file", notes: ["add front-matter and a body, or delete the file"]))
        }
        if let zero = Self.firstNUL(in: data) {
            return .failure(.error(start, "binary file (NUL byte at offset \(zero)), not a Markdown note",
                                   notes: ["move binary files to \(displayRoot)/assets/"]))
        }
        // Through a raw buffer: Data's byte-by-byte collection access pays an exclusivity
        // check per byte, which cost more than reading the files.
        let decoded = data.withUnsafeBytes { raw -> String? in
            var bytes = raw.bindMemory(to: UInt8.self)[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            return String(validatingMostlyASCII: UnsafeBufferPointer(rebasing: bytes))
        }
        guard let text = decoded else {
            var bytes = data[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            let offset = Self.firstInvalidUTF8Offset(in: bytes)
            let prefix = TextLines.normalizingLineEnds(String(decoding: data[data.startIndex..<(data.startIndex + offset)], as: UTF8.self))
            let lines = TextLines(prefix)
            let line = lines.count
            let column = (lines.line(line)?.count ?? 0) + 1
            return .failure(.error(
                SourceLocation(file: display, line: line, column: column),
                "invalid UTF-8 at byte offset \(offset)",
                notes: ["save the file as UTF-8 (most editors have an 'encoding' menu)"]))
        }
        return .success((TextLines.normalizingLineEnds(text), stamp))
    }

    /// Offset of the first NUL byte, the mark of a binary file.
    static func firstNUL(in data: [UInt8]) -> Int? {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, let found = memchr(base, 0, raw.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    /// The file's real path (symbolic links followed) when it is inside the content
    /// folder; nil when it leads outside or does not resolve.
    func resolvedInsideRoot(_ relative: String) -> String? {
        guard let real = realpath(root.path + "/" + relative, nil) else { return nil }
        defer { free(real) }
        let path = String(cString: real)
        return path.hasPrefix(root.path + "/") ? path : nil
    }

    private func outsideLink(_ display: String) -> Diagnostic {
        .error(SourceLocation(file: display, line: 1, column: 1), "symbolic link points outside the content folder; not followed",
               notes: ["copy the file into \(displayRoot)/ instead of linking to it"])
    }

    /// Byte offset (from the start of the file) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8Offset(in bytes: ArraySlice<UInt8>) -> Int {
        var offset = bytes.startIndex
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var consumedBefore = bytes.startIndex
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumedBefore += UTF8.width(scalar)
                offset = consumedBefore
            case .emptyInput:
                return offset
            case .error:
                return offset
            }
        }
    }
}
