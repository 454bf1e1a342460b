import Foundation
import Yams

/// Second stage: splits a note's front-matter from its body and reads the YAML into an
/// `Entry`. Values keep the line and column they were written at; dates are parsed from
/// the scalar's own text, so `date: 2014-04-12` is never turned into a timestamp.
public struct EntryReader {
    public static let commonKeys: Set<String> = ["type", "id", "title", "name", "aliases", "summary", "tags", "sources", "updated"]
    public static let keysByType: [EntryType: Set<String>] = [
        .person: ["born", "died", "nationality", "roles", "affiliations", "relations"],
        .organization: ["kind", "country", "parent"],
        .place: ["kind", "country", "coordinates"],
        .event: ["date", "people", "organizations", "places"],
        .source: ["publisher", "authors", "date", "url", "archive_url", "accessed", "language", "kind", "via"],
        .note: ["date", "authors"],
    ]
    static let allKnownKeys = keysByType.values.reduce(commonKeys) { $0.union($1) }
    /// Every key each type knows, made once rather than for each note.
    static let knownKeys = keysByType.mapValues { commonKeys.union($0) }

    public let file: ContentFile
    private let lines: TextLines
    private var positions = YAMLPositions(yaml: "", firstLine: 2)
    private var diagnostics: [Diagnostic] = []

    public init(file: ContentFile) {
        self.file = file
        self.lines = TextLines(file.text)
    }

    /// Reads the entry; nil (with diagnostics) when the file cannot become an entry at all.
    public static func read(_ file: ContentFile) -> (entry: Entry?, body: String, diagnostics: [Diagnostic]) {
        var reader = EntryReader(file: file)
        let (entry, body) = reader.read()
        return (entry, body, reader.diagnostics)
    }

    private mutating func read() -> (Entry?, String) {
        let split: FrontMatterSplit
        do {
            split = try FrontMatter.split(file.text)
        } catch {
            report(.error(location(line: error.line, column: 1), "front-matter is not closed: no second '---' line",
                          notes: ["add a line '---' after the last front-matter key"]))
            return (nil, "")
        }
        let pathParts = file.relativePath[...].splitting(at: UInt8(ascii: "/"))
        let folder = pathParts.count > 1 ? String(pathParts[0]) : ""
        let defaultID = String(pathParts.last!.dropLast(3))
        var mapping: [(key: YAMLValue, value: YAMLValue)]?
        if let yaml = split.yaml {
            switch parseYAML(yaml, firstLine: split.yamlFirstLine) {
            case .some(let node) where node.mapping != nil: mapping = node.mapping
            case .some(let node):
                report(.error(location(of: node, fallbackLine: split.yamlFirstLine),
                              "front-matter is not a mapping of keys to values",
                              notes: ["write it as 'key: value' lines, e.g. 'title: Abdelilah Ziyad'"]))
                return (nil, split.body)
            case .none:
                if diagnostics.contains(where: { $0.severity == .error }) { return (nil, split.body) }
            }
        }
        let fields = Fields(mapping)

        // Type: from `type:`, else from the folder; a note anywhere else needs `type:`.
        var type = EntryType(folder: folder)
        if let typeNode = fields["type"] {
            if let value = typeNode.scalar, let declared = EntryType(rawValue: value) {
                type = declared
            } else {
                report(.error(location(of: typeNode), "unknown type '\(typeNode.scalar ?? "")'",
                              notes: ["use one of: " + EntryType.allCases.map(\.rawValue).joined(separator: ", ")]))
                return (nil, split.body)
            }
        }
        guard let type else {
            report(.error(location(line: 1, column: 1), "cannot tell what kind of note this is",
                          notes: ["put it in one of the folders " + EntryType.allCases.map { $0.folder + "/" }.joined(separator: ", ") + " or add a 'type:' key"]))
            return (nil, split.body)
        }

        var id = defaultID
        var idLocation = location(line: 1, column: 1)
        if let idNode = fields["id"] {
            id = idNode.scalar ?? ""
            idLocation = location(of: idNode)
        }
        guard Slug.isSafe(id) else {
            report(.error(idLocation, "unsafe id '\(id)': ids must be lowercase letters, digits and hyphens",
                          notes: ["rename it to '\(Slug.make(id))'" + (fields["id"] == nil ? " (the id comes from the file name)" : "")]))
            return (nil, split.body)
        }

        var title = string(fields["title"]) ?? string(fields["name"]) ?? ""
        if title.isEmpty, type != .note {
            let key = type == .event || type == .source ? "title" : "name"
            report(.error(location(line: 1, column: 1), "missing required key '\(key)' for \(type.rawValue) '\(id)'",
                          notes: ["add '\(key): …' to the front-matter"]))
            title = id
        }
        let entry = Entry(id: id, type: type, file: file.displayPath, idLocation: idLocation, title: title, lines: lines)
        entry.bodyFirstLine = split.bodyFirstLine
        entry.aliases = strings(fields["aliases"])
        entry.summary = string(fields["summary"])
        entry.tags = strings(fields["tags"]).map(\.value)
        entry.sources = strings(fields["sources"])
        entry.updated = date(fields["updated"], key: "updated")

        switch type {
        case .person:
            entry.born = date(fields["born"], key: "born")
            entry.died = date(fields["died"], key: "died")
            entry.nationality = string(fields["nationality"])
            entry.roles = strings(fields["roles"]).map(\.value)
            for item in mappings(fields["affiliations"], key: "affiliations") {
                if let affiliation = affiliation(item) { entry.affiliations.append(affiliation) }
            }
            for item in mappings(fields["relations"], key: "relations") {
                if let relation = relation(item) { entry.relations.append(relation) }
            }
        case .organization, .place:
            entry.kind = string(fields["kind"])
            entry.country = string(fields["country"])
            if type == .organization { entry.parent = strings(fields["parent"]).first }
            if type == .place, let node = fields["coordinates"] { entry.coordinates = coordinates(node) }
        case .event:
            entry.date = date(fields["date"], key: "date")
            if fields["date"] == nil {
                report(.error(location(line: 1, column: 1), "missing required key 'date' for event '\(id)'",
                              notes: ["add 'date: YYYY-MM-DD' (EDTF: 1994, 1994-08, 2014~, 2014-04/2015-09 …)"]))
            }
            entry.people = strings(fields["people"])
            entry.organizations = strings(fields["organizations"])
            entry.places = strings(fields["places"])
        case .source:
            entry.date = date(fields["date"], key: "date")
            entry.publisher = string(fields["publisher"])
            entry.authors = strings(fields["authors"]).map(\.value)
            entry.url = string(fields["url"])
            entry.archiveURL = string(fields["archive_url"])
            entry.accessed = date(fields["accessed"], key: "accessed")
            entry.language = string(fields["language"])
            entry.kind = string(fields["kind"])
            entry.via = strings(fields["via"]).first
        case .note:
            entry.date = date(fields["date"], key: "date")
            entry.authors = strings(fields["authors"]).map(\.value)
        }

        let known = Self.knownKeys[type] ?? Self.commonKeys
        for (keyNode, valueNode) in fields.pairs {
            guard let key = keyNode.scalar, !known.contains(key) else { continue }
            if let scalar = valueNode.scalar { entry.extra[key] = scalar }
            if let suggestion = Suggest.closest(to: key, among: known.sorted(), maxDistance: 2) {
                report(.warning(location(of: keyNode), "unknown key '\(key)' for a \(type.rawValue)",
                                notes: ["did you mean '\(suggestion)'?"]))
            } else if Self.allKnownKeys.contains(key) {
                report(.warning(location(of: keyNode), "key '\(key)' has no meaning for a \(type.rawValue); it is ignored",
                                notes: ["keys for a \(type.rawValue): " + known.sorted().joined(separator: ", ")]))
            }
        }
        return (entry, split.body)
    }

