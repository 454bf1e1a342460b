import Foundation

/// Everything known about the dossier once every file is read, parsed and resolved:
/// what the page renderer needs, and every diagnostic found on the way.
public struct AnalyzedDossier: Sendable {
    public var config: DossierConfig
    public var index: DossierIndex
    public var backLinks: BackLinks
    /// Every event id in timeline order.
    public var timeline: [String]
    public var assets: [AssetFile]
    public var diagnostics: [Diagnostic]

    /// What each entry's front-matter references resolved to.
    public var targets: ReferenceTargets

    /// What every body's resolution found, for the next build to reuse.
    public var memos: NoteMemos
    /// Bodies resolved by this run, by `Entry.ordinal`; the others were unchanged since the
    /// last build, whose memos stood in for them, and are resolved again only if their
    /// page is rendered.
    var resolvedPages: [ResolvedPage?]
    /// How many bodies this run resolved.
    var bodiesResolved = 0
    let lateResolution: LateResolution
    /// While the shared inputs are the last build's (see NoteMemo), the entries whose page
    /// inputs may differ from that build's: the notes whose body was resolved anew, and
    /// every entry their body linked to or cited then or does now. No other page's
    /// inputs can have changed. Nil when the shared inputs changed or there was no last build.
    var touchedByBodies: Set<String>?
    /// Notes whose front-matter was read from the file, not taken from a memo.
    var notesRead = 0
    /// Notes whose file was read at all (the others' stamps were unchanged).
    var notesOpened = 0
    /// False when every front-matter reference was taken from the last build's memos.
    var frontMatterResolved = true
    /// The stamp of every file the analysis read (the config and notes), by path in the
    /// content folder, as it was just before it was read.
    var readStamps: [(path: String, stamp: FileStamp)] = []

    /// An entry's resolved body and citation notes; nil only when a note resolved late
    /// is no longer as the analysis saw it (it changed during the build).
    public func resolvedPage(_ id: String) -> ResolvedPage? {
        index[id].flatMap(resolvedPage(of:))
    }

    func resolvedPage(of entry: Entry) -> ResolvedPage? {
        if resolvedPages.indices.contains(entry.ordinal), let page = resolvedPages[entry.ordinal] { return page }
        return lateResolution.page(of: entry)
    }
}

/// An entry's resolved body with what its page shows around it. A class, never changed
/// once made: it is handed from table to table and page to page, and a copy of the
/// struct it was retained each of its fields.
public final class ResolvedPage: Sendable {
    /// The body's HTML (UTF-8).
    public let bodyHTML: [UInt8]
    public let citations: CitationRegistry
    /// Citation markers for the entry's front-matter sources, relations and affiliations.
    public let sourcesMarker: String?
    public let relationMarkers: [String]
    public let affiliationMarkers: [String]

    init(bodyHTML: [UInt8], citations: CitationRegistry, sourcesMarker: String?, relationMarkers: [String], affiliationMarkers: [String]) {
        (self.bodyHTML, self.citations, self.sourcesMarker) = (bodyHTML, citations, sourcesMarker)
        (self.relationMarkers, self.affiliationMarkers) = (relationMarkers, affiliationMarkers)
    }
}

