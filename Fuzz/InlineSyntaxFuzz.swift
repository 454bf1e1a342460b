// libFuzzer target: the `[[…]]` / `[@…]` scanner must never crash, and its tokens
// must be in order, inside the text, and start and end with their brackets.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var previousEnd = text.startIndex
    for token in InlineSyntax.scan(text) {
        precondition(token.range.lowerBound >= previousEnd && token.range.upperBound <= text.endIndex)
        precondition(token.range.contains(token.inner.lowerBound) || token.inner.isEmpty)
        // Compared as bytes: a combining mark after `[` makes one Character of both,
        // but the scanner (like cmark) works on the bytes.
        let written = Array(text.utf8[token.range])
        switch token.kind {
        case .reference: precondition(written.starts(with: [91, 91]) && written.reversed().starts(with: [93, 93]))
        case .citation(let items): precondition(written.starts(with: [91, 64]) && written.last == 93 && !items.isEmpty)
        }
        previousEnd = token.range.upperBound
    }
    return 0
}
