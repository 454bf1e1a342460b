import Foundation

/// A problem with the command itself or the machine, not the content (exit status 2).
public struct EnvironmentError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public struct BuildOptions: Sendable {
    public var content: URL
    public var templates: URL
    public var output: URL
    /// How the folders are named in messages (as the user typed them).
    public var contentDisplay: String
    public var templatesDisplay: String
    /// False for a command that exits right after the build: the analysed dossier is then
    /// left to the operating system instead of being freed object by object, which with
    /// glibc's allocator took 6 of a 50,000-note build's 80 seconds (see ProcessLifetime).
    public var freesMemory = true

    public init(content: String = "Content", templates: String = "Templates", output: String = "Site") {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        self.content = URL(fileURLWithPath: content, relativeTo: cwd).standardizedFileURL
        self.templates = URL(fileURLWithPath: templates, relativeTo: cwd).standardizedFileURL
        self.output = URL(fileURLWithPath: output, relativeTo: cwd).standardizedFileURL
        self.contentDisplay = Self.trimmed(content)
        self.templatesDisplay = Self.trimmed(templates)
    }

    /// Folders given as URLs (tests, tools), with the names diagnostics should show.
    public init(content: URL, templates: URL, output: URL, contentDisplay: String = "Content", templatesDisplay: String = "Templates") {
        self.content = content.standardizedFileURL
        self.templates = templates.standardizedFileURL
        self.output = output.standardizedFileURL
        self.contentDisplay = contentDisplay
        self.templatesDisplay = templatesDisplay
    }

    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}

public struct BuildResult: Sendable {
    public var report: DiagnosticReport
    public var pages = 0
    /// Pages rendered by this build; the others kept the previous build's file.
    public var rendered = 0
    /// Notes whose body this build parsed and resolved before rendering; the others were
    /// unchanged, and the last build's memos of them stood in (see NoteMemo).
    public var bodiesResolved = 0
    /// Notes whose front-matter this build read; the others' entries came from the cache.
    public var notesRead = 0
    /// Notes whose file this build read before rendering; the others were unchanged (by
    /// size, time and inode) since the last build, whose memos stood in for them.
    public var notesOpened = 0
    /// Whether this build resolved the front-matter references; false when the last
    /// build's resolutions held (see ReferenceTargets).
    public var frontMatterResolved = true
    public var stats = WriteStats()

    /// "120 pages (3 rendered), 2 files written, 119 unchanged" for build summaries.
    public var outputSummary: String {
        "\(pages) pages (\(rendered) rendered), \(stats.written) files written, \(stats.unchanged) unchanged"
    }
}

/// The whole pipeline, end to end.
public enum Builder {
    /// Reads and resolves everything, writes nothing.
    public static func check(_ options: BuildOptions) throws(EnvironmentError) -> BuildResult {
        try requireFolder(options.content, named: options.contentDisplay, role: "content")
        let dossier = Analysis.analyze(content: options.content, displayPath: options.contentDisplay, freesMemory: options.freesMemory)
        if !options.freesMemory { ProcessLifetime.keep(dossier) }
        return BuildResult(report: DiagnosticReport(dossier.diagnostics))
    }

