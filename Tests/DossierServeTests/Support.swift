import DossierKit
import Foundation
import Testing
@testable import DossierServe
#if canImport(Glibc)
import Glibc
#endif

/// Paths of the repository, found from this file so tests run from any directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = root.appendingPathComponent("Templates")
    static let fixtureContent = root.appendingPathComponent("Tests/DossierKitTests/Fixtures/site/Content")
}

/// The fixture dossier copied into a fresh temporary folder, with an output folder beside it.
struct TestDossier {
    let folder: URL
    var content: URL { folder.appendingPathComponent("Content") }
    var output: URL { folder.appendingPathComponent("Site") }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-serve-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.fixtureContent, to: content)
    }

    var options: BuildOptions {
        BuildOptions(content: content, templates: Repository.templates, output: output,
                     contentDisplay: content.path, templatesDisplay: Repository.templates.path)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: content.appendingPathComponent(path), encoding: .utf8)
    }

    func write(_ path: String, _ text: String) throws {
        let url = content.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// A preview server on a port the system picked, stopped gracefully at the end.
struct RunningServer {
    let server: PreviewServer
    let port: Int
    let task: Task<Void, any Error>

    static func start(_ dossier: TestDossier) async throws -> RunningServer {
        let configuration = ServeConfiguration(build: dossier.options, host: "127.0.0.1", port: 0,
                                               pollInterval: .milliseconds(50), quietPeriod: .milliseconds(50))
        let server = PreviewServer(configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { continuation.finish() }
            try await server.run(handleSignals: false) { port in continuation.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw TestFailure("the server stopped before listening")
        }
        return RunningServer(server: server, port: port, task: task)
    }

    func get(_ target: String, method: String = "GET", host: String? = nil) async throws -> HTTPReply {
        try await RawHTTP.request(port: port, target: target, method: method, host: host ?? "127.0.0.1:\(port)")
    }

    /// Graceful shutdown must return even with event streams open.
    func stop() async throws {
        await server.stop()
        try await withTimeout(seconds: 60, "graceful shutdown") { try await task.value }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits for `body`, failing after a generous time instead of hanging the suite.
func withTimeout<T: Sendable>(seconds: Int, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            group.cancelAll()
            throw TestFailure("timed out waiting for \(what)")
        }
        group.cancelAll()
        return value
    }
}

struct HTTPReply: Sendable {
    var status: Int
    /// Lowercased names.
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A deliberately dumb HTTP/1.1 client over a plain socket: it sends the request target
/// exactly as given (no normalisation of `..` or `//`), which is what traversal tests need.
/// Blocking calls run on their own threads, never on the concurrency pool.
enum RawHTTP {
    static func request(port: Int, target: String, method: String = "GET", host: String) async throws -> HTTPReply {
        try await onThread {
            let socket = try connect(port: port)
            defer { close(socket) }
            try send(socket, "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            var idle = 0
            while true {
                let count = recv(socket, &buffer, buffer.count, 0)
                if count > 0 { data += buffer[0..<count]; idle = 0; continue }
                if count == 0 { break }
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { idle += 1; if idle < 60 { continue } }
                throw TestFailure("recv failed: \(errno)")
            }
            return try parse(data, isHead: method == "HEAD")
        }
    }

    static func parse(_ data: [UInt8], isHead: Bool) throws -> HTTPReply {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = data.indices.first(where: { data[$0...].starts(with: separator) }) else { throw TestFailure("no response head") }
        let head = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestFailure("bad status line \(head[0])") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(data[(end + separator.count)...])
        if !isHead, headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return HTTPReply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < data.count {
            guard let lineEnd = (index..<data.count - 1).first(where: { data[$0] == 13 && data[$0 + 1] == 10 }),
                  let size = Int(String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16),
                  size > 0 else { break }
            let start = lineEnd + 2
            result += data[start..<min(start + size, data.count)]
            index = start + size + 2
        }
        return result
    }

    static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(socket); throw TestFailure("connect failed: \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return socket
    }

    static func send(_ socket: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw TestFailure("send failed: \(errno)") }
            sent += count
        }
    }

    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.start()
        }
    }
}

/// An open `/__dossier/events` stream, read on its own thread; events are kept in order.
final class EventStreamClient: @unchecked Sendable {
    struct Event: Sendable {
        var name: String
        var data: String
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any]
        }
    }

    private let socket: Int32
    private let lock = NSLock()
    private var closed = false
    private var ended = false
    private var received: [Event] = []
    private var cursor = 0
    private(set) var status = 0

    init(port: Int) async throws {
        socket = try await RawHTTP.onThread {
            let socket = try RawHTTP.connect(port: port)
            try RawHTTP.send(socket, "GET /__dossier/events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n")
            return socket
        }
        let thread = Thread { [self] in self.read() }
        thread.start()
    }

    private func read() {
        var pending: [UInt8] = []
        var headDone = false
        var buffer = [UInt8](repeating: 0, count: 16384)
        var eventName = "message", dataLines: [String] = []
        while !lock.withLock({ closed }) {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { break }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                break
            }
            pending += buffer[0..<count]
            if !headDone {
                let separator = Array("\r\n\r\n".utf8)
                guard let end = pending.indices.first(where: { pending[$0...].starts(with: separator) }) else { continue }
                let statusLine = String(decoding: pending[..<end], as: UTF8.self).components(separatedBy: "\r\n")[0]
                let code = Int(statusLine.split(separator: " ")[1]) ?? 0
                lock.withLock { status = code }
                pending.removeFirst(end + separator.count)
                headDone = true
            }
            // Chunked framing: chunk-size lines are hex digits only; event lines never are
            // (they start with "event:", "data:", "retry:" or ":"), so they are skipped.
            while let newline = pending.firstIndex(of: 10) {
                var line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                if line.hasSuffix("\r") { line.removeLast() }
                if line.hasPrefix("event:") {
                    eventName = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
                } else if line.hasPrefix("data:") {
                    dataLines.append(String(line.dropFirst(5).drop { $0 == " " }))
                } else if line.isEmpty, !dataLines.isEmpty {
                    let event = Event(name: eventName, data: dataLines.joined(separator: "\n"))
                    lock.withLock { received.append(event) }
                    eventName = "message"
                    dataLines = []
                }
            }
        }
        lock.withLock { ended = true }
    }

    /// The next event, whatever its name (nil once the stream has ended). The timeout only
    /// turns a hang into a failure.
    func next(timeout seconds: Int = 60) async throws -> Event? {
        for _ in 0..<(seconds * 50) {
            let (event, isOver) = lock.withLock { () -> (Event?, Bool) in
                if cursor < received.count {
                    cursor += 1
                    return (received[cursor - 1], false)
                }
                return (nil, ended)
            }
            if let event { return event }
            if isOver { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("timed out waiting for a server event")
    }

    /// Skips events until one named `name` arrives.
    func next(named name: String, timeout seconds: Int = 60) async throws -> Event {
        while true {
            guard let event = try await next(timeout: seconds) else { throw TestFailure("event stream ended before '\(name)'") }
            if event.name == name { return event }
        }
    }

    /// Waits until the server ends the stream (graceful shutdown).
    func waitForEnd(timeout seconds: Int = 60) async throws {
        while try await next(timeout: seconds) != nil {}
    }

    func close() {
        lock.withLock {
            guard !closed else { return }
            closed = true
            shutdown(socket, Int32(SHUT_RDWR))
        }
    }

    deinit {
        close()
        Glibc.close(socket)
    }
}
