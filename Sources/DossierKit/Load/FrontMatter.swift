/// A note split into its YAML front-matter and its Markdown body, remembering on which
/// file line each part starts so that positions found later point into the file.
public struct FrontMatterSplit: Sendable, Equatable {
    /// The YAML between the `---` lines; nil when the file has no front-matter.
    public var yaml: String?
    /// File line of the first YAML line.
    public var yamlFirstLine: Int
    public var body: String
    /// File line of the body's first line.
    public var bodyFirstLine: Int
}

public enum FrontMatter {
    public struct Unterminated: Error, Equatable {
        /// Line of the opening `---`.
        public var line: Int
    }

    /// Splits `text` (already BOM-free, LF line endings). Front-matter opens with a first
    /// line `---` and closes at the next line that is `---` (or YAML's `...`); trailing
    /// spaces and tabs on those lines do not count.
    public static func split(_ text: String) throws(Unterminated) -> FrontMatterSplit {
        // The lines are found on the text's own bytes: a walk of its UTF8View and a
        // Substring or two per line cost more than the rest of splitting.
        var text = text
        text.makeContiguousUTF8()
        let found = text.utf8.withContiguousStorageIfAvailable(fences) ?? Array(text.utf8).withUnsafeBufferPointer(fences)
        switch found {
        case .none:
            return FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: text, bodyFirstLine: 1)
        case .unterminated:
            throw Unterminated(line: 1)
        case .closed(let yamlStart, let closingStart, let closingEnd, let closingLine):
            let utf8 = text.utf8
            func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
            let yaml = closingStart > yamlStart ? String(text[index(yamlStart)..<index(closingStart - 1)]) : ""
            let body = closingEnd < utf8.count ? String(text[index(closingEnd + 1)...]) : ""
            return FrontMatterSplit(yaml: yaml, yamlFirstLine: 2, body: body, bodyFirstLine: closingLine + 1)
        }
    }

    /// Where the fences are, as byte offsets: the YAML's first byte, the closing line's
    /// first byte and its end (its line feed, or the end of the text), and its line number.
    private enum Fences {
        case none, unterminated
        case closed(yamlStart: Int, closingStart: Int, closingEnd: Int, closingLine: Int)
    }

    private static func fences(_ bytes: UnsafeBufferPointer<UInt8>) -> Fences {
        func lineEnd(from start: Int) -> Int {
            var end = start
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            return end
        }
        /// Whether the line is three `mark`s, then nothing but spaces and tabs.
        func isFence(_ start: Int, _ end: Int, _ mark: UInt8) -> Bool {
            var end = end
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            return end - start == 3 && bytes[start] == mark && bytes[start + 1] == mark && bytes[start + 2] == mark
        }
        let dash = UInt8(ascii: "-"), dot = UInt8(ascii: ".")
        let firstEnd = lineEnd(from: 0)
        guard isFence(0, firstEnd, dash) else { return .none }
        guard firstEnd < bytes.count else { return .unterminated }
        let yamlStart = firstEnd + 1
        var lineStart = yamlStart
        var lineNumber = 2
        while lineStart < bytes.count || lineStart == yamlStart {
            let end = lineEnd(from: lineStart)
            if isFence(lineStart, end, dash) || isFence(lineStart, end, dot) {
                return .closed(yamlStart: yamlStart, closingStart: lineStart, closingEnd: end, closingLine: lineNumber)
            }
            guard end < bytes.count else { break }
            lineStart = end + 1
            lineNumber += 1
        }
        return .unterminated
    }
}
