import DossierKit
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// `dossier serve`: what to build, where to listen, how often to look for changes.
public struct ServeConfiguration: Sendable {
    public var build: BuildOptions
    /// Loopback unless told otherwise.
    public var host: String
    /// 0 asks the system for a free port (tests); the port used is given to `onListening`.
    public var port: Int
    /// How often the content and template folders are polled.
    public var pollInterval: Duration
    /// Once a change is seen, how long the folders must stay unchanged before the rebuild
    /// (an editor's save is often several writes).
    public var quietPeriod: Duration

    public init(build: BuildOptions, host: String = "127.0.0.1", port: Int = 8000,
                pollInterval: Duration = .milliseconds(300), quietPeriod: Duration = .milliseconds(100)) {
        self.build = build
        self.host = host
        self.port = port
        self.pollInterval = pollInterval
        self.quietPeriod = quietPeriod
    }
}

/// What the server tells its user: status lines (stdout) and diagnostic listings (stderr).
public enum ServeMessage: Sendable {
    case status(String)
    case diagnostics(String)
}

/// The preview server: builds, serves the output folder with the live-reload script added
/// to HTML responses, rebuilds when the content or templates change, and pushes a reload
/// (or the diagnostics of a failed build) to every open page.
public final class PreviewServer: Sendable {
    public let configuration: ServeConfiguration
    let live = LiveState()
    let site: SiteFiles
    private let log: @Sendable (ServeMessage) -> Void
    private let group = Mutex<ServiceGroup?>(nil)
    private let stopRequested = Mutex(false)
    private let lastListing = Mutex<String?>(nil)

    public init(_ configuration: ServeConfiguration, log: @escaping @Sendable (ServeMessage) -> Void = { _ in }) {
        self.configuration = configuration
        self.site = SiteFiles(root: configuration.build.output)
        self.log = log
    }

    /// The build pages are served from; changes after every good build.
    public var currentBuild: String { live.build }
    /// The diagnostics of the last build, as JSON, when it failed; nil after a good build.
    public var currentFailure: String? { live.failure }

    /// Builds, then serves until `stop()` or, with `handleSignals`, SIGINT/SIGTERM, and
    /// shuts down gracefully (open event streams are ended, a running build completes).
    /// Throws `EnvironmentError` when the first build cannot run at all (missing folder,
    /// refused output folder); content errors are shown, and the server starts anyway.
    public func run(handleSignals: Bool = true, onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async throws {
        let folders = watchedFolders
        // Taken before the first build, so a save made during it is rebuilt at once.
        let baseline = Snapshot.take(folders)
        let first = await rebuild(after: [])
        if let error = first.environmentError { throw error }

        var logger = Logger(label: "dossier.serve")
        logger.logLevel = .warning
        let watcher = WatchService(server: self, folders: folders, initial: baseline)
        let configuration = self.configuration
        let app = Application(
            responder: PreviewResponder(server: self),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? configuration.port)
            },
            logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: watcher), .init(service: app)],
            gracefulShutdownSignals: handleSignals ? [.sigint, .sigterm] : [],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        let stopEarly = group.withLock { group -> Bool in
            group = serviceGroup
            return stopRequested.withLock { $0 }
        }
        if stopEarly { return }
        defer { live.finishAll() }
        try await serviceGroup.run()
    }

    /// Graceful shutdown, as on Ctrl-C.
    public func stop() async {
        let serviceGroup = group.withLock { group -> ServiceGroup? in
            stopRequested.withLock { $0 = true }
            return group
        }
        await serviceGroup?.triggerGracefulShutdown()
    }

    /// `127.x.x.x`, `::1`, `localhost` and `*.localhost`.
    public static func isLoopback(_ host: String) -> Bool { PreviewResponder.isLoopback(host) }

    var watchedFolders: [(url: URL, display: String)] {
        [(configuration.build.content, configuration.build.contentDisplay),
         (configuration.build.templates, configuration.build.templatesDisplay)]
    }

    // MARK: Building

    struct Outcome: Sendable {
        var result: BuildResult?
        var environmentError: EnvironmentError?
    }

    /// One build off the cooperative thread pool; records it and tells every open page.
    func rebuild(after changes: [String]) async -> Outcome {
        let options = configuration.build
        let clock = ContinuousClock()
        let start = clock.now
        live.beginBuild()
        let built: Result<BuildResult, EnvironmentError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Result { () throws(EnvironmentError) -> BuildResult in try Builder.build(options) })
            }
        }
        let milliseconds = Int((clock.now - start) / .milliseconds(1))
        let verb = changes.isEmpty ? "built" : "rebuilt"
        let cause = Self.describe(changes)
        switch built {
        case .success(let result):
            let failed = result.report.hasErrors
            live.finishBuild(succeeded: !failed, pages: result.pages,
                             failure: failed ? FailureReport(report: result.report, options: options).json : nil)
            printListing(result.report)
            if failed {
                log(.status("build failed in \(milliseconds) ms\(cause): \(result.report.summary); still serving the last good site"))
            } else {
                log(.status("\(verb) in \(milliseconds) ms\(cause): \(result.outputSummary); \(result.report.summary)"))
            }
            return Outcome(result: result)
        case .failure(let error):
            live.finishBuild(succeeded: false, pages: 0, failure: FailureReport(environmentError: error).json)
            lastListing.withLock { $0 = nil }
            log(.diagnostics("dossier: error: \(error.description)"))
            log(.status("build failed in \(milliseconds) ms\(cause); still serving the last good site"))
            return Outcome(environmentError: error)
        }
    }

    /// The listing is printed when it differs from the previous build's, so an unchanged
    /// set of warnings does not scroll by on every save.
    private func printListing(_ report: DiagnosticReport) {
        let listing = report.diagnostics.isEmpty ? nil : report.listing
        let previous = lastListing.withLock { last -> String? in
            defer { last = listing }
            return last
        }
        if let listing, listing != previous || report.hasErrors { log(.diagnostics(listing)) }
    }

    static func describe(_ changes: [String]) -> String {
        switch changes.count {
        case 0: ""
        case 1: " (\(changes[0]) changed)"
        case 2, 3: " (\(changes.joined(separator: ", ")) changed)"
        default: " (\(changes.count) files changed: \(changes.prefix(2).joined(separator: ", ")), …)"
        }
    }
}

