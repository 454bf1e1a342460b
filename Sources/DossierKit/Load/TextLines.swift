#if canImport(Glibc)
import Glibc
#endif

/// The lines of a file, for turning positions that parsers give in bytes (cmark) or
/// Unicode scalars (libyaml) into the character columns editors show. Line starts are
/// found in one pass over the UTF-8 bytes; lines are sliced on demand.
public struct TextLines: Sendable {
    private let text: String
    /// Index where each line starts (the first is the text's start).
    private let starts: [String.Index]

    /// The lines of no text, for an entry whose file's text is not kept.
    public static let none = TextLines("")

    public init(_ text: String) {
        var text = text
        text.makeContiguousUTF8()
        self.text = text
        // memchr over the bytes: the generic search was 4 % of an edit rebuild, which
        // makes the lines of every note whose entry comes from the build cache.
        let offsets = text.withUTF8 { bytes -> [Int] in
            guard let base = bytes.baseAddress else { return [] }
            var offsets: [Int] = []
            var next = base
            let end = base + bytes.count
            while next < end, let newline = memchr(next, 10, end - next) {
                next = UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)) + 1
                offsets.append(next - base)
            }
            return offsets
        }
        let utf8 = text.utf8
        var starts = [text.startIndex]
        for offset in offsets { starts.append(utf8.index(utf8.startIndex, offsetBy: offset)) }
        self.starts = starts
    }

    public var count: Int { starts.count }

    /// CRLF and lone CR become LF, as editors and cmark read them.
    public static func normalizingLineEnds(_ text: String) -> String {
        // memchr over the bytes: a byte-by-byte `contains` was a tenth of reading a file.
        let hasCR = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, 13, bytes.count) != nil } ?? false
        } ?? text.utf8.contains(13)
        guard hasCR else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The lines an editor shows for a text as read from disk.
    public static func editorLines(of text: String) -> [Substring] {
        let normalized = normalizingLineEnds(text)
        let lines = TextLines(normalized)
        return (1...lines.count).map { lines.line($0)! }
    }

    /// Line `number` (1-based) without its line break.
    public func line(_ number: Int) -> Substring? {
        guard number >= 1, number <= starts.count else { return nil }
        let start = starts[number - 1]
        let end = number < starts.count ? text.utf8.index(before: starts[number]) : text.endIndex
        return text[start..<end]
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
        guard let found = Self.firstIndex(of: Array(needle.utf8), in: text.utf8[start...]) else { return nil }
        return text.distance(from: text.startIndex, to: found) + 1
    }

    /// Plain byte search; needles here are short tokens like `]]` or `[[x]]`.
    static func firstIndex(of needle: [UInt8], in haystack: Substring.UTF8View) -> String.Index? {
        guard let first = needle.first else { return haystack.startIndex }
        var index = haystack.startIndex
        while let candidate = haystack[index...].firstIndex(of: first) {
            if haystack[candidate...].starts(with: needle) { return candidate }
            index = haystack.index(after: candidate)
        }
        return nil
    }
}
