/// An entry as its front-matter was read, in the build cache's byte format: a rebuild
/// takes every unchanged note's entry from here instead of parsing its YAML again (the
/// largest part of a rebuild after one edit). Every stored property is written; the
/// body is not (it is parsed from the file when needed) and the file's lines are made
/// again from the file's text. A test compares decoded entries with freshly read ones
/// field by field, so a property added to Entry and forgotten here fails it.
enum EntryCodec {
    static func encode(_ entry: Entry) -> [UInt8] {
        var writer = CacheWriter()
        writer.write(entry.id)
        writer.write(entry.type.rank)
        writer.write(entry.file)
        write(entry.idLocation, to: &writer)
        writer.write(entry.title)
        write(entry.aliases, to: &writer)
        write(entry.summary, to: &writer)
        writer.write(entry.tags)
        write(entry.sources, to: &writer)
        write(entry.updated, to: &writer)
        write(entry.date, to: &writer)
        write(entry.born, to: &writer)
        write(entry.died, to: &writer)
        write(entry.nationality, to: &writer)
        writer.write(entry.roles)
        writer.write(entry.affiliations.count)
        for affiliation in entry.affiliations {
            write(reference: affiliation.organization, to: &writer)
            write(affiliation.role, to: &writer)
            write(affiliation.from, to: &writer)
            write(affiliation.to, to: &writer)
            write(affiliation.sources, to: &writer)
        }
        writer.write(entry.relations.count)
        for relation in entry.relations {
            write(reference: relation.with, to: &writer)
            write(relation.kind, to: &writer)
            write(relation.sources, to: &writer)
        }
        write(entry.kind, to: &writer)
        write(entry.country, to: &writer)
        write(entry.parent.map { [$0] } ?? [], to: &writer)
        writer.write(entry.coordinates?.count ?? -1)
        for value in entry.coordinates ?? [] { writer.write(value) }
        write(entry.people, to: &writer)
        write(entry.organizations, to: &writer)
        write(entry.places, to: &writer)
        write(entry.publisher, to: &writer)
        writer.write(entry.authors)
        write(entry.url, to: &writer)
        write(entry.archiveURL, to: &writer)
        write(entry.accessed, to: &writer)
        write(entry.language, to: &writer)
        write(entry.via.map { [$0] } ?? [], to: &writer)
        writer.write(entry.extra) { w, value in w.write(value) }
        writer.write(entry.bodyFirstLine)
        return writer.bytes
    }

    /// The entry, or nil when the bytes are not one (a damaged cache: read the file).
    static func decode(_ bytes: ArraySlice<UInt8>, lines: TextLines) -> Entry? {
        var reader = CacheReader(bytes)
        return try? decode(from: &reader, lines: lines)
    }

    private static func decode(from reader: inout CacheReader, lines: TextLines) throws(CacheReader.CacheBytesError) -> Entry {
        let id = try reader.string()
        let rank = try reader.int()
        guard EntryType.allCases.indices.contains(rank) else { throw CacheReader.CacheBytesError() }
        let type = EntryType.allCases[rank]
        let entry = Entry(id: id, type: type, file: try reader.string(), idLocation: try location(&reader),
                          title: try reader.string(), lines: lines)
        entry.aliases = try references(&reader)
        entry.summary = try optional(&reader)
        entry.tags = try reader.strings()
        entry.sources = try references(&reader)
        entry.updated = try date(&reader)
        entry.date = try date(&reader)
        entry.born = try date(&reader)
        entry.died = try date(&reader)
        entry.nationality = try optional(&reader)
        entry.roles = try reader.strings()
        for _ in 0..<(try reader.count()) {
            entry.affiliations.append(Affiliation(organization: try reference(&reader), role: try optional(&reader),
                                                  from: try date(&reader), to: try date(&reader), sources: try references(&reader)))
        }
        for _ in 0..<(try reader.count()) {
            entry.relations.append(Relation(with: try reference(&reader), kind: try optional(&reader), sources: try references(&reader)))
        }
        entry.kind = try optional(&reader)
        entry.country = try optional(&reader)
        entry.parent = try references(&reader).first
        let coordinates = try reader.int()
        if coordinates >= 0 {
            guard coordinates <= 2 else { throw CacheReader.CacheBytesError() }
            entry.coordinates = []
            for _ in 0..<coordinates { entry.coordinates!.append(try reader.double()) }
        }
        entry.people = try references(&reader)
        entry.organizations = try references(&reader)
        entry.places = try references(&reader)
        entry.publisher = try optional(&reader)
        entry.authors = try reader.strings()
        entry.url = try optional(&reader)
        entry.archiveURL = try optional(&reader)
        entry.accessed = try date(&reader)
        entry.language = try optional(&reader)
        entry.via = try references(&reader).first
        entry.extra = try reader.table { r throws(CacheReader.CacheBytesError) in try r.string() }
        entry.bodyFirstLine = try reader.int()
        guard reader.isAtEnd else { throw CacheReader.CacheBytesError() }
        return entry
    }

