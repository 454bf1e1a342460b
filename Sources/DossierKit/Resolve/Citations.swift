/// The numbered notes of one page: each cited source gets a number in order of first
/// citation; every citation of it is an occurrence the note links back to.
public struct CitationRegistry: Sendable {
    public struct Occurrence: Sendable, Hashable {
        /// The marker's id on the page, target of the note's back-link.
        public var anchor: String
        public var locator: String?
    }

    public struct Note: Sendable {
        public var number: Int
        public var sourceID: String
        public var occurrences: [Occurrence]
    }

    public private(set) var notes: [Note] = []
    private var numberBySource: [String: Int] = [:]

    public init() {}

    /// Registers one citation and returns its note number and the marker's anchor.
    public mutating func cite(_ sourceID: String, locator: String?) -> (number: Int, anchor: String) {
        let number: Int
        if let existing = numberBySource[sourceID] {
            number = existing
        } else {
            number = notes.count + 1
            numberBySource[sourceID] = number
            notes.append(Note(number: number, sourceID: sourceID, occurrences: []))
        }
        let anchor = "cite-\(number)-\(notes[number - 1].occurrences.count + 1)"
        notes[number - 1].occurrences.append(Occurrence(anchor: anchor, locator: locator))
        return (number, anchor)
    }

    /// HTML for a group of citations, e.g. `[1, 3]`, each number linking to its note.
    /// A source cited twice in one group gets one marker carrying both locators.
    /// (Built by appending: a body has a marker every few sentences, and interpolating
    /// and joining the pieces cost more than the rest of resolving a citation.)
    public mutating func markerHTML(_ citations: [(sourceID: String, locator: String?)]) -> String {
        var groups: [(sourceID: String, locators: [String])] = []
        groups.reserveCapacity(citations.count)
        for citation in citations {
            if let index = groups.firstIndex(where: { $0.sourceID == citation.sourceID }) {
                if let locator = citation.locator { groups[index].locators.append(locator) }
            } else {
                groups.append((citation.sourceID, citation.locator.map { [$0] } ?? []))
            }
        }
        // Each group's note, registered in the order written; shown in number order.
        var markers: [(number: Int, anchor: String, locator: String?)] = []
        markers.reserveCapacity(groups.count)
        for group in groups {
            let locator = group.locators.isEmpty ? nil : group.locators.joined(separator: ", ")
            let (number, anchor) = cite(group.sourceID, locator: locator)
            markers.append((number, anchor, locator))
        }
        if markers.count > 1 { markers.sort { $0.number < $1.number } }
        var html = "<sup class=\"cite\">["
        html.reserveCapacity(markers.reduce(32) { $0 + 110 + ($1.locator?.utf8.count ?? 0) })
        for (offset, marker) in markers.enumerated() {
            if offset > 0 { html += ", " }
            let digits = String(marker.number)
            html += "<a id=\""
            html += marker.anchor
            html += "\" href=\"#note-"
            html += digits
            html += "\" role=\"doc-noteref\" aria-label=\"Source "
            html += digits
            if let locator = marker.locator {
                html += ", "
                html += HTML.escape(locator)
            }
            html += "\">"
            html += digits
            html += "</a>"
        }
        html += "]</sup>"
        return html
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
    /// Every delimiter is an ASCII character, so the text is read byte by byte (through
    /// Characters, parsing cost more than the rest of resolving a citation).
    public static func parse(_ inner: Substring) -> [CitationItem]? {
        let space = UInt8(ascii: " "), comma = UInt8(ascii: ",")
        let utf8 = inner.utf8
        // Offsets are in characters, like editors' columns; in ASCII text, bytes are characters.
        let isASCII = utf8.allSatisfy { $0 < 0x80 }
        var items: [CitationItem] = []
        for part in inner.splitting(at: UInt8(ascii: ";")) {
            let bytes = part.utf8
            let trimmed = bytes.drop { $0 == space }
            guard trimmed.first == UInt8(ascii: "@") else { return nil }
            let afterAt = trimmed.dropFirst()
            let id = afterAt.prefix { $0 != comma && $0 != space }
            guard !id.isEmpty else { return nil }
            var rest = afterAt[id.endIndex...].drop { $0 == space }
            if rest.first == comma { rest = rest.dropFirst() }
            let locator = inner[rest.startIndex..<rest.endIndex].trimmingSpaces
            let offset = isASCII ? utf8.distance(from: utf8.startIndex, to: trimmed.startIndex)
                                 : inner.distance(from: inner.startIndex, to: trimmed.startIndex)
            items.append(CitationItem(id: String(inner[id.startIndex..<id.endIndex]),
                                      locator: locator.isEmpty ? nil : String(locator), offset: offset))
        }
        return items
    }
}
