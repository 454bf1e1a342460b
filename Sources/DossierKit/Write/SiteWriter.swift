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
    /// The new file's stamp, taken as it was written.
    var stamp: FileStamp?
}

public struct WriteError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Last stage: writes the site into a staging folder beside the output, then swaps it
/// in with two renames. Until the swap the previous site is untouched; files whose bytes
/// did not change are hard-linked from it, so they keep their modification time.
///
/// The site replaced by a swap is kept as `.Site.spare` and becomes the next build's
/// staging folder: most of its files already are hard links to the live site's, and its
/// thousands of page folders already exist. A rebuild then only touches what changed,
/// instead of creating and later deleting one folder per page (which costs more than
/// rendering on some file systems). Anything in the spare is checked, never trusted.
public struct SiteWriter: Sendable {
    public let output: URL
    private var fileManager: FileManager { .default }

    public init(output: URL) {
        let output = output.standardizedFileURL
        let sibling = { (suffix: String) in
            output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).\(suffix)", isDirectory: true)
        }
        (self.output, staging, retired, spare) = (output, sibling("staging"), sibling("old"), sibling("spare"))
        (outputPath, stagingPath) = (output.path, staging.path)
    }

    // Made once: a URL's path built for every page (URLs look at the disk) cost 3 % of a rebuild.
    let staging: URL
    let retired: URL
    let spare: URL
    let outputPath: String
    let stagingPath: String

    /// Whether anything is at `url`, a dangling symbolic link included.
    private func exists(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0
    }

    /// Puts back a site left half-swapped by an interrupted run; what that run left in
    /// its staging or retired folder becomes the spare (it is reconciled before use).
    public func recover() throws(WriteError) {
        do {
            if !exists(output), exists(retired) { try fileManager.moveItem(at: retired, to: output) }
            for leftover in [retired, staging] where exists(leftover) {
                if exists(spare) { try fileManager.removeItem(at: leftover) } else { try fileManager.moveItem(at: leftover, to: spare) }
            }
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

    /// Opens the staging folder (the spare, or a new folder) with no file or folder
    /// the given file paths do not need, so files can then be placed from both cores as
    /// they are rendered. The spare's folders are made here; a new folder's as files are
    /// placed in them. `spare` is the spare as the build that
    /// left it listed it: its folders that are still as stamped then are not read.
    /// `placedLast` are the files the last build put into its staging folder that were
    /// not the then live site's (see `StagedSite.placedLast`).
    ///
    /// `spareIsIntact`: what `LiveSiteCheck` found of the spare before it was moved (the
    /// move leaves its folders' stamps as they are); nil to look at it here.
    func stage(folders paths: [String], spare listing: FolderListing? = nil, placedLast: Set<String>? = nil,
               spareIsIntact: Bool? = nil) throws(WriteError) -> StagedSite {
        try recover()
        if let unsafe = paths.first(where: { !Self.isSafe($0) }) {
            throw WriteError(description: "refusing to write outside the output folder: \(unsafe)")
        }
        var stagingIsNew = false
        do {
            try fileManager.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Only a real folder can be reused: when the output was a symbolic link, the
            // swap retired the link, and writing through it would write outside the site.
            if exists(spare), !Self.isRealFolder(spare.path) { try fileManager.removeItem(at: spare) }
            if exists(spare) {
                try fileManager.moveItem(at: spare, to: staging)
            } else {
                try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
                stagingIsNew = true
            }
        } catch {
            throw WriteError(description: "cannot create \(staging.path): \(error.localizedDescription)")
        }
        // The usual rebuild: the spare holds exactly the files this site needs (so the
        // folders too), and nothing was added to any of its folders since.
        if let listing, listing.files == paths, !stagingIsNew, spareIsIntact ?? listing.isIntact(at: OpenFolder(stagingPath)) {
            return StagedSite(writer: self, live: OpenFolder(outputPath), staging: OpenFolder(stagingPath), folders: Array(listing.folders.keys), files: paths, checked: listing.folders,
                              placedLast: placedLast)
        }
        var folders = Set<String>(minimumCapacity: paths.count)
        for path in paths {
            var folder = Self.parent(path)
            while !folder.isEmpty, folders.insert(folder).inserted { folder = Self.parent(folder) }
        }
        // A new folder holds nothing to remove; its folders are made as files are placed
        // in them, on both cores while pages render, instead of all before the first page.
        if stagingIsNew {
            return StagedSite(writer: self, live: OpenFolder(outputPath), staging: OpenFolder(stagingPath), folders: [""] + Array(folders),
                              files: paths, startedEmpty: true, hasPrevious: exists(output))
        }
        do {
            try reconcileStaging(files: Set(paths), folders: folders, spare: listing)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
        return StagedSite(writer: self, live: OpenFolder(outputPath), staging: OpenFolder(stagingPath), folders: [""] + Array(folders), files: paths)
    }

    /// Removes from the staging folder every file and folder the new site does not have
    /// and creates the folders it lacks. One folder at a time: two threads doing nothing
    /// but create folders in one parent contend on its lock and take longer (measured).
    /// A new staging folder's folders are made while pages render instead (`place`).
    private func reconcileStaging(files: Set<String>, folders: Set<String>, spare: FolderListing?) throws(WriteError) {
        let existing = if let spare {
            FileTree.everything(under: stagingPath, known: spare.knownEntries(under: OpenFolder(stagingPath)))
        } else {
            FileTree.everything(under: stagingPath)
        }
        for path in existing.others where !files.contains(path) {
            unlink(stagingPath + "/" + path)
        }
        // Deepest first, so a folder is empty of unwanted things before it is judged.
        for folder in existing.folders.sorted(by: >) where !folders.contains(folder) {
            try? fileManager.removeItem(atPath: stagingPath + "/" + folder)
        }
        let present = Set(existing.folders)
        for folder in folders.sorted() where !present.contains(folder) {
            if mkdir(stagingPath + "/" + folder, 0o755) != 0 && errno != EEXIST {
                throw WriteError(description: "cannot create \(folder): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// What the page stage asks of the disk about the last build's site, asked at once on
    /// one thread beside the analysis (which leaves part of the two cores idle) instead of
    /// one page at a time after it: which live pages are still exactly as that build left
    /// them (size, time, inode), and whether the spare's folders are.
    struct LiveSiteCheck: Sendable {
        /// The pages the last build left whose live file is no longer as it left it
        /// (changed by hand, replaced or gone): nearly always none, so asking costs
        /// nothing and no set of every page is made.
        private let changedPages: Set<String>
        /// The spare's listing (decoded here, off the main thread) and whether the spare
        /// is as it lists.
        let spare: FolderListing?
        let spareIsIntact: Bool?

        init(_ writer: SiteWriter, pages stamps: [String: FileStamp], spare cached: CachedListing?) {
            let live = OpenFolder(writer.outputPath)
            var changed = Set<String>()
            for (key, stamp) in stamps where key.hasPrefix("site/") && live.stamp(key, after: "site/") != stamp {
                changed.insert(String(key.utf8.dropFirst(5))!)
            }
            changedPages = changed
            let spare = cached?.listing
            self.spare = spare
            spareIsIntact = spare.map { $0.isIntact(at: OpenFolder(writer.spare.path), onBothCores: false) }
        }

        /// Whether the live file of a page the last build left (with a stamp in its
        /// cache) is as it left it.
        func isUnchanged(_ path: String) -> Bool { changedPages.isEmpty || !changedPages.contains(path) }
    }

    /// The staging folder of one build. `place` and `reuse` may run concurrently, each
    /// path once; `commit` swaps the result in, `discard` keeps it as the spare.
    public struct StagedSite: Sendable {
        let writer: SiteWriter
        /// The live site and the staging folder, opened (see OpenFolder).
        let live: OpenFolder
        let staging: OpenFolder
        /// The site's folders ("" for its root) and files, for the listing of the site.
        let folders: [String]
        let files: [String]
        /// The folders' stamps as checked by `stage`, when it found the spare intact:
        /// only folders this build then changes need stamping again.
        var checked: [String: FileStamp]? = nil
        /// With an intact spare, the files the last build put into its staging folder
        /// that were not the then live site's (written, or linked where another file was).
        /// The spare is that live site, unchanged since: every other file in it is the
        /// very file that build kept, a hard link to the live site's (see `reuse`).
        var placedLast: Set<String>? = nil
        /// A new staging folder: nothing in it to replace, and its folders still to make.
        var startedEmpty = false
        /// Whether there is a live site whose files may be reused.
        var hasPrevious = true
        let changed = StagingChanges()

        /// Puts one file into the staging folder: a hard link to the previous site's
        /// copy when the bytes are the same, else the new bytes.
        public func place(_ file: OutputFile) -> WriteOutcome {
            let data: Data
            switch file.content {
            case .bytes(let bytes): data = bytes
            case .copy(let url):
                guard let bytes = FileManager.default.contents(atPath: url.path) else {
                    return WriteOutcome(failure: WriteError(description: "cannot read \(url.path)"))
                }
                data = bytes
            }
            if hasPrevious, let old = FileManager.default.contents(atPath: writer.outputPath + "/" + file.path),
               old == data, reuse(file.path) {
                return WriteOutcome()
            }
            // With no live site there is no spare for the next build to check against.
            changed.insert(file.path, placed: hasPrevious, expected: startedEmpty ? files.count : 0)
            // Never write into what is there: it may be a hard link to a live file. In a
            // new folder, the file's folder is made first (most pages have one of their own).
            if startedEmpty { _ = makeFolders(of: file.path) } else { staging.remove(file.path) }
            guard let stamp = SiteWriter.write(data, to: staging.create(file.path)) else {
                return WriteOutcome(failure: WriteError(description: "cannot write \(writer.stagingPath + "/" + file.path): \(String(cString: strerror(errno)))"))
            }
            return WriteOutcome(written: true, stamp: stamp)
        }

        /// Makes the folders above `path` in a new staging folder (another thread may be
        /// making the same ones).
        private func makeFolders(of path: String) -> Bool {
            let folder = SiteWriter.parent(path)
            guard !folder.isEmpty else { return false }
            if staging.makeFolder(folder) || errno == EEXIST { return true }
            return errno == ENOENT && makeFolders(of: folder) && (staging.makeFolder(folder) || errno == EEXIST)
        }

        /// Makes the staged file the previous site's file (a hard link; nothing to do
        /// when it already is one), provided that file is still exactly as the last build
        /// left it (`stamp`: its size and time then; `liveChecked`: `LiveSiteCheck` found it
        /// so). False when that is not possible: then `place` it.
        func reuse(_ path: String, ifUnchangedSince stamp: FileStamp?, liveChecked: Bool = false) -> Bool {
            guard let stamp else { return false }
            // The live file is the one the last build left (its inode included), and the
            // staged file is that same file unless the last build placed it: one `lstat`
            // per kept page instead of two, 10,000 fewer at 10,000 pages.
            let stagedIsLive = placedLast.map { $0.isEmpty || !$0.contains(path) } ?? false
            // `LiveSiteCheck` already found the live file as the last build left it.
            if liveChecked, stagedIsLive { return true }
            return reuse(path, stagedIsLive: stagedIsLive) { FileStamp($0) == stamp }
        }

        /// Makes the staged file the previous site's file, whatever its time (the live
        /// file may be another than the last build's, so the staged one is always looked at).
        public func reuse(_ path: String) -> Bool { reuse(path) { _ in true } }

        private func reuse(_ path: String, stagedIsLive: Bool = false, if isWanted: (stat) -> Bool) -> Bool {
            guard let live = live.status(path, followingLinks: false), (live.st_mode & S_IFMT) == S_IFREG, isWanted(live) else { return false }
            if stagedIsLive { return true }
            // A new staging folder holds only what this build put there, and each path is
            // placed once: its folder is made, then the link (three calls, not five). The
            // link is the live file, so nothing is noted for the next build (see `placed`),
            // and a new folder's listing stamps every folder anyway.
            if startedEmpty {
                _ = makeFolders(of: path)
                return staging.link(path, to: path, in: self.live)
            }
            if let staged = staging.status(path, followingLinks: false), staged.st_dev == live.st_dev, staged.st_ino == live.st_ino { return true }
            changed.insert(path, placed: true, expected: 0)
            staging.remove(path)
            return staging.link(path, to: path, in: self.live)
        }

        /// The files this build put into the staging folder that are not the live site's
        /// (for the next build's `placedLast`).
        var placed: Set<String> { changed.files }

        /// Size and time of a staged file; the same once the site is swapped in (a rename).
        func stamp(_ path: String) -> FileStamp? {
            staging.stamp(path)
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

        /// The live site's folders, stamped (after `commit`): the next build but one uses
        /// this folder tree as its staging folder, and reads only what changed in it.
        func listing() -> FolderListing? {
            guard var kept = checked else { return FolderListing.stamping(writer.outputPath, folders: folders, files: files) }
            let changed = changed.folders
            for folder in changed { kept[folder] = nil }
            return FolderListing.stamping(writer.outputPath, folders: Array(changed), files: files, keeping: kept)
        }

        /// Leaves the live site as it is; the staging folder becomes the spare.
        public func discard() { try? writer.recover() }
    }

    /// The files a build put into its staging folder that are not the live site's
    /// (written, or linked where another file was), and the folders it changed anything in.
    final class StagingChanges: @unchecked Sendable {
        // @unchecked: `changedFolders` and `placedFiles` are only touched under `lock`.
        private let lock = NSLock()
        private var changedFolders = Set<String>()
        private var placedFiles = Set<String>()

        /// Notes the folder of the file at `path` as changed and, if `placed`, the file
        /// as another than the live site's; `expected`: how many files a build into a new
        /// folder writes, or 0 (the sets are sized for them on first use rather than
        /// grown, each growth hashing every path again).
        func insert(_ path: String, placed: Bool, expected: Int) {
            let folder = SiteWriter.parent(path)
            lock.withLock {
                if changedFolders.isEmpty, expected > 0 { changedFolders.reserveCapacity(expected) }
                changedFolders.insert(folder)
                if placed {
                    if placedFiles.isEmpty, expected > 0 { placedFiles.reserveCapacity(expected) }
                    placedFiles.insert(path)
                }
            }
        }

        var folders: Set<String> { lock.withLock { changedFolders } }
        var files: Set<String> { lock.withLock { placedFiles } }
    }

    /// Writes the bytes to a new file (`OpenFolder.create`, so nothing is overwritten)
    /// and closes it; the file's stamp once written (saves a `stat` of its path per
    /// page), or nil if it could not be written.
    static func write(_ data: Data, to descriptor: Int32) -> FileStamp? {
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let complete = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue } else { return false } }
                offset += written
            }
            return true
        }
        var info = stat()
        guard complete, fstat(descriptor, &info) == 0 else { return nil }
        return FileStamp(info)
    }

    /// Two renames put the new site in place; the old one becomes the spare.
    fileprivate func swapIn() throws {
        if exists(output) {
            try fileManager.moveItem(at: output, to: retired)
            try fileManager.moveItem(at: staging, to: output)
            // The new site is in; keeping the old one as the spare only saves time later.
            if (try? fileManager.moveItem(at: retired, to: spare)) == nil { try? fileManager.removeItem(at: retired) }
        } else {
            try fileManager.moveItem(at: staging, to: output)
        }
    }

    private static func isRealFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// "a/b/c.html" → "a/b"; "c.html" → "" (paths here are safe and relative).
    static func parent(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path[...].splitting(at: UInt8(ascii: "/")).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