/// Runs the reading stages: load → front-matter → cmark → index → resolve.
public enum Analysis {
    /// `memos` are the previous build's (see NoteMemo): a note whose bytes are unchanged
    /// is not read by Yams again, and while the shared inputs are unchanged too, neither
    /// parsed by cmark nor resolved. A note for which `isUnchanged` holds (given its
    /// root-relative path: the stamp that build saw, see `BuildCache.saw`) is not even read.
    /// With `freesMemory` false (a command that exits after the build), what the stages
    /// made on the way is left to the operating system (see ProcessLifetime). Without
    /// `editorialWarnings`, the caller adds them (`Analysis.editorialWarnings`), say while
    /// it does other work.
    public static func analyze(content: URL, displayPath: String, listing: ContentListing? = nil, memos previous: NoteMemos? = nil,
                               freesMemory: Bool = true, editorialWarnings addsWarnings: Bool = true,
                               isUnchanged: @Sendable (String) -> Bool = { _ in false }) -> AnalyzedDossier {
        var timer = StageTimer()
        let loader = ContentLoader(root: content, displayRoot: displayPath)
        // The loader finds the notes and reads only the config (and notes behind symbolic
        // links): each note is read by the core that parses it, in the pass below, so
        // reading is no stage of its own that the parsing waits for to end.
        var loaded = loader.load(listing: listing, readingNotes: false)
        timer.lap("find notes")
        var diagnostics = loaded.diagnostics
        let (config, configDiagnostics) = DossierConfig.read(loaded.configFile)
        diagnostics += configDiagnostics

        // Read every note's front-matter and parse its body, on both cores, unless the
        // last build left a memo for these exact bytes.
        var parsed = loaded.notes.parallelMap { note -> ParsedNote in
            let memo = previous?.byPath[note.relativePath]
            let parsed: ParsedNote
            switch note {
            case .read(let file):
                parsed = ParsedNote.parse(file, memo: memo, allowHTML: config.allowHTML)
            case .unread(let relativePath, let notePath):
                // A note as the last build saw it is not read: its memo stands in for the
                // file, whose lines are read if the body is.
                if isUnchanged(relativePath), let memo, memo.displayPath == notePath,
                   let entry = EntryCodec.decode(memo.entry, lines: TextLines.none, file: memo.displayPath, title: memo.body.title) {
                    parsed = ParsedNote(note: note, entry: entry, memo: memo)
                } else {
                    parsed = ParsedNote.parse(loader.readNote(relativePath, isSymbolicLink: false), as: note, memo: memo,
                                              allowHTML: config.allowHTML)
                }
            }
            // What other notes read of this one, digested here on both cores (or as the
            // memo that stands in for it has it) rather than one note after another.
            parsed.sharedPart = parsed.previousMemo?.sharedPart
                ?? SharedInputs.part(note: note.relativePath, frontMatterHash: parsed.frontMatterHash,
                                     title: parsed.entry.map { parsed.memo?.title ?? $0.title }, anchors: parsed.anchors)
            // The last memo of this path says what the front-matter references named, for
            // the same front-matter (see ReferenceTargets).
            if let memo, let entry = parsed.entry, memo.frontMatterHash == parsed.frontMatterHash {
                parsed.remembersLinks = memo.frontMatterLinks.count == entry.frontMatterReferenceCount
            }
            return parsed
        }
        // The parsed notes hold the files now (see `ParsedNote.resolved`).
        loaded.notes = []
        var shared = SharedInputs(config: loaded.configFile)
        for note in parsed { shared.add(part: note.sharedPart) }
        let sharedInputs = shared.finalize()
        let sharedInputsUnchanged = previous?.sharedInputs == sharedInputs
        if sharedInputsUnchanged {
            for note in parsed { if let memo = note.memo { note.entry?.title = memo.title } }
        } else {
            // Something other notes read has changed (a title, an alias, a heading…): no memo holds.
            parsed = parsed.parallelMap { note in
                var note = note
                guard note.entry != nil, note.parsedAnchors == nil else { return note }
                if note.file == nil {
                    // Left unread by the loader: read now, exactly as the loader would have.
                    note = ParsedNote.parse(loader.readNote(note.source.relativePath), as: note.source,
                                            memo: previous?.byPath[note.source.relativePath], allowHTML: config.allowHTML)
                }
                if let entry = note.entry, let file = note.file, note.parsedAnchors == nil {
                    note.readBody(note.body(of: file), into: entry, allowHTML: config.allowHTML)
                    note.memo = nil
                    note.sharedPart = []  // digested from the memo, which no longer stands in
                }
                return note
            }
        }
        var readStamps = parsed.compactMap { note in note.readStamp.map { (note.source.relativePath, $0) } }
        if let config = loaded.configFile, let stamp = config.stamp { readStamps.append((config.relativePath, stamp)) }
        timer.lap("read notes, front-matter and cmark parse")
        diagnostics += parsed.flatMap(\.diagnostics)
        var entries: [Entry] = [], anchors: [[String]] = []
        entries.reserveCapacity(parsed.count)
        anchors.reserveCapacity(parsed.count)
        for note in parsed {
            guard let entry = note.entry else { continue }
            entries.append(entry)
            anchors.append(note.anchors)
        }
        // A rebuild whose shared inputs are the last build's renders a few pages: their
        // lists are sorted by title as they are made, without ranking every title first.
        let index = DossierIndex(entries: entries, anchors: anchors, ranking: !sharedInputsUnchanged)
        diagnostics += index.duplicateDiagnostics
        timer.lap("index")

        // The notes whose entries the index holds (not a duplicate's).
        let kept = parsed.filter { note in note.entry.map { index[$0.id]?.file == $0.file } ?? false }
        // Front-matter references. While the shared inputs are the last build's, each one
        // names what it named then, as the notes' memos remember (see ReferenceTargets).
        // Otherwise they are resolved like cross-references (on both cores, merged in
        // index order) and kept by entry: one table of every reference was a serial
        // insert of each, hashing the reference with its location.
        // By ordinal: the id each of the entry's references names ("" if none), when resolved here.
        let links: [[String]]?
        let targets: ReferenceTargets
        var frontMatterResolved = false
        if sharedInputsUnchanged, let previous, kept.allSatisfy(\.remembersLinks) {
            links = nil
            targets = ReferenceTargets(remembered: previous.byPath, displayRoot: displayPath, index: index)
        } else {
            frontMatterResolved = true
            // Each entry's references visited in place, each result kept where it goes
            // (lists of results, mapped and filtered, were copies of every reference).
            let frontMatterResults = index.orderedEntries.parallelMap { entry -> (failures: [Diagnostic], resolved: ResolvedReferences, targets: [String]) in
                var pairs: [(reference: Reference, target: Int32)] = [], targets: [String] = [], failures: [Diagnostic] = []
                targets.reserveCapacity(entry.frontMatterReferenceCount)
                entry.forEachFrontMatterReference { reference, key, allowed in
                    switch resolve(reference, key: key, allowed: allowed, index: index) {
                    case .success(let target):
                        pairs.append((reference, Int32(target.ordinal)))
                        targets.append(target.id)
                    case .failure(let diagnostic):
                        failures.append(diagnostic)
                        targets.append("")
                    }
                }
                return (failures, ResolvedReferences(pairs), targets)
            }
            for (failures, _, _) in frontMatterResults where !failures.isEmpty { diagnostics += failures }
            // By ordinal: the results are in `orderedEntries` order. (A table by id was
            // 50,000 ids hashed on one core, a cache miss each.)
            let resolved = frontMatterResults.map { $0.resolved.isEmpty ? nil : $0.resolved }
            (links, targets) = (frontMatterResults.map(\.targets), ReferenceTargets(resolved: resolved, index: index))
            if !freesMemory { ProcessLifetime.keep(frontMatterResults) }
        }
        timer.lap("front-matter references")
        // Resolve bodies on both cores; duplicates (left out of the index) are skipped.
        let bodies = BodyResolver(resolver: Resolver(index: index, allowHTML: config.allowHTML), targets: targets)
        let resolved = kept.parallelMap { note -> (id: String, page: ResolvedPage?, memo: NoteMemo) in
            let entry = note.entry!
            entry.contentHash = note.contentHash
            // A memo that stood in for the note is the note's memo still.
            if note.memo != nil, let memo = note.previousMemo { return (entry.id, nil, memo) }
            var page: ResolvedPage?
            var body = note.memo
            if body == nil, let file = note.file {
                var titleIsFirstHeading = note.titleIsFirstHeading
                (page, body) = bodies.resolve(entry, prepared: note.prepared?.take(), anchors: note.anchors) {
                    BodyParser.parse(note.body(of: file), into: entry, titleIsFirstHeading: &titleIsFirstHeading)
                }
            }
            let memo = NoteMemo(contentHash: note.contentHash, displayPath: note.source.displayPath, entry: note.entryBytes,
                                readDiagnostics: note.diagnostics, bodyLength: note.bodyLength,
                                frontMatterHash: note.frontMatterHash, body: body!,
                                frontMatterLinks: links.flatMap { links in index.ordinal(ofIndexed: entry).map { links[$0] } }.map(MemoStrings.init)
                                    ?? previous?.byPath[note.source.relativePath]?.frontMatterLinks ?? MemoStrings([]),
                                // A note parsed while it was read has its part digested already.
                                sharedPart: note.sharedPart.isEmpty
                                    ? SharedInputs.part(note: note.source.relativePath, frontMatterHash: note.frontMatterHash,
                                                        title: body!.title, anchors: body!.anchors)
                                    : note.sharedPart,
                                foldedNames: entry.foldedNames)
            note.resolved()
            return (entry.id, page, memo)
        }

        timer.lap("resolve bodies and render HTML")
        // While the shared inputs are the last build's, the entries whose pages may have
        // changed: the notes whose body memo is not the last build's object, and what
        // those bodies linked to and cited then and do now (see `touchedByBodies`).
        var touchedByBodies: Set<String>? = sharedInputsUnchanged ? [] : nil
        // The notes whose memo is not the last build's, when every one of them had a
        // memo then: the last build's table of memos, with those put in, is this build's.
        var newMemos: [Int]? = sharedInputsUnchanged && previous?.byPath.count == kept.count ? [] : nil
        if sharedInputsUnchanged {
            for i in resolved.indices {
                // A memo that stood in for its note is the last build's very object.
                if let standing = kept[i].previousMemo, standing === resolved[i].memo { continue }
                let lastMemo = previous?.byPath[kept[i].source.relativePath]
                if lastMemo == nil { newMemos = nil } else { newMemos?.append(i) }
                let last = lastMemo?.body
                guard resolved[i].memo.body !== last else { continue }
                touchedByBodies!.insert(resolved[i].id)
                for memo in [resolved[i].memo.body, last].compactMap({ $0 }) {
                    touchedByBodies!.formUnion(memo.references)
                    touchedByBodies!.formUnion(memo.cited.map(\.sourceID))
                }
            }
        }
        // Four independent parts over both cores, the longest first: what the bodies
        // cite; what the front-matter links to; what the bodies link to; what the next
        // build and the renderer look up by note (memos, resolved pages) with the timeline.
        // Each variable is written by one part and read once all have finished. The
        // mention lists are gathered only for the touched entries when they are known
        // (see BackLinks).
        let linking = resolved.indices.map { MentionLists.Note(entry: kept[$0].entry!, memo: resolved[$0].memo) }
        let touched = touchedByBodies.map(MentionLists.Wanted.init)
        let memoTable = newMemos.map { changed in (last: previous!.byPath, changed: changed) }
        nonisolated(unsafe) var resolvedPages = [ResolvedPage?](repeating: nil, count: index.orderedEntries.count)
        nonisolated(unsafe) var memos = NoteMemos(sharedInputs: sharedInputs, byPath: [:])
        nonisolated(unsafe) var timeline: [String] = []
        nonisolated(unsafe) var bodyDiagnostics: [Diagnostic] = []
        nonisolated(unsafe) var frontMatterLists = MentionLists()
        nonisolated(unsafe) var bodyLists = MentionLists()
        nonisolated(unsafe) var citationLists = MentionLists()
        DispatchQueue.concurrentPerform(iterations: 4) { part in
            switch part {
            case 0:
                citationLists.gatherCitations(linking, only: touched)
            case 1:
                frontMatterLists.gatherFrontMatter(linking, only: touched)
            case 2:
                for i in resolved.indices {
                    let body = resolved[i].memo.body
                    if !body.diagnostics.isEmpty { bodyDiagnostics += body.diagnostics }
                }
                bodyLists.gatherBodyMentions(linking, only: touched)
            default:
                // By index, reading the memos in place: copying each note and memo out of
                // the arrays retained and released a dozen fields per note.
                if let memoTable {
                    memos.byPath = memoTable.last
                    for i in memoTable.changed { memos.byPath[kept[i].source.relativePath] = resolved[i].memo }
                    memos.apartFromBase = previous?.apartFromBase.map { apart in
                        (apart.differing + memoTable.changed.map { kept[$0].source.relativePath }, apart.removed)
                    }
                } else {
                    memos.byPath.reserveCapacity(kept.count)
                    for i in resolved.indices { memos.byPath[kept[i].source.relativePath] = resolved[i].memo }
                }
                for i in resolved.indices {
                    if let page = resolved[i].page { resolvedPages[kept[i].entry!.ordinal] = page }
                }
                // Sort keys computed once per event, not once per comparison; the sort is
                // stable, so events on the same date keep the index order.
                timeline = index.ids(of: .event)
                    .compactMap { id in index[id]!.date.map { (id, $0.value.sortKey) } }
                    .sorted { $0.1 < $1.1 }
                    .map(\.0)
            }
        }
        diagnostics += bodyDiagnostics
        timer.lap("memos, mention lists and timeline")
        // A rebuild that takes the last build's inputs for the pages no changed body
        // touches renders few pages: they sort their own lists.
        let backLinks = BackLinks(frontMatterLists.withBodies(mentions: bodyLists, citations: citationLists), index: index, timeline: timeline, sortingAll: touchedByBodies == nil,
                                  partial: touchedByBodies.map { ($0, { MentionLists.gather(linking) }) })
        timer.lap("back-links")
        var dossier = AnalyzedDossier(
            config: config, index: index, backLinks: backLinks, timeline: timeline, assets: loaded.assets, diagnostics: diagnostics, targets: targets,
            memos: memos, resolvedPages: resolvedPages,
            lateResolution: LateResolution(bodies: bodies, loader: loader))
        dossier.bodiesResolved = resolved.count { $0.page != nil }
        dossier.touchedByBodies = touchedByBodies
        dossier.notesRead = parsed.count { $0.readFromFile }
        dossier.notesOpened = parsed.count(where: \.opened)
        dossier.frontMatterResolved = frontMatterResolved
        dossier.readStamps = readStamps
        if addsWarnings {
            dossier.diagnostics += editorialWarnings(dossier)
            timer.lap("editorial warnings")
        }
        if !freesMemory {
            ProcessLifetime.keep((loaded, parsed, kept, resolved, links, linking))
        }
        return dossier
    }

