/// The six kinds of note a dossier holds; the folder gives the default, `type:` overrides it.
public enum EntryType: String, Sendable, CaseIterable, Comparable {
    case person, organization, place, event, source, note

    /// The folder under `Content/` and under `Site/`.
    public var folder: String {
        switch self {
        case .person: "people"
        case .organization: "organizations"
        case .place: "places"
        case .event: "events"
        case .source: "sources"
        case .note: "notes"
        }
    }

    public var pluralTitle: String {
        switch self {
        case .person: "People"
        case .organization: "Organisations"
        case .place: "Places"
        case .event: "Events"
        case .source: "Sources"
        case .note: "Case notes"
        }
    }

    public var singularTitle: String {
        switch self {
        case .person: "Person"
        case .organization: "Organisation"
        case .place: "Place"
        case .event: "Event"
        case .source: "Source"
        case .note: "Case note"
        }
    }

    public init?(folder: String) {
        guard let type = EntryType.allCases.first(where: { $0.folder == folder }) else { return nil }
        self = type
    }

    /// Declaration order, the order of sections and of sorting by kind.
    var rank: Int {
        switch self {
        case .person: 0
        case .organization: 1
        case .place: 2
        case .event: 3
        case .source: 4
        case .note: 5
        }
    }

    public static func < (a: EntryType, b: EntryType) -> Bool { a.rank < b.rank }
}

/// A value written in the content, with where it was written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// A reference to another entry from front-matter: the text as written, resolved later.
public typealias Reference = Located<String>

public struct Affiliation: Sendable, Hashable {
    public var organization: Reference
    public var role: String?
    public var from: Located<EDTFDate>?
    public var to: Located<EDTFDate>?
    public var sources: [Reference]
}

public struct Relation: Sendable, Hashable {
    public var with: Reference
    public var kind: String?
    public var sources: [Reference]
}

/// One note of the dossier after its front-matter has been read; the body stays a cmark tree.
/// A class: pages look entries up thousands of times, and a lookup should not copy thirty
/// fields. Filled in by the reading stages, then only read (hence `@unchecked Sendable`).
public final class Entry: @unchecked Sendable {
    public let id: String
    public let type: EntryType
    /// The page's path in `Site/` (`SitePaths.page`), made once: every link to the entry
    /// from every page asks for it.
    public let pagePath: String
    /// Where the entry came from: the file as displayed in diagnostics, and the id's location.
    public var file: String
    public var idLocation: SourceLocation
    public var title: String
    public var aliases: [Located<String>] = []
    public var summary: String?
    public var tags: [String] = []
    public var sources: [Reference] = []
    public var updated: Located<EDTFDate>?

    // Dated things: events (required), sources, notes.
    public var date: Located<EDTFDate>?

    // Person
    public var born: Located<EDTFDate>?
    public var died: Located<EDTFDate>?
    public var nationality: String?
    public var roles: [String] = []
    public var affiliations: [Affiliation] = []
    public var relations: [Relation] = []

    // Organisation and place
    public var kind: String?
    public var country: String?
    public var parent: Reference?
    public var coordinates: [Double]?

    // Event
    public var people: [Reference] = []
    public var organizations: [Reference] = []
    public var places: [Reference] = []

    // Source and note
    public var publisher: String?
    public var authors: [String] = []
    public var url: String?
    public var archiveURL: String?
    public var accessed: Located<EDTFDate>?
    public var language: String?
    public var via: Reference?

    /// The title folded as the index compares titles (set when the index is made).
    var foldedTitle = ""
    /// The keys the index folded the title, id and aliases to (set when the index is
    /// made, or by the memo of an unchanged note: see `FoldedNames`).
    var foldedNames: FoldedNames?
    /// The entry's position among all entries in the index's title order (set when the
    /// index is made with ranking).
    var titleRank = 0

    /// Keys the format does not define, kept for templates (scalars only).
    public var extra: [String: String] = [:]

    /// The Markdown body, parsed; nil until the parse stage ran.
    public var body: MarkdownDocument?
    /// File line of the body's first line, so body positions map back to the file.
    public var bodyFirstLine: Int = 1
    /// SHA-256 of the note's bytes as the analysis saw them (see NoteMemo): with the
    /// shared inputs, all the entry's page takes from its own file.
    var contentHash: ContentDigest? = nil
    /// The file's lines, for turning byte columns into character columns.
    public var lines: TextLines

