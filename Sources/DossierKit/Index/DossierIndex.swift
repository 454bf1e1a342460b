import Dispatch

/// Every entry of the dossier, findable by id, title/name or alias, folded so that case,
/// diacritics and Unicode normalisation do not matter.
public struct DossierIndex: Sendable {
    public private(set) var entries: [String: Entry] = [:]
    /// Entry ids in a stable order: by type, then id.
    public private(set) var orderedIDs: [String] = []
    /// Where each type's ids lie in `orderedIDs` (one run each, since they come first by type).
    private var runs: [EntryType: Range<Int>] = [:]
    /// Folded id, title or alias → the ids it names (more than one: ambiguous).
    private var names: [String: [String]] = [:]
    /// Each title and alias as written → its folded key: most references write one of
    /// them exactly, and are then looked up without folding them again.
    private var foldedAsWritten: [String: String] = [:]
    /// Heading anchors of every entry's body, for `[[id#anchor]]` (a few per entry: a
    /// list, not a set made for each).
    public private(set) var anchors: [String: [String]] = [:]

    public enum Lookup: Equatable {
        case found(String)
        case ambiguous([String])
        case notFound(suggestions: [String])
    }

    /// Builds the index; a second entry with an id already taken is reported and left out.
    /// Without `ranking`, titles are compared each time a list is put in title order
    /// instead of ranked once for all: cheaper for a rebuild that sorts a few lists.
    public init(entries list: [Entry], anchors: [String: [String]], ranking: Bool = true) {
        var diagnostics: [Diagnostic] = []
        entries.reserveCapacity(list.count)
        var kept: [Entry] = []
        kept.reserveCapacity(list.count)
        for entry in list {
            if let first = entries[entry.id] {
                diagnostics.append(.error(entry.idLocation, "duplicate id '\(entry.id)'",
                                          notes: ["also used by \(first.idLocation.description)", "rename one of the two files (or change its 'id:')"]))
                continue
            }
            entries[entry.id] = entry
            kept.append(entry)
        }
        duplicateDiagnostics = diagnostics
        // Sorted from the notes' order (by path: a folder per type, a file per id), which
        // is nearly this order already: a handful of runs for the sort to merge. The
        // entries themselves, so none is looked up again by id.
        let inOrder = kept.sorted { ($0.type, $0.id) < ($1.type, $1.id) }
        orderedIDs = inOrder.map(\.id)
        var start = 0
        while start < inOrder.count {
            let type = inOrder[start].type
            var end = start + 1
            while end < inOrder.count, inOrder[end].type == type { end += 1 }
            runs[type] = start..<end
            start = end
        }
        // Folding (Foundation, diacritics and case) is the slow part: both cores.
        let folded = inOrder.parallelMap { entry -> (title: String, others: [String]) in
            let title = Fold.key(entry.title)
            entry.foldedTitle = title
            return (title, [Fold.key(entry.id)] + entry.aliases.map { Fold.key($0.value) })
        }
        // The two name tables and the title order are made at the same time on both
        // cores; each variable is written by one part and read once all have finished.
        nonisolated(unsafe) var names: [String: [String]] = [:]
        nonisolated(unsafe) var foldedAsWritten: [String: String] = [:]
        nonisolated(unsafe) var titleRanks: [String: Int]? = nil
        DispatchQueue.concurrentPerform(iterations: ranking ? 3 : 2) { part in
            switch part {
            case 0:
                // Sized up front, and each entry's few keys deduplicated in place: growing
                // the table and a set per entry were half of making the index.
                names.reserveCapacity(inOrder.count * 2)
                var keys: [String] = []
                for (entry, folded) in zip(inOrder, folded) {
                    keys.removeAll(keepingCapacity: true)
                    for key in [folded.title] + folded.others where !key.isEmpty && !keys.contains(key) { keys.append(key) }
                    for key in keys { names[key, default: []].append(entry.id) }
                }
            case 1:
                foldedAsWritten.reserveCapacity(inOrder.count * 2)
                for (entry, folded) in zip(inOrder, folded) {
                    foldedAsWritten[entry.title] = folded.title
                    for (alias, key) in zip(entry.aliases, folded.others.dropFirst()) { foldedAsWritten[alias.value] = key }
                }
            default:
                let ordered = inOrder.sorted(by: Self.titleOrder).map(\.id)
                titleRanks = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
            }
        }
        (self.names, self.foldedAsWritten, self.titleRanks) = (names, foldedAsWritten, titleRanks)
        self.anchors = anchors
    }

    /// Position of every id in title order, so sorting a list compares two integers; nil
    /// when the index was made without ranking.
    private var titleRanks: [String: Int]? = nil

    /// By kind, then folded title, then id.
    private static func titleOrder(_ a: Entry, _ b: Entry) -> Bool {
        (a.type, a.foldedTitle, a.id) < (b.type, b.foldedTitle, b.id)
    }

    /// Ids claimed twice, reported once per extra claimant.
    public private(set) var duplicateDiagnostics: [Diagnostic] = []

    public subscript(id: String) -> Entry? { entries[id] }

    /// The ids of one type, in `orderedIDs` order (by id).
    public func ids(of type: EntryType) -> ArraySlice<String> { runs[type].map { orderedIDs[$0] } ?? [] }

    /// The ids sorted by kind, then folded title, then id.
    public func inTitleOrder<S: Sequence<String>>(_ ids: S) -> [String] {
        guard let titleRanks else { return ids.map { entries[$0]! }.sorted(by: Self.titleOrder).map(\.id) }
        return ids.map { (titleRanks[$0]!, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Finds what `text` names. An exact id wins over titles and aliases.
    public func lookup(_ text: String) -> Lookup {
        if entries[text] != nil { return .found(text) }
        let key = foldedAsWritten[text] ?? Fold.key(text)
        if let ids = names[key] {
            if ids.count == 1 { return .found(ids[0]) }
            if let exactID = ids.first(where: { $0 == key }) { return .found(exactID) }
            return .ambiguous(ids.sorted())
        }
        return .notFound(suggestions: suggestions(for: key))
    }

    /// Up to three ids whose id, title or alias is closest to `key` by edit distance.
    public func suggestions(for key: String, types: Set<EntryType>? = nil) -> [String] {
        let limit = max(2, key.count / 3)
        var best: [String: Int] = [:]
        for (name, ids) in names {
            let distance = Suggest.distance(key, name, limit: limit)
            guard distance <= limit else { continue }
            for id in ids where types?.contains(entries[id]!.type) ?? true {
                best[id] = min(best[id] ?? .max, distance)
            }
        }
        return best.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(3).map(\.key)
    }

    /// "did you mean [[id]] (Title)?" lines for a diagnostic.
    public func didYouMean(_ ids: [String], bracketed: Bool = true) -> [String] {
        ids.map { id in
            let shown = bracketed ? "[[\(id)]]" : "'\(id)'"
            let title = entries[id]?.title ?? id
            return title == id ? "did you mean \(shown)?" : "did you mean \(shown) (\(title))?"
        }
    }
}
