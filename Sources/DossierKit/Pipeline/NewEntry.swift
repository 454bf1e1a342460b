import Foundation

/// `dossier new`: a new note with the front-matter skeleton of its type, named by a
/// slug of its title, written where the loader expects it. Never overwrites anything.
public enum NewEntry {
    public struct Failure: Error, CustomStringConvertible {
        /// `true` when the content is the problem (an id taken, a title without letters):
        /// exit status 1; otherwise the environment is (a missing folder, a failed write): 2.
        public var isContentProblem: Bool
        public var description: String
    }

    public struct Created: Sendable {
        public var id: String
        public var file: URL
        /// The file as the user named the content folder: `Content/people/x.md`.
        public var displayPath: String
    }

    /// Writes `<content>/<type folder>/<slug>.md`. `today` fills the date placeholders
    /// (YYYY-MM-DD, valid EDTF), so the new note passes `dossier check` as it is.
    public static func create(_ type: EntryType, title rawTitle: String, content: URL, contentDisplay: String = "Content",
                              today: Date = Date()) throws(Failure) -> Created {
        let title = normalizedTitle(rawTitle)
        let id = slug(title)
        guard !title.isEmpty else { throw Failure(isContentProblem: true, description: "the title is empty") }
        guard !id.isEmpty else {
            throw Failure(isContentProblem: true,
                          description: "cannot make an id from \"\(title)\": it needs at least one letter or digit (a-z, 0-9 after folding accents)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(isContentProblem: false,
                          description: "content folder '\(contentDisplay)' does not exist (run from the dossier's root, or pass --content PATH)")
        }
        let display = contentDisplay.hasSuffix("/") ? String(contentDisplay.dropLast()) : contentDisplay
        let relative = "\(type.folder)/\(id).md"
        let file = content.appendingPathComponent(relative)
        let displayPath = "\(display)/\(relative)"
        if FileManager.default.fileExists(atPath: file.path) {
            throw Failure(isContentProblem: true, description: "\(displayPath) already exists; not overwriting it (edit it, or choose another title)")
        }
        // Ids are unique across the whole dossier, whatever the folder (and `id:` overrides count too).
        for other in EntryType.allCases where other != type {
            let path = "\(other.folder)/\(id).md"
            if FileManager.default.fileExists(atPath: content.appendingPathComponent(path).path) {
                throw Failure(isContentProblem: true, description: "the id '\(id)' is already used by \(display)/\(path); ids are unique across the dossier, choose another title")
            }
        }
        let index = Analysis.analyze(content: content, displayPath: display).index
        if let existing = index[id] {
            throw Failure(isContentProblem: true, description: "the id '\(id)' is already used by \(existing.file); ids are unique across the dossier, choose another title")
        }

        let text = skeleton(type, title: title, today: isoDay(today))
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            // O_EXCL: a file that appeared since the check above is still not overwritten.
            let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard descriptor >= 0 else {
                if errno == EEXIST {
                    throw Failure(isContentProblem: true, description: "\(displayPath) already exists; not overwriting it")
                }
                throw Failure(isContentProblem: false, description: "cannot create \(displayPath): \(String(cString: strerror(errno)))")
            }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(isContentProblem: false, description: "cannot write \(displayPath): \(error.localizedDescription)")
        }
        return Created(id: id, file: file, displayPath: displayPath)
    }

    /// The note's text: front-matter with the keys of its type, then a body placeholder.
    /// Unknown values are YAML comments, so the note is valid before anything is filled in.
    public static func skeleton(_ type: EntryType, title: String, today: String) -> String {
        let quoted = yamlQuoted(normalizedTitle(title))
        var lines: [String]
        switch type {
        case .person:
            lines = ["name: \(quoted)", "aliases: []", "# born: 1987-04-12", "# died: 2015-11-18", "# nationality: French",
                     "roles: []", "# affiliations:", "#   - org: organization-id", "#     role: \"Member\"", "#     sources: [source-id]",
                     "# relations:", "#   - with: person-id", "#     kind: \"Brother\"", "#     sources: [source-id]", "sources: []"]
        case .organization:
            lines = ["name: \(quoted)", "aliases: []", "# kind: agency", "# country: France", "# parent: organization-id", "sources: []"]
        case .place:
            lines = ["name: \(quoted)", "aliases: []", "# kind: city", "# country: France", "# coordinates: [48.8566, 2.3522]", "sources: []"]
        case .event:
            lines = ["title: \(quoted)", "date: \(today)", "people: []", "organizations: []", "places: []", "sources: []"]
        case .source:
            lines = ["title: \(quoted)", "# publisher: \"Mediapart\"", "authors: []", "# date: \(today)", "# url: https://example.org/article",
                     "# archive_url: https://web.archive.org/web/…", "accessed: \(today)", "# language: fr",
                     "# kind: article", "# via: source-id"]
        case .note:
            lines = ["title: \(quoted)", "date: \(today)", "authors: []", "sources: []"]
        }
        let body = "<!-- The note's text, in Markdown. Cite sources with [@source-id, p. 4]; link other notes with [[id]]. This comment does not show on the site. -->\n"
        return "---\n" + lines.joined(separator: "\n") + "\n---\n" + body
    }

    /// A YAML double-quoted scalar: backslash, quote and every non-printable character escaped.
    public static func yamlQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}", "\u{FEFF}":
                result += "\\u" + padded(String(scalar.value, radix: 16, uppercase: true), 4)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `Slug.make` after spelling out the letters that folding diacritics leaves alone
    /// (`Œuvre` → `oeuvre`, `Straße` → `strasse`, `Øresund` → `oresund`), which it would drop.
    public static func slug(_ title: String) -> String { Slug.make(title) }

    /// Runs of white space (line breaks included) become one space; ends trimmed.
    static func normalizedTitle(_ title: String) -> String {
        title.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }

    static func isoDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(padded(String(parts.year ?? 1970), 4))-\(padded(String(parts.month ?? 1), 2))-\(padded(String(parts.day ?? 1), 2))"
    }

    private static func padded(_ digits: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
