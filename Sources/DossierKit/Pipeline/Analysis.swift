import Foundation

/// Everything known about the dossier once every file is read, parsed and resolved:
/// what the page renderer needs, and every diagnostic found on the way.
public struct AnalyzedDossier: Sendable {
    public var config: DossierConfig
    public var index: DossierIndex
    /// Resolved page body and citation notes per entry id.
    public var pages: [String: ResolvedPage]
    /// Entry id → ids of entries whose body or front-matter links to it (events excluded).
    public var mentions: [String: [String]]
    /// Person, organisation or place id → ids of the events naming it, in timeline order.
    public var events: [String: [String]]
    /// Source id → the pages citing it, with the locators used there.
    public var citedBy: [String: [(pageID: String, locators: [String])]]
    /// Every event id in timeline order.
    public var timeline: [String]
    public var assets: [AssetFile]
    public var diagnostics: [Diagnostic]

    /// The id a front-matter reference resolved to.
    public var targets: [Reference: String]
}

public struct ResolvedPage: Sendable {
    public var bodyHTML: String
    public var citations: CitationRegistry
    /// Citation markers for the entry's front-matter sources, relations and affiliations.
    public var sourcesMarker: String?
    public var relationMarkers: [String]
    public var affiliationMarkers: [String]
}

/// Runs the reading stages: load → front-matter → cmark → index → resolve.
public enum Analysis {
    public static func analyze(content: URL, displayPath: String) -> AnalyzedDossier {
        var timer = StageTimer()
        let loaded = ContentLoader(root: content, displayRoot: displayPath).load()
        timer.lap("load files")
        var diagnostics = loaded.diagnostics
        let (config, configDiagnostics) = DossierConfig.read(loaded.configFile)
        diagnostics += configDiagnostics

        // Read and parse every note on both cores.
        let parsed = loaded.notes.parallelMap { file -> ParsedNote in
            let (entry, body, readDiagnostics) = EntryReader.read(file)
            guard let entry else { return ParsedNote(entry: nil, headings: [], diagnostics: readDiagnostics) }
            let headings = BodyParser.parse(body, into: entry)
            return ParsedNote(entry: entry, headings: headings, diagnostics: readDiagnostics)
        }
        timer.lap("front-matter and cmark parse")
        diagnostics += parsed.flatMap(\.diagnostics)
        let entries = parsed.compactMap(\.entry)
        var anchors: [String: Set<String>] = [:]
        for note in parsed { if let entry = note.entry { anchors[entry.id, default: []].formUnion(note.headings.map(\.anchor)) } }
        let index = DossierIndex(entries: entries, anchors: anchors)
        diagnostics += index.duplicateDiagnostics

        // Front-matter references, resolved like cross-references (on both cores, merged
        // in index order).
        var targets: [Reference: String] = [:]
        let frontMatterResults = index.orderedIDs.parallelMap { id in
            index[id]!.frontMatterReferences.map { reference, key, allowed in
                (reference, resolve(reference, key: key, allowed: allowed, index: index))
            }
        }
        for (reference, result) in frontMatterResults.joined() {
            switch result {
            case .success(let target): targets[reference] = target
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }

        timer.lap("index and front-matter references")
        // Resolve bodies on both cores; duplicates (left out of the index) are skipped.
        let resolver = Resolver(index: index, allowHTML: config.allowHTML)
        let resolvedTargets = targets
        let kept = parsed.filter { note in note.entry.map { index[$0.id]?.file == $0.file } ?? false }
        let resolved = kept.parallelMap { note -> (String, ResolvedPage, [String], [Diagnostic], [(String, [String])]) in
            let entry = note.entry!
            let result = resolver.resolve(entry, headings: note.headings)
            // Nothing reads the Markdown tree after this: free it here, on this core,
            // rather than hold it through rendering (it was a large part of peak memory).
            entry.body = nil
            var citations = result.citations
            func marker(_ references: [Reference]) -> String? {
                let ids = references.compactMap { resolvedTargets[$0] }
                return ids.isEmpty ? nil : citations.markerHTML(ids.map { ($0, nil) })
            }
            let relationMarkers = entry.relations.map { marker($0.sources) ?? "" }
            let affiliationMarkers = entry.affiliations.map { marker($0.sources) ?? "" }
            let sourcesMarker = marker(entry.sources)
            let page = ResolvedPage(bodyHTML: result.html, citations: citations, sourcesMarker: sourcesMarker,
                                    relationMarkers: relationMarkers, affiliationMarkers: affiliationMarkers)
            // Each cited source with the locators used here, for its "cited on" list.
            let cited = citations.notes.map { note in
                let locators = note.occurrences.flatMap { $0.locator.map { $0.components(separatedBy: ", ") } ?? [] }
                return (note.sourceID, Array(Set(locators)).sorted { $0.localizedStandardCompare($1) == .orderedAscending })
            }
            return (entry.id, page, result.references, result.diagnostics, cited)
        }

        timer.lap("resolve bodies and render HTML")
        var pages: [String: ResolvedPage] = [:]
        var mentionSets: [String: Set<String>] = [:]
        var citedBy: [String: [(String, [String])]] = [:]
        for (id, page, references, pageDiagnostics, cited) in resolved {
            pages[id] = page
            diagnostics += pageDiagnostics
            for target in references where target != id { mentionSets[target, default: []].insert(id) }
            for (sourceID, locators) in cited { citedBy[sourceID, default: []].append((id, locators)) }
        }
        var eventSets: [String: [String]] = [:]
        for id in index.orderedIDs {
            let entry = index[id]!
            for (reference, key, _) in entry.frontMatterReferences {
                guard let target = targets[reference], target != id else { continue }
                if entry.type == .event, ["people", "organizations", "places"].contains(key) {
                    eventSets[target, default: []].append(id)
                } else if key != "sources" && key != "via" {
                    mentionSets[target, default: []].insert(id)
                }
            }
        }

        // Sort keys computed once per event, not once per comparison; the sort is stable,
        // so events on the same date keep the index order.
        let timeline = index.orderedIDs
            .compactMap { id in index[id]!.type == .event ? index[id]!.date.map { (id, $0.value.sortKey) } : nil }
            .sorted { $0.1 < $1.1 }
            .map(\.0)
        let order = Dictionary(uniqueKeysWithValues: timeline.enumerated().map { ($1, $0) })
        let events = eventSets.mapValues { ids in Array(Set(ids)).sorted { (order[$0] ?? .max, $0) < (order[$1] ?? .max, $1) } }
        let mentions = mentionSets.mapValues { ids in index.inTitleOrder(ids) }

        var dossier = AnalyzedDossier(
            config: config, index: index, pages: pages, mentions: mentions, events: events,
            citedBy: citedBy.mapValues { $0.sorted { $0.0 < $1.0 } },
            timeline: timeline, assets: loaded.assets, diagnostics: diagnostics, targets: targets)
        dossier.diagnostics += editorialWarnings(dossier)
        timer.lap("back-links, timeline, warnings")
        return dossier
    }

    private struct ParsedNote: Sendable {
        var entry: Entry?
        var headings: [BodyParser.Heading]
        var diagnostics: [Diagnostic]
    }

    private static func resolve(_ reference: Reference, key: String, allowed: Set<EntryType>, index: DossierIndex) -> Result<String, Diagnostic> {
        let expected = allowed.sorted().map(\.rawValue).joined(separator: " or ")
        switch index.lookup(reference.value) {
        case .found(let id):
            let target = index[id]!
            guard allowed.contains(target.type) else {
                return .failure(.error(reference.location, "'\(key)' names '\(id)', which is a \(target.type.rawValue), not a \(expected)",
                                       notes: index.suggestions(for: Fold.key(reference.value), types: allowed).map { "did you mean '\($0)' (\(index[$0]!.title))?" }))
            }
            return .success(id)
        case .ambiguous(let ids):
            return .failure(.error(reference.location, "ambiguous '\(reference.value)' in '\(key)': it names \(ids.count) entries",
                                   notes: ids.map { "could be '\($0)' (\(index[$0]!.title), \(index[$0]!.type.rawValue))" } + ["write the id to choose"]))
        case .notFound:
            let suggestions = index.suggestions(for: Fold.key(reference.value), types: allowed)
            return .failure(.error(reference.location, "unknown \(expected) '\(reference.value)' in '\(key)'",
                                   notes: suggestions.isEmpty ? ["no \(expected) has this id, name or alias"] : suggestions.map { "did you mean '\($0)' (\(index[$0]!.title))?" }))
        }
    }

    /// Warnings an editor wants before publishing: orphans, uncited sources, unsourced people.
    private static func editorialWarnings(_ dossier: AnalyzedDossier) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        var linked = Set(dossier.mentions.keys).union(dossier.events.keys).union(dossier.citedBy.keys)
        linked.formUnion(dossier.targets.values)
        for id in dossier.index.orderedIDs {
            let entry = dossier.index[id]!
            let location = SourceLocation(file: entry.file, line: 1, column: 1)
            switch entry.type {
            case .note, .event:
                continue  // reachable from the front page and the timeline by design
            case .source where !linked.contains(id):
                warnings.append(.warning(location, "source '\(id)' is never cited",
                                         notes: ["cite it with [@\(id)] where it backs a statement, or remove it"]))
            case .person where (dossier.pages[id]?.citations.notes.isEmpty ?? true):
                warnings.append(.warning(location, "person '\(id)' has no sources",
                                         notes: ["add 'sources: [..]' or cite sources in the body with [@source-id]"]))
                fallthrough
            default:
                if !linked.contains(id), entry.type != .source {
                    warnings.append(.warning(location, "orphan: nothing links to '\(id)'",
                                             notes: ["link it from a case note or event with [[\(id)]]"]))
                }
            }
        }
        return warnings
    }
}