    // MARK: YAML

    /// Made once: `Constructor.default` builds its tables anew at every use. Never
    /// changed, only read by the nodes it tags.
    private nonisolated(unsafe) static let constructor = Yams.Constructor.default

    private mutating func parseYAML(_ yaml: String, firstLine: Int) -> YAMLValue? {
        positions = YAMLPositions(yaml: yaml, firstLine: firstLine)
        switch FrontMatterYAML.read(yaml) {
        case .read(let root):
            return root
        case .duplicateKey(let key, let first, let again):
            let firstAt = location(of: first)
            report(.error(location(of: again), "key '\(key)' is given twice",
                          notes: ["it is first given at line \(firstAt.line), column \(firstAt.column); keep one of them"]))
            return nil
        case .leftToYams:
            break
        }
        do {
            // Values are read as text, so no tag resolution (a regular expression per
            // plain scalar); the encoding is named so Yams does not read the environment.
            return try Yams.compose(yaml: yaml, Yams.Resolver.basic, Self.constructor, .utf8).map(YAMLValue.init)
        } catch let error as YamlError {
            let problem = YAMLProblem(error)
            var notes: [String] = []
            if let context = problem.context {
                let (line, column) = positions.location(line: context.mark.line, column: context.mark.column)
                notes.append("\(context.text) that starts at line \(line), column \(column)")
            }
            notes.append("check quotes, brackets, colons and indentation; quote values that contain ': ' or start with [ { * & ! | > ' \" % @")
            let (line, column) = positions.location(line: problem.mark?.line ?? 1, column: problem.mark?.column ?? 1)
            report(.error(location(line: line, column: column), "YAML syntax error: \(problem.message)", notes: notes))
        } catch {
            report(.error(location(line: firstLine, column: 1), "YAML error: \(error)"))
        }
        return nil
    }

