import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// Maps over both cores; results come back in the input's order, so output does
    /// not depend on scheduling.
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let results = ResultSlots<T>(count: count)
        self.withUnsafeBufferPointer { input in
            let input = UnsafeSendable(input)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                results.set(i, transform(input.value[i]))
            }
        }
        return results.values
    }
}

extension Array where Element: Sendable {
    /// `parallelMap` in contiguous chunks, each mapped by one task with a state of its own
    /// (`makeState`: say, a buffer kept from one element to the next instead of one made
    /// per element). Enough chunks to keep both cores busy to the end; same order out.
    func parallelMap<State, T: Sendable>(state makeState: @Sendable () -> State,
                                         _ transform: @Sendable (inout State, Element) -> T) -> [T] {
        let chunkCount = Swift.min(count, 64)
        guard chunkCount > 1 else {
            var state = makeState()
            return map { transform(&state, $0) }
        }
        let results = ResultSlots<T>(count: count)
        let count = self.count
        self.withUnsafeBufferPointer { input in
            let input = UnsafeSendable(input)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                var state = makeState()
                for i in (chunk * count / chunkCount)..<((chunk + 1) * count / chunkCount) {
                    results.set(i, transform(&state, input.value[i]))
                }
            }
        }
        return results.values
    }
}

/// Write-once slots filled from concurrent iterations, each index by exactly one of them.
private final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ index: Int, _ value: T) { slots[index] = value }

    var values: [T] { (0..<count).map { slots[$0]! } }
}

private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A value made on another thread while the caller goes on with other work; `value`
/// waits for it. For the build's few independent serial stages (templates, warnings,
/// the memo base), so that each runs beside another instead of after it.
///
/// A thread of its own, not Dispatch's pool: the pool has a thread per core, and while
/// `parallelMap` holds them all (rendering the pages) work queued to it waits for the
/// map to end. The memo base of a full build was written after the pages that way,
/// with one core idle, instead of in between them.
final class Concurrent<T: Sendable>: @unchecked Sendable {
    // @unchecked: `result` is written once, before `done` is signalled, and read after it.
    private let done = DispatchGroup()
    private var result: T?

    init(_ work: @escaping @Sendable () -> T) {
        done.enter()
        Thread {
            self.result = work()
            self.done.leave()
        }.start()
    }

    var value: T {
        done.wait()
        return result!
    }
}
