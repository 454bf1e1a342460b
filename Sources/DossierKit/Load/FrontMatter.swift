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
    /// line `---` and closes at the next line that is `---` (or YAML's `...`).
    public static func split(_ text: String) throws(Unterminated) -> FrontMatterSplit {
        let utf8 = text.utf8
        let firstEnd = utf8.firstIndex(of: 10) ?? utf8.endIndex
        guard isFence(text[text.startIndex..<firstEnd]) else {
            return FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: text, bodyFirstLine: 1)
        }
        guard firstEnd < utf8.endIndex else { throw Unterminated(line: 1) }
        // Walk the lines after the opening fence, one byte scan per line.
        let yamlStart = utf8.index(after: firstEnd)
        var lineStart = yamlStart
        var lineNumber = 2
        while lineStart < utf8.endIndex || lineStart == yamlStart {
            let lineEnd = utf8[lineStart...].firstIndex(of: 10) ?? utf8.endIndex
            let line = text[lineStart..<lineEnd]
            if isFence(line) || line.trimmingTrailingSpaces == "..." {
                let yaml = lineStart > yamlStart ? String(text[yamlStart..<utf8.index(before: lineStart)]) : ""
                let body = lineEnd < utf8.endIndex ? String(text[utf8.index(after: lineEnd)...]) : ""
                return FrontMatterSplit(yaml: yaml, yamlFirstLine: 2, body: body, bodyFirstLine: lineNumber + 1)
            }
            guard lineEnd < utf8.endIndex else { break }
            lineStart = utf8.index(after: lineEnd)
            lineNumber += 1
        }
        throw Unterminated(line: 1)
    }

    private static func isFence(_ line: Substring) -> Bool {
        line.trimmingTrailingSpaces == "---"
    }
}

extension Substring {
    /// Without trailing spaces and tabs (byte by byte: both are ASCII).
    var trimmingTrailingSpaces: Substring {
        let utf8 = self.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex, case let previous = utf8[utf8.index(before: end)], previous == 0x20 || previous == 0x09 {
            end = utf8.index(before: end)
        }
        return self[startIndex..<end]
    }
}
