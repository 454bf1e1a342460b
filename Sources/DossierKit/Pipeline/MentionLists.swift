import Dispatch

/// Who links to whom, gathered from every note's memo (what its body links to and cites,
/// what its front-matter names): the lists BackLinks sorts and the editorial warnings read.
/// Unsorted, repeats included (appending is cheaper than set inserts; the repeats go when
/// a list is sorted).
///
/// Gathered for every entry, or only for some: a rebuild in which a few bodies changed
/// and nothing else needs the lists of the entries those bodies touch, and a gathering
/// that keeps only those skips nearly every insert (it was a seventh of a one-edit
/// rebuild at 10,000 notes). The two halves, front-matter and bodies, write separate
/// fields, so they can be gathered on both cores at once.
struct MentionLists: Sendable {
    /// Target → the entries whose body links to it.
    var bodyMentions: [String: [String]] = [:]
    /// Target → the entries whose front-matter names it (an event's people,
    /// organisations and places excepted).
    var frontMatterMentions: [String: [String]] = [:]
    /// Person, organisation or place → the events naming it.
    var events: [String: [String]] = [:]
    /// Source → the pages citing it, with the locators used there.
    var citedBy: [String: [BackLinks.Citing]] = [:]
    /// Entries whose page cites at least one source.
    var citing = Set<String>()
    /// Entries named by a front-matter reference that no list above records: in a
    /// `sources:` or `via:` list, or by the entry itself.
    var namedOutside = Set<String>()

    /// A note as the gathering reads it: its entry and its memo (body, front-matter targets).
    struct Note: Sendable {
        let entry: Entry
        let memo: NoteMemo
    }

    /// The few entries a partial gathering keeps (see `gather`). Nearly every target the
    /// notes name is none of them: a filter of their ids' lengths and last bytes passes
    /// most targets over without hashing them, and a note none of whose front-matter
    /// targets is wanted without walking its references.
    struct Wanted: Sendable {
        let ids: Set<String>
        private var lengths: UInt64 = 0
        private var ends: UInt64 = 0

        init(_ ids: Set<String>) {
            self.ids = ids
            for id in ids { (lengths, ends) = (lengths | Self.bit(id.utf8.count), ends | Self.bit(Int(id.utf8.last ?? 0))) }
        }

        private static func bit(_ value: Int) -> UInt64 { 1 << UInt64(value & 63) }

        func contains(_ id: String) -> Bool {
            let utf8 = id.utf8
            return lengths & Self.bit(utf8.count) != 0 && ends & Self.bit(Int(utf8.last ?? 0)) != 0 && ids.contains(id)
        }

        /// The id these UTF-8 bytes spell, if it is wanted (a string is made only of bytes
        /// that pass the filter).
        func matching(_ bytes: SharedBytes) -> String? {
            guard lengths & Self.bit(bytes.count) != 0, ends & Self.bit(Int(bytes.last ?? 0)) != 0 else { return nil }
            let id = String(decoding: bytes, as: UTF8.self)
            return ids.contains(id) ? id : nil
        }
    }

    /// Every list, or (`only`) the lists of those targets, on both cores.
    static func gather(_ notes: [Note], only wanted: Wanted? = nil) -> MentionLists {
        // Each variable is written by one part and read once all have finished.
        nonisolated(unsafe) var frontMatter = MentionLists()
        nonisolated(unsafe) var mentions = MentionLists()
        nonisolated(unsafe) var citations = MentionLists()
        DispatchQueue.concurrentPerform(iterations: 3) { part in
            switch part {
            case 0: frontMatter.gatherFrontMatter(notes, only: wanted)
            case 1: mentions.gatherBodyMentions(notes, only: wanted)
            default: citations.gatherCitations(notes, only: wanted)
            }
        }
        return frontMatter.withBodies(mentions: mentions, citations: citations)
    }

    /// These front-matter lists with the body mentions of `mentions` and the citations of
    /// `citations`, each gathered on its own.
    consuming func withBodies(mentions: consuming MentionLists, citations: consuming MentionLists) -> MentionLists {
        var lists = self
        (lists.bodyMentions, lists.citedBy, lists.citing) = (mentions.bodyMentions, citations.citedBy, citations.citing)
        return lists
    }

    /// What the notes' front-matter names. Writes `frontMatterMentions`, `events` and
    /// `namedOutside` only.
    mutating func gatherFrontMatter(_ notes: [Note], only wanted: Wanted?) {
        for note in notes {
            let targets = note.memo.frontMatterLinks
            guard !targets.isEmpty else { continue }
            if let wanted, !targets.contains(anyOf: wanted) { continue }
            let id = note.entry.id
            let isEvent = note.entry.type == .event
            note.entry.forEachFrontMatterTarget(targets.array) { _, key, target in
                if let wanted, !wanted.contains(target) { return }
                if target == id || key == "sources" || key == "via" {
                    namedOutside.insert(target)
                } else if isEvent, key == "people" || key == "organizations" || key == "places" {
                    events[target, default: []].append(id)
                } else {
                    frontMatterMentions[target, default: []].append(id)
                }
            }
        }
    }

    /// What the notes' bodies link to. Writes `bodyMentions` only.
    mutating func gatherBodyMentions(_ notes: [Note], only wanted: Wanted?) {
        if wanted == nil { bodyMentions.reserveCapacity(notes.count) }
        for note in notes {
            let id = note.entry.id
            let references = note.memo.body.references
            guard let wanted else {
                for target in references where target != id { bodyMentions[target, default: []].append(id) }
                continue
            }
            references.forEach(in: wanted) { target in
                if target != id { bodyMentions[target, default: []].append(id) }
            }
        }
    }

    /// What the notes' bodies (and front-matter `sources:`) cite. Writes `citedBy` and
    /// `citing` only.
    mutating func gatherCitations(_ notes: [Note], only wanted: Wanted?) {
        if wanted == nil { citing.reserveCapacity(notes.count) }
        for note in notes {
            let (id, ordinal) = (note.entry.id, Int32(note.entry.ordinal))
            let body = note.memo.body
            body.cited.forEach(in: wanted) { source in citedBy[source.sourceID, default: []].append((id, ordinal, source.locators)) }
            if !body.cited.isEmpty, wanted?.contains(id) ?? true { citing.insert(id) }
        }
    }

    /// The body and front-matter mentions in one table (merged in place: the lists are
    /// given up).
    mutating func takeMentions() -> [String: [String]] {
        var mentions: [String: [String]] = [:]
        swap(&mentions, &bodyMentions)
        mentions.merge(frontMatterMentions) { body, frontMatter in body + frontMatter }
        frontMatterMentions = [:]
        return mentions
    }
}
