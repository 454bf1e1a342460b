/// A list of strings in a memo (the entries a body links to, the targets of the
/// front-matter references): the list this build made, or the bytes the build cache held,
/// made into strings only when walked. A one-edit rebuild reads every memo, but walks the
/// lists of only the few entries the edited body touches (`MentionLists.Wanted`): making
/// every id in 10,000 memos a string was a third of reading them.
///
/// Read or made, it is written as `CacheWriter.write(_: [String])` writes a list, so the
/// cache's format does not depend on which.
struct MemoStrings: Sequence, Sendable {
    private let made: [String]?
    /// The strings as the cache holds them (each its length, then its bytes), after the count.
    private let encoded: SharedBytes
    let count: Int

    init(_ strings: [String]) { (made, encoded, count) = (strings, [], strings.count) }

    /// The list as the cache holds it, its lengths and UTF-8 checked, no string made.
    init(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) {
        count = try reader.count()
        let start = reader.position
        for _ in 0..<count { _ = try reader.stringBytes() }
        (made, encoded) = (nil, reader.bytes(since: start))
    }

    var isEmpty: Bool { count == 0 }

    /// Every string, made now if read from the cache.
    var array: [String] { made ?? Array(self) }

    func makeIterator() -> Iterator { Iterator(made: made, reader: CacheReader(encoded), left: count) }

    struct Iterator: IteratorProtocol {
        fileprivate let made: [String]?
        fileprivate var reader: CacheReader
        fileprivate var left: Int

        mutating func next() -> String? {
            guard left > 0 else { return nil }
            defer { left -= 1 }
            if let made { return made[made.count - left] }
            return (try? reader.stringBytes(checkingUTF8: false)).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The strings `wanted` holds, in order, repeats included. Read from the cache, each
    /// one's length and last byte are checked against the wanted ids' before a string is
    /// made of it.
    func forEach(in wanted: MentionLists.Wanted, _ body: (String) -> Void) {
        visit(in: wanted) { text in
            body(text)
            return true
        }
    }

    /// Whether `wanted` holds one of the strings.
    func contains(anyOf wanted: MentionLists.Wanted) -> Bool {
        var found = false
        visit(in: wanted) { _ in
            found = true
            return false
        }
        return found
    }

    /// The wanted strings in order, while `body` returns true.
    private func visit(in wanted: MentionLists.Wanted, _ body: (String) -> Bool) {
        if let made {
            for text in made where wanted.contains(text) { guard body(text) else { return } }
            return
        }
        var reader = CacheReader(encoded)
        for _ in 0..<count {
            guard let bytes = try? reader.stringBytes(checkingUTF8: false) else { return }
            if let text = wanted.matching(bytes) { guard body(text) else { return } }
        }
    }

    func write(to writer: inout CacheWriter) {
        guard let made else {
            writer.write(count)
            return writer.write(encoded: encoded)
        }
        writer.write(made)
    }
}

/// The sources a body cites with the locators used, as `MemoStrings` keeps a list: this
/// build's, or the cache's bytes, decoded as walked (a source's locators only when the
/// source is wanted).
struct MemoCitations: Sequence, Sendable {
    private let made: [BodyMemo.CitedSource]?
    /// Each source as the cache holds it (its id, then its locators as a list), after the count.
    private let encoded: SharedBytes
    let count: Int

    init(_ sources: [BodyMemo.CitedSource]) { (made, encoded, count) = (sources, [], sources.count) }

    init(reading reader: inout CacheReader) throws(CacheReader.CacheBytesError) {
        count = try reader.count()
        let start = reader.position
        for _ in 0..<count {
            _ = try reader.stringBytes()
            for _ in 0..<(try reader.count()) { _ = try reader.stringBytes() }
        }
        (made, encoded) = (nil, reader.bytes(since: start))
    }

    var isEmpty: Bool { count == 0 }

    func makeIterator() -> Iterator { Iterator(made: made, reader: CacheReader(encoded), left: count) }

    struct Iterator: IteratorProtocol {
        fileprivate let made: [BodyMemo.CitedSource]?
        fileprivate var reader: CacheReader
        fileprivate var left: Int

        mutating func next() -> BodyMemo.CitedSource? {
            guard left > 0 else { return nil }
            defer { left -= 1 }
            if let made { return made[made.count - left] }
            guard let id = try? reader.stringBytes(checkingUTF8: false) else { return nil }
            return BodyMemo.CitedSource(sourceID: String(decoding: id, as: UTF8.self), locators: MemoCitations.locators(&reader))
        }
    }

    private static func locators(_ reader: inout CacheReader) -> [String] {
        ((try? reader.strings()) ?? [])
    }

    /// The cited sources `wanted` holds (all of them without `wanted`), in order.
    func forEach(in wanted: MentionLists.Wanted?, _ body: (BodyMemo.CitedSource) -> Void) {
        guard let wanted else { return forEach(body) }
        if let made {
            for source in made where wanted.contains(source.sourceID) { body(source) }
            return
        }
        var reader = CacheReader(encoded)
        for _ in 0..<count {
            guard let id = try? reader.stringBytes(checkingUTF8: false), let locatorCount = try? reader.count() else { return }
            guard let sourceID = wanted.matching(id) else {
                for _ in 0..<locatorCount { _ = try? reader.stringBytes(checkingUTF8: false) }
                continue
            }
            var locators: [String] = []
            locators.reserveCapacity(locatorCount)
            for _ in 0..<locatorCount {
                guard let locator = try? reader.stringBytes(checkingUTF8: false) else { return }
                locators.append(String(decoding: locator, as: UTF8.self))
            }
            body(BodyMemo.CitedSource(sourceID: sourceID, locators: locators))
        }
    }

    func write(to writer: inout CacheWriter) {
        guard let made else {
            writer.write(count)
            return writer.write(encoded: encoded)
        }
        writer.write(made.count)
        for source in made {
            writer.write(source.sourceID)
            writer.write(source.locators)
        }
    }
}
