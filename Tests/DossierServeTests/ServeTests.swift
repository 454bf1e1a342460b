import DossierKit
import Foundation
import Testing
@testable import DossierServe

/// The preview server, live on a port the system picked, against a copy of the fixture dossier.
@Suite(.serialized)
struct ServeTests {
    @Test func servesPagesAndAssetsWithTheirTypes() async throws {
        let dossier = try TestDossier()
        defer { dossier.remove() }
        let samples: [(String, [UInt8], String)] = [
            ("logo.svg", Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8), "image/svg+xml"),
            ("photo.png", [0x89, 0x50, 0x4E, 0x47], "image/png"),
            ("photo.jpg", [0xFF, 0xD8, 0xFF], "image/jpeg"),
            ("anim.gif", Array("GIF89a".utf8), "image/gif"),
            ("photo.webp", Array("RIFF".utf8), "image/webp"),
            ("report.pdf", Array("%PDF-1.4".utf8), "application/pdf"),
            ("data.json", Array("{}".utf8), "application/json"),
            ("notes.txt", Array("plain".utf8), "text/plain; charset=utf-8"),
            ("font.woff2", Array("wOF2".utf8), "font/woff2"),
            ("script.js", Array("1;".utf8), "text/javascript; charset=utf-8"),
        ]
        for (name, bytes, _) in samples {
            try FileManager.default.createDirectory(at: dossier.content.appendingPathComponent("assets/files"), withIntermediateDirectories: true)
            try Data(bytes).write(to: dossier.content.appendingPathComponent("assets/files/\(name)"))
        }
        let running = try await RunningServer.start(dossier)

        let home = try await running.get("/")
        #expect(home.status == 200)
        #expect(home.headers["content-type"] == "text/html; charset=utf-8")
        #expect(home.text.contains("<script src=\"/__dossier/live.js\""))
        #expect(home.text.hasSuffix("</html>\n") || home.text.contains("</script>\n</body>"))

        let person = try await running.get("/people/elodie-marchal/index.html")
        #expect(person.status == 200)
        #expect(person.headers["content-type"] == "text/html; charset=utf-8")
        #expect(person.text.contains("Élodie Marchal"))
        // The script is added as the page is served, never written into the site on disk.
        let onDisk = try String(contentsOf: dossier.output.appendingPathComponent("people/elodie-marchal/index.html"), encoding: .utf8)
        #expect(!onDisk.contains("__dossier"))
        #expect(person.text.replacingOccurrences(of: LiveScript.tag(build: running.server.currentBuild), with: "") == onDisk)

        let css = try await running.get("/assets/dossier.css")
        #expect(css.status == 200)
        #expect(css.headers["content-type"] == "text/css; charset=utf-8")
        #expect(!css.text.contains("__dossier"))
        #expect(try await running.get("/assets/extra.css").headers["content-type"] == "text/css; charset=utf-8")
        for (name, bytes, type) in samples {
            let reply = try await running.get("/assets/files/\(name)")
            #expect(reply.status == 200, "\(name)")
            #expect(reply.headers["content-type"] == type, "\(name)")
            #expect(reply.body == bytes, "\(name)")
        }

        // A folder serves its index.html; without its slash it is redirected, so relative links work.
        let folder = try await running.get("/people/")
        #expect(folder.status == 200)
        #expect(folder.headers["content-type"] == "text/html; charset=utf-8")
        let bare = try await running.get("/people?x=1")
        #expect(bare.status == 301)
        #expect(bare.headers["location"] == "/people/")
        // A folder without index.html is not listed; unknown paths get the site's 404 page.
        let assets = try await running.get("/assets/")
        #expect(assets.status == 404)
        #expect(assets.text.contains("Page not found"))
        let missing = try await running.get("/people/nobody/index.html")
        #expect(missing.status == 404)
        #expect(missing.headers["content-type"] == "text/html; charset=utf-8")
        #expect(missing.text.contains("Page not found"))
        #expect(missing.text.contains("/__dossier/live.js"))

        let head = try await running.get("/index.html", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["content-length"] == String(home.body.count))
        #expect(try await running.get("/index.html", method: "POST").status == 405)

        let script = try await running.get("/__dossier/live.js")
        #expect(script.status == 200)
        #expect(script.headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(script.text.contains("EventSource"))
        #expect(!script.text.contains("innerHTML"))

