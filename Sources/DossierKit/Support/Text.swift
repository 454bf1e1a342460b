import Foundation

/// Ids and heading anchors: lowercase ASCII letters, digits and single hyphens.
public enum Slug {
    public static func isSafe(_ id: String) -> Bool {
        guard let first = id.utf8.first, isLowerAlphanumeric(first) else { return false }
        return id.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// `Ismaël Omar Mostefaï` → `ismael-omar-mostefai`; `## Early career` → `early-career`.
    public static func make(_ text: String) -> String {
        var slug = ""
        var pendingHyphen = false
        let spelled = text.unicodeScalars.contains { !$0.isASCII } ? spellingOut(text) : text
        for scalar in Fold.key(spelled).unicodeScalars {
            if scalar.isASCII, isLowerAlphanumeric(UInt8(scalar.value)) {
                if pendingHyphen, !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingHyphen = true
            }
        }
        return slug
    }

    /// Letters that folding accents does not reduce to ASCII, spelled out as in
    /// transliteration (`L'Œuvre` → `l-oeuvre`, `Straße` → `strasse`).
    private static let spelledOut: [Character: String] = [
        "œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss", "ẞ": "Ss", "ø": "o", "Ø": "O",
        "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i",
    ]

    private static func spellingOut(_ text: String) -> String {
        String(text.flatMap { spelledOut[$0].map(Array.init) ?? [$0] })
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}

/// The form names are compared in: case, diacritics and Unicode normalisation folded
/// (NFC and NFD spell the same key), runs of spaces collapsed.
public enum Fold {
    public static func key(_ text: String) -> String {
        isOwnKey(text) ? text : latinKey(text) ?? foundationKey(text)
    }

    /// Whether `text` folds to itself: ASCII without whitespace that folding leaves as it
    /// is (lower case, digits, punctuation), as every id is. Its key is then the text
    /// itself, not a copy of it made byte by byte.
    static func isOwnKey(_ text: String) -> Bool {
        let (low, high) = asciiFoldingToItself
        return text.utf8.allSatisfy { byte in
            byte < 64 ? low >> byte & 1 == 1 : byte < 128 && high >> (byte - 64) & 1 == 1
        }
    }

    /// Which ASCII bytes `latinFolds` leaves as they are, one bit each (bytes 0–63, 64–127).
    private static let asciiFoldingToItself: (UInt64, UInt64) = (0..<0x80).reduce(into: (0, 0)) { masks, value in
        guard case .ascii(let byte) = latinFolds[value], byte == value else { return }
        if value < 64 { masks.0 |= 1 << UInt64(value) } else { masks.1 |= 1 << UInt64(value - 64) }
    }

    /// The definition: Foundation's folding, then compatibility composition and
    /// lower case, then whitespace runs collapsed.
    static func foundationKey(_ text: String) -> String {
        foldedScalars(text).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    private static func foldedScalars(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .precomposedStringWithCompatibilityMapping
            .lowercased()
    }

    /// The same key without Foundation, for text written in ASCII and the Latin blocks
    /// (U+0000–U+024F, precomposed): what most names and aliases are. Sending every
    /// non-ASCII name through Foundation was half of the index stage.
    /// Nil for anything else (combining marks, other scripts), which takes the slow path.
    static func latinKey(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let value = Int(scalar.value)
            guard value < latinFolds.count else { return nil }
            let fold = latinFolds[value]
            switch fold {
            case .space:
                pendingSpace = !bytes.isEmpty
            case .unsupported:
                return nil
            case .ascii(let byte):
                if pendingSpace { bytes.append(0x20); pendingSpace = false }
                bytes.append(byte)
            case .text(let folded):
                if pendingSpace { bytes.append(0x20); pendingSpace = false }
                bytes.append(contentsOf: folded)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    enum ScalarFold: Sendable {
        case space, unsupported
        case ascii(UInt8)
        case text([UInt8])
    }

    /// What Foundation folds each scalar below U+0250 to, on its own. Kept only where
    /// folding is the same one scalar at a time as in a whole string: the folded text
    /// is whitespace alone, or has neither whitespace nor combining marks (nothing that
    /// could compose with, or split from, its neighbours).
    static let latinFolds: [ScalarFold] = (0..<0x250).map { value in
        guard let scalar = Unicode.Scalar(value) else { return .unsupported }
        let character = Character(scalar)
        if character.isWhitespace { return .space }
        let folded = foldedScalars(String(character))
        if folded.isEmpty { return .unsupported }
        let clean = folded.unicodeScalars.allSatisfy {
            !$0.properties.isWhitespace && $0.properties.canonicalCombiningClass == .notReordered
                && $0.properties.generalCategory != .nonspacingMark && $0.properties.generalCategory != .spacingMark
                && $0.properties.generalCategory != .enclosingMark
        }
        guard clean else { return .unsupported }
        let utf8 = Array(folded.utf8)
        return utf8.count == 1 ? .ascii(utf8[0]) : .text(utf8)
    }
}

/// "Did you mean" candidates by edit distance.
public enum Suggest {
    /// Levenshtein distance over characters, stopping early past `limit`.
    public static func distance(_ a: String, _ b: String, limit: Int = .max) -> Int {
        let a = Array(a), b = Array(b)
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    public static func closest(to word: String, among candidates: [String], maxDistance: Int) -> String? {
        candidates
            .map { ($0, distance(word, $0, limit: maxDistance)) }
            .filter { $0.1 <= maxDistance && $0.0 != word }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }
}

/// Escaping for text and attribute values that Dossier writes itself.
public enum HTML {
    /// `text` escaped onto the end of `out` (the compiled templates' `{{name}}`), the
    /// runs between the five characters copied whole. Without `apostrophe`, `'` stays as
    /// it is, as cmark writes a text node.
    static func escape(_ text: String, into out: inout [UInt8], apostrophe: Bool = true) {
        text.withUTF8InPlace { escape($0, into: &out, apostrophe: apostrophe) }
    }

    private static func escape(_ utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], apostrophe: Bool) {
        var run = 0
        // Eight bytes at a time past those that need no entity, as most text has none (a
        // step per byte was 2.8 % of a 10k build's instructions, now 1.9 %).
        let raw = UnsafeRawBufferPointer(utf8)
        var offset = 0
        while offset < utf8.count {
            if offset + 8 <= utf8.count, !mayNeedEntity(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self), apostrophe: apostrophe) {
                offset += 8
                continue
            }
            let byte = utf8[offset]
            offset += 1
            let entity: StaticString
            switch byte {
            case 0x26: entity = "&amp;"
            case 0x3C: entity = "&lt;"
            case 0x3E: entity = "&gt;"
            case 0x22: entity = "&quot;"
            case 0x27 where apostrophe: entity = "&#39;"
            default: continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<(offset - 1)]))
            entity.withUTF8Buffer { out.append(contentsOf: $0) }
            run = offset
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
    }

    /// Whether `text` has a character `escape` turns into an entity (so that text with
    /// none is passed on as it is, with no copy made).
    private static func needsEntity(_ text: String, apostrophe: Bool) -> Bool {
        func scan(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
            let raw = UnsafeRawBufferPointer(utf8)
            var offset = 0
            while offset + 8 <= raw.count {
                if mayNeedEntity(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self), apostrophe: apostrophe) { return true }
                offset += 8
            }
            // The last few bytes as the first of a zero-filled word (a zero byte is none of them).
            var last: UInt64 = 0
            for (shift, byte) in utf8[offset...].enumerated() { last |= UInt64(byte) << (8 * shift) }
            return mayNeedEntity(last, apostrophe: apostrophe)
        }
        return text.withUTF8InPlace(scan)
    }

    /// Whether any of eight bytes is `&`, `<`, `>`, `"` (or `'`): each compared to all
    /// eight at once, a byte being zero where it equals the character.
    @inline(__always)
    private static func mayNeedEntity(_ word: UInt64, apostrophe: Bool) -> Bool {
        @inline(__always) func hasByte(_ byte: UInt64) -> UInt64 {
            let difference = word ^ (byte &* 0x0101_0101_0101_0101)
            return (difference &- 0x0101_0101_0101_0101) & ~difference & 0x8080_8080_8080_8080
        }
        let found = hasByte(0x26) | hasByte(0x3C) | hasByte(0x3E) | hasByte(0x22)
        return found | (apostrophe ? hasByte(0x27) : 0) != 0
    }

    /// `text` escaped onto the end of `out` as cmark writes a text node (`'` left as it is).
    static func escapeText(_ text: Substring, into out: inout [UInt8]) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { escape($0, into: &out, apostrophe: false) }
        if done == nil { escape(String(text), into: &out, apostrophe: false) }
    }

    /// `text` as cmark writes a text node (`'` left as it is): for text put into a body's
    /// HTML beside what cmark rendered, byte for byte the same.
    static func escapeText(_ text: String) -> String {
        let utf8 = text.utf8
        guard needsEntity(text, apostrophe: false) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        escape(text, into: &bytes, apostrophe: false)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func escape(_ text: String) -> String {
        // Byte by byte: the five characters are ASCII, and UTF-8 never uses ASCII bytes
        // inside a multi-byte character.
        let utf8 = text.utf8
        guard needsEntity(text, apostrophe: true) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        escape(text, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    /// `body` given the text's UTF-8 bytes where they are; a copy is made only of a string
    /// that does not hold them in one piece (one bridged from Foundation). `withUTF8`
    /// needs a mutable copy of the string: a retain and a release for each of the
    /// millions of values and names a build reads.
    func withUTF8InPlace<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }

    /// `bytes` as a string if they are UTF-8, as `String(validating:as:)` makes it, but
    /// faster on text that is ASCII but for a few characters, as a note is. Swift checks
    /// a buffer that is not all ASCII byte by byte (3 % of the instructions of a 10k
    /// build); here the ASCII runs are found eight bytes at a time and need no other
    /// check, and only the bytes between them are checked by Swift. UTF-8 never uses an
    /// ASCII byte inside a character, so checking the parts is checking the whole.
    init?(validatingMostlyASCII bytes: UnsafeBufferPointer<UInt8>) {
        let raw = UnsafeRawBufferPointer(bytes)
        var text = ""
        var runStart = 0, offset = 0, parts = 0
        while true {
            while offset + 8 <= raw.count, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                offset += 8
            }
            while offset < raw.count, bytes[offset] < 0x80 { offset += 1 }
            guard offset < raw.count else { break }
            if runStart == 0 { text.reserveCapacity(raw.count) }
            // Text full of other scripts is checked by Swift in one go from here.
            parts += 1
            guard parts <= 32 else {
                guard let rest = String(validating: UnsafeBufferPointer(rebasing: bytes[runStart...]), as: UTF8.self) else { return nil }
                self = text + rest
                return
            }
            var end = offset
            while end < raw.count, bytes[end] >= 0x80 { end += 1 }
            text += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]), as: UTF8.self)
            guard let other = String(validating: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self) else { return nil }
            text += other
            (runStart, offset) = (end, end)
        }
        // All ASCII: one string made of the bytes, not a copy of a copy.
        guard runStart > 0 else {
            self = String(decoding: bytes, as: UTF8.self)
            return
        }
        text += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart...]), as: UTF8.self)
        self = text
    }
}