    /// Builds the site; on any content error nothing is written and the previous site stays.
    public static func build(_ options: BuildOptions) throws(EnvironmentError) -> BuildResult {
        try requireFolder(options.content, named: options.contentDisplay, role: "content")
        try requireFolder(options.templates, named: options.templatesDisplay, role: "templates")
        try OutputGuard.validate(options)
        // Repair what an interrupted earlier run left beside the output, even if this
        // run then stops on content errors.
        let writer = SiteWriter(output: options.output)
        do { try writer.recover() } catch { throw EnvironmentError(error.description) }

        var timer = StageTimer()
        // The head of the last build's cache is read on another thread while the inputs
        // are stamped. (Reading the rest there too made a no-change rebuild 30 % slower,
        // for 2 % off a one-edit rebuild.)
        let output = options.output
        let stampedAt = FileStamp.now()
        // With no cache beside the output (a first build, or the cache deleted) there is
        // nothing to compare the notes with: each is stamped as it is read, from the
        // descriptor it is read through, instead of in a pass over every file first.
        let isFirstBuild = !FileManager.default.fileExists(atPath: BuildCache.url(for: output).path)
        let headRead = isFirstBuild ? nil : Concurrent { BuildCache.Head(for: output) }
        var inputs: [String: FileStamp]
        let contentListing: [FileTree.Item]
        var unstamped: [String] = []
        if isFirstBuild {
            contentListing = FileTree.files(under: options.content.path)
            inputs = BuildCache.stamps(of: [("templates", options.templates)])
        } else {
            let (stamps, listings, missing) = BuildCache.stampsAndListings(of: [("content", options.content), ("templates", options.templates)])
            (inputs, contentListing, unstamped) = (stamps, listings[0], missing)
        }
        timer.lap("input stamps")
        let head = headRead?.value
        if !options.freesMemory { ProcessLifetime.keep(headRead as Any) }
        // The inputs not as the last build saw them, and the files listed but not stamped:
        // none when nothing changed, the edited notes after an edit. One look-up per stamp,
        // here, rather than the tables compared and then two look-ups per note.
        let unseen = head.map { head in
            Set(unstamped + inputs.compactMap { key, stamp in head.cache.saw(stamp, as: key) ? nil : key })
        }
        // Nothing read has changed and the output is as the last build left it: done.
        if let last = head?.cache, unseen?.isEmpty == true, last.inputs.count == inputs.count,
           last.siteIsAsLeft(at: options.output) {
            var result = BuildResult(report: DiagnosticReport(last.diagnostics), pages: last.pageCount)
            result.stats.unchanged = last.outputs.count
            return result
        }
        let previous = head?.complete()
        if !options.freesMemory { ProcessLifetime.keep(previous as Any) }
        // The cache stays until a successful build replaces it: a failed build leaves
        // the site it describes untouched.

        let liveCheck = previous.map { previous in
            Concurrent { SiteWriter.LiveSiteCheck(writer, pages: previous.outputs, spare: previous.spare) }
        }
        timer.lap("load build cache")
        // Templates do not depend on the content, nor the editorial warnings on anything
        // after the analysis: each is made beside other serial work.
        let (templatesFolder, templatesDisplay) = (options.templates, options.templatesDisplay)
        let templateLoad = Concurrent { TemplateSet.load(from: templatesFolder, displayPath: templatesDisplay) }
        // Whether a note is as the last build saw it; a first build asks nothing per note.
        let isUnchanged: @Sendable (String) -> Bool
        if previous == nil {
            isUnchanged = { _ in false }
        } else {
            let label = "content/"
            let unseenNotes = Set((unseen ?? []).compactMap { key in key.hasPrefix(label) ? String(key.dropFirst(label.count)) : nil })
            isUnchanged = { path in !unseenNotes.contains(path) }
        }
        let dossier = Analysis.analyze(content: options.content, displayPath: options.contentDisplay,
                                       listing: ContentListing(files: contentListing), memos: previous?.memos,
                                       freesMemory: options.freesMemory, editorialWarnings: false, isUnchanged: isUnchanged)
        if !options.freesMemory { ProcessLifetime.keep(dossier) }
        // A first build's content stamps: the notes' and the config's as they were read,
        // the other files' (assets) taken now. Made beside the pages; the cache needs them.
        let firstInputs = isFirstBuild ? Concurrent { [content = options.content.path, dossier, inputs] in
            var stamps = inputs
            BuildCache.addStamps(label: "content", under: content, listing: contentListing, known: dossier.readStamps, to: &stamps)
            return stamps
        } : nil
        timer.lap("read, parse and resolve")
        let lastWarnings = previous?.editorialWarnings
        let warnings = Concurrent { Analysis.editorialWarnings(dossier, last: lastWarnings) }
        let (templates, templateDiagnostics) = templateLoad.value
        var diagnostics = dossier.diagnostics + templateDiagnostics
        let assets = assetFiles(options, dossier: dossier, diagnostics: &diagnostics)
        // Warnings never stop a build: the errors decide now, the warnings join the report
        // once the pages are made.
        var result = BuildResult(report: DiagnosticReport(diagnostics))
        result.bodiesResolved = dossier.bodiesResolved
        result.notesRead = dossier.notesRead
        result.notesOpened = dossier.notesOpened
        result.frontMatterResolved = dossier.frontMatterResolved
        guard let templates, !result.report.hasErrors else {
            result.report = DiagnosticReport(diagnostics + warnings.value)
            return result
        }
        // With no cache to go by (a first build, or the cache deleted or out of date),
        // every memo goes into a new memo base. Written now, it is made while the pages
        // are, in the time a core would otherwise wait, instead of after them; the cache
        // saved at the end names it. Should the build fail, the cache left beside the site
        // (if any) does not name this base, and the next build starts afresh all the same.
        let freshMemoBase = previous == nil
            ? Concurrent { [memos = dossier.memos.byPath] in
                MemoBase.write(memos, at: BuildCache.memoBaseURL(for: output).path, onBothCores: false)
            }
            : nil

        // First, on both cores, every page whose inputs are all as the last build saw
        // them keeps its file without its context being built (one body edited: nearly
        // every page). The rest are rendered and written in one pass over both cores, so no
        // page is held in memory longer than it takes to write it.
        let planner = PageBuilder(dossier, templates: templates, sharingParts: false)
        let plan = planner.pagePlan
        let planPaths = plan.map(\.path)
        timer.lap("templates, assets and page plan")
        // With the templates and the shared inputs as the last build had them, a page
        // has that build's inputs unless it is the page of an entry a changed body
        // touches (see `touchedByBodies`): one body edited, one or a few pages.
        let keyStart = planner.inputKeyStart(templates: templates.fingerprint)
        let inputsStart = keyStart.finalize()
        let touched = previous?.pageInputsStart == inputsStart ? dossier.touchedByBodies : nil
        // Every page's inputs are made anew: the back-links of every entry are asked for.
        if touched == nil { dossier.backLinks.coverEveryEntry() }
        // Each planned page's place in the last build's records, if it made the page.
        let last = previous?.pages.matching(planPaths)
        let pages: [PageOutcome]
        let staged: SiteWriter.StagedSite
        do {
            let live = liveCheck?.value
            staged = try writer.stage(folders: planPaths + assets.map(\.path), spare: live?.spare,
                                      placedLast: previous.map { Set($0.placed) }, spareIsIntact: live?.spareIsIntact)
            timer.lap("prepare the staging folder")
            let phases = PhaseClock(["input keys", "page contexts", "page digests", "reuse checks and links", "templates", "writing"])
            // The last build's output stamps: the pages' closures look pages up in this
            // table, never bind the whole cache (a copy of every one of its tables).
            let lastStamps = previous?.outputs
            let checked = Array(plan.indices).parallelMap { index -> (inputs: ContentDigest, kept: PageOutcome?) in
                let (path, kind) = plan[index]
                let inputs = phases.measure(0) { () -> ContentDigest in
                    if let touched, let lastInputs = last?.inputs(index), !(kind.entryID.map(touched.contains) ?? false) {
                        return lastInputs
                    }
                    return planner.inputKey(path, kind, start: keyStart)
                }
                guard let lastStamps else { return (inputs, nil) }
                return phases.measure(3) {
                    guard last?.inputs(index) == inputs, let stamp = lastStamps["site/" + path],
                          staged.reuse(path, ifUnchangedSince: stamp, liveChecked: live?.isUnchanged(path) ?? false)
                    else { return (inputs, nil) }
                    return (inputs, PageOutcome(outcome: WriteOutcome(), inputs: inputs, digest: last?.digest(index), rendered: false,
                                                stamp: stamp))
                }
            }
            let toRender = checked.indices.filter { checked[$0].kept == nil }
            // Every entry's card and shared fragments cost more to make than they save
            // when only a few pages are rendered (see PageBuilder.init).
            let builder = PageBuilder(dossier, templates: templates, sharingParts: toRender.count > plan.count / 50)
            if !options.freesMemory { ProcessLifetime.keep(builder) }
            // One output buffer per chunk of pages, kept from page to page: a new one per
            // page (and a copy for the file) took 90 MB more at 10,000 pages.
            let rendered = toRender.parallelMap(state: { [UInt8]() }) { html, index -> PageOutcome in
                let (path, kind) = plan[index]
                let inputs = checked[index].inputs
                guard let page = phases.measure(1, { builder.page(path, kind) }) else {
                    return PageOutcome(outcome: WriteOutcome(failure: changedDuringBuild(kind)),
                                       inputs: inputs, digest: nil, rendered: false, stamp: nil)
                }
                // Otherwise the context decides: a rename changes the inputs of every
                // page, but the context only of the pages that show the name. A build
                // with no previous one has nothing to compare with, and a build from
                // scratch (as in CI) would pay about 8 % more for digests nobody reads:
                // the first rebuild that needs one renders the page and compares bytes.
                // The same holds for a page whose live file is gone or was changed since
                // the last build (the whole site, when Site/ was deleted and the cache kept).
                let digest = previous == nil || live?.isUnchanged(path) == false ? nil : phases.measure(2) {
                    PageDigest.of(page.context, template: page.template, templates: templates.fingerprint)
                }
                if let lastStamps, let digest, case let lastStamp = lastStamps["site/" + path],
                   phases.measure(3, { last?.digest(index) == digest
                       && staged.reuse(path, ifUnchangedSince: lastStamp, liveChecked: live?.isUnchanged(path) ?? false) }) {
                    return PageOutcome(outcome: WriteOutcome(), inputs: inputs, digest: digest, rendered: false, stamp: lastStamp)
                }
                html.removeAll(keepingCapacity: true)
                phases.measure(4) { templates.render(page.context, template: page.template, into: &html) }
                let outcome = phases.measure(5) {
                    // The file is written before `place` returns: the buffer may be lent.
                    html.withUnsafeMutableBytes { bytes in
                        let lent = bytes.baseAddress.map { Data(bytesNoCopy: $0, count: bytes.count, deallocator: .none) } ?? Data()
                        return staged.place(OutputFile(path: page.path, content: .bytes(lent)))
                    }
                }
                return PageOutcome(outcome: outcome, inputs: inputs, digest: digest, rendered: true, stamp: outcome.stamp ?? staged.stamp(path))
            }
            var outcomes = checked.map(\.kept)
            for (index, outcome) in zip(toRender, rendered) { outcomes[index] = outcome }
            pages = outcomes.map { $0! }
            if !options.freesMemory { ProcessLifetime.keep((checked, rendered, outcomes)) }
            timer.lap("render and write pages")
            timer.detail(phases)
            let copied = assets.parallelMap { staged.place($0) }
            result.stats = try staged.commit(pages.map(\.outcome) + copied)
            result.pages = pages.count
            result.rendered = pages.count { $0.rendered }
        } catch {
            throw EnvironmentError(error.description)
        }
        timer.lap("assets and swap")
        // The new site's folders are stamped on both cores while this thread makes the
        // cache's tables (a third of saving the cache, each after the other).
        let siteListing = Concurrent { [staged] in staged.listing() }
        result.report = DiagnosticReport(diagnostics + warnings.value)
        // The site holds exactly the planned pages and the assets: their stamps are known
        // (a reused page is the previous build's file), so no walk over the new site. With
        // the last build's plan and assets, that is its table with the stamps of the pages
        // this build rendered and of the assets put in.
        var outputs: [String: FileStamp]? = [:]
        if let lastStamps = previous?.outputs, lastStamps.count == plan.count + assets.count, last?.isPlanOrder == true,
           assets.allSatisfy({ lastStamps["site/" + $0.path] != nil }) {
            outputs = lastStamps
            for (path, page) in zip(planPaths, pages) where page.rendered { outputs?["site/" + path] = page.stamp }
        } else {
            outputs?.reserveCapacity(plan.count + assets.count)
            for (path, page) in zip(planPaths, pages) { outputs?["site/" + path] = page.stamp }
        }
        for asset in assets { outputs?["site/" + asset.path] = FileStamp(path: options.output.path + "/" + asset.path) }
        if outputs?.count != plan.count + assets.count { outputs = nil }
        if let firstInputs { inputs = firstInputs.value }
        var cache = BuildCache(stampedAt: stampedAt, inputs: inputs, outputs: outputs ?? BuildCache.stamps(of: [("site", options.output)]),
                               pageCount: result.pages, diagnostics: result.report.diagnostics)
        cache.pages = PageRecords(paths: planPaths, inputs: pages.map(\.inputs), digests: pages.map { $0.digest ?? .none })
        cache.pageInputsStart = inputsStart
        cache.memos = dossier.memos
        cache.editorialWarnings = warnings.value
        cache.memoBase = previous?.memoBase ?? freshMemoBase?.value
        cache.memosAreTheBase = previous == nil && cache.memoBase != nil
        // The site just replaced is the next build's staging folder; this one, the next but one's.
        (cache.site, cache.spare) = (siteListing.value.map(CachedListing.made), previous?.site)
        cache.placed = staged.placed.sorted()
        cache.save(for: options.output)
        if !options.freesMemory { ProcessLifetime.keep((cache, staged, planner, pages)) }
        timer.lap("save build cache")
        return result
    }