        try await running.stop()
    }

    @Test func refusesEverythingOutsideTheSite() async throws {
        let dossier = try TestDossier()
        defer { dossier.remove() }
        let running = try await RunningServer.start(dossier)
        // Links planted in the output folder pointing outside it.
        try FileManager.default.createSymbolicLink(atPath: dossier.output.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: dossier.output.appendingPathComponent("etc").path, withDestinationPath: "/etc")
        try Data("secret".utf8).write(to: dossier.folder.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: dossier.output.appendingPathComponent("people/secret.txt").path,
                                                   withDestinationPath: "../../secret.txt")

        let attempts = [
            "/../etc/passwd", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/%2E%2E/etc/passwd",
            "/people/..%2f..%2f..%2fetc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
            "/passwd", "/etc/passwd", "/etc/", "/people/secret.txt", "/..", "/%2e%2e", "/people/..\\..\\secret.txt",
            "/.Site.staging/index.html", "/../Site/index.html",
        ]
        for target in attempts {
            let reply = try await running.get(target)
            #expect([403, 404].contains(reply.status), "\(target) → \(reply.status)")
            #expect(!reply.text.contains("root:"), "\(target) leaked /etc/passwd")
            #expect(!reply.text.contains("secret"), "\(target) leaked a file beside the site")
        }
        #expect(try await running.get("/../etc/passwd").status == 403)
        #expect(try await running.get("/%2e%2e/%2e%2e/etc/passwd").status == 403)
        #expect(try await running.get("/passwd").status == 403)
        #expect(try await running.get("/%00").status == 400)
        #expect(try await running.get("/%zz").status == 400)
        // DNS rebinding: on loopback, only loopback names are answered.
        #expect(try await running.get("/", host: "evil.example:\(running.port)").status == 403)
        #expect(try await running.get("/", host: "127.0.0.1.evil.example").status == 403)
        #expect(try await running.get("/", host: "localhost:\(running.port)").status == 200)
        #expect(try await running.get("/", host: "[::1]:\(running.port)").status == 200)
        // A link inside the site to a file of the site is fine.
        try FileManager.default.createSymbolicLink(atPath: dossier.output.appendingPathComponent("home.html").path, withDestinationPath: "index.html")
        #expect(try await running.get("/home.html").status == 200)
        try await running.stop()
    }

    @Test func rebuildsOnSaveReloadsAndShowsErrorsUntilFixed() async throws {
        let dossier = try TestDossier()
        defer { dossier.remove() }
        let running = try await RunningServer.start(dossier)
        let stream = try await EventStreamClient(port: running.port)
        defer { stream.close() }

        let hello = try await stream.next(named: "hello")
        #expect(stream.status == 200)
        let firstBuild = try #require(hello.json?["build"] as? String)
        #expect(hello.json?["errors"] is NSNull)

        // A good edit: rebuild, reload event, new page served.
        let path = "people/jerome-durand.md"
        let original = try dossier.read(path)
        try dossier.write(path, original + "\nA new sentence about the treasurer.\n")
        let reload = try await stream.next(named: "reload")
        let secondBuild = try #require(reload.json?["build"] as? String)
        #expect(secondBuild != firstBuild)
        #expect((reload.json?["pages"] as? Int ?? 0) > 0)
        let page = try await running.get("/people/jerome-durand/index.html")
        #expect(page.text.contains("A new sentence about the treasurer."))
        #expect(page.text.contains("data-dossier-build=\"\(secondBuild)\""))

        // A broken edit: an errors event with file, line and column; the last good site stays.
        let broken = original + "\nHe met [[no-such-person]] twice.\n"
        try dossier.write(path, broken)
        let errors = try await stream.next(named: "errors")
        let report = try #require(errors.json)
        let items = try #require(report["diagnostics"] as? [[String: Any]])
        let item = try #require(items.first { ($0["message"] as? String ?? "").contains("no-such-person") })
        let lines = broken.components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.contains("[[no-such-person]]") }) + 1
        let column = lines[line - 1].distance(from: lines[line - 1].startIndex, to: lines[line - 1].range(of: "[[")!.lowerBound) + 1
        let file = dossier.content.appendingPathComponent(path).path
        #expect(item["severity"] as? String == "error")
        #expect(item["file"] as? String == file)
        #expect(item["path"] as? String == file)
        #expect(item["url"] as? String == URL(fileURLWithPath: file).absoluteString)
        #expect(item["line"] as? Int == line)
        #expect(item["column"] as? Int == column)
        #expect((report["summary"] as? String ?? "").contains("1 error"))
        #expect(running.server.currentFailure != nil)
        let stale = try await running.get("/people/jerome-durand/index.html")
        #expect(stale.status == 200)
        #expect(stale.text.contains("A new sentence about the treasurer."))
        #expect(!stale.text.contains("no-such-person"))

        // A page opened now shows the overlay at once: its hello carries the errors.
        let late = try await EventStreamClient(port: running.port)
        defer { late.close() }
        let lateHello = try await late.next(named: "hello")
        #expect(lateHello.json?["build"] as? String == secondBuild)
        let lateErrors = try #require(lateHello.json?["errors"] as? [String: Any])
        #expect((lateErrors["diagnostics"] as? [[String: Any]])?.isEmpty == false)

        // The next good edit clears it: a reload to a new build, no failure left.
        try dossier.write(path, original + "\nHe met [[elodie-marchal]] twice.\n")
        let fixed = try await stream.next(named: "reload")
        #expect(fixed.json?["build"] as? String != secondBuild)
        #expect(running.server.currentFailure == nil)
        #expect(try await late.next(named: "reload").json?["build"] as? String == fixed.json?["build"] as? String)
        let again = try await EventStreamClient(port: running.port)
        defer { again.close() }
        #expect(try await again.next(named: "hello").json?["errors"] is NSNull)

        // Graceful shutdown ends the open streams instead of waiting for them.
        try await running.stop()
        try await stream.waitForEnd()
    }

    @Test func aFailedFirstBuildIsServedWithItsErrors() async throws {
        let dossier = try TestDossier()
        defer { dossier.remove() }
        try dossier.write("notes/broken.md", "---\ntitle: Broken\ndate: 2014-13-45\n---\nSee [[nobody-at-all]].\n")
        let running = try await RunningServer.start(dossier)
        let stream = try await EventStreamClient(port: running.port)
        defer { stream.close() }
        let hello = try await stream.next(named: "hello")
        let errors = try #require(hello.json?["errors"] as? [String: Any])
        let items = try #require(errors["diagnostics"] as? [[String: Any]])
        #expect(items.contains { ($0["file"] as? String ?? "").hasSuffix("notes/broken.md") && $0["line"] as? Int == 5 })
        // Nothing built yet: every path is the built-in not-found page, with the script.
        let home = try await running.get("/")
        #expect(home.status == 404)
        #expect(home.text.contains("/__dossier/live.js"))
        try dossier.write("notes/broken.md", "---\ntitle: Fixed\ndate: 2014-12\n---\nSee [[elodie-marchal]].\n")
        _ = try await stream.next(named: "reload")
        #expect(try await running.get("/").status == 200)
        try await running.stop()
    }
}

