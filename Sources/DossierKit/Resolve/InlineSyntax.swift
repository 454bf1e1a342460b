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
    /// is not citation syntax, are left as text.
    public static func scan(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var cursor = text.startIndex
        // Brackets are ASCII, so scanning bytes finds them at character boundaries.
        while let open = text.utf8[cursor...].firstIndex(of: UInt8(ascii: "[")) {
            let afterOpen = text.utf8.index(after: open)
            guard afterOpen < text.endIndex else { break }
            cursor = afterOpen
            switch text.utf8[afterOpen] {
            case UInt8(ascii: "["):
                let innerStart = text.utf8.index(after: afterOpen)
                guard let close = TextLines.firstIndex(of: [93, 93], in: text[innerStart...].utf8) else { continue }
                let end = text.utf8.index(close, offsetBy: 2)
                tokens.append(Token(kind: .reference, range: open..<end, inner: innerStart..<close))
                cursor = end
            case UInt8(ascii: "@"):
                guard let close = text.utf8[afterOpen...].firstIndex(of: UInt8(ascii: "]")),
                      let items = CitationSyntax.parse(text[afterOpen..<close]) else { continue }
                let end = text.utf8.index(after: close)
                tokens.append(Token(kind: .citation(items), range: open..<end, inner: afterOpen..<close))
                cursor = end
            default:
                continue
            }
        }
        return tokens
    }
}
