/// Third stage: parses a body with cmark and gives each heading its anchor
/// (`## Early career` → `early-career`, repeats suffixed `-1`, `-2`).
public enum BodyParser {
    public struct Heading: Sendable {
        public var node: MarkdownNode
        public var anchor: String
    }

    public static func parse(_ body: String, into entry: Entry) -> [Heading] {
        var titleIsFirstHeading = false
        return parse(body, into: entry, titleIsFirstHeading: &titleIsFirstHeading)
    }

    /// `titleIsFirstHeading`: set when the note's title is its first heading; a later
    /// parse of the same body, given it, removes that heading again.
    static func parse(_ body: String, into entry: Entry, titleIsFirstHeading: inout Bool) -> [Heading] {
        let document = MarkdownDocument(markdown: body)
        entry.body = document
        // A note without a title takes its first top-level heading, which then
        // becomes the page's title rather than a repeated heading.
        if entry.title.isEmpty || titleIsFirstHeading {
            if let first = document.rootNode.firstChild, first.kind == .heading, first.headingLevel == 1 {
                entry.title = first.plainText
                first.remove()
                titleIsFirstHeading = true
            } else {
                entry.title = entry.id
            }
        }
        var seen: [String: Int] = [:]
        return document.nodes { $0.kind == .heading }.map { node in
            var anchor = Slug.make(node.plainText)
            if anchor.isEmpty { anchor = "section" }
            if let count = seen[anchor] {
                seen[anchor] = count + 1
                anchor += "-\(count + 1)"
            } else {
                seen[anchor] = 0
            }
            return Heading(node: node, anchor: anchor)
        }
    }
}