/// The pieces, without a server.
struct ServePartsTests {
    @Test func resolvesOnlyFilesInsideTheSite() throws {
        let dossier = try TestDossier()
        defer { dossier.remove() }
        _ = try Builder.build(dossier.options)
        let files = SiteFiles(root: dossier.output)
        let root = try #require(SiteFiles.realPath(dossier.output.path))
        #expect(files.resolve("/") == .file(path: root + "/index.html", mediaType: MediaTypes.html))
        #expect(files.resolve("/index.html?x=1#top") == .file(path: root + "/index.html", mediaType: MediaTypes.html))
        #expect(files.resolve("/people") == .redirect(location: "/people/"))
        #expect(files.resolve("//people//") == .file(path: root + "/people/index.html", mediaType: MediaTypes.html))
        #expect(files.resolve("/../etc/passwd") == .forbidden)
        #expect(files.resolve("/%2e%2e/etc/passwd") == .forbidden)
        #expect(files.resolve("//etc/passwd") == .notFound)
        #expect(files.resolve("/.hidden") == .notFound)
        #expect(files.resolve("relative") == .badRequest)
        #expect(files.resolve("http://example.org/") == .badRequest)
        #expect(files.resolve("/assets/dossier.css") == .file(path: root + "/assets/dossier.css", mediaType: "text/css; charset=utf-8"))
        #expect(files.notFoundPage() == root + "/404.html")
    }

