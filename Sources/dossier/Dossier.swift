import ArgumentParser
import DossierKit
import Foundation

@main
struct Dossier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Builds an annotated investigative dossier from Markdown notes into a static site.",
        subcommands: [Build.self, Check.self, Serve.self, New.self])

    /// As ArgumentParser's, except that a usage error exits with 2 (DESIGN.md), not 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Folders shared by the subcommands; defaults are the top-level folders of the current directory.
struct Folders: ParsableArguments {
    @Option(help: "Folder of Markdown notes and dossier.yml.")
    var content = "Content"
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site (atomically: a failed build leaves the previous site as it was).")

    @OptionGroup var folders: Folders
    @Option(help: "Folder of Mustache templates and assets/.")
    var templates = "Templates"
    @Option(help: "Folder the site is written to (replaced as a whole on success).")
    var output = "Site"

    func run() throws {
        var options = BuildOptions(content: folders.content, templates: templates, output: output)
        options.freesMemory = false  // the process ends with the build
        Allocator.keepFreedMemory()
        try Report.run(verb: "built") { () throws(EnvironmentError) in try Builder.build(options) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read and resolve everything, report problems, write nothing.")

    @OptionGroup var folders: Folders

    func run() throws {
        var options = BuildOptions(content: folders.content)
        options.freesMemory = false  // the process ends with the check
        Allocator.keepFreedMemory()
        try Report.run(verb: "checked") { () throws(EnvironmentError) in try Builder.check(options) }
    }
}

/// Prints diagnostics and the summary line to stderr and maps the outcome to the exit status.
enum Report {
    static func run(verb: String, _ body: () throws(EnvironmentError) -> BuildResult) throws {
        let clock = ContinuousClock()
        let start = clock.now
        let result: BuildResult
        do {
            result = try body()
        } catch {
            printError("dossier: error: \(error.description)")
            throw ExitCode(2)
        }
        let elapsed = clock.now - start
        let milliseconds = Int(elapsed / .milliseconds(1))
        if !result.report.diagnostics.isEmpty { printError(result.report.listing) }
        var summary = result.report.summary
        if verb == "built", !result.report.hasErrors {
            summary = result.outputSummary + "; " + summary
        } else if result.report.hasErrors, verb == "built" {
            summary += "; nothing written, the previous site is unchanged"
        }
        printError("\(verb) in \(milliseconds) ms: \(summary)")
        if result.report.hasErrors { throw ExitCode(1) }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
