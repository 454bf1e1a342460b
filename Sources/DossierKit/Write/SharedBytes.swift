import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bytes of the build cache, shared rather than copied: part of a cache file mapped into
/// memory, or of a writer's bytes. Indices are offsets into the whole, as an ArraySlice's
/// are. A rebuild holds 10,000 memos, each a few slices of the memo base.
///
/// The cache and the memo base are mapped, not read: reading their 20 MB (at 10,000
/// notes) copied every byte into memory the process had first to be given, page by page,
/// which was most of the thread that reads them while the inputs are stamped. Every build
/// replaces those files by renaming a new file over them, never by writing into them, so
/// a mapped file does not change under the build that maps it. (Only a file cut short by
/// hand while a build reads it could stop that build, where reading it would have found
/// it damaged and started afresh.)
struct SharedBytes: RandomAccessCollection, Sendable, ExpressibleByArrayLiteral {
    private let storage: ByteStorage?
    let startIndex: Int
    let endIndex: Int

    private init(_ storage: ByteStorage?, _ bounds: Range<Int>) {
        self.storage = storage
        (startIndex, endIndex) = (bounds.lowerBound, bounds.upperBound)
    }

    /// A copy of `bytes`.
    init(_ bytes: [UInt8]) {
        self.init(bytes.isEmpty ? nil : ByteStorage(copying: bytes), 0..<bytes.count)
    }

    init(arrayLiteral elements: UInt8...) { self.init(elements) }

    /// The file at `path` mapped read-only; nil when it is not a regular file or cannot be mapped.
    init?(mapping path: String) {
        guard let (bytes, _) = Self.stampedMapping(of: path) else { return nil }
        self = bytes
    }

    /// The file at `path` mapped read-only, with its stamp taken from the descriptor it
    /// was mapped through (so the two are of the same file).
    static func stampedMapping(of path: String) -> (bytes: SharedBytes, stamp: FileStamp)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let count = Int(info.st_size)
        guard count > 0 else { return (SharedBytes(nil, 0..<0), FileStamp(info)) }
        guard let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else { return nil }
        // The pages are mapped now, in one call on the thread that maps the file (beside
        // the stamping of the inputs), rather than faulted in one by one by the cores that
        // decode them. MADV_POPULATE_READ (Linux 5.14); on an older kernel the call fails
        // and the pages are faulted in as read.
        #if os(Linux)
        _ = madvise(mapped, count, 22)
        #endif
        return (SharedBytes(ByteStorage(mapped: mapped, count: count), 0..<count), FileStamp(info))
    }

    subscript(position: Int) -> UInt8 {
        precondition(position >= startIndex && position < endIndex, "byte offset out of range")
        return storage.unsafelyUnwrapped.base[position]
    }

    subscript(bounds: Range<Int>) -> SharedBytes {
        precondition(bounds.lowerBound >= startIndex && bounds.upperBound <= endIndex, "byte range out of range")
        return SharedBytes(storage, bounds)
    }

    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        guard let storage else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: storage.base + startIndex, count: count))
    }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
    }

    /// So that `String(decoding:as:)`, `Array.append(contentsOf:)` and the like copy the
    /// bytes at once rather than one at a time.
    func withContiguousStorageIfAvailable<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        try withUnsafeBufferPointer(body)
    }
}

/// The memory behind `SharedBytes`: a mapping, unmapped, or a copy, freed, when the last
/// slice of it goes. Never written once made.
private final class ByteStorage: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    private let count: Int
    private let isMapped: Bool

    init(copying bytes: [UInt8]) {
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        copy.initialize(from: bytes, count: bytes.count)
        (base, count, isMapped) = (UnsafePointer(copy), bytes.count, false)
    }

    init(mapped: UnsafeMutableRawPointer, count: Int) {
        (base, self.count, isMapped) = (UnsafePointer(mapped.assumingMemoryBound(to: UInt8.self)), count, true)
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutablePointer(mutating: base).deallocate()
        }
    }
}
