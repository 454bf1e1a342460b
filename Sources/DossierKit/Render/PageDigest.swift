import Crypto
import Foundation

/// A page's bytes are a pure function of its template context, the templates and the
/// program. The SHA-256 of a canonical encoding of the context (keys sorted, every value
/// tagged with its type and length) lets a rebuild skip rendering a page whose context
/// is the one the previous build rendered, and hard-link the previous file instead.
/// This is what makes a rename correct for free: every page that shows the old name has
/// a different context, so it is rendered again.
enum PageDigest {
    static func of(_ context: TemplateObject, template: String, templates: String) -> ContentDigest {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        append(templates, to: &bytes)
        append(template, to: &bytes)
        encode(context, into: &bytes)
        return ContentDigest(SHA256.hash(data: bytes))
    }

    /// Strings and lists of strings, each with its length, so no two different sequences
    /// hash alike (for digests of a few plain values). Gathered and hashed once: an update
    /// of the hasher per string was most of the cost of a page's input key.
    struct Stream {
        private var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(512) }

        /// A stream that goes on from what `stream` holds, in a buffer of its own.
        init(after stream: Stream) {
            bytes.reserveCapacity(512)
            stream.bytes.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
        }

        mutating func add(_ text: String) {
            text.withUTF8InPlace { utf8 in
                add(count: utf8.count)
                bytes.append(contentsOf: utf8)
            }
        }

        mutating func add(_ list: [String]) {
            add(count: list.count)
            for item in list { add(item) }
        }

        /// Entries by `Entry.ordinal`.
        mutating func add(ordinals: [Int32]) {
            add(count: ordinals.count)
            for ordinal in ordinals { withUnsafeBytes(of: ordinal.littleEndian) { bytes.append(contentsOf: $0) } }
        }

        mutating func add(count: Int) {
            withUnsafeBytes(of: UInt64(count).littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func add(bytes more: SharedBytes) {
            add(count: more.count)
            bytes.append(contentsOf: more)
        }

        /// A file's digest: always 32 bytes, so no length before it.
        mutating func add(_ digest: ContentDigest) {
            digest.withBytes { bytes.append(contentsOf: $0) }
        }

        func finalize() -> String { PageDigest.hex(SHA256.hash(data: bytes)) }

        /// The SHA-256 of what was added, kept as bytes (a page's input key).
        func finalDigest() -> ContentDigest { ContentDigest(SHA256.hash(data: bytes)) }

        /// The SHA-256 of what was added, as bytes.
        func digest() -> [UInt8] { Array(SHA256.hash(data: bytes)) }
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: 0, count: 2 * SHA256.byteCount)
        for (offset, byte) in digest.enumerated() {
            text[2 * offset] = digits[Int(byte >> 4)]
            text[2 * offset + 1] = digits[Int(byte & 15)]
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// One digest for a whole template set, so editing any template re-renders every page.
    static func of(templates: [String: String]) -> String {
        var bytes: [UInt8] = []
        for name in templates.keys.sorted() {
            append(name, to: &bytes)
            append(templates[name]!, to: &bytes)
        }
        return hex(SHA256.hash(data: bytes))
    }

    /// How a shared fragment appears in every digest that includes it: the SHA-256 of its
    /// partial's name and context (32 bytes to keep per fragment instead of the encoding).
    static func encoding(ofFragment partial: String, context: TemplateObject) -> [UInt8] {
        var bytes: [UInt8] = []
        append(partial, to: &bytes)
        encode(context, into: &bytes)
        return [UInt8(ascii: "f")] + Array(SHA256.hash(data: bytes))
    }

    private static func encode(_ object: TemplateObject, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "d"))
        count(object.count, into: &bytes)
        for (key, value) in object.fields.sorted(by: { $0.name < $1.name }) {
            append(key, to: &bytes)
            encode(value, into: &bytes)
        }
    }

    private static func encode(_ value: TemplateValue, into bytes: inout [UInt8]) {
        switch value {
        case .text(let text):
            bytes.append(UInt8(ascii: "s"))
            append(text, to: &bytes)
        case .flag(let flag):
            bytes.append(flag ? UInt8(ascii: "T") : UInt8(ascii: "F"))
        case .object(let object):
            encode(object, into: &bytes)
        case .list(let items):
            bytes.append(UInt8(ascii: "l"))
            count(items.count, into: &bytes)
            for item in items { encode(item, into: &bytes) }
        case .fragment(let fragment):
            bytes += fragment.digestBytes
        case .markup(let markup):
            // As the same text would be.
            bytes.append(UInt8(ascii: "s"))
            count(markup.count, into: &bytes)
            bytes += markup
        }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        text.withUTF8InPlace { utf8 in
            count(utf8.count, into: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    private static func count(_ n: Int, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: n).littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// A SHA-256 kept as its 32 bytes: of a note's bytes or front-matter, of a page's inputs
/// or context. The build cache holds two for every note and two for every page; as hex
/// strings they were 40,000 strings to make in a build and to read back in a rebuild.
struct ContentDigest: Equatable, Sendable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ digest: SHA256.Digest) { words = digest.withUnsafeBytes(Self.words) }

    private static func words(_ raw: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64, UInt64) {
        (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
         raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// The SHA-256 of `bytes`.
    init(of bytes: UnsafeRawBufferPointer) { self.init(SHA256.hash(data: bytes)) }

    private init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Stands for no digest: a note that could not be read, a page rendered without one
    /// (no SHA-256 in practice is 32 zero bytes).
    static let none = ContentDigest(words: (0, 0, 0, 0))

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: words, body)
    }

    static func == (a: ContentDigest, b: ContentDigest) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    func write(to writer: inout CacheWriter) {
        withBytes { writer.write(fixed: $0) }
    }

    static func write(_ list: [ContentDigest], to writer: inout CacheWriter) {
        writer.write(list.count)
        for digest in list { digest.write(to: &writer) }
    }

    static func list(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) -> [ContentDigest] {
        let count = try reader.count()
        var list: [ContentDigest] = []
        list.reserveCapacity(count)
        for _ in 0..<count { list.append(try ContentDigest(reading: &reader)) }
        return list
    }

    init(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) {
        words = try reader.fixed(32).withUnsafeBytes(Self.words)
    }
}
