import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the last successful build read and wrote, by size and modification time, kept
/// beside the output (`.Site.cache`). When nothing it read has changed and the
/// output is as it was left, a rebuild has nothing to do: it reports the same result
/// and touches no file. Otherwise, for every page whose file is still as this build
/// wrote it, the page inputs let it skip even building the page's context when none of
/// its inputs changed, and the page digests let it skip rendering when the context is
/// the same; the body memos let it skip parsing and resolving unchanged notes.
///
/// The memos, most of the cache, are kept in two places: a memo base beside it
/// (`.Site.memos`), written again only once many memos have changed, and in the cache
/// itself the memos that differ from the base and the paths the base has no longer.
/// Editing one note then rewrites one memo, not all of them (writing 65 MB of memos was
/// a sixth of a one-edit rebuild at 50,000 notes).
struct BuildCache: Sendable {
    /// Names the file format; a cache in any other is ignored (a full build replaces it).
    static let header = "dossier build cache 23"

    /// The program that built it: a new Dossier may render the same input differently.
    var tool = FileStamp.tool
    /// When the build stamped its inputs (`FileStamp.now`).
    var stampedAt: Int64
    var inputs: [String: FileStamp]
    var outputs: [String: FileStamp]
    var pageCount: Int
    var diagnostics: [Diagnostic]
    /// Every page with what it was made from, in the build's plan order.
    var pages = PageRecords()
    /// Digest of what every page's inputs start with: the templates and shared inputs.
    var pageInputsStart = ""
    var memos: NoteMemos?
    /// The memo base the memos were read with (kept by the next cache if still valid).
    var memoBase: MemoBase?
    /// The memo base was written from this build's very memos (a first build's): none
    /// differs from it, and `save` does not look. Not saved.
    var memosAreTheBase = false
    /// The site's folder tree as this build left it, and the spare's (the site this
    /// build replaced, as the build before listed it): the next build stages into the
    /// spare, and the one after into this site (see SiteWriter).
    var site: CachedListing?
    var spare: CachedListing?
    /// The files this build put into its staging folder that were not the then live
    /// site's: every other file of the site it replaced (the next build's staging folder)
    /// is the new site's very file (see `SiteWriter.StagedSite.placedLast`).
    var placed: [String] = []
    /// The build's editorial warnings, apart from its other diagnostics: a rebuild in
    /// which only bodies changed recomputes only those of the entries they touch.
    var editorialWarnings: [Diagnostic] = []

