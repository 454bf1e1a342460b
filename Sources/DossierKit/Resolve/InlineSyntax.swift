/// Finds Dossier's inline extensions in the text of one cmark text node: `[[…]]`
/// cross-references and `[@…]` citations. Pure and allocation-light, so it can be
/// fuzzed on its own; the resolver decides what each token means.
public enum InlineSyntax {
    public enum Kind: Sendable, Equatable {
        case reference
        case citation([CitationItem])
    }

    public struct Token: Sendable, Equatable {
        public var kind: Kind
        /// The whole token, brackets included.
        public var range: Range<String.Index>
        /// What stands between the brackets.
        public var inner: Range<String.Index>
    }

    /// Tokens in order, never overlapping. Brackets that do not close, and `[@…]` that
    /// is not citation syntax, are left as text. Neither token may contain a bracket, so
    /// each scan stops at the next bracket: one pass, linear even in text full of `[`.
    public static func scan(_ text: String) -> [Token] {
        let utf8 = text.utf8
        let open = UInt8(ascii: "["), close = UInt8(ascii: "]")
        var tokens: [Token] = []
        var cursor = utf8.startIndex
        while let start = utf8[cursor...].firstIndex(of: open) {
            let afterOpen = utf8.index(after: start)
            guard afterOpen < utf8.endIndex else { break }
            cursor = afterOpen
            let isReference = utf8[afterOpen] == open
            guard isReference || utf8[afterOpen] == UInt8(ascii: "@") else { continue }
            let innerStart = isReference ? utf8.index(after: afterOpen) : afterOpen
            // The next bracket decides: `]` (or `]]`) closes the token, `[` starts over there.
            guard let bracket = utf8[innerStart...].firstIndex(where: { $0 == open || $0 == close }) else { break }
            cursor = bracket
            guard utf8[bracket] == close else { continue }
            let afterClose = utf8.index(after: bracket)
            if isReference {
                guard afterClose < utf8.endIndex, utf8[afterClose] == close else { continue }
                let end = utf8.index(after: afterClose)
                tokens.append(Token(kind: .reference, range: start..<end, inner: innerStart..<bracket))
                cursor = end
            } else if let items = CitationSyntax.parse(text[innerStart..<bracket]) {
                tokens.append(Token(kind: .citation(items), range: start..<afterClose, inner: innerStart..<bracket))
                cursor = afterClose
            }
        }
        return tokens
    }
}
