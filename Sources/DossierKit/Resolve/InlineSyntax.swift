import Foundation

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
        // On the string's own bytes (`memchr`): walking a UTF8View byte by byte was a
        // third of resolving a body's text.
        if let tokens = text.utf8.withContiguousStorageIfAvailable({ scan(text, bytes: $0) }) { return tokens }
        return Array(text.utf8).withUnsafeBufferPointer { scan(text, bytes: $0) }
    }

    private static func scan(_ text: String, bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
        let open = UInt8(ascii: "["), close = UInt8(ascii: "]")
        let utf8 = text.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        func nextOpen(from offset: Int) -> Int? {
            guard let base = bytes.baseAddress, offset < bytes.count,
                  let found = memchr(base + offset, Int32(open), bytes.count - offset) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        var tokens: [Token] = []
        var cursor = 0
        while let start = nextOpen(from: cursor) {
            let afterOpen = start + 1
            guard afterOpen < bytes.count else { break }
            cursor = afterOpen
            let isReference = bytes[afterOpen] == open
            guard isReference || bytes[afterOpen] == UInt8(ascii: "@") else { continue }
            let innerStart = isReference ? afterOpen + 1 : afterOpen
            // The next bracket decides: `]` (or `]]`) closes the token, `[` starts over there.
            guard let bracket = (innerStart..<bytes.count).first(where: { bytes[$0] == open || bytes[$0] == close }) else { break }
            cursor = bracket
            guard bytes[bracket] == close else { continue }
            let afterClose = bracket + 1
            if isReference {
                guard afterClose < bytes.count, bytes[afterClose] == close else { continue }
                tokens.append(Token(kind: .reference, range: index(start)..<index(afterClose + 1), inner: index(innerStart)..<index(bracket)))
                cursor = afterClose + 1
            } else if let items = CitationSyntax.parse(text[index(innerStart)..<index(bracket)]) {
                tokens.append(Token(kind: .citation(items), range: index(start)..<index(afterClose), inner: index(innerStart)..<index(bracket)))
                cursor = afterClose
            }
        }
        return tokens
    }
}
