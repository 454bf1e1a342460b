/// The lines of a file, for turning positions that parsers give in bytes (cmark) or
/// Unicode scalars (libyaml) into the character columns editors show.
public struct TextLines: Sendable {
    private let lines: [Substring]

    public init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    public var count: Int { lines.count }

    /// CRLF and lone CR become LF, as editors and cmark read them.
    public static func normalizingLineEnds(_ text: String) -> String {
        guard text.utf8.contains(13) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The lines an editor shows for a text as read from disk.
    public static func editorLines(of text: String) -> [Substring] {
        normalizingLineEnds(text).split(separator: "\n", omittingEmptySubsequences: false)
    }

    public func line(_ number: Int) -> Substring? {
        guard number >= 1, number <= lines.count else { return nil }
        return lines[number - 1]
    }

    /// Character column (1-based) of a 1-based UTF-8 byte column on a line.
    public func column(line number: Int, byteColumn: Int) -> Int {
        characterColumn(line: number, unitsBefore: byteColumn - 1) { $0.utf8.count }
    }

    /// Character column (1-based) of a 1-based Unicode scalar column on a line.
    public func column(line number: Int, scalarColumn: Int) -> Int {
        characterColumn(line: number, unitsBefore: scalarColumn - 1) { $0.unicodeScalars.count }
    }

    /// Counts the characters that fit in `unitsBefore` units (a unit inside a character
    /// counts as that character); past the end of the line, columns keep counting units.
    private func characterColumn(line number: Int, unitsBefore: Int, units: (Character) -> Int) -> Int {
        guard let text = line(number) else { return max(unitsBefore + 1, 1) }
        var consumed = 0
        var column = 1
        for character in text {
            let width = units(character)
            if consumed + width > unitsBefore { return column }
            consumed += width
            column += 1
        }
        return column + max(unitsBefore - consumed, 0)
    }

    /// Character column (1-based) of the first occurrence of `needle` on a line at or
    /// after a character column; nil when it is not there.
    public func column(of needle: String, line number: Int, from startColumn: Int) -> Int? {
        guard let text = line(number), !needle.isEmpty else { return nil }
        let start = text.index(text.startIndex, offsetBy: max(startColumn - 1, 0), limitedBy: text.endIndex) ?? text.endIndex
        guard let range = text[start...].range(of: needle) else { return nil }
        return text.distance(from: text.startIndex, to: range.lowerBound) + 1
    }
}
