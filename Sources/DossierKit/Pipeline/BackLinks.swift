import Dispatch
import Foundation

/// Who links to each entry: the entries mentioning it, the events naming it and the pages
/// citing it. Gathered unsorted, repeats included; a build that renders many pages sorts
/// every list up front, on both cores, and a rebuild that renders a few sorts only the
/// lists those pages ask for (sorting all was 5 % of a one-edit rebuild at 10k notes).
///
/// A rebuild in which only bodies changed gathers the lists of the entries those bodies
/// touch (`covered`, see MentionLists): no other page can have changed. Should another
/// entry's lists be asked for after all (its page's file was changed by hand, or the
/// templates changed), every entry's are gathered then, once.
public struct BackLinks: Sendable {
    /// A page citing a source (its id and `Entry.ordinal`), with the locators used there.
    /// Labelled where it is stored as where it is read: an unlabelled tuple array handed
    /// out as a labelled one is copied element by element.
    public typealias Citing = (pageID: String, ordinal: Int32, locators: [String])

    private let unsortedMentions: [String: [String]]
    private let unsortedEvents: [String: [String]]
    private let unsortedCitedBy: [String: [Citing]]
    private let citing: Set<String>
    private let namedOutside: Set<String>
    private let index: DossierIndex
    /// Event id → its place in the timeline, and the event's `Entry.ordinal`.
    private let timelineOrder: [String: (position: Int, ordinal: Int32)]
    /// Entries named by ordinal (see `Entry.ordinal`).
    private var sorted: (mentions: [String: [Int32]], events: [String: [Int32]], citedBy: [String: [Citing]])?
    /// The entries whose lists were gathered; nil when every entry's were.
    let covered: Set<String>?
    private let everyEntry: EveryEntry?

    /// `partial`: the lists are those of `covered` alone, and `gatherAll` gives every
    /// entry's, for an entry outside it.
    init(_ lists: consuming MentionLists, index: DossierIndex, timeline: [String], sortingAll: Bool,
         partial: (covered: Set<String>, gatherAll: @Sendable () -> MentionLists)? = nil) {
        var lists = lists
        let (mentions, events, citedBy) = (lists.takeMentions(), lists.events, lists.citedBy)
        (unsortedMentions, unsortedEvents, unsortedCitedBy, self.index) = (mentions, events, citedBy, index)
        (citing, namedOutside, covered) = (lists.citing, lists.namedOutside, partial?.covered)
        everyEntry = partial.map { partial in
            EveryEntry { BackLinks(partial.gatherAll(), index: index, timeline: timeline, sortingAll: false) }
        }
        timelineOrder = Dictionary(uniqueKeysWithValues: timeline.enumerated().map { ($1, ($0, Int32(index[$1]!.ordinal))) })
        guard sortingAll else { return }
        // The three kinds at the same time; each result is written by one iteration and
        // read once all have finished.
        nonisolated(unsafe) var sortedMentions: [String: [Int32]] = [:]
        nonisolated(unsafe) var sortedEvents: [String: [Int32]] = [:]
        nonisolated(unsafe) var sortedCitedBy: [String: [Citing]] = [:]
        let links = self
        DispatchQueue.concurrentPerform(iterations: 3) { part in
            switch part {
            case 0: sortedMentions = mentions.mapValues(links.inTitleOrder)
            case 1: sortedEvents = events.mapValues(links.inTimelineOrder)
            default: sortedCitedBy = citedBy.mapValues(Self.byPage)
            }
        }
        sorted = (sortedMentions, sortedEvents, sortedCitedBy)
    }

    /// Every entry's lists when `id`'s were not gathered.
    private func all(unless id: String) -> BackLinks? {
        guard let covered, !covered.contains(id) else { return nil }
        return everyEntry?.links
    }

    /// Gathers every entry's lists now, if they were gathered for a few: for a build
    /// that will ask for many.
    func coverEveryEntry() { _ = everyEntry?.links }

    /// Ids of the entries whose body or front-matter links to `id` (events excluded), in title order.
    public func mentions(of id: String) -> [String] { ids(mentionOrdinals(of: id)) }

    /// The same entries by `Entry.ordinal`.
    func mentionOrdinals(of id: String) -> [Int32] {
        if let all = all(unless: id) { return all.mentionOrdinals(of: id) }
        if let sorted { return sorted.mentions[id] ?? [] }
        return unsortedMentions[id].map(inTitleOrder) ?? []
    }

    /// Ids of the events naming a person, organisation or place, in timeline order.
    public func events(naming id: String) -> [String] { ids(eventOrdinals(naming: id)) }

    /// The same events by `Entry.ordinal`.
    func eventOrdinals(naming id: String) -> [Int32] {
        if let all = all(unless: id) { return all.eventOrdinals(naming: id) }
        if let sorted { return sorted.events[id] ?? [] }
        return unsortedEvents[id].map(inTimelineOrder) ?? []
    }

    private func ids(_ ordinals: [Int32]) -> [String] { ordinals.map { index.orderedIDs[Int($0)] } }

    /// The pages citing a source, with the locators used there, by page id.
    public func citedBy(_ id: String) -> [Citing] {
        if let all = all(unless: id) { return all.citedBy(id) }
        if let sorted { return sorted.citedBy[id] ?? [] }
        return unsortedCitedBy[id].map(Self.byPage) ?? []
    }

    /// Whether something links to the entry, cites it, names it in an event or in a
    /// front-matter list (`sources:`, `via:`).
    func isLinked(_ id: String) -> Bool {
        if let all = all(unless: id) { return all.isLinked(id) }
        return unsortedMentions[id] != nil || unsortedEvents[id] != nil || unsortedCitedBy[id] != nil || namedOutside.contains(id)
    }

    /// Whether the entry's page cites at least one source.
    func cites(_ id: String) -> Bool {
        if let all = all(unless: id) { return all.cites(id) }
        return citing.contains(id)
    }

    private func inTitleOrder(_ ids: [String]) -> [Int32] { index.ordinals(inTitleOrderWithoutRepeats: ids) }

    /// By place in the timeline; an event not in it (undated) last, by id.
    private func inTimelineOrder(_ ids: [String]) -> [Int32] {
        Set(ids).map { id in (timelineOrder[id] ?? (.max, Int32(index[id]!.ordinal)), id) }
            .sorted { ($0.0.position, $0.1) < ($1.0.position, $1.1) }
            .map(\.0.ordinal)
    }

    private static func byPage(_ pages: [Citing]) -> [Citing] { pages.sorted { $0.pageID < $1.pageID } }

    /// Every entry's lists, gathered the first time they are asked for (by whichever
    /// thread asks first; the others wait for them).
    private final class EveryEntry: @unchecked Sendable {
        // @unchecked: `made` is only touched under `lock`.
        private let lock = NSLock()
        private let make: @Sendable () -> BackLinks
        private var made: BackLinks?

        init(_ make: @escaping @Sendable () -> BackLinks) { self.make = make }

        var links: BackLinks {
            lock.withLock {
                if let made { return made }
                let links = make()
                made = links
                return links
            }
        }
    }
}
