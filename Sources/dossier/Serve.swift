import ArgumentParser
import DossierKit
import DossierServe
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the site locally and rebuild on every save, reloading open pages.",
        discussion: """
            Serves the output folder over HTTP (loopback only unless --host says otherwise), watches the \
            content and templates folders, rebuilds on change and reloads every open page. When a rebuild \
            fails, the last good site stays served and each page shows the diagnostics with their file, \
            line and column. The reload script is added to pages as they are served, never to the files \
            on disk. Ctrl-C stops.
            """)

    @OptionGroup var folders: Folders
    @Option(help: "Folder of Mustache templates and assets/.")
    var templates = "Templates"
    @Option(help: "Folder the site is written to and served from.")
    var output = "Site"
    @Option(help: "Address to listen on; anything but loopback exposes the preview to the network.")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8000

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() throws {
        let options = BuildOptions(content: folders.content, templates: templates, output: output)
        let server = PreviewServer(ServeConfiguration(build: options, host: host, port: port)) { message in
            switch message {
            case .status(let line): FileHandle.standardOutput.write(Data((line + "\n").utf8))
            case .diagnostics(let listing): Report.printError(listing)
            }
        }
        let loopback = PreviewServer.isLoopback(host)
        let host = self.host, output = self.output, content = folders.content, templates = self.templates
        // The root command is synchronous: the server runs on the concurrency pool while
        // this thread waits for it (signals are handled by the server's service group).
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run(handleSignals: true) { port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    var text = "Serving \(output) at http://\(shown):\(port)/ — watching \(content) and \(templates); Ctrl-C to stop"
                    if !loopback { text += "\nwarning: listening on \(host): other machines on the network can read the preview" }
                    FileHandle.standardOutput.write(Data((text + "\n").utf8))
                }
            } catch let error as EnvironmentError {
                outcome.set("dossier: error: \(error.description)")
            } catch {
                var reason = "\(error)"
                if reason.contains("Address already in use") { reason = "the port is in use (another server? pass --port)" }
                outcome.set("dossier: error: cannot listen on \(host):\(port): \(reason)")
            }
            done.signal()
        }
        done.wait()
        if let message = outcome.message {
            Report.printError(message)
            throw ExitCode(2)
        }
        FileHandle.standardOutput.write(Data("stopped\n".utf8))
    }
}

/// The server task's error message, handed to the waiting thread.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    func set(_ message: String) { lock.withLock { stored = message } }
    var message: String? { lock.withLock { stored } }
}