    static func url(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).cache")
    }

    static func memoBaseURL(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).memos")
    }

    /// The first part of the cache: the stamps of what the last build read and wrote,
    /// its result and the site's folder listing, which is all a rebuild with nothing
    /// changed needs; the rest (the page tables, the spare's listing, the memos and their
    /// base) is read only when the build goes on.
    struct Head: Sendable {
        /// The cache with only its first part read.
        let cache: BuildCache
        let rest: CacheReader
        let output: URL
        /// The memo base's stamp and bytes, read with the head (on the thread that reads
        /// the head while the inputs are stamped, not after them): decoded only if the
        /// build goes on.
        private let baseStamp: FileStamp?
        private let baseBytes: SharedBytes?

        /// Nil when the cache is missing, damaged or made by another program.
        init?(for output: URL) {
            guard let bytes = SharedBytes(mapping: BuildCache.url(for: output).path),
                  var reader = CacheReader(bytes, header: BuildCache.header),
                  let cache = try? BuildCache(readingHead: &reader),
                  cache.tool != nil, cache.tool == FileStamp.tool else { return nil }
            (self.cache, rest, self.output) = (cache, reader, output)
            let base = SharedBytes.stampedMapping(of: BuildCache.memoBaseURL(for: output).path)
            (baseStamp, baseBytes) = (base?.stamp, base?.bytes)
        }

        /// The whole cache, or nil when its rest is damaged or it was made with another
        /// memo base than the one beside it.
        func complete() -> BuildCache? {
            // The memo base's parts are read at the same time as the rest, on both cores;
            // whether it is the base the cache was made with is known once all are read.
            let parts = baseBytes.flatMap(MemoBase.parts) ?? []
            let readers = [rest] + parts
            let head = cache
            let read = Array(readers.indices).parallelMap { index -> (cache: BuildCache?, memos: [String: NoteMemo]?) in
                var reader = readers[index]
                var cache = head
                let read = index == 0 ? ((try? cache.readRest(&reader)).map { cache }, nil) : (nil, try? NoteMemo.table(reading: &reader))
                return reader.isAtEnd ? read : (nil, nil)
            }
            guard var cache = read[0].cache else { return nil }
            if let differing = cache.memos?.byPath, let recorded = cache.memoBase {
                let tables = read.dropFirst().compactMap(\.memos)
                guard let baseStamp, baseStamp == recorded.stamp, !parts.isEmpty, tables.count == parts.count else { return nil }
                // The base is kept as its parts' tables, and the build's table made from
                // them in place: no copy of a table of every memo.
                let base = MemoBase(stamp: baseStamp, tables: tables)
                var memos = [String: NoteMemo](minimumCapacity: base.count)
                for table in tables { memos.merge(table) { first, _ in first } }
                for path in recorded.removed { memos[path] = nil }
                memos.merge(differing) { _, newer in newer }
                cache.memos?.byPath = memos
                cache.memos?.apartFromBase = (Array(differing.keys), recorded.removed)
                cache.memoBase = base
            }
            return cache
        }
    }

    /// Writes the cache, and first a new memo base if the old one is gone or more than
    /// an eighth of the memos now differ from it. Should the program stop in between,
    /// the old cache does not match the new base, and the next build starts afresh.
    func save(for output: URL) {
        var cache = self
        if memosAreTheBase {
            cache.memos?.byPath = [:]
            cache.memoBase?.removed = []
        } else if let memos {
            // The memos that are not the base's and the paths the base has no longer, found
            // at the same time; each variable is written by one part.
            nonisolated(unsafe) var differing: [String: NoteMemo] = [:]
            nonisolated(unsafe) var removed: [String] = []
            let base = memoBase
            if base != nil, let apart = memos.apartFromBase {
                // Known from the build: no table of every memo compared with the base's.
                for path in apart.differing { differing[path] = memos.byPath[path] }
                removed = apart.removed
            } else {
                DispatchQueue.concurrentPerform(iterations: 2) { part in
                    if part == 0 {
                        differing = memos.byPath.filter { path, memo in base?.memo(at: path) !== memo }
                    } else {
                        removed = base.map { base in base.paths.filter { memos.byPath[$0] == nil } } ?? []
                    }
                }
            }
            if let memoBase, differing.count + removed.count <= memoBase.count / 8 {
                cache.memos?.byPath = differing
                cache.memoBase?.removed = removed.sorted()
            } else {
                guard let base = MemoBase.write(memos.byPath, at: Self.memoBaseURL(for: output).path) else { return }
                cache.memos?.byPath = [:]
                cache.memoBase = base
            }
        }
        let path = Self.url(for: output).path
        guard var writer = CacheWriter(path: path + ".new", header: Self.header) else { return }
        cache.write(to: &writer)
        _ = writer.finish(at: path)
    }

    /// Whether the site at `output` is as this build left it: its files with the stamps
    /// in `outputs`, and nothing else. With the site's folder listing that is one `stat`
    /// per file and one per folder (a folder's time changes whenever anything is put in
    /// it or taken out), on both cores; reading every folder of the site instead (a
    /// folder per page) was most of a rebuild with nothing changed.
    func siteIsAsLeft(at output: URL) -> Bool {
        guard let site = site?.listing, site.files.count == outputs.count else { return Self.stamps(of: [("site", output)]) == outputs }
        let root = OpenFolder(output.path)
        guard site.isIntact(at: root) else { return false }
        // Every output is then one of the listed files, if its stamp holds: the tree holds
        // no other. As many outputs as files, each found, are every file.
        return Array(outputs).parallelMap { root.stamp($0.key, after: "site/") == $0.value }.allSatisfy { $0 }
    }

    /// Whether an input (`content/…`, `templates/…`) is as this build saw it: the same
    /// size, time and inode, and that time before the build stamped it (see
    /// `FileStamp.isOlder`) by two seconds, since some file systems a dossier may live on
    /// (FAT, exFAT, some network shares) keep times only to the second or two. Reading
    /// again a note edited just before a build costs little.
    func saw(_ stamp: FileStamp, as key: String) -> Bool {
        inputs[key] == stamp && stamp.isOlder(than: stampedAt - 2_000_000_000)
    }

    /// Every file below the folders, keyed by a label and the relative path.
    static func stamps(of folders: [(label: String, url: URL)]) -> [String: FileStamp] {
        stampsAndListings(of: folders).stamps
    }

    /// Adds to `stamps` those of the files in `listing` (a folder's, as `FileTree.files`
    /// lists it), keyed `label/path`: those `known` (taken as the files were read, by path
    /// in the folder) as they are, the others taken now. Returns the keys of the listed
    /// files that have none (gone since they were listed, or a link to a folder).
    @discardableResult
    static func addStamps(label: String, under folder: String, listing: [FileTree.Item],
                          known: [(path: String, stamp: FileStamp)] = [], to stamps: inout [String: FileStamp]) -> [String] {
        stamps.reserveCapacity(stamps.count + listing.count)
        for (path, stamp) in known { stamps[label + "/" + path] = stamp }
        let missing = known.isEmpty ? listing.map(\.path) : listing.map(\.path).filter { stamps[label + "/" + $0] == nil }
        let opened = OpenFolder(folder)
        var unstamped: [String] = []
        for (path, stamp) in zip(missing, missing.parallelMap { opened.stamp($0) }) {
            if let stamp, !stamp.isDirectory { stamps[label + "/" + path] = stamp } else { unstamped.append(label + "/" + path) }
        }
        return unstamped
    }

    /// The stamps, and each folder's files as `FileTree.files` lists them: the content's
    /// listing is the loader's too, so a build walks the content folder once.
    /// With the keys of the listed files that have no stamp (see `addStamps`).
    static func stampsAndListings(of folders: [(label: String, url: URL)])
        -> (stamps: [String: FileStamp], listings: [[FileTree.Item]], unstamped: [String]) {
        var result: [String: FileStamp] = [:]
        var listings: [[FileTree.Item]] = []
        var unstamped: [String] = []
        for (label, folder) in folders {
            let files = FileTree.files(under: folder.path)
            unstamped += addStamps(label: label, under: folder.path, listing: files, to: &result)
            listings.append(files)
        }
        return (result, listings, unstamped)
    }
}

