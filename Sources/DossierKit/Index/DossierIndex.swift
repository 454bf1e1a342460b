import Dispatch

/// Every entry of the dossier, findable by id, title/name or alias, folded so that case,
/// diacritics and Unicode normalisation do not matter.
public struct DossierIndex: Sendable {
    public private(set) var entries: [String: Entry] = [:]
    /// Entry ids in a stable order: by type, then id.
    public private(set) var orderedIDs: [String] = []
    /// The entries in that order: for the stages that go through every entry, which
    /// looked each one up by its id.
    public private(set) var orderedEntries: [Entry] = []
    /// Id → position in `orderedIDs`, without the dictionary for nearly every id (see ExactTextTable).
    private var idTable = ExactTextTable([], count: 0)
    /// Each entry's `titleRank` by ordinal, for sorting lists of ids without reading the entries.
    private var titleRanks: [Int] = []
    /// Where each type's ids lie in `orderedIDs` (one run each, since they come first by type).
    private var runs: [EntryType: Range<Int>] = [:]
    /// Where each type's run ends in `orderedEntries`, in `EntryType.allCases` order: an
    /// ordinal's type without reading the entry (a cold object at 50,000 notes).
    private var runEnds: [Int] = []
    /// Folded id, title or alias → the id it names: the first, in `orderedIDs` order,
    /// when it names several, which `sharedNames` then lists (ambiguous). One table of
    /// lists was a list made for each of some 30,000 names.
    private var names: [String: String] = [:]
    private var sharedNames: [String: [String]] = [:]
    /// Every id, title and alias as written → what `find` finds for it: the entry's
    /// ordinal, or for a name several entries share, -1 - its place in `ambiguousNames`.
    /// Most references write one of them exactly, and are then found with one look-up,
    /// without folding them (see `findByFolding`).
    private var namesAsWritten = ExactTextTable([], count: 0)
    private var ambiguousNames: [[String]] = []
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
    /// instead of ranked once for all, and a reference written as a title or an alias is
    /// folded to be found instead of looked up among every name as written (a table of
    /// 25,000 names at 10,000 notes): cheaper for a rebuild that sorts a few lists and
    /// resolves a few bodies.
    /// `anchors` are the heading anchors of each entry's body, in the order of `list`.
    public init(entries list: [Entry], anchors anchorLists: [[String]], ranking: Bool = true) {
        var diagnostics: [Diagnostic] = []
        entries.reserveCapacity(list.count)
        // By type, in declaration order, then by id. The notes come by path (a folder
        // per type, a file per id), so each type's entries are nearly always in id
        // order already: gathered by type, each run is only checked.
        var byType = Array(repeating: [Entry](), count: EntryType.allCases.count)
        for entry in list {
            // One hash per entry: an id taken already gets its first claimant back.
            if let first = entries.updateValue(entry, forKey: entry.id) {
                entries[entry.id] = first
                diagnostics.append(.error(entry.idLocation, "duplicate id '\(entry.id)'",
                                          notes: ["also used by \(first.idLocation.description)", "rename one of the two files (or change its 'id:')"]))
                continue
            }
            byType[entry.type.rank].append(entry)
        }
        duplicateDiagnostics = diagnostics
        var ordered: [Entry] = []
        ordered.reserveCapacity(entries.count)
        for (type, run) in zip(EntryType.allCases, byType) where !run.isEmpty {
            let isInOrder = zip(run, run.dropFirst()).allSatisfy { $0.id < $1.id }
            runs[type] = ordered.count..<(ordered.count + run.count)
            ordered += isInOrder ? run : run.sorted { $0.id < $1.id }
        }
        let inOrder = ordered
        runEnds = EntryType.allCases.map { runs[$0]?.upperBound ?? 0 }
        for position in runEnds.indices.dropFirst() { runEnds[position] = max(runEnds[position], runEnds[position - 1]) }
        orderedIDs = inOrder.map(\.id)
        orderedEntries = inOrder
        for (ordinal, entry) in inOrder.enumerated() { entry.ordinal = ordinal }
        idTable = ExactTextTable(orderedIDs.enumerated().lazy.map { ($1, Int32($0)) }, count: orderedIDs.count)
        // Folding (Foundation, diacritics and case) is the slow part: both cores, and
        // only for what is not folded already (an unchanged note's names, kept by its memo).
        let folded = inOrder.parallelMap { entry -> (title: String, others: [String]) in
            if let kept = entry.foldedNames, kept.title == entry.title {
                entry.foldedTitle = kept.titleKey
                return (kept.titleKey, kept.others)
            }
            let names = FoldedNames(title: entry.title, titleKey: Fold.key(entry.title),
                                    others: [Fold.key(entry.id)] + entry.aliases.map { Fold.key($0.value) })
            (entry.foldedTitle, entry.foldedNames) = (names.titleKey, names)
            return (names.titleKey, names.others)
        }
        // The two name tables and each type's title order are made at the same time on
        // both cores; each variable is written by one part and read once all have
        // finished, and each entry's rank by the part of its type.
        nonisolated(unsafe) var names: [String: String] = [:]
        nonisolated(unsafe) var sharedNames: [String: [String]] = [:]
        nonisolated(unsafe) var namesAsWritten = ExactTextTable([], count: 0)
        let byID = entries, idTable = idTable, orderedIDs = orderedIDs
        /// Whether `text` is an entry's id, which it then names whatever else it spells.
        @Sendable func isID(_ text: String) -> Bool {
            switch idTable.find(text) {
            case .value: true
            case .absent: false
            case .unknown: byID[text] != nil
            }
        }
        nonisolated(unsafe) var anchors: [String: [String]] = [:]
        let typeRuns = ranking ? EntryType.allCases.compactMap { runs[$0] } : []
        DispatchQueue.concurrentPerform(iterations: 3 + typeRuns.count) { part in
            switch part {
            case 0:
                // Sized up front, and each entry's few keys deduplicated in place: growing
                // the table and a set per entry were half of making the index.
                names.reserveCapacity(inOrder.count * 2)
                var keys: [String] = []
                func add(_ key: String) { if !key.isEmpty, !keys.contains(key) { keys.append(key) } }
                for (entry, folded) in zip(inOrder, folded) {
                    keys.removeAll(keepingCapacity: true)
                    add(folded.title)
                    for key in folded.others { add(key) }
                    for key in keys {
                        if let first = names.updateValue(entry.id, forKey: key) {
                            names[key] = first
                            sharedNames[key, default: [first]].append(entry.id)
                        }
                    }
                }
            case 1 where ranking:
                // Each id, then each title and alias with its entry (a name that is an id
                // names that entry; one that folds to nothing names none): what `find`
                // finds for each name no other entry shares, the others settled below.
                var keys = orderedIDs.enumerated().map { (text: $1, value: Int32($0)) }
                keys.reserveCapacity(inOrder.count * 3)
                for (entry, folded) in zip(inOrder, folded) {
                    let value = Int32(entry.ordinal)
                    if !folded.title.isEmpty, !isID(entry.title) { keys.append((entry.title, value)) }
                    for (alias, key) in zip(entry.aliases, folded.others.dropFirst()) where !key.isEmpty && !isID(alias.value) {
                        keys.append((alias.value, value))
                    }
                }
                namesAsWritten = ExactTextTable(keys, count: keys.count)
            case 1:
                break
            case 2:
                // By id; a duplicate (an error, reported above) adds its anchors to the first's.
                for (entry, entryAnchors) in zip(list, anchorLists) where !entryAnchors.isEmpty {
                    anchors[entry.id, default: []] += entryAnchors
                }
            default:
                // Title order is by type first: each type's run is sorted on its own, and
                // its entries ranked after the types before it.
                let run = typeRuns[part - 3]
                for (rank, entry) in zip(run, inOrder[run].sorted(by: Self.titleOrder)) { entry.titleRank = rank }
            }
        }
        // A name several entries share finds them all, or the one whose id it is.
        for (key, ids) in ranking ? sharedNames.sorted(by: { $0.key < $1.key }) : [] {
            let value: Int32
            if let exactID = ids.first(where: { $0 == key }) {
                value = Int32(byID[exactID]!.ordinal)
            } else {
                ambiguousNames.append(ids.sorted())
                value = -Int32(ambiguousNames.count)
            }
            for id in ids {
                let entry = byID[id]!
                var written = entry.foldedTitle == key ? [entry.title] : []
                for (alias, aliasKey) in zip(entry.aliases, entry.foldedNames?.others.dropFirst() ?? []) where aliasKey == key { written.append(alias.value) }
                for text in written where !isID(text) { namesAsWritten.set(value, for: text) }
            }
        }
        (self.names, self.sharedNames, self.namesAsWritten, isRanked) = (names, sharedNames, namesAsWritten, ranking)
        if ranking { titleRanks = inOrder.map(\.titleRank) }
        self.anchors = anchors
    }

