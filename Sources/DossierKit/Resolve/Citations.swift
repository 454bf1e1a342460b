/// The numbered notes of one page: each cited source gets a number in order of first
/// citation; every citation of it is an occurrence the note links back to.
public struct CitationRegistry: Sendable {
    public struct Occurrence: Sendable, Hashable {
        /// The note's number, and this citation's place among the note's (from 1).
        var number: Int
        var position: Int
        public var locator: String?

        /// The marker's id on the page, target of the note's back-link.
        public var anchor: String { "cite-\(number)-\(position)" }
    }

    public struct Note: Sendable {
        public var number: Int
        public var sourceID: String
        /// The source's `Entry.ordinal`, when the citation was resolved against the index
        /// (-1 otherwise): its page finds the source's fragment without looking it up.
        var sourceOrdinal: Int
        public var occurrences: [Occurrence]
    }

    public private(set) var notes: [Note] = []
    /// Note numbers by source, for a page citing many sources; the few of most pages are
    /// searched in order (a table made for every page was most of registering a citation).
    private var numberBySource: [String: Int]? = nil

    public init() {}

    /// Registers one citation and returns its note number and the marker's anchor.
    public mutating func cite(_ sourceID: String, locator: String?) -> (number: Int, anchor: String) {
        let occurrence = register(sourceID, ordinal: -1, locator: locator)
        return (occurrence.number, occurrence.anchor)
    }

    private mutating func register(_ sourceID: String, ordinal: Int, locator: String?) -> Occurrence {
        let number: Int
        if let known = self.number(of: sourceID) {
            number = known
        } else {
            notes.append(Note(number: notes.count + 1, sourceID: sourceID, sourceOrdinal: ordinal, occurrences: []))
            numberBySource?[sourceID] = notes.count
            if numberBySource == nil, notes.count > 16 {
                numberBySource = Dictionary(uniqueKeysWithValues: notes.map { ($0.sourceID, $0.number) })
            }
            number = notes.count
        }
        let occurrence = Occurrence(number: number, position: notes[number - 1].occurrences.count + 1, locator: locator)
        notes[number - 1].occurrences.append(occurrence)
        return occurrence
    }

    private func number(of sourceID: String) -> Int? {
        if let numberBySource { return numberBySource[sourceID] }
        return notes.first { $0.sourceID == sourceID }?.number
    }

    /// HTML for a group of citations, e.g. `[1, 3]`, each number linking to its note.
    /// A source cited twice in one group gets one marker carrying both locators.
    /// (Built as bytes: a body has a marker every few sentences, and interpolating and
    /// joining the pieces, or appending them to a string, cost more than the rest of
    /// resolving a citation.)
    public mutating func markerHTML(_ citations: [(sourceID: String, locator: String?)]) -> String {
        String(decoding: markerBytes(citations.map { ($0.sourceID, -1, $0.locator) }), as: UTF8.self)
    }

    /// The same marker as UTF-8 bytes, for a body's HTML; `ordinal`: the source's
    /// `Entry.ordinal`, or -1.
    mutating func markerBytes(_ citations: [(sourceID: String, ordinal: Int, locator: String?)]) -> [UInt8] {
        var groups: [(sourceID: String, ordinal: Int, locators: [String])] = []
        groups.reserveCapacity(citations.count)
        for citation in citations {
            if let index = groups.firstIndex(where: { $0.sourceID == citation.sourceID }) {
                if let locator = citation.locator { groups[index].locators.append(locator) }
            } else {
                groups.append((citation.sourceID, citation.ordinal, citation.locator.map { [$0] } ?? []))
            }
        }
        // Each group's note, registered in the order written; shown in number order.
        var markers: [Occurrence] = []
        markers.reserveCapacity(groups.count)
        for group in groups {
            markers.append(register(group.sourceID, ordinal: group.ordinal,
                                    locator: group.locators.isEmpty ? nil : group.locators.joined(separator: ", ")))
        }
        if markers.count > 1 { markers.sort { $0.number < $1.number } }
        var html = HTMLBytes(capacity: markers.reduce(32) { $0 + 110 + ($1.locator?.utf8.count ?? 0) })
        html.add("<sup class=\"cite\">[")
        for (offset, marker) in markers.enumerated() {
            if offset > 0 { html.add(", ") }
            html.add("<a id=\"cite-")
            html.add(decimal: marker.number)
            html.add("-")
            html.add(decimal: marker.position)
            html.add("\" href=\"#note-")
            html.add(decimal: marker.number)
            html.add("\" role=\"doc-noteref\" aria-label=\"Source ")
            html.add(decimal: marker.number)
            if let locator = marker.locator {
                html.add(", ")
                html.add(escaping: locator)
            }
            html.add("\">")
            html.add(decimal: marker.number)
            html.add("</a>")
        }
        html.add("]</sup>")
        return html.bytes
    }
}

/// One `[@id, locator]` inside a citation group, as written.
public struct CitationItem: Sendable, Equatable {
    public var id: String
    public var locator: String?
    /// Offset of the `@` within the bracket's text, for diagnostics.
    public var offset: Int
}

public enum CitationSyntax {
    /// Parses the inside of `[@a, p. 4; @b]`; nil when a part does not start with `@`.
    /// Every delimiter is an ASCII character, so the text is read as bytes, on its own
    /// storage (through Characters, and then through its UTF8View's indices, parsing cost
    /// more than the rest of resolving a citation).
    public static func parse(_ inner: Substring) -> [CitationItem]? {
        inner.utf8.withContiguousStorageIfAvailable { parse(inner, $0) } ?? Array(inner.utf8).withUnsafeBufferPointer { parse(inner, $0) }
    }

    private static func parse(_ inner: Substring, _ bytes: UnsafeBufferPointer<UInt8>) -> [CitationItem]? {
        let space = UInt8(ascii: " "), comma = UInt8(ascii: ","), semicolon = UInt8(ascii: ";")
        let utf8 = inner.utf8
        func text(_ range: Range<Int>) -> String {
            String(inner[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
        }
        // Offsets are in characters, like editors' columns; in ASCII text, bytes are characters.
        let isASCII = bytes.allSatisfy { $0 < 0x80 }
        var items: [CitationItem] = []
        var partStart = 0
        while partStart <= bytes.count {
            var partEnd = partStart
            while partEnd < bytes.count, bytes[partEnd] != semicolon { partEnd += 1 }
            var at = partStart
            while at < partEnd, bytes[at] == space { at += 1 }
            guard at < partEnd, bytes[at] == UInt8(ascii: "@") else { return nil }
            var idEnd = at + 1
            while idEnd < partEnd, bytes[idEnd] != comma, bytes[idEnd] != space { idEnd += 1 }
            guard idEnd > at + 1 else { return nil }
            var locatorStart = idEnd
            while locatorStart < partEnd, bytes[locatorStart] == space { locatorStart += 1 }
            if locatorStart < partEnd, bytes[locatorStart] == comma { locatorStart += 1 }
            while locatorStart < partEnd, bytes[locatorStart] == space { locatorStart += 1 }
            var locatorEnd = partEnd
            while locatorEnd > locatorStart, bytes[locatorEnd - 1] == space { locatorEnd -= 1 }
            let offset = isASCII ? at : inner.distance(from: inner.startIndex, to: utf8.index(utf8.startIndex, offsetBy: at))
            items.append(CitationItem(id: text(at + 1..<idEnd), locator: locatorEnd > locatorStart ? text(locatorStart..<locatorEnd) : nil,
                                      offset: offset))
            partStart = partEnd + 1
        }
        return items
    }
}
