import Dispatch

/// Who links to each entry: the entries mentioning it, the events naming it and the pages
/// citing it. Gathered unsorted, repeats included; a build that renders many pages sorts
/// every list up front, on both cores, and a rebuild that renders a few sorts only the
/// lists those pages ask for (sorting all was 5 % of a one-edit rebuild at 10k notes).
public struct BackLinks: Sendable {
    private let unsortedMentions: [String: [String]]
    private let unsortedEvents: [String: [String]]
    private let unsortedCitedBy: [String: [(String, [String])]]
    private let index: DossierIndex
    /// Event id → its place in the timeline.
    private let timelineOrder: [String: Int]
    private var sorted: (mentions: [String: [String]], events: [String: [String]], citedBy: [String: [(String, [String])]])?

    init(mentions: [String: [String]], events: [String: [String]], citedBy: [String: [(String, [String])]],
         index: DossierIndex, timeline: [String], sortingAll: Bool) {
        (unsortedMentions, unsortedEvents, unsortedCitedBy, self.index) = (mentions, events, citedBy, index)
        timelineOrder = Dictionary(uniqueKeysWithValues: timeline.enumerated().map { ($1, $0) })
        guard sortingAll else { return }
        // The three kinds at the same time; each result is written by one iteration and
        // read once all have finished.
        nonisolated(unsafe) var sortedMentions: [String: [String]] = [:]
        nonisolated(unsafe) var sortedEvents: [String: [String]] = [:]
        nonisolated(unsafe) var sortedCitedBy: [String: [(String, [String])]] = [:]
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

    /// Ids of the entries whose body or front-matter links to `id` (events excluded), in title order.
    public func mentions(of id: String) -> [String] {
        if let sorted { return sorted.mentions[id] ?? [] }
        return unsortedMentions[id].map(inTitleOrder) ?? []
    }

    /// Ids of the events naming a person, organisation or place, in timeline order.
    public func events(naming id: String) -> [String] {
        if let sorted { return sorted.events[id] ?? [] }
        return unsortedEvents[id].map(inTimelineOrder) ?? []
    }

    /// The pages citing a source, with the locators used there, by page id.
    public func citedBy(_ id: String) -> [(pageID: String, locators: [String])] {
        if let sorted { return sorted.citedBy[id] ?? [] }
        return unsortedCitedBy[id].map(Self.byPage) ?? []
    }

    /// Whether something links to the entry, cites it or names it in an event.
    func isLinked(_ id: String) -> Bool {
        unsortedMentions[id] != nil || unsortedEvents[id] != nil || unsortedCitedBy[id] != nil
    }

    private func inTitleOrder(_ ids: [String]) -> [String] { index.inTitleOrder(Set(ids)) }

    private func inTimelineOrder(_ ids: [String]) -> [String] {
        Set(ids).map { (timelineOrder[$0] ?? .max, $0) }.sorted { $0 < $1 }.map(\.1)
    }

    private static func byPage(_ pages: [(String, [String])]) -> [(String, [String])] { pages.sorted { $0.0 < $1.0 } }
}