/// Size, modification time (to the nanosecond) and inode of a file, as `stat` reports them.
struct FileStamp: Equatable, Sendable {
    var size: Int64
    var seconds: Int64
    var nanoseconds: Int64
    var isDirectory: Bool
    /// Another file put in its place (a rename, an editor's safe save) is another inode.
    var inode: UInt64

    /// The file system's clock, in nanoseconds since 1970: the coarse clock, whose tick
    /// is what file times are taken from.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Whether the file was last changed before `moment` (`now()` when it was stamped).
    /// A file changed in the very tick it was stamped in could change again in that
    /// tick, after being read, and keep the same size and time: such a stamp vouches for
    /// nothing (the "racy" files of git's index).
    func isOlder(than moment: Int64) -> Bool {
        seconds * 1_000_000_000 + nanoseconds < moment
    }

    /// The running Dossier binary.
    static let tool = FileStamp(path: "/proc/self/exe") ?? FileStamp(path: CommandLine.arguments[0])

    init?(path: String) {
        var info = stat()
        // stat follows symbolic links: a link's target changing counts as a change.
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    init(_ info: stat) {
        size = Int64(info.st_size)
        seconds = Int64(info.st_mtim.tv_sec)
        nanoseconds = Int64(info.st_mtim.tv_nsec)
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        inode = UInt64(info.st_ino)
    }

    init(size: Int64, seconds: Int64, nanoseconds: Int64, isDirectory: Bool, inode: UInt64) {
        (self.size, self.seconds, self.nanoseconds, self.isDirectory, self.inode) = (size, seconds, nanoseconds, isDirectory, inode)
    }
}

// MARK: The cache file

extension BuildCache {
    /// The first part (see `Head`).
    init(readingHead reader: inout CacheReader) throws(CacheReader.CacheBytesError) {
        let tool = try reader.int() == 1 ? FileStamp(reading: &reader) : nil
        self.init(stampedAt: try reader.int64(), inputs: try reader.table { r throws(CacheReader.CacheBytesError) in try FileStamp(reading: &r) },
                  outputs: try reader.table { r throws(CacheReader.CacheBytesError) in try FileStamp(reading: &r) },
                  pageCount: try reader.int(), diagnostics: try Diagnostic.list(reading: &reader))
        self.tool = tool
        site = try CachedListing.optional(reading: &reader)
    }

