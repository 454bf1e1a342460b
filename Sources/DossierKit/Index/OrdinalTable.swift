import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Entry id → `Entry.ordinal`, for ids written in ASCII (slugs: nearly all of them).
///
/// Every stage after the index looks ids up, a million times and more at 50,000 notes.
/// A `Dictionary<String, Entry>` of that size spreads one look-up over its bitmap, its
/// keys and its values (three arrays of megabytes) and the entry, which no longer stay
/// in the processor's cache: the cost of a look-up grew half as fast again as the
/// dossier. Here a look-up reads one 8-byte slot (a hash tag and the ordinal, in a table
/// of under a megabyte) and compares the text with the id's bytes, which lie with all the
/// others in one buffer (1.3 MB at 50,000 notes), not in a string object of their own
/// somewhere in a gigabyte of memory (a reference written in a body is a new string, and
/// comparing it with the id's string was a line from memory per link at 50,000 notes).
///
/// Only for the exact bytes: Swift compares strings by canonical equivalence, under
/// which a non-ASCII text can equal an ASCII one (U+212A KELVIN SIGN is "K"). So a text
/// or an id that is not ASCII is left to the dictionary (`find` says `.unknown`), as is
/// every miss when some id is not ASCII.
struct OrdinalTable: Sendable {
    enum Found: Equatable {
        case ordinal(Int)
        /// No entry has this id.
        case absent
        /// Only the dictionary can tell.
        case unknown
    }

    /// 0 for an empty slot, else the hash's upper half and the ordinal plus one.
    private var slots: [UInt64]
    private let mask: Int
    /// Every ASCII id's bytes, one after another in ordinal order; the id of ordinal `o`
    /// is `idBytes[idStarts[o]..<idStarts[o + 1]]` (empty for an id outside ASCII).
    private let idBytes: [UInt8]
    private let idStarts: [UInt32]
    /// Whether a miss is final: no id is outside ASCII.
    private let missIsFinal: Bool

    /// `ids`: the index's `orderedIDs` (each once).
    init(_ ids: [String]) {
        var size = 16
        while size < ids.count * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        var allASCII = true
        var bytes: [UInt8] = [], starts: [UInt32] = [0]
        starts.reserveCapacity(ids.count + 1)
        for (ordinal, id) in ids.enumerated() {
            defer { starts.append(UInt32(bytes.count)) }
            guard let hash = id.utf8.withContiguousStorageIfAvailable(Self.hash) ?? nil else { allASCII = false; continue }
            bytes += id.utf8
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(ordinal + 1)
        }
        (idBytes, idStarts, missIsFinal) = (bytes, starts, allASCII)
    }

    /// Where `id` is among the ids the table was made from.
    func find(_ id: String) -> Found {
        id.utf8.withContiguousStorageIfAvailable { text -> Found in
            guard let hash = Self.hash(text) else { return .unknown }
            let tag = hash & 0xFFFF_FFFF_0000_0000
            var slot = Int(truncatingIfNeeded: hash) & mask
            while case let value = slots[slot], value != 0 {
                if value & 0xFFFF_FFFF_0000_0000 == tag {
                    let ordinal = Int(value & 0xFFFF_FFFF) - 1
                    let start = Int(idStarts[ordinal])
                    if Int(idStarts[ordinal + 1]) - start == text.count, text.isEmpty || idBytes.withUnsafeBufferPointer({
                        memcmp($0.baseAddress! + start, text.baseAddress!, text.count) == 0
                    }) {
                        return .ordinal(ordinal)
                    }
                }
                slot = (slot + 1) & mask
            }
            return missIsFinal ? .absent : .unknown
        } ?? .unknown
    }

    /// A hash of UTF-8 bytes, eight at a time; nil when they are not ASCII.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return 0x9E37_79B9_7F4A_7C15 }
        var hash = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var high: UInt64 = 0
        var offset = 0
        func mix(_ word: UInt64) {
            high |= word
            hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
        }
        while offset + 8 <= bytes.count {
            mix(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        if offset < bytes.count {
            var last: UInt64 = 0
            for index in offset..<bytes.count { last |= UInt64(bytes[index]) << (8 * UInt64(index - offset)) }
            mix(last)
        }
        guard high & 0x8080_8080_8080_8080 == 0 else { return nil }
        // Murmur's finaliser: every bit of the result depends on every bit of the bytes.
        hash ^= hash >> 33
        hash = hash &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 33)
    }
}