    /// A class: the analysis walks the notes a dozen times (filters, gatherings, maps), and
    /// copying a struct of this many fields retained each of them every time.
    private final class ParsedNote: @unchecked Sendable {
        // @unchecked: a note is changed only by the one task that reads or resolves it.
        var source: LoadedNote
        var entry: Entry?
        /// The entry as read from the front-matter, encoded for the next build (EntryCodec).
        var entryBytes: SharedBytes
        /// The body is the end of the file's text; sliced again only when needed, since
        /// a copy of every body held through the analysis cost 40 MB at 10,000 notes.
        var bodyLength: Int
        var diagnostics: [Diagnostic]
        var contentHash: ContentDigest
        var frontMatterHash: ContentDigest
        var readFromFile: Bool
        /// The note's part of the shared inputs (see SharedInputs).
        var sharedPart: SharedBytes = []
        /// Whether the last memo of the note's path was made from the same front-matter:
        /// while the shared inputs, which cover every note's front-matter and every title,
        /// are the last build's, its `frontMatterLinks` hold for this note too.
        var remembersLinks = false
        /// Whether the note's file was read (it may be let go since, see `resolved`).
        private(set) var opened = false
        /// The anchors of the body's headings; nil until the body is parsed.
        var parsedAnchors: [String]? = nil
        /// The note's title is its first heading (see BodyParser).
        var titleIsFirstHeading = false
        /// The body as rendered when first parsed, until it is resolved (see Resolver).
        var prepared: PreparedSlot? = nil
        /// What the last build found in this body, while it may still hold.
        var memo: BodyMemo? = nil
        /// The last build's memo of the whole note, when it stands in for the file.
        var previousMemo: NoteMemo? = nil
        /// The file's stamp just before this build read it (nil if it did not).
        var readStamp: FileStamp? = nil

