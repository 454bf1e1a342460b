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
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, isFence(first) else {
            return FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: text, bodyFirstLine: 1)
        }
        guard let closing = lines.dropFirst().firstIndex(where: { isFence($0) || $0.trimmingTrailingSpaces == "..." }) else {
            throw Unterminated(line: 1)
        }
        return FrontMatterSplit(
            yaml: lines[1..<closing].joined(separator: "\n"), yamlFirstLine: 2,
            body: lines[(closing + 1)...].joined(separator: "\n"), bodyFirstLine: closing + 2)
    }

    private static func isFence(_ line: Substring) -> Bool {
        line.trimmingTrailingSpaces == "---"
    }
}

extension Substring {
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex, let previous = self[..<end].last, previous == " " || previous == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
