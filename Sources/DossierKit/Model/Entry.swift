import Synchronization

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
    // Dated things: events (required), sources, notes.
    public var date: Located<EDTFDate>?

    /// The rest of the front-matter (see `EntryDetails`); read through the properties
    /// below, which decode it first for an entry from the build cache. Kept apart from the
    /// entry, and for an entry from the cache only once decoded: inline, its thirty fields
    /// made every entry 1.3 kB, written on creation, which a rebuild after one edit did for
    /// thousands of entries whose details it never reads.
    private var storedDetails: DetailsBox?
    private var details: EntryDetails {
        _read { loadDetails(); yield storedDetails.unsafelyUnwrapped.value }
        _modify { loadDetails(); yield &storedDetails!.value }
    }
    /// An entry from the build cache keeps its details as the cache's bytes until they
    /// are first read: a rebuild after one edit reads them for a few entries out of
    /// thousands, and decoding them all was its largest part. Nil for an entry read from
    /// its file, and for one whose details were decoded.
    private let pendingDetails: PendingDetails?

    public var summary: String? { get { details.summary } set { details.summary = newValue } }
    public var tags: [String] { get { details.tags } set { details.tags = newValue } }
    public var sources: [Reference] { get { details.sources } set { details.sources = newValue } }
    public var updated: Located<EDTFDate>? { get { details.updated } set { details.updated = newValue } }
    // Person
    public var born: Located<EDTFDate>? { get { details.born } set { details.born = newValue } }
    public var died: Located<EDTFDate>? { get { details.died } set { details.died = newValue } }
    public var nationality: String? { get { details.nationality } set { details.nationality = newValue } }
    public var roles: [String] { get { details.roles } set { details.roles = newValue } }
    public var affiliations: [Affiliation] { get { details.affiliations } set { details.affiliations = newValue } }
    public var relations: [Relation] { get { details.relations } set { details.relations = newValue } }
    // Organisation and place
    public var kind: String? { get { details.kind } set { details.kind = newValue } }
    public var country: String? { get { details.country } set { details.country = newValue } }
    public var parent: Reference? { get { details.parent } set { details.parent = newValue } }
    public var coordinates: [Double]? { get { details.coordinates } set { details.coordinates = newValue } }
    // Event
    public var people: [Reference] { get { details.people } set { details.people = newValue } }
    public var organizations: [Reference] { get { details.organizations } set { details.organizations = newValue } }
    public var places: [Reference] { get { details.places } set { details.places = newValue } }
    // Source and note
    public var publisher: String? { get { details.publisher } set { details.publisher = newValue } }
    public var authors: [String] { get { details.authors } set { details.authors = newValue } }
    public var url: String? { get { details.url } set { details.url = newValue } }
    public var archiveURL: String? { get { details.archiveURL } set { details.archiveURL = newValue } }
    public var accessed: Located<EDTFDate>? { get { details.accessed } set { details.accessed = newValue } }
    public var language: String? { get { details.language } set { details.language = newValue } }
    public var via: Reference? { get { details.via } set { details.via = newValue } }
    /// Keys the format does not define, kept for templates (scalars only).
    public var extra: [String: String] { get { details.extra } set { details.extra = newValue } }
    /// File line of the body's first line, so body positions map back to the file.
    public var bodyFirstLine: Int { get { details.bodyFirstLine } set { details.bodyFirstLine = newValue } }

    /// The title folded as the index compares titles (set when the index is made).
    var foldedTitle = ""
    /// The keys the index folded the title, id and aliases to (set when the index is
    /// made, or by the memo of an unchanged note: see `FoldedNames`).
    var foldedNames: FoldedNames?
    /// The entry's position among all entries in the index's title order (set when the
    /// index is made with ranking).
    var titleRank = 0
    /// The entry's position in the index's `orderedEntries` (set when the index is made):
    /// the stages that make pages keep what they made for each entry in arrays by this
    /// number, and back-links name entries by it, rather than hashing ids in tables of
    /// tens of thousands, which at 50,000 notes no longer fit in the processor's cache.
    var ordinal = -1

    /// The Markdown body, parsed; nil until the parse stage ran.
    public var body: MarkdownDocument?
    /// SHA-256 of the note's bytes as the analysis saw them (see NoteMemo): with the
    /// shared inputs, all the entry's page takes from its own file.
    var contentHash: ContentDigest? = nil
    /// The file's lines, for turning byte columns into character columns.
    public var lines: TextLines

    public convenience init(id: String, type: EntryType, file: String, idLocation: SourceLocation, title: String, lines: TextLines) {
        self.init(id: id, type: type, file: file, idLocation: idLocation, title: title, lines: lines, pendingDetails: nil)
    }

    /// An entry from the build cache, its details still encoded (see EntryCodec; their
    /// bytes were checked against their checksum when the entry was read).
    convenience init(id: String, type: EntryType, file: String, idLocation: SourceLocation, title: String, lines: TextLines,
                     encodedDetails: SharedBytes, referenceCount: Int) {
        self.init(id: id, type: type, file: file, idLocation: idLocation, title: title, lines: lines,
                  pendingDetails: PendingDetails(encodedDetails, referenceCount: referenceCount))
    }

    private init(id: String, type: EntryType, file: String, idLocation: SourceLocation, title: String, lines: TextLines,
                 pendingDetails: PendingDetails?) {
        self.id = id
        self.type = type
        pagePath = SitePaths.page(type: type, id: id)
        self.file = file
        self.idLocation = idLocation
        self.title = title
        self.lines = lines
        self.pendingDetails = pendingDetails
        if pendingDetails == nil { storedDetails = DetailsBox(EntryDetails()) }
    }

    /// Decodes the details on their first read, on whichever core reads them first; the
    /// lock also orders that write before every later read.
    @inline(__always) private func loadDetails() {
        guard let pendingDetails else { return }
        pendingDetails.bytes.withLock { bytes in
            guard let encoded = bytes else { return }
            storedDetails = DetailsBox(EntryCodec.details(encoded))
            bytes = nil
        }
    }

    var frontMatterReferenceCount: Int {
        // Kept beside the encoded details: a rebuild asks it of every entry.
        if let pendingDetails { return pendingDetails.referenceCount }
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

/// The front-matter fields of an entry besides its id, type, title, aliases and date,
/// which every stage reads (see `Entry.pendingDetails`).
struct EntryDetails: Sendable {
    var summary: String?
    var tags: [String] = []
    var sources: [Reference] = []
    var updated: Located<EDTFDate>?
    var born: Located<EDTFDate>?
    var died: Located<EDTFDate>?
    var nationality: String?
    var roles: [String] = []
    var affiliations: [Affiliation] = []
    var relations: [Relation] = []
    var kind: String?
    var country: String?
    var parent: Reference?
    var coordinates: [Double]?
    var people: [Reference] = []
    var organizations: [Reference] = []
    var places: [Reference] = []
    var publisher: String?
    var authors: [String] = []
    var url: String?
    var archiveURL: String?
    var accessed: Located<EDTFDate>?
    var language: String?
    var via: Reference?
    var extra: [String: String] = [:]
    var bodyFirstLine: Int = 1
}

/// An entry's details, apart from it (see `Entry.storedDetails`).
private final class DetailsBox {
    var value: EntryDetails
    init(_ value: EntryDetails) { self.value = value }
}

/// An entry's details as the build cache holds them, until first read.
private final class PendingDetails: Sendable {
    /// Nil once decoded.
    let bytes: Mutex<SharedBytes?>
    /// `Entry.frontMatterReferenceCount`, which the details hold.
    let referenceCount: Int

    init(_ bytes: SharedBytes, referenceCount: Int) {
        self.bytes = Mutex(bytes)
        self.referenceCount = referenceCount
    }
}

/// What one entry's front-matter references resolved to, found by the reference as
/// written (its text and place in the file).
public struct ResolvedReferences: Sendable {
    /// Each target by `Entry.ordinal`, not as the entry: a page shows most of them as
    /// links made from the card of that ordinal, and at 50,000 notes touching the entry
    /// object itself (to retain it, to read its ordinal) was a cache miss per link.
    private let pairs: [(reference: Reference, target: Int32)]
    /// Only for an entry with many references; the few of most are searched in order.
    private let table: [Reference: Int32]?

    init(_ pairs: [(reference: Reference, target: Int32)]) {
        self.pairs = pairs
        table = pairs.count > 32 ? Dictionary(pairs, uniquingKeysWith: { first, _ in first }) : nil
    }

    /// The `Entry.ordinal` of what `reference` names.
    subscript(ordinal reference: Reference) -> Int? {
        if let table { return table[reference].map(Int.init) }
        // Line and column first: two references of one entry never share both, and
        // comparing them reads no string bytes (a long id's are elsewhere in memory).
        return pairs.first { pair in
            let place = pair.reference.location
            return place.line == reference.location.line && place.column == reference.location.column && pair.reference == reference
        }.map { Int($0.target) }
    }

    var isEmpty: Bool { pairs.isEmpty }
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