    /// The rest but the memo base's memos: after the tables, the memos that differ from
    /// the base (in `memos`) and the stamp of the base with the paths it should no longer
    /// give (in `memoBase`).
    mutating func readRest(_ reader: inout CacheReader) throws(CacheReader.CacheBytesError) {
        pages = PageRecords(paths: try reader.strings(), inputs: try ContentDigest.list(reading: &reader),
                            digests: try ContentDigest.list(reading: &reader))
        guard pages.inputs.count == pages.paths.count, pages.digests.count == pages.paths.count else { throw CacheReader.CacheBytesError() }
        pageInputsStart = try reader.string()
        spare = try CachedListing.optional(reading: &reader)
        placed = try reader.strings()
        editorialWarnings = try Diagnostic.list(reading: &reader)
        if try reader.int() == 1 {
            memos = NoteMemos(sharedInputs: try reader.string(), byPath: [:])
            var base = MemoBase(stamp: try FileStamp(reading: &reader), tables: [])
            base.removed = try reader.strings()
            memoBase = base
            memos?.byPath = try NoteMemo.table(reading: &reader)
        }
    }

    func write(to whole: inout CacheWriter) {
        // The big tables (input and output stamps, pages, folder listings and placed
        // files) are encoded on both cores, each into a buffer of its own, then put in
        // order: the same bytes as writing them one after another, since none of them uses
        // the writer's recurring-string state. The stamps are written in their table's
        // order (see `write(inAnyOrder:)`), the pages in plan order.
        let (inputs, outputs, pages, site, spare, placed) = (inputs, outputs, pages, site, spare, placed)
        let tables = Array(0..<6).parallelMap { part -> [UInt8] in
            var writer = CacheWriter()
            switch part {
            case 0: writer.write(inAnyOrder: inputs) { w, stamp in stamp.write(to: &w) }
            case 1: writer.write(inAnyOrder: outputs) { w, stamp in stamp.write(to: &w) }
            case 2: writer.write(pages.paths)
            case 3:
                ContentDigest.write(pages.inputs, to: &writer)
                ContentDigest.write(pages.digests, to: &writer)
            case 4: CachedListing.write(site, to: &writer)
            default:
                CachedListing.write(spare, to: &writer)
                writer.write(placed)
            }
            return writer.bytes
        }
        whole.write(tool == nil ? 0 : 1)
        tool?.write(to: &whole)
        whole.write(stampedAt)
        whole.write(encoded: tables[0][...])
        whole.write(encoded: tables[1][...])
        whole.write(pageCount)
        Diagnostic.write(diagnostics, to: &whole)
        whole.write(encoded: tables[4][...])
        whole.write(encoded: tables[2][...])
        whole.write(encoded: tables[3][...])
        whole.write(pageInputsStart)
        whole.write(encoded: tables[5][...])
        Diagnostic.write(editorialWarnings, to: &whole)
        whole.write(memos == nil || memoBase == nil ? 0 : 1)
        if let memos, let memoBase {
            whole.write(memos.sharedInputs)
            memoBase.stamp.write(to: &whole)
            whole.write(memoBase.removed)
            whole.write(memos.byPath) { w, memo in memo.write(to: &w) }
        }
    }
}

/// The pages a build made, in its plan order: their paths, the digest of each page's
/// inputs (see PageBuilder.inputKey) and of the context it was rendered from (see
/// PageDigest; `ContentDigest.none` when the page was not rendered against a previous
/// build).
struct PageRecords: Sendable {
    var paths: [String] = []
    var inputs: [ContentDigest] = []
    var digests: [ContentDigest] = []

    /// These records looked up by the index of a page in `plan`. The plan of a rebuild is
    /// nearly always the last one: then nothing is looked up at all.
    func matching(_ plan: [String]) -> Matched {
        if plan == paths { return Matched(records: self, positions: nil) }
        let position = Dictionary(zip(paths, paths.indices), uniquingKeysWith: { first, _ in first })
        return Matched(records: self, positions: plan.map { position[$0] })
    }

    struct Matched: Sendable {
        let records: PageRecords
        /// Nil when the plan is the records' own order.
        let positions: [Int?]?

        /// Whether the plan is the records' own order (then nothing is looked up).
        var isPlanOrder: Bool { positions == nil }

        private func position(_ index: Int) -> Int? { positions == nil ? index : positions![index] }
        func inputs(_ index: Int) -> ContentDigest? { position(index).map { records.inputs[$0] } }
        func digest(_ index: Int) -> ContentDigest? {
            guard let position = position(index), records.digests[position] != .none else { return nil }
            return records.digests[position]
        }
    }
}

/// The memo base (`.Site.memos`): the memos of the build that last wrote it, by path,
/// in parts read at the same time on both cores. Only the cache says which of them
/// still hold.
struct MemoBase: Sendable {
    static let header = "dossier memo base 8"
    /// Four parts and the rest of the cache keep both cores busy to the end of reading.
    static let partCount = 4