    private struct PageOutcome: Sendable {
        var outcome: WriteOutcome
        /// Digests of what the page was made from (see BuildCache); no context digest
        /// when the page was rendered without a previous build to compare with.
        var inputs: ContentDigest
        var digest: ContentDigest?
        var rendered: Bool
        /// The file's size and time once in place; nil if unknown.
        var stamp: FileStamp?
    }

    /// Why a page could not be made: its note, read again to render the page, changed
    /// while the site was being built. The build stops and the previous site stays.
    private static func changedDuringBuild(_ kind: PageBuilder.PageKind) -> WriteError {
        guard case .entry(let entry) = kind else {
            return WriteError(description: "a page could not be made; build again")
        }
        return WriteError(description: "\(entry.file):1:1: the note changed while the site was being built; nothing was replaced, build again")
    }

    /// `Templates/assets/**` then `Content/assets/**`, both under `assets/`; one path
    /// claimed twice is an error rather than a silent overwrite.
    private static func assetFiles(_ options: BuildOptions, dossier: AnalyzedDossier, diagnostics: inout [Diagnostic]) -> [OutputFile] {
        var files: [String: (OutputFile, String)] = [:]
        let templateAssets = ContentLoader(root: options.templates.appendingPathComponent("assets"), displayRoot: options.templatesDisplay + "/assets")
        var candidates: [(String, URL, String)] = []
        if FileManager.default.fileExists(atPath: templateAssets.root.path) {
            candidates += templateAssets.assetList().map { ("assets/" + $0, templateAssets.root.appendingPathComponent($0), options.templatesDisplay + "/assets/" + $0) }
        }
        candidates += dossier.assets.map { ($0.outputPath, $0.source, options.contentDisplay + "/" + $0.outputPath) }
        for (path, url, display) in candidates {
            if let (_, first) = files[path] {
                diagnostics.append(.error(SourceLocation(file: display, line: 1, column: 1),
                                          "two files write the same output path '\(path)'",
                                          notes: ["also written by \(first)", "rename one of them"]))
                continue
            }
            files[path] = (OutputFile(path: path, content: .copy(url)), display)
        }
        return files.keys.sorted().map { files[$0]!.0 }
    }

