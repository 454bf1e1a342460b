import Crypto
import Foundation

/// What the last build learnt from one note file, kept in the build cache so that a
/// rebuild need not read an unchanged note's front-matter, nor parse and resolve its body,
/// again. Valid for the same bytes at the same path.
///
/// A class, never changed once made: a rebuild passes 10,000 memos from the cache through
/// the analysis into the next cache, and copying one as a value retained and released a
/// dozen fields each time.
final class NoteMemo: Sendable {
    /// SHA-256 of the whole file.
    let contentHash: ContentDigest
    /// The path diagnostics name the file by (it is inside every location).
    let displayPath: String
    /// The entry as its front-matter was read, before the body (EntryCodec).
    let entry: SharedBytes
    let readDiagnostics: [Diagnostic]
    /// UTF-8 length of the body, the end of the file.
    let bodyLength: Int
    let frontMatterHash: ContentDigest
    let body: BodyMemo
    /// The entry each front-matter reference named (in `Entry.forEachFrontMatterReference`
    /// order; "" for one that named none): what a build resolves again only when the
    /// shared inputs changed (see ReferenceTargets).
    let frontMatterLinks: MemoStrings
    /// Digest of what other notes read of this one, as it stands in for the note (see
    /// SharedInputs): the same for these memo values in any build, so it is kept.
    let sharedPart: SharedBytes
    /// The entry's names as the index folded them (nil for a note with no entry).
    let foldedNames: FoldedNames?
    /// The memo as the build cache held it, written back as is while it still holds
    /// (re-encoding 10,000 unchanged memos was most of saving the cache).
    let encoded: SharedBytes?

    init(contentHash: ContentDigest, displayPath: String, entry: SharedBytes, readDiagnostics: [Diagnostic], bodyLength: Int,
         frontMatterHash: ContentDigest, body: BodyMemo, frontMatterLinks: MemoStrings, sharedPart: SharedBytes, foldedNames: FoldedNames?,
         encoded: SharedBytes? = nil) {
        (self.contentHash, self.displayPath, self.entry, self.readDiagnostics) = (contentHash, displayPath, entry, readDiagnostics)
        (self.bodyLength, self.frontMatterHash, self.body, self.encoded) = (bodyLength, frontMatterHash, body, encoded)
        (self.frontMatterLinks, self.sharedPart, self.foldedNames) = (frontMatterLinks, sharedPart, foldedNames)
    }
}

/// What parsing and resolving one note's body told the rest of the build.
///
/// A body's resolution reads the note itself and, from every other note, only what the
/// `SharedInputs` digest covers (front-matter, titles, heading anchors, the config). So
/// this part of a memo holds while that digest is unchanged too: editing one body
/// re-resolves that body alone, while a rename (a front-matter change) re-resolves all.
final class BodyMemo: Sendable {
    /// The entry's title once its body is read (a note without `title:` takes its `# heading`).
    let title: String
    let anchors: [String]
    /// Entries the body links to, in order of appearance (repeats included).
    let references: MemoStrings
    /// Each cited source (body and front-matter) with the locators used, sorted.
    let cited: MemoCitations
    let diagnostics: [Diagnostic]

    init(title: String, anchors: [String], references: MemoStrings, cited: MemoCitations, diagnostics: [Diagnostic]) {
        (self.title, self.anchors, self.references, self.cited, self.diagnostics) = (title, anchors, references, cited, diagnostics)
    }

    struct CitedSource: Sendable {
        var sourceID: String
        var locators: [String]
    }
}

/// The memos of one build, by note path, and the digest of the shared inputs they were made with.
public struct NoteMemos: Sendable {
    var sharedInputs: String
    var byPath: [String: NoteMemo]
    /// How `byPath` stands apart from the memo base it was read with, when that is known
    /// without comparing the two tables: the paths whose memo is not the base's, and the
    /// base's paths that have none. Set when the cache is read, and kept by a build that
    /// only puts new memos in the last build's places (see `BuildCache.save`).
    var apartFromBase: (differing: [String], removed: [String])? = nil
}

/// One digest over everything a note's body resolution and page can read from *other*
/// notes: every note's path and front-matter bytes, every title and heading anchor, and
/// the config. Body text is left out on purpose, so editing a body keeps it unchanged.
struct SharedInputs {
    private var stream = PageDigest.Stream()

    init(config: ContentFile?) {
        stream.add(config?.text ?? "")
    }

    /// Adds one note's part, in the notes' path order.
    mutating func add(part: SharedBytes) { stream.add(bytes: part) }

    /// A note's part: the digest of its path, front-matter, title and heading anchors.
    static func part(note path: String, frontMatterHash: ContentDigest, title: String?, anchors: [String]) -> SharedBytes {
        var stream = PageDigest.Stream()
        stream.add(path)
        stream.add(frontMatterHash)
        // A length no title has marks an unreadable note (no string made per note).
        if let title { stream.add(title) } else { stream.add(count: .max) }
        stream.add(anchors)
        return SharedBytes(stream.digest())
    }