    /// The base file as written: a base that is not this very file is not the cache's.
    var stamp: FileStamp
    /// The base's memos: a table per part as read, or the one table written.
    private let tables: [[String: NoteMemo]]
    /// Paths whose memo the base has, but the build that wrote the cache did not.
    var removed: [String] = []

    init(stamp: FileStamp, tables: [[String: NoteMemo]]) { (self.stamp, self.tables) = (stamp, tables) }

    var count: Int { tables.reduce(0) { $0 + $1.count } }

    /// The base's memo of `path` (the parts hold different paths).
    func memo(at path: String) -> NoteMemo? {
        for table in tables { if let memo = table[path] { return memo } }
        return nil
    }

    var paths: [String] { tables.flatMap(\.keys) }

    /// Readers of the base file's parts, each a table of memos by path.
    static func parts(_ bytes: SharedBytes) -> [CacheReader]? {
        guard var whole = CacheReader(bytes, header: header), let count = try? whole.count() else { return nil }
        var parts: [CacheReader] = []
        for _ in 0..<count {
            guard let part = try? whole.part() else { return nil }
            parts.append(part)
        }
        return whole.isAtEnd ? parts : nil
    }

    /// Writes `memos` as the new base at `path` (through a temporary file renamed over it).
    /// `onBothCores`: encode the parts on both cores, for a caller that waits for the
    /// base; one written beside other work that keeps both cores busy encodes them
    /// one after another (a `parallelMap` there waits for the other work's to end).
    static func write(_ memos: [String: NoteMemo], at path: String, onBothCores: Bool = true) -> MemoBase? {
        guard var whole = CacheWriter(path: path + ".new", header: header) else { return nil }
        let keys = memos.keys.sorted()
        // The parts are each encoded by a writer of their own (as when they were encoded
        // one after another, so the same bytes): on both cores, a third of saving the
        // cache after a build from scratch.
        let encode = { @Sendable (part: Int) -> [UInt8] in
            var writer = CacheWriter()
            writer.write(memos, keys: keys[(part * keys.count / partCount)..<((part + 1) * keys.count / partCount)]) { w, memo in memo.write(to: &w) }
            return writer.bytes
        }
        whole.write(partCount)
        if onBothCores {
            for part in Array(0..<partCount).parallelMap(encode) { whole.write(part: part) }
        } else {
            // Each part written as soon as it is encoded and then freed: the four held
            // at once, with their arrays' room to grow, were 40 MB of a 10k build's peak.
            for part in 0..<partCount { whole.write(part: encode(part)) }
        }
        guard whole.finish(at: path), let stamp = FileStamp(path: path) else { return nil }
        return MemoBase(stamp: stamp, tables: [memos])
    }
}

extension FileStamp {
    init(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) {
        self.init(size: try reader.int64(), seconds: try reader.int64(), nanoseconds: try reader.int64(),
                  isDirectory: try reader.int64() == 1, inode: UInt64(bitPattern: try reader.int64()))
    }

    func write(to writer: inout CacheWriter) {
        // One call per field: an array of the five per stamp was an allocation for each
        // of the 20,000 stamps a 10k build writes.
        writer.write(size)
        writer.write(seconds)
        writer.write(nanoseconds)
        writer.write(Int64(isDirectory ? 1 : 0))
        writer.write(Int64(bitPattern: inode))
    }
}

/// A folder listing in the build cache: one this build made, or one as the cache held it,
/// decoded only when looked into. A rebuild after an edit hands the last site's listing
/// on as the next build's spare without looking into it (decoding its 10,000 folders and
/// files was 2 % of that rebuild).
enum CachedListing: Sendable {
    case made(FolderListing)
    /// The listing's bytes, after its flag.
    case stored(SharedBytes)

    /// The listing; nil when its stored bytes turn out damaged (then there is none).
    var listing: FolderListing? {
        switch self {
        case .made(let listing): return listing
        case .stored(let bytes):
            var reader = CacheReader(bytes)
            guard var listing = try? FolderListing(stampedAt: reader.int64(),
                                                   folders: reader.table { r throws(CacheReader.CacheBytesError) in try FileStamp(reading: &r) },
                                                   files: reader.strings()), reader.isAtEnd else { return nil }
            listing.encoded = bytes
            return listing
        }
    }