    // MARK: Parts

    private static func write(_ location: SourceLocation, to writer: inout CacheWriter) {
        writer.write(recurring: location.file)
        writer.write(location.line)
        writer.write(location.column)
    }

    private static func location(_ reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> SourceLocation {
        SourceLocation(file: try reader.recurringString(), line: try reader.int(), column: try reader.int())
    }

    private static func write(_ text: String?, to writer: inout CacheWriter) {
        writer.write(text != nil)
        if let text { writer.write(text) }
    }

    private static func optional(_ reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> String? {
        try reader.bool() ? try reader.string() : nil
    }

    private static func write(reference: Reference, to writer: inout CacheWriter) {
        writer.write(reference.value)
        write(reference.location, to: &writer)
    }

    private static func write(_ references: [Reference], to writer: inout CacheWriter) {
        writer.write(references.count)
        for reference in references { write(reference: reference, to: &writer) }
    }

    private static func reference(_ reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> Reference {
        Located(try reader.string(), at: try location(&reader))
    }

    private static func references(_ reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> [Reference] {
        let count = try reader.count()
        var list: [Reference] = []
        list.reserveCapacity(count)
        for _ in 0..<count { list.append(try reference(&reader)) }
        return list
    }

    private static func write(_ date: Located<EDTFDate>?, to writer: inout CacheWriter) {
        guard let date else { return writer.write(0) }
        switch date.value {
        case .point(let point):
            writer.write(1)
            write(point, to: &writer)
        case .interval(let start, let end, let openStart, let openEnd):
            writer.write(2)
            for point in [start, end] {
                writer.write(point != nil)
                if let point { write(point, to: &writer) }
            }
            writer.write(openStart)
            writer.write(openEnd)
        }
        write(date.location, to: &writer)
    }

    private static func date(_ reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> Located<EDTFDate>? {
        let value: EDTFDate
        switch try reader.int() {
        case 0: return nil
        case 1: value = .point(try point(&reader))
        case 2:
            let start = try reader.bool() ? try point(&reader) : nil
            let end = try reader.bool() ? try point(&reader) : nil
            value = .interval(start: start, end: end, openStart: try reader.bool(), openEnd: try reader.bool())
        default: throw CacheReader.CacheBytesError()
        }
        return Located(value, at: try location(&reader))
    }

    private static func write(_ point: EDTFPoint, to writer: inout CacheWriter) {
        writer.write(point.year)
        writer.write(point.month ?? -1)
        writer.write(point.day ?? -1)
        writer.write(point.season?.rawValue ?? -1)
        writer.write(point.precision.rawValue)
        for flag in [point.uncertain, point.approximate, point.unspecifiedMonth, point.unspecifiedDay] { writer.write(flag) }
    }

    private static func point(_ reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> EDTFPoint {
        let year = try reader.int(), month = try reader.int(), day = try reader.int(), season = try reader.int()
        guard let precision = DatePrecision(rawValue: try reader.int()) else { throw CacheReader.CacheBytesError() }
        var point = EDTFPoint(year: year, precision: precision)
        point.month = month < 0 ? nil : month
        point.day = day < 0 ? nil : day
        if season >= 0 {
            guard let value = EDTFSeason(rawValue: season) else { throw CacheReader.CacheBytesError() }
            point.season = value
        }
        (point.uncertain, point.approximate) = (try reader.bool(), try reader.bool())
        (point.unspecifiedMonth, point.unspecifiedDay) = (try reader.bool(), try reader.bool())
        return point
    }
}
