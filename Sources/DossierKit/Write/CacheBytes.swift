import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The build cache's file format: a version line, then values one after another, each
/// number as a variable-length integer (LEB128, zigzag for the sign: most take a byte),
/// each string as its length and its UTF-8 bytes. The cache of a
/// 10,000-note site holds some 100,000 strings; through JSONEncoder and JSONDecoder it
/// took a third of a one-edit rebuild, written and read this way a few milliseconds.
///
/// The writer streams to a temporary file beside the cache, renamed over it at the end
/// (readers see the old cache or the new one, never half of one), in chunks of a
/// megabyte: the whole cache held in memory was the peak of a build's memory use.
struct CacheWriter: ~Copyable {
    private(set) var bytes: [UInt8] = []
    private var lastRecurring: String?
    /// -1 for a writer that only fills `bytes` (an entry encoded for the cache).
    private let descriptor: Int32
    private let temporary: String
    private var failed = false

    init() {
        descriptor = -1
        temporary = ""
    }

    init?(path temporary: String, header: String) {
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        self.temporary = temporary
        bytes.reserveCapacity(Self.chunk + 4096)
        bytes += Array((header + "\n").utf8)
    }

    private static let chunk = 1 << 20

    private mutating func flush() {
        guard descriptor >= 0 else { return }
        var written = 0
        while written < bytes.count, !failed {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { failed = true } else { written += count }
        }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and puts the file at `path`; false (and no file) on any error.
    consuming func finish(at path: String) -> Bool {
        flush()
        let closed = close(descriptor) == 0
        guard !failed, closed, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    mutating func write(_ number: Int64) {
        var rest = UInt64(bitPattern: (number << 1) ^ (number >> 63))
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
        if bytes.count >= Self.chunk { flush() }
    }

    mutating func write(_ number: Int) { write(Int64(number)) }

    mutating func write(_ text: String) {
        text.withUTF8InPlace { utf8 in
            write(utf8.count)
            bytes += utf8
        }
        if bytes.count >= Self.chunk { flush() }
    }

    /// A string that is mostly the one written this way before (the file of each location
    /// in an entry): then a single byte.
    mutating func write(recurring text: String) {
        if text == lastRecurring { return write(0) }
        write(1)
        write(text)
        lastRecurring = text
    }

    /// Bytes made by another writer, with their length.
    mutating func write(bytes blob: [UInt8]) {
        write(blob.count)
        write(encoded: blob[...])
    }

    /// Bytes a reader read as written with `write(bytes:)`, with their length.
    mutating func write(bytes blob: SharedBytes) {
        write(blob.count)
        write(encoded: blob)
    }

    /// The bytes of an in-memory writer, as a part with its length first (`CacheReader.part`).
    mutating func write(part: [UInt8]) {
        write(part.count)
        write(encoded: part[...])
    }

    /// Bytes of a fixed size, with no length before them (read back with `CacheReader.fixed`).
    mutating func write(fixed raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
        if bytes.count >= Self.chunk { flush() }
    }

    /// Bytes another reader read, written back as they were.
    mutating func write(encoded: SharedBytes) {
        encoded.withUnsafeBufferPointer { bytes += $0 }
        if bytes.count >= Self.chunk { flush() }
    }

    /// Bytes of an in-memory writer, as they are.
    mutating func write(encoded: ArraySlice<UInt8>) {
        bytes += encoded
        if bytes.count >= Self.chunk { flush() }
    }

    mutating func write(_ flag: Bool) { write(flag ? 1 : 0) }

    mutating func write(_ number: Double) {
        withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes += $0 }
    }

    mutating func write(_ list: [String]) {
        write(list.count)
        for item in list { write(item) }
    }

    mutating func write<Value>(_ table: [String: Value], _ writeValue: (inout CacheWriter, Value) -> Void) {
        // Sorted, so the same cache is the same bytes.
        write(table, keys: table.keys.sorted()[...], writeValue)
    }

    /// The table in the dictionary's own order: for tables whose values (times, inodes)
    /// make every cache's bytes its own anyway, so that sorting 10,000 keys buys nothing.
    mutating func write<Value>(inAnyOrder table: [String: Value], _ writeValue: (inout CacheWriter, Value) -> Void) {
        write(table.count)
        for (key, value) in table {
            write(key)
            writeValue(&self, value)
        }
    }

    /// The entries of `table` under `keys`, as a table of their own.
    mutating func write<Value>(_ table: [String: Value], keys: ArraySlice<String>, _ writeValue: (inout CacheWriter, Value) -> Void) {
        write(keys.count)
        for key in keys {
            write(key)
            writeValue(&self, table[key]!)
        }
    }
}

/// Reads what CacheWriter wrote; any inconsistency (a truncated or foreign file) is
/// `CacheBytesError`, and the caller then treats the cache as absent.
struct CacheReader: Sendable {
    /// Offsets are indices into the whole buffer the bytes are part of (see SharedBytes).
    private let bytes: SharedBytes
    private var offset: Int
    /// Where this reader's part of `bytes` ends.
    private let end: Int
    private var lastRecurring: String?