extension [UInt8] {
    /// A number (not negative) in decimal digits, without a string made for it.
    mutating func appendDecimal(_ number: Int) {
        if number >= 10 { appendDecimal(number / 10) }
        append(UInt8(ascii: "0") + UInt8(number % 10))
    }
}

/// A short piece of HTML built as bytes: each `+=` on a String cost some 300
/// instructions, and a citation marker or a cross-reference link is a dozen pieces, every
/// few sentences of every body.
struct HTMLBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func add(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func add(_ text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if done == nil { bytes.append(contentsOf: text.utf8) }
    }

    /// `text` escaped as `HTML.escape` escapes it.
    mutating func add(escaping text: String) { HTML.escape(text, into: &bytes) }

    mutating func add(decimal number: Int) { bytes.appendDecimal(number) }
}

extension Substring {
    /// Without leading and trailing spaces (U+0020), found byte by byte: going through
    /// Characters cost more than the rest of resolving a cross-reference.
    var trimmingSpaces: Substring {
        let utf8 = self.utf8
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, utf8[start] == 0x20 { start = utf8.index(after: start) }
        while end > start, utf8[utf8.index(before: end)] == 0x20 { end = utf8.index(before: end) }
        return self[start..<end]
    }

    /// The text before the first `separator` byte (an ASCII character) and, if there is
    /// one, the text after it: `splitting(at:maxSplits: 1)` without an array made for
    /// the parts (every cross-reference is split twice).
    func splittingOnce(at separator: UInt8) -> (before: Substring, after: Substring?) {
        let utf8 = self.utf8
        let found = utf8.withContiguousStorageIfAvailable { $0.firstIndex(of: separator) } ?? Array(utf8).firstIndex(of: separator)
        guard let offset = found else { return (self, nil) }
        let at = utf8.index(utf8.startIndex, offsetBy: offset)
        return (self[..<at], self[utf8.index(after: at)...])
    }

    /// Split at each `separator` byte (an ASCII character), empty parts kept.
    func splitting(at separator: UInt8, maxSplits: Int = .max) -> [Substring] {
        // On the text's own bytes when it has them in one piece: a walk of the UTF8View
        // was nearly 1 % of a build (every reference and citation is split).
        let utf8 = self.utf8
        func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [Substring] {
            var parts: [Substring] = []
            var start = 0
            for offset in bytes.indices where bytes[offset] == separator && parts.count < maxSplits {
                parts.append(self[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: offset)])
                start = offset + 1
            }
            parts.append(self[utf8.index(utf8.startIndex, offsetBy: start)...])
            return parts
        }
        return utf8.withContiguousStorageIfAvailable(split) ?? Array(utf8).withUnsafeBufferPointer(split)
    }
}