    /// Whether every entry has its `titleRank`, its position in title order (so sorting a
    /// list compares two integers); false when the index was made without ranking.
    private var isRanked = false

    /// By kind, then folded title, then id.
    private static func titleOrder(_ a: Entry, _ b: Entry) -> Bool {
        (a.type, a.foldedTitle, a.id) < (b.type, b.foldedTitle, b.id)
    }

    /// Ids claimed twice, reported once per extra claimant.
    public private(set) var duplicateDiagnostics: [Diagnostic] = []

    public subscript(id: String) -> Entry? { ordinal(of: id).map { orderedEntries[$0] } }

    /// The entry's position in `orderedEntries` (see `Entry.ordinal`).
    func ordinal(of id: String) -> Int? {
        switch idTable.find(id) {
        case .value(let ordinal): Int(ordinal)
        case .absent: nil
        case .unknown: entries[id]?.ordinal
        }
    }

    /// The ordinal of `entry`, or for a duplicate (left out of the index) that of the
    /// entry its id names, without hashing the id when the entry has its own.
    func ordinal(ofIndexed entry: Entry) -> Int? {
        entry.ordinal >= 0 ? entry.ordinal : ordinal(of: entry.id)
    }

    /// The type of the entry at `ordinal` (see `Entry.ordinal`), read from the runs.
    func type(ofOrdinal ordinal: Int) -> EntryType {
        EntryType.allCases[runEnds.firstIndex { ordinal < $0 }!]
    }