        var anchors: [String] { parsedAnchors ?? memo?.anchors ?? [] }
        /// The file with its text, if it was read and is still needed.
        var file: ContentFile? { if case .read(let file) = source { file } else { nil } }

        /// Lets go of the note's text once its body is resolved: nothing reads it after
        /// that, and the texts of all notes held while the pages are made were a tenth of
        /// a build's peak memory, faulted in again by the pages' own allocations.
        func resolved() {
            guard file != nil else { return }
            source = .unread(relativePath: source.relativePath, displayPath: source.displayPath)
            entry?.lines = TextLines.none
        }
        func body(of file: ContentFile) -> String { String(Substring(file.text.utf8.suffix(bodyLength))) }

        /// A note the last build's memo stands in for.
        convenience init(note: LoadedNote, entry: Entry, memo: NoteMemo) {
            self.init(note: note, entry: entry, entryBytes: memo.entry, bodyLength: memo.bodyLength,
                      diagnostics: memo.readDiagnostics, contentHash: memo.contentHash,
                      frontMatterHash: memo.frontMatterHash, readFromFile: false, memo: memo.body)
            previousMemo = memo
            entry.foldedNames = memo.foldedNames
        }

        init(note: LoadedNote, entry: Entry?, entryBytes: SharedBytes, bodyLength: Int, diagnostics: [Diagnostic],
             contentHash: ContentDigest, frontMatterHash: ContentDigest, readFromFile: Bool, memo: BodyMemo? = nil) {
            (source, self.entry, self.entryBytes, self.bodyLength, self.diagnostics) = (note, entry, entryBytes, bodyLength, diagnostics)
            if case .read = note { opened = true }
            (self.contentHash, self.frontMatterHash, self.readFromFile, self.memo) = (contentHash, frontMatterHash, readFromFile, memo)
        }