    private static func requireFolder(_ url: URL, named name: String, role: String) throws(EnvironmentError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EnvironmentError("\(role) folder '\(name)' does not exist (run from the dossier's root, or pass --\(role) PATH)")
        }
    }
}

/// With `DOSSIER_TIMINGS=1`, prints how long each stage took to stderr (for profiling;
/// never part of normal output, so builds stay quiet and deterministic).
struct StageTimer {
    static let enabled = ProcessInfo.processInfo.environment["DOSSIER_TIMINGS"] == "1"
    private var last = ContinuousClock.now
    private var lastCPU = Self.cpuTime

    /// User and system time of the whole process so far: beside a stage's wall time,
    /// it shows how much of the two cores the stage kept busy.
    private static var cpuTime: Duration {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func duration(_ time: timeval) -> Duration { .seconds(time.tv_sec) + .microseconds(time.tv_usec) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }

    /// The parts of a parallel stage, as time summed over the threads that ran them.
    func detail(_ phases: PhaseClock) {
        guard Self.enabled else { return }
        for (name, total) in zip(phases.names, phases.totals) {
            let milliseconds = Double(total / .microseconds(1)) / 1000
            FileHandle.standardError.write(Data("timing:   \(name), summed over threads: \(String(format: "%.1f", milliseconds)) ms\n".utf8))
        }
    }

    mutating func lap(_ stage: String) {
        guard Self.enabled else { return }
        let now = ContinuousClock.now
        let milliseconds = Double((now - last) / .microseconds(1)) / 1000
        let cpu = Self.cpuTime
        let cpuMilliseconds = Double((cpu - lastCPU) / .microseconds(1)) / 1000
        FileHandle.standardError.write(Data("timing: \(stage): \(String(format: "%.1f", milliseconds)) ms, CPU \(String(format: "%.0f", cpuMilliseconds)) ms\(Self.memory)\n".utf8))
        (last, lastCPU) = (now, cpu)
    }

    /// Resident and peak resident memory so far, from /proc (Linux only).
    private static var memory: String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
        let fields = status.split(separator: "\n").filter { $0.hasPrefix("VmRSS:") || $0.hasPrefix("VmHWM:") }
        return fields.isEmpty ? "" : " (" + fields.map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }.joined(separator: ", ") + ")"
    }
}