    func finalize() -> String { stream.finalize() }

    /// SHA-256 of some text's UTF-8 bytes.
    static func hash(_ text: Substring.UTF8View) -> ContentDigest {
        if let digest = text.withContiguousStorageIfAvailable({ ContentDigest(of: UnsafeRawBufferPointer($0)) }) { return digest }
        return Array(text).withUnsafeBytes { ContentDigest(of: $0) }
    }
}

/// Resolves one parsed body: the page's HTML and citation notes, and its memo.
struct BodyResolver: Sendable {
    let resolver: Resolver
    let targets: ReferenceTargets

    /// A body parsed just now, resolved in one go.
    func resolve(_ entry: Entry, headings: [BodyParser.Heading]) -> (ResolvedPage, BodyMemo) {
        let result = resolver.resolve(entry, headings: headings)
        // Nothing reads the Markdown tree after this: free it here, on this core,
        // rather than hold it through rendering (it was a large part of peak memory).
        entry.body = nil
        return finish(entry, result, anchors: headings.map(\.anchor))
    }

    /// A body prepared when its note was read (see Resolver). One whose gaps do not
    /// check out, or that has none, is parsed again (`reparse` makes the tree and gives
    /// its headings).
    func resolve(_ entry: Entry, prepared: Resolver.PreparedBody?, anchors: [String],
                 reparse: () -> [BodyParser.Heading]) -> (ResolvedPage, BodyMemo) {
        guard let prepared, let result = resolver.resolve(prepared, of: entry) else { return resolve(entry, headings: reparse()) }
        return finish(entry, result, anchors: anchors)
    }

    private func finish(_ entry: Entry, _ result: Resolver.Result, anchors: [String]) -> (ResolvedPage, BodyMemo) {
        var citations = result.citations
        let resolved = targets[entry]
        func marker(_ references: [Reference]) -> String? {
            let sources = references.compactMap { resolved?[ordinal: $0] }
            return sources.isEmpty ? nil : String(decoding: citations.markerBytes(sources.map { (resolver.index.orderedIDs[$0], $0, nil) }), as: UTF8.self)
        }
        let relationMarkers = entry.relations.map { marker($0.sources) ?? "" }
        let affiliationMarkers = entry.affiliations.map { marker($0.sources) ?? "" }
        let sourcesMarker = marker(entry.sources)
        let page = ResolvedPage(bodyHTML: result.html, citations: citations, sourcesMarker: sourcesMarker,
                                relationMarkers: relationMarkers, affiliationMarkers: affiliationMarkers)
        // Each cited source with the locators used here, for its "cited on" list.
        // (Most sources are cited with one locator or none: nothing to sort, no set made.)
        let cited = citations.notes.map { note in
            let locators = note.occurrences.flatMap { occurrence -> [String] in
                guard let locator = occurrence.locator else { return [] }
                // Most locators are one (the generic split by a string was 1 % of a build).
                guard locator.utf8.contains(UInt8(ascii: ",")) else { return [locator] }
                return locator.split(separator: ", ", omittingEmptySubsequences: false).map(String.init)
            }
            return BodyMemo.CitedSource(sourceID: note.sourceID, locators: locators.count < 2 ? locators
                                        : Array(Set(locators)).sorted { $0.localizedStandardCompare($1) == .orderedAscending })
        }
        let memo = BodyMemo(title: entry.title, anchors: anchors,
                            references: MemoStrings(result.references), cited: MemoCitations(cited), diagnostics: result.diagnostics)
        return (page, memo)
    }
}

/// The bodies a build did not resolve because their memos held. A page of theirs that
/// must be rendered after all (a back-link to it changed) reads and resolves its note
/// again, exactly as a full build would have.
final class LateResolution: Sendable {
    let bodies: BodyResolver
    let loader: ContentLoader

    init(bodies: BodyResolver, loader: ContentLoader) {
        self.bodies = bodies
        self.loader = loader
    }

    /// Nil when the note is no longer as the analysis saw it (it changed during the
    /// build, or is gone): a page must not mix what the analysis saw with what the
    /// file says now.
    func page(of analysed: Entry) -> ResolvedPage? {
        let displayPath = analysed.file
        guard let expected = analysed.contentHash, displayPath.hasPrefix(loader.displayRoot + "/"),
              case .success(let file) = loader.readNote(String(displayPath.dropFirst(loader.displayRoot.count + 1))),
              SharedInputs.hash(file.text[...].utf8) == expected,
              case (let entry?, let body, _) = EntryReader.read(file) else { return nil }
        let headings = BodyParser.parse(body, into: entry)
        return bodies.resolve(entry, headings: headings).0
    }
}