/// Polls the watched folders; after a change and a quiet period, rebuilds.
struct WatchService: Service {
    let server: PreviewServer
    let folders: [(url: URL, display: String)]
    let initial: Snapshot

    func run() async throws {
        let poll = server.configuration.pollInterval
        let quiet = server.configuration.quietPeriod
        var last = initial
        var sincePing = Duration.zero
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: poll) }
            } catch {
                return
            }
            sincePing += poll
            if sincePing >= .seconds(20) {
                sincePing = .zero
                server.live.ping()
            }
            var current = Snapshot.take(folders)
            guard current != last else { continue }
            // Wait for the writes of one save to settle (bounded, in case a file never does).
            for _ in 0..<20 {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: quiet) }
                } catch {
                    return
                }
                let next = Snapshot.take(folders)
                if next == current { break }
                current = next
            }
            let changes = current.changes(since: last)
            last = current
            // Changes made while this build runs are seen at the next poll.
            _ = await server.rebuild(after: changes)
        }
    }
}

/// Answers every request: the event stream, the live script, or a file of the site.
struct PreviewResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let server: PreviewServer

    func respond(to request: Request, context: Context) async throws -> Response {
        let isHead = request.method == .head
        guard request.method == .get || isHead else {
            return Self.text(.methodNotAllowed, "405 Method Not Allowed\n", extra: [.allow: "GET, HEAD"])
        }
        guard Self.isAllowed(host: request.head.authority, listeningOn: server.configuration.host) else {
            return Self.text(.forbidden, "403 Forbidden: this preview answers to localhost only\n")
        }
        let target = request.head.path ?? "/"
        let path = target.prefix { $0 != "?" && $0 != "#" }
        let response: Response
        switch path {
        case LiveScript.eventsPath:
            response = events()
        case LiveScript.path:
            response = Self.bytes(Array(LiveScript.source.utf8), type: "text/javascript; charset=utf-8", status: .ok)
        default:
            response = await file(target)
        }
        return isHead ? response.createHeadResponse() : response
    }

    /// DNS rebinding guard: listening on loopback, only loopback names are answered, so a
    /// web page whose own name was pointed at 127.0.0.1 cannot read an unpublished dossier.
    /// Listening elsewhere (the user chose to expose it), any name is.
    static func isAllowed(host authority: String?, listeningOn configured: String) -> Bool {
        guard isLoopback(configured) else { return true }
        guard let authority, !authority.isEmpty else { return true }  // HTTP/1.0 sends none
        var name = Substring(authority.lowercased())
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            name = name[name.index(after: name.startIndex)..<close]
        } else if let colon = name.lastIndex(of: ":") {
            name = name[..<colon]
        }
        if name.hasSuffix(".") { name = name.dropLast() }
        return isLoopback(String(name)) || name == configured.lowercased()
    }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    private func events() -> Response {
        let stream = server.live.subscribe()
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            for await event in stream.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: event.encoded))
            }
            try await writer.finish(nil)
        })
    }

    private func file(_ target: String) async -> Response {
        if let response = attempt(target) { return response }
        // The output folder is briefly absent while a build swaps the new site in.
        if server.live.isBuilding {
            await server.live.waitUntilIdle()
            if let response = attempt(target) { return response }
        }
        return notFound()
    }

    /// The response for `target`, or nil when nothing is there.
    private func attempt(_ target: String) -> Response? {
        let build = server.live.build
        switch server.site.resolve(target) {
        case .file(let path, let type):
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            var bytes = [UInt8](data)
            if type == MediaTypes.html { bytes = LiveScript.inject(into: bytes, build: build) }
            return Self.bytes(bytes, type: type, status: .ok)
        case .redirect(let location):
            return Self.text(.movedPermanently, "Moved to \(location)\n", extra: [.location: location])
        case .forbidden:
            return Self.text(.forbidden, "403 Forbidden: only files of the site are served\n")
        case .badRequest:
            return Self.text(.badRequest, "400 Bad Request\n")
        case .notFound:
            return nil
        }
    }

    /// The site's own 404 page (with the live script, so the overlay shows there too).
    private func notFound() -> Response {
        let build = server.live.build
        if let page = server.site.notFoundPage(), let data = FileManager.default.contents(atPath: page) {
            return Self.bytes(LiveScript.inject(into: [UInt8](data), build: build), type: MediaTypes.html, status: .notFound)
        }
        let html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>"
            + "<body><h1>Not found</h1><p>The site has no page here (and no 404.html yet).</p></body></html>\n"
        return Self.bytes(LiveScript.inject(into: Array(html.utf8), build: build), type: MediaTypes.html, status: .notFound)
    }

    static func bytes(_ bytes: [UInt8], type: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String, extra: HTTPFields = [:]) -> Response {
        var response = bytes(Array(text.utf8), type: "text/plain; charset=utf-8", status: status)
        response.headers.append(contentsOf: extra)
        return response
    }
}