    @Test func injectsTheScriptBeforeTheLastBodyTag() {
        let tag = LiveScript.tag(build: "b-1")
        let html = "<html><body><p>&lt;/body&gt; is text</p></BODY></html>"
        let injected = String(decoding: LiveScript.inject(into: Array(html.utf8), build: "b-1"), as: UTF8.self)
        #expect(injected == "<html><body><p>&lt;/body&gt; is text</p>" + tag + "</BODY></html>")
        let fragment = String(decoding: LiveScript.inject(into: Array("<p>no body</p>".utf8), build: "b-1"), as: UTF8.self)
        #expect(fragment == "<p>no body</p>" + tag)
        #expect(LiveScript.tag(build: "\"><x>").contains("&quot;&gt;&lt;x&gt;"))
    }

    @Test func answersLoopbackNamesOnlyWhenListeningOnLoopback() {
        for host in ["127.0.0.1:8000", "localhost", "LOCALHOST:8000", "[::1]:8000", "dossier.localhost:8000", "127.0.0.2", "localhost.:1", nil] {
            #expect(PreviewResponder.isAllowed(host: host, listeningOn: "127.0.0.1"), "\(host ?? "nil")")
        }
        for host in ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", "[::2]:8000", "0.0.0.0:8000", "[::1"] {
            #expect(!PreviewResponder.isAllowed(host: host, listeningOn: "127.0.0.1"), "\(host)")
        }
        #expect(PreviewResponder.isAllowed(host: "my-laptop.lan:8000", listeningOn: "0.0.0.0"))
    }

    @Test func mediaTypes() {
        #expect(MediaTypes.forName("a.HTML") == MediaTypes.html)
        #expect(MediaTypes.forName("font.woff2") == "font/woff2")
        #expect(MediaTypes.forName("README") == "application/octet-stream")
        #expect(MediaTypes.forName("archive.unknown") == "application/octet-stream")
    }

    @Test func failureReportsCarryAbsolutePathsAndLinks() throws {
        let options = BuildOptions(content: URL(fileURLWithPath: "/tmp/d/Content"), templates: URL(fileURLWithPath: "/tmp/d/Templates"),
                                   output: URL(fileURLWithPath: "/tmp/d/Site"), contentDisplay: "Content", templatesDisplay: "Templates")
        let report = DiagnosticReport([
            .warning(SourceLocation(file: "Content/notes/a b.md", line: 2, column: 1), "never cited"),
            .error(SourceLocation(file: "Templates/layout.mustache", line: 3, column: 7), "<script>alert(1)</script>", notes: ["a note"]),
        ])
        let failure = FailureReport(report: report, options: options)
        #expect(failure.diagnostics.map(\.severity) == ["error", "warning"])
        #expect(failure.diagnostics[0].path == "/tmp/d/Templates/layout.mustache")
        #expect(failure.diagnostics[1].path == "/tmp/d/Content/notes/a b.md")
        #expect(failure.diagnostics[1].url == "file:///tmp/d/Content/notes/a%20b.md")
        #expect(failure.diagnostics[0].message == "<script>alert(1)</script>")
        #expect(!failure.json.contains("\n"))
        let event = ServerEvent.errors(failure.json).encoded
        #expect(event.hasPrefix("event: errors\ndata: {"))
        #expect(event.hasSuffix("}\n\n"))
    }

    @Test func snapshotsNoticeEditsAdditionsAndRemovals() throws {
        let dossier = try TestDossier()
        defer { dossier.remove() }
        let folders = [(url: dossier.content, display: "Content")]
        let before = Snapshot.take(folders)
        #expect(before.files["Content/people/jerome-durand.md"] != nil)
        try dossier.write("people/jerome-durand.md", try dossier.read("people/jerome-durand.md") + "more\n")
        try dossier.write("notes/new.md", "# New\n")
        try dossier.write("notes/.new.md.swp", "swap")
        try FileManager.default.removeItem(at: dossier.content.appendingPathComponent("places/lyon.md"))
        let after = Snapshot.take(folders)
        #expect(after.changes(since: before) == ["Content/notes/new.md", "Content/people/jerome-durand.md", "Content/places/lyon.md"])
        #expect(Snapshot.take(folders).changes(since: after).isEmpty)
    }
}