    public init(id: String, type: EntryType, file: String, idLocation: SourceLocation, title: String, lines: TextLines) {
        self.id = id
        self.type = type
        pagePath = SitePaths.page(type: type, id: id)
        self.file = file
        self.idLocation = idLocation
        self.title = title
        self.lines = lines
    }

    var frontMatterReferenceCount: Int {
        var count = sources.count + people.count + organizations.count + places.count + (via == nil ? 0 : 1) + (parent == nil ? 0 : 1)
        for affiliation in affiliations { count += 1 + affiliation.sources.count }
        for relation in relations { count += 1 + relation.sources.count }
        return count
    }

    /// Each front-matter reference with the entry `links` (a memo's `frontMatterLinks`,
    /// one per reference in this order) says it named; those that named none are skipped.
    func forEachFrontMatterTarget(_ links: [String], _ visit: (Reference, String, String) -> Void) {
        var position = 0
        forEachFrontMatterReference { reference, key, _ in
            defer { position += 1 }
            if position < links.count, !links[position].isEmpty { visit(reference, key, links[position]) }
        }
    }

    /// Every front-matter reference with the type(s) of entry it must name, in their fixed
    /// order (the order of a memo's `frontMatterLinks`), without making a list.
    func forEachFrontMatterReference(_ visit: (Reference, String, EntryTypes) -> Void) {
        typealias Allowed = FrontMatterTargets
        for reference in sources { visit(reference, "sources", Allowed.source) }
        for reference in people { visit(reference, "people", Allowed.person) }
        for reference in organizations { visit(reference, "organizations", Allowed.organization) }
        for reference in places { visit(reference, "places", Allowed.place) }
        if let via { visit(via, "via", Allowed.source) }
        if let parent { visit(parent, "parent", Allowed.organization) }
        for affiliation in affiliations {
            visit(affiliation.organization, "org", Allowed.organization)
            for reference in affiliation.sources { visit(reference, "sources", Allowed.source) }
        }
        for relation in relations {
            visit(relation.with, "with", Allowed.personOrOrganization)
            for reference in relation.sources { visit(reference, "sources", Allowed.source) }
        }
    }
}

/// What one entry's front-matter references resolved to, found by the reference as
/// written (its text and place in the file).
public struct ResolvedReferences: Sendable {
    private let pairs: [(reference: Reference, target: String)]
    /// Only for an entry with many references; the few of most are searched in order.
    private let table: [Reference: String]?

    init(_ pairs: [(reference: Reference, target: String)]) {
        self.pairs = pairs
        table = pairs.count > 32 ? Dictionary(pairs, uniquingKeysWith: { first, _ in first }) : nil
    }

    public subscript(reference: Reference) -> String? {
        if let table { return table[reference] }
        return pairs.first { $0.reference == reference }?.target
    }

    var isEmpty: Bool { pairs.isEmpty }
    var targets: [String] { pairs.map(\.target) }
}

/// What each front-matter reference may name.
enum FrontMatterTargets {
    static let source = EntryTypes(.source)
    static let person = EntryTypes(.person)
    static let organization = EntryTypes(.organization)
    static let place = EntryTypes(.place)
    static let personOrOrganization: EntryTypes = [EntryTypes(.person), EntryTypes(.organization)]
}

/// A few entry types as bits. Copied without reference counting, unlike the shared
/// `Set` values it replaces, which every front-matter reference retained and released
/// on both cores (the stage took a quarter longer).
struct EntryTypes: OptionSet, Sendable {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ type: EntryType) {
        // A switch, not a search of `allCases`, which makes an array at every call.
        rawValue = switch type {
        case .person: 1
        case .organization: 2
        case .place: 4
        case .event: 8
        case .source: 16
        case .note: 32
        }
    }

    func contains(_ type: EntryType) -> Bool { contains(EntryTypes(type)) }

    var types: Set<EntryType> { Set(EntryType.allCases.filter { contains($0) }) }
}