/// Time spent in each part of a parallel loop (numbered in the order of `names`), added
/// up over threads; a no-op unless `DOSSIER_TIMINGS=1`.
final class PhaseClock: @unchecked Sendable {
    // @unchecked: `sums` is only touched under `lock`.
    let names: [String]
    private let lock = NSLock()
    private var sums: [Duration]

    init(_ names: [String]) {
        self.names = names
        sums = Array(repeating: .zero, count: names.count)
    }

    func measure<T>(_ phase: Int, _ body: () -> T) -> T {
        guard StageTimer.enabled else { return body() }
        let start = ContinuousClock.now
        let result = body()
        let elapsed = ContinuousClock.now - start
        lock.withLock { sums[phase] += elapsed }
        return result
    }

    var totals: [Duration] { lock.withLock { sums } }
}

/// Values a command-line run never frees. A dossier's analysis is millions of small
/// objects (entries, Markdown trees, contexts); freeing them one by one at the end of a
/// run is slow with glibc (its free lists grow and are merged chunk by chunk), and the
/// process is about to exit anyway, which returns all its memory at once.
enum ProcessLifetime {
    private final class Kept: @unchecked Sendable {
        let value: Any
        init(_ value: Any) { self.value = value }
    }

    static func keep(_ value: Any) {
        _ = Unmanaged.passRetained(Kept(value))
    }
}

