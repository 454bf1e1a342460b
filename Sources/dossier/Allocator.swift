import Foundation

/// Settings of jemalloc, the allocator linked into the command (see Package.swift).
enum Allocator {
    /// jemalloc gives memory freed during a run back to the system over some seconds, and
    /// a build that runs that long (50,000 notes) then has it faulted in again, page by
    /// page, as later stages allocate: 45,000 of its 362,000 page faults. A command that
    /// exits when its build ends keeps what it freed instead. (`serve`, which stays, does
    /// not call this.) Without jemalloc (another platform), nothing to do.
    static func keepFreedMemory() {
        #if os(Linux)
        typealias Control = @convention(c) (UnsafePointer<CChar>, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?,
                                            UnsafeMutableRawPointer?, Int) -> Int32
        guard let symbol = dlsym(nil, "mallctl") else { return }
        let control = unsafeBitCast(symbol, to: Control.self)
        // For the arenas made from now on (one per thread, on first use), then for those
        // there are (4096 is MALLCTL_ARENAS_ALL).
        for name in ["arenas.dirty_decay_ms", "arenas.muzzy_decay_ms", "arena.4096.dirty_decay_ms", "arena.4096.muzzy_decay_ms"] {
            var never = -1
            _ = control(name, nil, nil, &never, MemoryLayout<Int>.size)
        }
        #endif
    }
}