        /// A note read from its file: the memo's entry if the bytes are the ones it was
        /// made from, else its front-matter read (FrontMatterYAML) and its body parsed by cmark.
        static func parse(_ file: ContentFile, memo: NoteMemo?, allowHTML: Bool) -> ParsedNote {
            let bytes = file.text[...].utf8
            let contentHash = SharedInputs.hash(bytes)
            if let memo, memo.contentHash == contentHash, memo.displayPath == file.displayPath,
               let entry = EntryCodec.decode(memo.entry, lines: TextLines(file.text), file: memo.displayPath, title: memo.body.title) {
                let note = ParsedNote(note: .read(file), entry: entry, memo: memo)
                note.readStamp = file.stamp
                return note
            }
            let (entry, body, readDiagnostics) = EntryReader.read(file)
            let note = ParsedNote(note: .read(file), entry: entry, entryBytes: entry.map { SharedBytes(EntryCodec.encode($0)) } ?? [],
                                  bodyLength: body.utf8.count, diagnostics: readDiagnostics, contentHash: contentHash,
                                  frontMatterHash: SharedInputs.hash(bytes.dropLast(body.utf8.count)), readFromFile: true)
            note.readStamp = file.stamp
            if let entry { note.readBody(body, into: entry, allowHTML: allowHTML) }
            return note
        }

