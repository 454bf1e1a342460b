/// An entry as its front-matter was read, in the build cache's byte format: a rebuild
/// takes every unchanged note's entry from here instead of parsing its YAML again.
/// Every stored property is written; the body is not (it is parsed from the file when
/// needed) and the file's lines are made again from the file's text. A test compares decoded entries with freshly read ones
/// field by field, so a property added to Entry and forgotten here fails it.
enum EntryCodec {
    /// The entry's id, type, file, title, aliases and date (what every stage reads), the
    /// number of its front-matter references, then its details (`EntryDetails`) as bytes
    /// of their own with a checksum: a rebuild decodes those only for the entries whose
    /// details something reads.
    static func encode(_ entry: Entry) -> [UInt8] {
        var writer = CacheWriter()
        writer.write(entry.id)
        writer.write(entry.type.rank)
        // Recurring: the id's location (nearly always in the same file) then takes a byte.
        writer.write(recurring: entry.file)
        write(entry.idLocation, to: &writer)
        writer.write(entry.title)
        write(entry.aliases, to: &writer)
        write(entry.date, to: &writer)
        let details = encodeDetails(of: entry)
        writer.write(entry.frontMatterReferenceCount)
        writer.write(bytes: details)
        withUnsafeBytes(of: details.withUnsafeBytes(checksum).littleEndian) { writer.write(fixed: $0) }
        return writer.bytes
    }

    private static func encodeDetails(of entry: Entry) -> [UInt8] {
        var writer = CacheWriter()
        write(entry.summary, to: &writer)
        writer.write(entry.tags)
        write(entry.sources, to: &writer)
        write(entry.updated, to: &writer)
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
    /// `file` and `title`: what the entry's file and title likely are (its memo's), taken
    /// as the entry's own rather than copied from the bytes when they are theirs.
    static func decode(_ bytes: SharedBytes, lines: TextLines, file: String? = nil, title: String? = nil) -> Entry? {
        var reader = CacheReader(bytes)
        return try? decode(from: &reader, lines: lines, file: file, title: title)
    }

    private static func decode(from reader: inout CacheReader, lines: TextLines, file knownFile: String?,
                               title knownTitle: String?) throws(CacheReader.CacheBytesError) -> Entry {
        let id = try reader.string()
        let rank = try reader.int()
        guard EntryType.allCases.indices.contains(rank) else { throw CacheReader.CacheBytesError() }
        let type = EntryType.allCases[rank]
        let file = try reader.recurringString(known: knownFile), idLocation = try location(&reader)
        let title = try reader.string(reusing: knownTitle)
        let aliases = try references(&reader)
        let date = try date(&reader)
        // The details are decoded when first read (see `Entry.pendingDetails`), so a
        // damaged byte among them must be found now, while the file can still be read
        // instead: by their checksum.
        let referenceCount = try reader.count()
        let details = try reader.slice()
        let sum = try reader.fixed(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard reader.isAtEnd, sum == details.withUnsafeBytes(checksum) else { throw CacheReader.CacheBytesError() }
        let entry = Entry(id: id, type: type, file: file, idLocation: idLocation, title: title, lines: lines, encodedDetails: details,
                          referenceCount: referenceCount)
        entry.aliases = aliases
        entry.date = date
        return entry
    }

    /// An entry's details from bytes `decode` checked. They were written by
    /// `encodeDetails` and are as it wrote them, so only a codec that no longer reads
    /// what it writes fails here; it stops the build before the site is replaced.
    static func details(_ bytes: SharedBytes) -> EntryDetails {
        var reader = CacheReader(bytes)
        do {
            return try details(from: &reader)
        } catch {
            preconditionFailure("the build cache holds an entry it cannot read: delete the hidden .cache and .memos files beside the output folder, then build again")
        }
    }

    private static func details(from reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> EntryDetails {
        var details = EntryDetails()
        details.summary = try optional(&reader)
        details.tags = try reader.strings()
        details.sources = try references(&reader)
        details.updated = try date(&reader)
        details.born = try date(&reader)
        details.died = try date(&reader)
        details.nationality = try optional(&reader)
        details.roles = try reader.strings()
        for _ in 0..<(try reader.count()) {
            details.affiliations.append(Affiliation(organization: try reference(&reader), role: try optional(&reader),
                                                    from: try date(&reader), to: try date(&reader), sources: try references(&reader)))
        }
        for _ in 0..<(try reader.count()) {
            details.relations.append(Relation(with: try reference(&reader), kind: try optional(&reader), sources: try references(&reader)))
        }
        details.kind = try optional(&reader)
        details.country = try optional(&reader)
        details.parent = try references(&reader).first
        let coordinates = try reader.int()
        if coordinates >= 0 {
            guard coordinates <= 2 else { throw CacheReader.CacheBytesError() }
            details.coordinates = []
            for _ in 0..<coordinates { details.coordinates!.append(try reader.double()) }
        }
        details.people = try references(&reader)
        details.organizations = try references(&reader)
        details.places = try references(&reader)
        details.publisher = try optional(&reader)
        details.authors = try reader.strings()
        details.url = try optional(&reader)
        details.archiveURL = try optional(&reader)
        details.accessed = try date(&reader)
        details.language = try optional(&reader)
        details.via = try references(&reader).first
        details.extra = try reader.table { r throws(CacheReader.CacheBytesError) in try r.string() }
        details.bodyFirstLine = try reader.int()
        guard reader.isAtEnd else { throw CacheReader.CacheBytesError() }
        return details
    }

    /// An FNV-style checksum taken eight bytes at a time: it finds a damaged byte (not a
    /// forgery) at a fraction of what decoding the bytes costs.
    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var offset = 0
        while offset + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01b3
            offset += 8
        }
        while offset < raw.count {
            hash = (hash ^ UInt64(raw[offset])) &* 0x100_0000_01b3
            offset += 1
        }
        return hash ^ UInt64(raw.count)
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