    struct CacheBytesError: Error {}

    init?(_ bytes: SharedBytes, header: String) {
        let expected = Array((header + "\n").utf8)
        guard bytes.starts(with: expected) else { return nil }
        self.bytes = bytes
        offset = bytes.startIndex + expected.count
        end = bytes.endIndex
    }

    /// Reads bytes from a writer made with `CacheWriter()`, or a part of a cache read as a
    /// `slice()` (an entry in a memo).
    init(_ bytes: SharedBytes) {
        self.bytes = bytes
        offset = bytes.startIndex
        end = bytes.endIndex
    }

    private init(_ bytes: SharedBytes, from start: Int, to end: Int) {
        self.bytes = bytes
        offset = start
        self.end = end
    }

    /// Splits off a part written with `CacheWriter.write(part:)`: a reader of the part,
    /// which can be read on another thread; this reader goes on after it.
    mutating func part() throws(CacheBytesError) -> CacheReader {
        let length = try count()
        let part = CacheReader(bytes, from: offset, to: offset + length)
        offset += length
        return part
    }

    /// Bytes written with `CacheWriter.write(bytes:)`, sharing the cache's buffer rather
    /// than copied (10,000 memos each hold an entry's bytes).
    mutating func slice() throws(CacheBytesError) -> SharedBytes {
        let count = try count()
        let slice = bytes[offset..<offset + count]
        offset += count
        return slice
    }