    // MARK: Values

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file.displayPath, line: line, column: column)
    }

    private func location(of node: YAMLValue, fallbackLine: Int = 1) -> SourceLocation {
        guard node.line > 0 else { return location(line: fallbackLine, column: 1) }
        let (line, column) = positions.location(line: node.line, column: node.column)
        return location(line: line, column: column)
    }

    private func string(_ node: YAMLValue?) -> String? {
        guard let scalar = node?.scalar, !scalar.isEmpty else { return nil }
        return scalar
    }

    /// A list of scalars; a single scalar is taken as a list of one.
    private mutating func strings(_ node: YAMLValue?) -> [Located<String>] {
        guard let node else { return [] }
        if let scalar = node.scalar {
            return scalar.isEmpty ? [] : [Located(scalar, at: location(of: node))]
        }
        guard let sequence = node.sequence else {
            report(.error(location(of: node), "expected a list of values", notes: ["write it as [a, b] or as '- a' lines"]))
            return []
        }
        return sequence.compactMap { item in
            guard let scalar = item.scalar else {
                report(.error(location(of: item), "expected a plain value in this list"))
                return nil
            }
            return Located(scalar, at: location(of: item))
        }
    }

    private mutating func mappings(_ node: YAMLValue?, key: String) -> [Fields] {
        guard let node else { return [] }
        guard let sequence = node.sequence else {
            report(.error(location(of: node), "'\(key)' must be a list of mappings", notes: ["write each item as '- {with: id, kind: …}'"]))
            return []
        }
        return sequence.compactMap { item in
            guard let mapping = item.mapping else {
                report(.error(location(of: item), "each item of '\(key)' must be a mapping of keys to values"))
                return nil
            }
            return Fields(mapping, node: item)
        }
    }

    private mutating func date(_ node: YAMLValue?, key: String) -> Located<EDTFDate>? {
        guard let node else { return nil }
        guard let text = node.scalar else {
            report(.error(location(of: node), "'\(key)' must be a date such as 1994-08-24"))
            return nil
        }
        let start = location(of: node)
        do {
            return Located(try EDTFDate.parse(text), at: start)
        } catch {
            // Point at the offending character when the scalar is written plainly on its line.
            var at = start
            if let line = lines.line(start.line), let column = lines.column(of: text, line: start.line, from: start.column), !line.isEmpty {
                at.column = column + error.offset
            }
            report(.error(at, "invalid date '\(text)': \(error.message)",
                          notes: [error.hint ?? "dates are EDTF: 1994, 1994-08, 1994-08-24, 2013-09?, 2014~, 198X, 2014-04/2015-09"]))
            return nil
        }
    }

    private mutating func coordinates(_ node: YAMLValue) -> [Double]? {
        let values = node.sequence?.compactMap { $0.scalar.flatMap { Double($0) } } ?? []
        guard values.count == 2, abs(values[0]) <= 90, abs(values[1]) <= 180 else {
            report(.error(location(of: node), "coordinates must be [latitude, longitude] in degrees"))
            return nil
        }
        return values
    }

    private mutating func affiliation(_ fields: Fields) -> Affiliation? {
        guard let org = strings(fields["org"]).first else {
            report(.error(location(of: fields.node!), "affiliation without 'org'", notes: ["add 'org: <organisation id>'"]))
            return nil
        }
        warnUnknown(fields, known: ["org", "role", "from", "to", "sources"])
        return Affiliation(organization: org, role: string(fields["role"]),
                           from: date(fields["from"], key: "from"), to: date(fields["to"], key: "to"),
                           sources: strings(fields["sources"]))
    }

    private mutating func relation(_ fields: Fields) -> Relation? {
        guard let with = strings(fields["with"]).first else {
            report(.error(location(of: fields.node!), "relation without 'with'", notes: ["add 'with: <person id>'"]))
            return nil
        }
        warnUnknown(fields, known: ["with", "kind", "sources"])
        return Relation(with: with, kind: string(fields["kind"]), sources: strings(fields["sources"]))
    }

    private mutating func warnUnknown(_ fields: Fields, known: [String]) {
        for (keyNode, _) in fields.pairs {
            guard let key = keyNode.scalar, !known.contains(key) else { continue }
            let suggestion = Suggest.closest(to: key, among: known, maxDistance: 2)
            report(.warning(location(of: keyNode), "unknown key '\(key)'",
                            notes: [suggestion.map { "did you mean '\($0)'?" } ?? "known keys here: " + known.joined(separator: ", ")]))
        }
    }

    private mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }
}

/// Keys of a YAML mapping, looked up by their text.
struct Fields {
    let pairs: [(key: YAMLValue, value: YAMLValue)]
    let node: YAMLValue?

    init(_ pairs: [(key: YAMLValue, value: YAMLValue)]?, node: YAMLValue? = nil) {
        self.pairs = pairs ?? []
        self.node = node
    }

    subscript(key: String) -> YAMLValue? {
        pairs.first { $0.key.scalar == key }?.value
    }
}
