import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Texts known in advance, each with a number, found by their exact UTF-8 bytes: the
/// index's ids (→ `Entry.ordinal`) and the names references are written with.
///
/// Every stage after the index looks ids and names up, a million times and more at
/// 50,000 notes. A `Dictionary<String, …>` of that size spreads one look-up over its
/// bitmap, its keys and its values (three arrays of megabytes) and the key's string
/// object, which no longer stay in the processor's cache: the cost of a look-up grew
/// half as fast again as the dossier. Here a look-up reads one 8-byte slot (a hash tag
/// and the key's position) and then the key's number and bytes, which lie side by side
/// with all the others in one buffer, not in a string object of their own somewhere in a
/// gigabyte of memory (a reference written in a body is a new string, and comparing it
/// with the key's string was a line from memory per link at 50,000 notes).
///
/// Only for the exact bytes: Swift compares strings by canonical equivalence, under
/// which two texts with different bytes can be equal ("é" composed or not, U+212A KELVIN
/// SIGN and "K"). A text found here is equal to its key; a text not found may still equal
/// one (`find` says whether that can be: see `Found`).
struct ExactTextTable: Sendable {
    enum Found: Equatable {
        case value(Int32)
        /// No key is equal to the text, canonically or not.
        case absent
        /// No key has the text's bytes; one may still be equal to it canonically.
        case unknown
    }

    /// 0 for an empty slot, else the hash's upper half and the key's position plus one.
    private var slots: [UInt64]
    private let mask: Int
    /// Each key's number (4 bytes) and then its bytes, one key after another; key `k` is
    /// `pool[starts[k] + 4 ..< starts[k + 1]]`.
    private var pool: [UInt8]
    private let starts: [UInt32]
    /// Whether a miss of an ASCII text is final: every key is ASCII (an ASCII text equals
    /// another text only byte for byte).
    private let keysAreASCII: Bool

    /// A key given twice keeps its first number.
    init(_ keys: some Sequence<(text: String, value: Int32)>, count: Int) {
        var size = 16
        while size < count * 2 { size *= 2 }
        var slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        var keysAreASCII = true
        var pool: [UInt8] = [], starts: [UInt32] = [0]
        starts.reserveCapacity(count + 1)
        for (text, value) in keys {
            text.withUTF8InPlace { bytes in
                let (hash, isASCII) = Self.hash(bytes)
                let (slot, found) = Self.probe(bytes, hash, slots, mask, pool, starts)
                guard found == nil else { return }
                keysAreASCII = keysAreASCII && isASCII
                slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(starts.count)
                withUnsafeBytes(of: value.littleEndian) { pool += $0 }
                pool += bytes
                starts.append(UInt32(pool.count))
            }
        }
        (self.slots, self.mask, self.pool, self.starts, self.keysAreASCII) = (slots, mask, pool, starts, keysAreASCII)
    }

    /// The number of the key with exactly `text`'s bytes.
    func find(_ text: String) -> Found {
        let (found, isASCII) = text.withUTF8InPlace { lookUp($0) }
        guard let position = found else { return isASCII && keysAreASCII ? .absent : .unknown }
        return .value(pool.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: Int(starts[position]), as: Int32.self) })
    }

    /// Gives the key with exactly `text`'s bytes another number (nothing if there is none).
    mutating func set(_ value: Int32, for text: String) {
        guard let position = text.withUTF8InPlace({ lookUp($0) }).position else { return }
        let start = Int(starts[position])
        pool.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: start, as: Int32.self) }
    }

    /// The position of the key with exactly these bytes, and whether they are ASCII.
    private func lookUp(_ bytes: UnsafeBufferPointer<UInt8>) -> (position: Int?, isASCII: Bool) {
        let (hash, isASCII) = Self.hash(bytes)
        return (Self.probe(bytes, hash, slots, mask, pool, starts).position, isASCII)
    }

    /// The slot of the key with `bytes` (whose hash is `hash`) and its position, or the
    /// empty slot where it would go (as the table is being made, too).
    private static func probe(_ bytes: UnsafeBufferPointer<UInt8>, _ hash: UInt64, _ slots: [UInt64], _ mask: Int,
                              _ pool: [UInt8], _ starts: [UInt32]) -> (slot: Int, position: Int?) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while case let taken = slots[slot], taken != 0 {
            let position = Int(taken & 0xFFFF_FFFF) - 1
            if taken & 0xFFFF_FFFF_0000_0000 == hash & 0xFFFF_FFFF_0000_0000 {
                let start = Int(starts[position]) + 4
                if Int(starts[position + 1]) - start == bytes.count, bytes.isEmpty
                    || pool.withUnsafeBufferPointer({ memcmp($0.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0 }) {
                    return (slot, position)
                }
            }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    /// A hash of UTF-8 bytes, eight at a time, and whether they are all ASCII.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, isASCII: Bool) {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return (0x9E37_79B9_7F4A_7C15, true) }
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
        // Murmur's finaliser: every bit of the result depends on every bit of the bytes.
        hash ^= hash >> 33
        hash = hash &* 0xC4CE_B9FE_1A85_EC53
        return (hash ^ (hash >> 33), high & 0x8080_8080_8080_8080 == 0)
    }
}