    /// `count` bytes written as they are, with no length before them.
    mutating func fixed(_ count: Int) throws(CacheBytesError) -> SharedBytes {
        guard end - offset >= count else { throw CacheBytesError() }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func bool() throws(CacheBytesError) -> Bool {
        switch try int64() {
        case 0: return false
        case 1: return true
        default: throw CacheBytesError()
        }
    }

    mutating func double() throws(CacheBytesError) -> Double {
        guard end - offset >= 8 else { throw CacheBytesError() }
        var pattern: UInt64 = 0
        for shift in 0..<8 { pattern |= UInt64(bytes[offset + shift]) << (8 * shift) }
        offset += 8
        return Double(bitPattern: pattern)
    }

    var isAtEnd: Bool { offset == end }

    /// Where the next value starts, and the bytes read since `start` (shared, not copied).
    var position: Int { offset }
    func bytes(since start: Int) -> SharedBytes { bytes[start..<offset] }

    mutating func int64() throws(CacheBytesError) -> Int64 {
        // Most numbers (counts, flags, lines, columns) take one byte.
        if offset < end, case let byte = bytes[offset], byte < 0x80 {
            offset += 1
            return Int64(byte >> 1) ^ -Int64(byte & 1)
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw CacheBytesError() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    mutating func int() throws(CacheBytesError) -> Int { Int(try int64()) }

    /// How many items follow: each takes at least a byte, so a count larger than what is
    /// left is a damaged file, not a reason to loop for ever.
    mutating func count() throws(CacheBytesError) -> Int {
        let value = try int64()
        guard value >= 0, value <= Int64(end - offset) else { throw CacheBytesError() }
        return Int(value)
    }

    mutating func string() throws(CacheBytesError) -> String {
        let length = try count()
        let start = offset - bytes.startIndex
        let text = bytes.withUnsafeBufferPointer { buffer -> String? in
            let utf8 = UnsafeBufferPointer(rebasing: buffer[start..<start + length])
            // ASCII is valid UTF-8 as it stands, and most strings here are ASCII (ids,
            // paths, titles): the generic validation cost more than the rest of a read.
            if Self.isASCII(utf8) { return String(decoding: utf8, as: UTF8.self) }
            return String(validating: utf8, as: UTF8.self)
        }
        guard let text else { throw CacheBytesError() }
        offset += length
        return text
    }

    /// `string()`, or `known` itself when its bytes are the ones read: one string for
    /// what a memo holds twice (a title, a file's path), not a copy of it made per note.
    mutating func string(reusing known: String?) throws(CacheBytesError) -> String {
        guard let known else { return try string() }
        let start = offset
        let length = try count()
        let isKnown = known.withUTF8InPlace { utf8 in
            utf8.count == length && (length == 0 || bytes.withUnsafeBufferPointer { buffer in
                memcmp(buffer.baseAddress! + (offset - bytes.startIndex), utf8.baseAddress!, length) == 0
            })
        }
        guard isKnown else {
            offset = start
            return try string()
        }
        offset += length
        return known
    }

    /// A string's bytes (after its length), with no string made: for lists read only in
    /// part (see MemoStrings). Checked to be UTF-8 unless they were when first read.
    mutating func stringBytes(checkingUTF8: Bool = true) throws(CacheBytesError) -> SharedBytes {
        let length = try count()
        let slice = bytes[offset..<offset + length]
        if checkingUTF8 {
            let isUTF8 = slice.withUnsafeBufferPointer { utf8 in
                Self.isASCII(utf8) || String(validating: utf8, as: UTF8.self) != nil
            }
            guard isUTF8 else { throw CacheBytesError() }
        }
        offset += length
        return slice
    }

    /// Whether every byte is ASCII, eight at a time.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var seen: UInt64 = 0, offset = 0
        while offset + 8 <= raw.count {
            seen |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < raw.count {
            seen |= UInt64(raw[offset])
            offset += 1
        }
        return seen & 0x8080_8080_8080_8080 == 0
    }

    /// A string written with `write(recurring:)`. `known`, when it is the string read,
    /// is returned rather than a copy of it (an entry's file, which its memo holds too).
    mutating func recurringString(known: String? = nil) throws(CacheBytesError) -> String {
        switch try int64() {
        case 0:
            guard let lastRecurring else { throw CacheBytesError() }
            return lastRecurring
        case 1:
            let text = try string(reusing: known)
            lastRecurring = text
            return text
        default: throw CacheBytesError()
        }
    }

    mutating func strings() throws(CacheBytesError) -> [String] {
        let count = try count()
        var list: [String] = []
        list.reserveCapacity(min(count, 1 << 16))
        for _ in 0..<count { list.append(try string()) }
        return list
    }

    mutating func table<Value>(_ readValue: (inout CacheReader) throws(CacheBytesError) -> Value) throws(CacheBytesError) -> [String: Value] {
        let count = try count()
        // Most tables of an entry (its other front-matter keys) are empty.
        guard count > 0 else { return [:] }
        var table: [String: Value] = [:]
        table.reserveCapacity(min(count, 1 << 20))
        for _ in 0..<count {
            let key = try string()
            table[key] = try readValue(&self)
        }
        return table
    }
}