        /// The title and heading anchors the index needs, and the body rendered with
        /// gaps for what only the index can tell (see Resolver): one cmark parse per body.
        func readBody(_ body: String, into entry: Entry, allowHTML: Bool) {
            // The tree lives only here: parsed, edited, rendered and freed in the arena.
            CmarkArena.scoped {
                let headings = BodyParser.parse(body, into: entry, titleIsFirstHeading: &titleIsFirstHeading)
                parsedAnchors = headings.map(\.anchor)
                prepared = PreparedSlot(Resolver.prepare(entry, headings: headings, allowHTML: allowHTML))
                entry.body = nil
            }
        }

        /// A note read late (`ContentLoader.readNote`), or the reason it cannot be.
        static func parse(_ read: Result<ContentFile, Diagnostic>, as note: LoadedNote, memo: NoteMemo?, allowHTML: Bool) -> ParsedNote {
            switch read {
            case .success(let file): parse(file, memo: memo, allowHTML: allowHTML)
            case .failure(let diagnostic):
                ParsedNote(note: note, entry: nil, entryBytes: [], bodyLength: 0, diagnostics: [diagnostic],
                           contentHash: .none, frontMatterHash: .none, readFromFile: true)
            }
        }
    }

    /// A prepared body, given up once resolved so that its HTML is freed then, not
    /// held with the parsed notes.
    private final class PreparedSlot: @unchecked Sendable {
        // @unchecked: each note's slot is taken by the one task that resolves the note.
        private var body: Resolver.PreparedBody?
        init(_ body: Resolver.PreparedBody) { self.body = body }
        func take() -> Resolver.PreparedBody? {
            defer { body = nil }
            return body
        }
    }