/// Refuses output folders whose replacement would destroy work.
public enum OutputGuard {
    public static func validate(_ options: BuildOptions) throws(EnvironmentError) {
        let output = canonical(options.output)
        let home = canonical(FileManager.default.homeDirectoryForCurrentUser)
        let cwd = canonical(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let protected: [(String, String)] = [
            (canonical(options.content), "the content folder"),
            (canonical(options.templates), "the templates folder"),
        ]
        if output == "/" { throw EnvironmentError("refusing to use / as the output folder") }
        if output == home { throw EnvironmentError("refusing to use the home directory as the output folder") }
        if output == cwd || cwd.hasPrefix(output + "/") {
            throw EnvironmentError("refusing to use the current directory (or one of its parents) as the output folder; it is replaced on every build")
        }
        if home.hasPrefix(output + "/") { throw EnvironmentError("refusing to use a parent of the home directory as the output folder") }
        for (path, name) in protected {
            if output == path || path.hasPrefix(output + "/") {
                throw EnvironmentError("refusing to write the site over \(name) (\(path)); choose another --output")
            }
            if output.hasPrefix(path + "/") {
                throw EnvironmentError("refusing to write the site inside \(name) (\(path)); choose another --output")
            }
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw EnvironmentError("output '\(output)' exists and is not a folder")
        }
        // The output's parent may not exist yet; the nearest existing folder must be writable.
        var parent = (output as NSString).deletingLastPathComponent
        while !FileManager.default.fileExists(atPath: parent), parent != "/" {
            parent = (parent as NSString).deletingLastPathComponent
        }
        if !FileManager.default.isWritableFile(atPath: parent) {
            throw EnvironmentError("cannot write beside the output folder: '\(parent)' is not writable")
        }
    }

    /// Absolute path with symbolic links resolved, also for a folder not yet created.
    static func canonical(_ url: URL) -> String {
        let standardized = url.standardizedFileURL
        var existing = standardized
        var missing: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            missing.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        var path = existing.resolvingSymlinksInPath().path
        for component in missing { path = (path as NSString).appendingPathComponent(component) }
        return path
    }
}