    /// Steps over a listing without decoding it (its lengths checked).
    static func optional(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> CachedListing? {
        guard try reader.int() == 1 else { return nil }
        let start = reader.position
        _ = try reader.int64()
        for _ in 0..<(try reader.count()) {
            _ = try reader.stringBytes(checkingUTF8: false)
            _ = try FileStamp(reading: &reader)
        }
        for _ in 0..<(try reader.count()) { _ = try reader.stringBytes(checkingUTF8: false) }
        return .stored(reader.bytes(since: start))
    }

    static func write(_ cached: CachedListing?, to writer: inout CacheWriter) {
        writer.write(cached == nil ? 0 : 1)
        switch cached {
        case nil: return
        case .stored(let bytes)?: writer.write(encoded: bytes)
        case .made(let listing)?:
            if let encoded = listing.encoded { return writer.write(encoded: encoded) }
            writer.write(listing.stampedAt)
            // In the table's own order, as the stamp tables are: its times make every
            // listing's bytes its own, so sorting its 10,000 folders bought nothing.
            writer.write(inAnyOrder: listing.folders) { w, stamp in stamp.write(to: &w) }
            writer.write(listing.files)
        }
    }
}

extension NoteMemo {
    static func table(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> [String: NoteMemo] {
        try reader.table { r throws(CacheReader.CacheBytesError) in try NoteMemo(reading: &r) }
    }

    convenience init(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) {
        let start = reader.position
        let (contentHash, displayPath, entry) = (try ContentDigest(reading: &reader), try reader.string(), try reader.slice())
        let (readDiagnostics, bodyLength) = (try Diagnostic.list(reading: &reader), try reader.int())
        let (frontMatterHash, body, links, sharedPart) = (try ContentDigest(reading: &reader), try BodyMemo(reading: &reader), try MemoStrings(reading: &reader), try reader.slice())
        let foldedNames = try reader.int() == 0 ? nil : FoldedNames(title: try reader.string(reusing: body.title), titleKey: try reader.string(), others: try reader.strings())
        self.init(contentHash: contentHash, displayPath: displayPath, entry: entry, readDiagnostics: readDiagnostics,
                  bodyLength: bodyLength, frontMatterHash: frontMatterHash, body: body, frontMatterLinks: links,
                  sharedPart: sharedPart, foldedNames: foldedNames, encoded: reader.bytes(since: start))
    }

    func write(to writer: inout CacheWriter) {
        if let encoded { return writer.write(encoded: encoded) }
        contentHash.write(to: &writer)
        writer.write(displayPath)
        writer.write(bytes: entry)
        Diagnostic.write(readDiagnostics, to: &writer)
        writer.write(bodyLength)
        frontMatterHash.write(to: &writer)
        body.write(to: &writer)
        frontMatterLinks.write(to: &writer)
        writer.write(bytes: sharedPart)
        writer.write(foldedNames == nil ? 0 : 1)
        if let foldedNames {
            writer.write(foldedNames.title)
            writer.write(foldedNames.titleKey)
            writer.write(foldedNames.others)
        }
    }
}

extension BodyMemo {
    convenience init(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) {
        let (title, anchors, references) = (try reader.string(), try reader.strings(), try MemoStrings(reading: &reader))
        self.init(title: title, anchors: anchors, references: references, cited: try MemoCitations(reading: &reader),
                  diagnostics: try Diagnostic.list(reading: &reader))
    }

    func write(to writer: inout CacheWriter) {
        writer.write(title)
        writer.write(anchors)
        references.write(to: &writer)
        cited.write(to: &writer)
        Diagnostic.write(diagnostics, to: &writer)
    }
}

extension Diagnostic {
    static func list(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> [Diagnostic] {
        var list: [Diagnostic] = []
        for _ in 0..<(try reader.count()) {
            guard let severity = Severity(rawValue: try reader.string()) else { throw CacheReader.CacheBytesError() }
            let location = SourceLocation(file: try reader.string(), line: try reader.int(), column: try reader.int())
            list.append(Diagnostic(severity, location, try reader.string(), notes: try reader.strings()))
        }
        return list
    }

    static func write(_ list: [Diagnostic], to writer: inout CacheWriter) {
        writer.write(list.count)
        for diagnostic in list {
            writer.write(diagnostic.severity.rawValue)
            writer.write(diagnostic.location.file)
            writer.write(diagnostic.location.line)
            writer.write(diagnostic.location.column)
            writer.write(diagnostic.message)
            writer.write(diagnostic.notes)
        }
    }
}
