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
    /// `parallelMap` in contiguous chunks, each mapped with a state of its own (`makeState`:
    /// say, a buffer kept from one element to the next instead of one made per element).
    /// Enough chunks to keep both cores busy to the end; same order out.
    ///
    /// Each core starts on a part of the array of its own (see `ChunkQueue`): for the
    /// page loop, that puts the cores in different folders of the site. Taking chunks in
    /// turn kept both in one folder, where each new page folder locks its parent: the
    /// cores waited on each other in the kernel, and stalled together when the one
    /// holding the lock waited for the disk.
    func parallelMap<State, T: Sendable>(state makeState: @Sendable () -> State,
                                         _ transform: @Sendable (inout State, Element) -> T) -> [T] {
        let chunkCount = Swift.min(count, 256)
        guard chunkCount > 1 else {
            var state = makeState()
            return map { transform(&state, $0) }
        }
        let results = ResultSlots<T>(count: count)
        let count = self.count
        let workers = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, chunkCount))
        let queue = ChunkQueue(chunks: chunkCount, workers: workers)
        self.withUnsafeBufferPointer { input in
            let input = UnsafeSendable(input)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var state = makeState()
                while let chunk = queue.next(for: worker) {
                    for i in (chunk * count / chunkCount)..<((chunk + 1) * count / chunkCount) {
                        results.set(i, transform(&state, input.value[i]))
                    }
                }
            }
        }
        return results.values
    }
}

/// Chunks for `parallelMap(state:)`'s workers: each works from the front of a run of
/// chunks of its own; one whose run is done takes the last chunk of the longest run left,
/// as far as possible from where that run's worker is.
private final class ChunkQueue: @unchecked Sendable {
    // @unchecked: `fronts` and `ends` are only touched under `lock`.
    private let lock = NSLock()
    private var fronts: [Int] = []
    private var ends: [Int] = []

    init(chunks: Int, workers: Int) {
        for worker in 0..<workers {
            fronts.append(worker * chunks / workers)
            ends.append((worker + 1) * chunks / workers)
        }
    }

    func next(for worker: Int) -> Int? {
        lock.withLock {
            if fronts[worker] < ends[worker] {
                defer { fronts[worker] += 1 }
                return fronts[worker]
            }
            guard let longest = fronts.indices.max(by: { ends[$0] - fronts[$0] < ends[$1] - fronts[$1] }),
                  ends[longest] > fronts[longest] else { return nil }
            ends[longest] -= 1
            return ends[longest]
        }
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
