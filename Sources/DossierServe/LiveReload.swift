import DossierKit
import Foundation
import Synchronization

/// One Server-Sent Event on `/__dossier/events`.
struct ServerEvent: Sendable, Equatable {
    var name: String
    /// One line of JSON (the encoder escapes line breaks), or empty for a comment.
    var data: String

    /// `hello` on every (re)connection: the site's build and the current errors (or null).
    /// `reload` after a good build. `errors` after a failed one. `: ping` keeps proxies awake.
    static func hello(build: String, failure: String?) -> ServerEvent {
        ServerEvent(name: "hello", data: #"{"build":"# + jsonString(build) + #","errors":"# + (failure ?? "null") + "}")
    }

    static func reload(build: String, pages: Int) -> ServerEvent {
        ServerEvent(name: "reload", data: #"{"build":"# + jsonString(build) + #","pages":\#(pages)}"#)
    }

    static func errors(_ payload: String) -> ServerEvent { ServerEvent(name: "errors", data: payload) }

    static let ping = ServerEvent(name: "", data: "")

    /// The wire form: `event:` and `data:` lines ended by a blank line.
    var encoded: String {
        if name.isEmpty { return ": ping\n\n" }
        return "event: \(name)\ndata: \(data)\n\n"
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// What the overlay shows after a failed build: each diagnostic with its file as written
/// in messages, its absolute path and a `file://` link to it.
struct FailureReport: Codable, Sendable, Equatable {
    struct Item: Codable, Sendable, Equatable {
        var severity: String
        var file: String?
        var path: String?
        var url: String?
        var line: Int?
        var column: Int?
        var message: String
        var notes: [String]
    }

    var summary: String
    var diagnostics: [Item]

    /// Errors first (in report order), then warnings; the absolute path of each file is
    /// found from the folder names the user typed.
    init(report: DiagnosticReport, options: BuildOptions) {
        summary = "Build failed: \(report.summary). Still serving the last good build."
        let ordered = report.diagnostics.filter { $0.severity == .error } + report.diagnostics.filter { $0.severity == .warning }
        diagnostics = ordered.map { diagnostic in
            let path = Self.absolutePath(of: diagnostic.location.file, options: options)
            return Item(severity: diagnostic.severity.rawValue, file: diagnostic.location.file, path: path,
                        url: URL(fileURLWithPath: path).absoluteString,
                        line: diagnostic.location.line, column: diagnostic.location.column,
                        message: diagnostic.message, notes: diagnostic.notes)
        }
    }

    init(environmentError: EnvironmentError) {
        summary = "Build failed. Still serving the last good build."
        diagnostics = [Item(severity: "error", message: environmentError.description, notes: [])]
    }

    static func absolutePath(of file: String, options: BuildOptions) -> String {
        for (display, folder) in [(options.contentDisplay, options.content), (options.templatesDisplay, options.templates)] {
            if file == display { return folder.path }
            if file.hasPrefix(display + "/") { return folder.path + "/" + file.dropFirst(display.count + 1) }
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        return URL(fileURLWithPath: file, relativeTo: cwd).standardizedFileURL.path
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// The server's view of the site: which build is current, whether the last rebuild
/// failed (and why), whether a build is running, and every open page's event stream.
final class LiveState: Sendable {
    private struct State {
        var goodBuilds = 0
        var failure: String?
        var building = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var subscribers: [UUID: AsyncStream<ServerEvent>.Continuation] = [:]
    }

    private let state = Mutex(State())
    /// Distinguishes this server run from an earlier one, so pages left open across a
    /// restart reload once.
    private let instance = String(UUID().uuidString.prefix(8)).lowercased()

    /// The build the pages on disk come from.
    var build: String { "\(instance)-\(state.withLock { $0.goodBuilds })" }
    var failure: String? { state.withLock { $0.failure } }
    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// A new event stream for one open page; it starts with `hello`.
    func subscribe() -> AsyncStream<ServerEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: ServerEvent.self, bufferingPolicy: .bufferingNewest(16))
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        state.withLock { state in
            continuation.yield(.hello(build: "\(instance)-\(state.goodBuilds)", failure: state.failure))
            state.subscribers[id] = continuation
        }
        return stream
    }

    func beginBuild() {
        state.withLock { $0.building = true }
    }

    /// Records the outcome of a build and tells every open page.
    func finishBuild(succeeded: Bool, pages: Int, failure: String?) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.building = false
            let event: ServerEvent
            if succeeded {
                state.goodBuilds += 1
                state.failure = nil
                event = .reload(build: "\(instance)-\(state.goodBuilds)", pages: pages)
            } else {
                state.failure = failure ?? "{}"
                event = .errors(state.failure!)
            }
            for continuation in state.subscribers.values { continuation.yield(event) }
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func ping() {
        state.withLock { state in
            for continuation in state.subscribers.values { continuation.yield(.ping) }
        }
    }

    /// Returns at once when no build runs, else when it has finished (the output folder
    /// is briefly absent while a build swaps it in).
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if !state.building { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    var isBuilding: Bool { state.withLock { $0.building } }

    /// Ends every event stream (shutdown).
    func finishAll() {
        let continuations = state.withLock { state -> [AsyncStream<ServerEvent>.Continuation] in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}

/// The script `serve` adds to every HTML response (never to the files on disk): it
/// listens to `/__dossier/events`, reloads the page after a good build and shows the
/// diagnostics of a failed one. Diagnostic text comes from content, so the overlay is
/// built with `textContent` only.
enum LiveScript {
    static let path = "/__dossier/live.js"
    static let eventsPath = "/__dossier/events"

    static func tag(build: String) -> String {
        "<script src=\"\(path)\" data-dossier-build=\"\(HTML.escape(build))\"></script>\n"
    }

    /// The HTML with the script tag before its last `</body>` (or at its end).
    static func inject(into html: [UInt8], build: String) -> [UInt8] {
        let tag = Array(self.tag(build: build).utf8)
        let needle = Array("</body".utf8)
        var index = html.count - needle.count
        while index >= 0 {
            if html[index] == UInt8(ascii: "<"), zip(html[index..<index + needle.count], needle).allSatisfy({ lowercased($0) == $1 }) {
                return Array(html[..<index]) + tag + Array(html[index...])
            }
            index -= 1
        }
        return html + tag
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    static let source = #"""
    (function () {
      "use strict";
      if (window.__dossierLive || !window.EventSource) return;
      window.__dossierLive = true;
      var script = document.currentScript;
      var loadedBuild = script ? script.getAttribute("data-dossier-build") : null;
      var overlay = null;

      function element(tag, style, text) {
        var node = document.createElement(tag);
        if (style) node.setAttribute("style", style);
        if (text !== undefined && text !== null) node.textContent = String(text);
        return node;
      }

      function clearOverlay() {
        if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
        overlay = null;
      }

      function showOverlay(report) {
        clearOverlay();
        if (!report || typeof report !== "object") return;
        overlay = element("div", "position:fixed;left:0;right:0;top:0;max-height:70vh;overflow:auto;z-index:2147483647;" +
          "box-sizing:border-box;margin:0;padding:16px 20px;background:#1f1416;color:#f5f0f0;border-bottom:4px solid #e5484d;" +
          "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left;box-shadow:0 4px 24px rgba(0,0,0,.4)");
        overlay.id = "dossier-overlay";
        overlay.setAttribute("role", "alert");
        var close = element("button", "float:right;background:transparent;color:#f5f0f0;border:1px solid #8a6d70;" +
          "border-radius:4px;font:inherit;cursor:pointer;padding:0 8px", "\u00d7");
        close.setAttribute("aria-label", "Hide until the next build");
        close.addEventListener("click", clearOverlay);
        overlay.appendChild(close);
        overlay.appendChild(element("div", "font-weight:bold;color:#ff9592;margin-bottom:8px", report.summary || "Build failed"));
        var list = element("ol", "margin:0;padding:0;list-style:none");
        (report.diagnostics || []).forEach(function (d) {
          var item = element("li", "margin:0 0 10px 0;white-space:pre-wrap;word-break:break-word");
          if (d.file) {
            var where = d.file + ":" + d.line + ":" + d.column;
            var link;
            if (typeof d.url === "string" && d.url.indexOf("file://") === 0) {
              link = element("a", "color:#8ec5ff;text-decoration:underline", where);
              link.setAttribute("href", d.url);
              link.setAttribute("title", d.path || d.url);
            } else {
              link = element("span", "color:#8ec5ff", where);
            }
            item.appendChild(link);
            item.appendChild(document.createTextNode(": "));
          }
          item.appendChild(element("span", d.severity === "error" ? "color:#ff9592;font-weight:bold" : "color:#f1c21b;font-weight:bold",
            (d.severity || "error") + ":"));
          item.appendChild(document.createTextNode(" " + d.message));
          (d.notes || []).forEach(function (note) {
            item.appendChild(element("div", "color:#b8a9ab;padding-left:2em", "note: " + note));
          });
          list.appendChild(item);
        });
        overlay.appendChild(list);
        (document.body || document.documentElement).appendChild(overlay);
      }

      var events = new EventSource("/__dossier/events");
      events.addEventListener("hello", function (event) {
        var data = JSON.parse(event.data);
        if (loadedBuild !== null && data.build !== loadedBuild) { location.reload(); return; }
        if (data.errors) showOverlay(data.errors); else clearOverlay();
      });
      events.addEventListener("reload", function () { location.reload(); });
      events.addEventListener("errors", function (event) { showOverlay(JSON.parse(event.data)); });
    })();
    """#
}