    private static func resolve(_ reference: Reference, key: String, allowed: EntryTypes, index: DossierIndex) -> Result<Entry, Diagnostic> {
        // Only a diagnostic needs the allowed types as words.
        var expected: String { allowed.types.sorted().map(\.rawValue).joined(separator: " or ") }
        switch index.find(reference.value) {
        case .entry(let target):
            let id = target.id
            guard allowed.contains(target.type) else {
                return .failure(.error(reference.location, "'\(key)' names '\(id)', which is a \(target.type.rawValue), not a \(expected)",
                                       notes: index.suggestions(for: Fold.key(reference.value), types: allowed.types).map { "did you mean '\($0)' (\(index[$0]!.title))?" }))
            }
            return .success(target)
        case .ambiguous(let ids):
            return .failure(.error(reference.location, "ambiguous '\(reference.value)' in '\(key)': it names \(ids.count) entries",
                                   notes: ids.map { "could be '\($0)' (\(index[$0]!.title), \(index[$0]!.type.rawValue))" } + ["write the id to choose"]))
        case .notFound:
            let suggestions = index.suggestions(for: Fold.key(reference.value), types: allowed.types)
            return .failure(.error(reference.location, "unknown \(expected) '\(reference.value)' in '\(key)'",
                                   notes: suggestions.isEmpty ? ["no \(expected) has this id, name or alias"] : suggestions.map { "did you mean '\($0)' (\(index[$0]!.title))?" }))
        }
    }

    /// Warnings an editor wants before publishing: orphans, uncited sources, unsourced people.
    /// `last`: the last build's. When the back-links were gathered only for the entries
    /// changed bodies touch, those are the only entries whose warnings can differ from
    /// them: the others' are taken as they were.
    static func editorialWarnings(_ dossier: AnalyzedDossier, last: [Diagnostic]? = nil) -> [Diagnostic] {
        guard let touched = dossier.backLinks.covered, let last else { return editorialWarnings(dossier, for: dossier.index.orderedIDs) }
        let ids = touched.filter { dossier.index[$0] != nil }.sorted()
        let files = Set(ids.map { dossier.index[$0]!.file })
        return last.filter { !files.contains($0.location.file) } + editorialWarnings(dossier, for: ids)
    }

    private static func editorialWarnings(_ dossier: AnalyzedDossier, for ids: [String]) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        // Looked up per entry rather than gathered into one set of every target.
        let links = dossier.backLinks
        for id in ids {
            let entry = dossier.index[id]!
            let location = SourceLocation(file: entry.file, line: 1, column: 1)
            switch entry.type {
            case .note, .event:
                continue  // reachable from the front page and the timeline by design
            case .source where !links.isLinked(id):
                warnings.append(.warning(location, "source '\(id)' is never cited",
                                         notes: ["cite it with [@\(id)] where it backs a statement, or remove it"]))
            case .person where !links.cites(id):
                warnings.append(.warning(location, "person '\(id)' has no sources",
                                         notes: ["add 'sources: [..]' or cite sources in the body with [@source-id]"]))
                fallthrough
            default:
                if !links.isLinked(id), entry.type != .source {
                    warnings.append(.warning(location, "orphan: nothing links to '\(id)'",
                                             notes: ["link it from a case note or event with [[\(id)]]"]))
                }
            }
        }
        return warnings
    }
}