    /// The ids of one type, in `orderedIDs` order (by id).
    public func ids(of type: EntryType) -> ArraySlice<String> { runs[type].map { orderedIDs[$0] } ?? [] }

    /// The ids sorted by kind, then folded title, then id.
    public func inTitleOrder<S: Sequence<String>>(_ ids: S) -> [String] {
        guard isRanked else { return ids.map { self[$0]! }.sorted(by: Self.titleOrder).map(\.id) }
        return ids.map { (titleRanks[ordinal(of: $0)!], $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The entries `ids` name, sorted as `inTitleOrder` sorts them, each once, by their
    /// position in `orderedEntries` (see `Entry.ordinal`). Ranked, the repeats are dropped
    /// once sorted (side by side then), without a set made for every list.
    func ordinals(inTitleOrderWithoutRepeats ids: [String]) -> [Int32] {
        guard isRanked else { return inTitleOrder(Set(ids)).map { Int32(ordinal(of: $0)!) } }
        let ranked = ids.map { id in
            let ordinal = ordinal(of: id)!
            return (rank: titleRanks[ordinal], ordinal: Int32(ordinal))
        }.sorted { $0.rank < $1.rank }
        var result: [Int32] = []
        result.reserveCapacity(ranked.count)
        for (offset, entry) in ranked.enumerated() where offset == 0 || ranked[offset - 1].rank != entry.rank { result.append(entry.ordinal) }
        return result
    }

    /// Finds what `text` names. An exact id wins over titles and aliases.
    public func lookup(_ text: String) -> Lookup {
        switch find(text) {
        case .entry(let entry): .found(entry.id)
        case .ambiguous(let ids): .ambiguous(ids)
        case .notFound(let key): .notFound(suggestions: suggestions(for: key))
        }
    }

    /// What `lookup` finds, with the entry itself: the two stages that resolve every
    /// reference need it, and looking its id up again was a second hash of the same key.
    enum Found {
        case entry(Entry)
        case ambiguous([String])
        /// With the folded key that was looked for.
        case notFound(key: String)
    }

    func find(_ text: String) -> Found {
        switch namesAsWritten.find(text) {
        case .value(let value): value >= 0 ? .entry(orderedEntries[Int(value)]) : .ambiguous(ambiguousNames[Int(-value) - 1])
        case .absent, .unknown: findByFolding(text)
        }
    }

    /// What `find` finds, without the names as written: the id, else the folded text.
    func findByFolding(_ text: String) -> Found {
        if let entry = self[text] { return .entry(entry) }
        let key = Fold.key(text)
        if let id = names[key] {
            guard let ids = sharedNames[key] else { return .entry(self[id]!) }
            if let exactID = ids.first(where: { $0 == key }) { return .entry(self[exactID]!) }
            return .ambiguous(ids.sorted())
        }
        return .notFound(key: key)
    }

    /// Up to three ids whose id, title or alias is closest to `key` by edit distance.
    public func suggestions(for key: String, types: Set<EntryType>? = nil) -> [String] {
        let limit = max(2, key.count / 3)
        var best: [String: Int] = [:]
        for (name, first) in names {
            let distance = Suggest.distance(key, name, limit: limit)
            guard distance <= limit else { continue }
            for id in sharedNames[name] ?? [first] where types?.contains(entries[id]!.type) ?? true {
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

/// An entry's names as the index looks them up: its title, id and aliases folded (see
/// `Fold.key`), with the title they were folded from. Kept in the note's memo: the id and
/// aliases come from the front-matter the memo stands for, and the title is folded again
/// if it is no longer this one (a note titled by its first heading).
struct FoldedNames: Sendable, Equatable {
    var title: String
    var titleKey: String
    /// The id's key, then each alias's.
    var others: [String]
}
