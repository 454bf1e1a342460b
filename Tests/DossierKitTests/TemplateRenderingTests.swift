import Foundation
import Testing
@testable import DossierKit

/// The compiled renderer must make exactly what swift-mustache makes of the same
/// templates and context: it replaces swift-mustache's renderer on the hot path only.
@Suite struct TemplateRenderingTests {
    /// Renders `template` of `texts` both ways; returns the compiled output.
    private func renderBothWays(_ texts: [String: String], _ context: TemplateObject, template: String = "page",
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let set = try TemplateSet(texts: texts)
        #expect(set.compiled != nil, "the templates should compile", sourceLocation: sourceLocation)
        let compiled = String(decoding: set.render(context, template: template), as: UTF8.self)
        let reference = String(decoding: set.renderWithSwiftMustache(context, template: template), as: UTF8.self)
        #expect(compiled == reference, sourceLocation: sourceLocation)
        return compiled
    }

    private let sample: TemplateObject = [
        "title": .text("Ahmed <Chaarani> & \"Co\" 'x'"),
        "empty": .text(""),
        "yes": .flag(true), "no": .flag(false),
        "nothing": .list([]),
        "items": .list([
            .object(["name": .text("a"), "inner": .object(["deep": .text("A1")])]),
            .object(["name": .text("b"), "title": .text("shadowing title")]),
        ]),
        "entry": .object(["type": .text("person"), "summary": .text("S")]),
        "words": .list([.text("x"), .text("y")]),
    ]

    @Test func namesClimbTheStackAndDottedNamesDoNot() throws {
        let html = try renderBothWays(["page": """
            {{#items}}[{{name}}|{{title}}|{{inner.deep}}|{{.title}}|{{entry.type}}]{{/items}}
            {{entry.type}} {{entry.missing.more}} {{missing}}
            {{#words}}<{{.}}>{{/words}}

            """], sample)
        #expect(html.contains("[a|Ahmed &lt;Chaarani&gt; &amp; &quot;Co&quot; &#39;x&#39;|A1||person]"))
        #expect(html.contains("[b|shadowing title||shadowing title|person]"))
        #expect(html.contains("<x><y>"))
    }

    /// An object that extends a shared one shows the shared fields, its own shadowing
    /// theirs, and renders, counts and lists its fields as a copy with those set would;
    /// the shared object is left as it was.
    @Test func anObjectExtendingAnotherIsThatObjectWithItsOwnFieldsSet() throws {
        let card: TemplateObject = ["title": .text("Ada"), "href": .text("../../people/ada/"), "type": .text("person")]
        var link = TemplateObject(extending: card)
        link["href"] = .text("../people/ada/")
        link["kind"] = .text("sister")
        var copy = card
        copy["href"] = .text("../people/ada/")
        copy["kind"] = .text("sister")
        let texts = ["page": "{{#link}}{{title}} {{href}} {{type}} {{kind}}{{/link}} {{card.href}} {{card.kind}}"]
        let context: TemplateObject = ["link": .object(link), "card": .object(card)]
        #expect(try renderBothWays(texts, context) == "Ada ../people/ada/ person sister ../../people/ada/ ")
        #expect(link.count == copy.count)
        #expect(link.fields.map(\.name) == copy.fields.map(\.name))
        #expect(PageDigest.of(link, template: "t", templates: "") == PageDigest.of(copy, template: "t", templates: ""))
        // Extending an extension, and taking a shared field away.
        var further = TemplateObject(extending: link)
        further["type"] = nil
        #expect(further["type"] == nil)
        #expect(further.fields.map(\.name) == ["title", "href", "kind"])
        #expect(link["type"] != nil && card["kind"] == nil)
    }

    /// A field is found by name exactly when it is set, on the object or the one it
    /// extends, whatever other names share its bit of `names` (a few hundred names
    /// against 64 bits), and after fields are taken away.
    @Test func fieldsAreFoundExactlyWhenTheyAreSet() {
        let names = (0..<300).map { "f\($0)" } + ["title", "href", "kind", "role", "", "é"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var shared: TemplateObject = [:]
            var expected: [String: String] = [:]
            for name in names.shuffled(using: &generator).prefix(Int.random(in: 0...20, using: &generator)) {
                shared[name] = .text("shared " + name)
                expected[name] = "shared " + name
            }
            var object = TemplateObject(extending: shared)
            for name in names.shuffled(using: &generator).prefix(Int.random(in: 0...12, using: &generator)) {
                if Bool.random(using: &generator) {
                    object[name] = .text("own " + name)
                    expected[name] = "own " + name
                } else {
                    object[name] = nil
                    expected[name] = nil
                }
            }
            for name in names {
                let found: String? = switch object[name] {
                case .text(let text)?: text
                default: nil
                }
                #expect(found == expected[name], "\(name)")
            }
        }
    }

    @Test func sectionsOverFlagsTextListsAndMissingValues() throws {
        let html = try renderBothWays(["page": """
            {{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{^yes}}!Y{{/yes}}
            {{#empty}}shown though empty{{/empty}}{{^empty}}hidden{{/empty}}
            {{#nothing}}never{{/nothing}}{{^nothing}}none{{/nothing}}{{^items}}no items{{/items}}
            {{#missing}}never{{/missing}}{{^missing}}missing{{/missing}}
            {{#entry}}{{type}}/{{summary}}{{/entry}} {{{title}}} {{yes}}
              {{#items}}
              - {{name}}
              {{/items}}

            """], sample)
        #expect(html.contains("Y!N\n"))
        #expect(html.contains("shown though empty\n"))
        #expect(html.contains("none\n"))
        #expect(html.contains("person/S Ahmed <Chaarani> & \"Co\" 'x' true"))
        #expect(html.contains("  - a\n  - b\n"))
    }

    @Test func partialsKeepTheirIndentationAndParentsTheirBlocks() throws {
        let texts = [
            "page": """
                {{<layout}}
                {{$main}}
                <h1>{{title}}</h1>
                  {{> list}}
                {{/main}}
                {{/layout}}
                """,
            "layout": """
                <body>
                  {{$header}}default header {{entry.type}}{{/header}}
                  <main>
                    {{$main}}default main{{/main}}
                  </main>
                </body>

                """,
            "list": """
                <ul>
                {{#items}}
                  <li>{{name}}</li>
                {{/items}}
                </ul>

                """,
            "text": "{{% CONTENT_TYPE: TEXT }}\nRaw: {{title}} {{> list}}\n",
        ]
        let html = try renderBothWays(texts, sample)
        #expect(html.contains("default header person"))
        #expect(html.contains("    <h1>Ahmed &lt;Chaarani&gt;"))
        #expect(html.contains("      <ul>\n"))
        #expect(!html.contains("default main"))
        // A partial starts in HTML again, whatever its parent's content type.
        let text = try renderBothWays(texts, sample, template: "text")
        #expect(text.contains("Raw: Ahmed <Chaarani> & \"Co\" 'x' <ul>"))
    }

    @Test func fragmentsRenderOnceAndReadAsSections() throws {
        let set = try TemplateSet(texts: ["card": "<a>{{name}}</a>\n", "page": "{{{card}}}|{{card}}|{{#card}}{{name}}{{/card}}"])
        let fragment = SharedFragment(partial: "card", context: ["name": .text("R&D")], templates: set)
        let html = try renderBothWays(["card": "<a>{{name}}</a>\n", "page": "{{{card}}}|{{card}}|{{#card}}{{name}}{{/card}}"],
                                      ["card": TemplateValue.fragment(fragment)])
        #expect(html == "<a>R&amp;D</a>|&lt;a&gt;R&amp;amp;D&lt;/a&gt;|R&amp;D")
    }

    /// Transforms are swift-mustache's own: such a set is not compiled, and swift-mustache
    /// renders it.
    @Test func templatesTheCompilerDoesNotTakeAreRenderedBySwiftMustache() throws {
        let set = try TemplateSet(texts: ["page": "{{#words}}{{#first()}}first {{/first()}}{{.}} {{/words}}"])
        #expect(set.compiled == nil)
        let html = String(decoding: set.render(sample, template: "page"), as: UTF8.self)
        #expect(html == "first x y ")
    }

    /// Every page of the shipped dossier, from the shipped templates.
    @Test func everyShippedPageIsTheSameAsSwiftMustacheMakesIt() throws {
        let dossier = Analysis.analyze(content: Repository.content, displayPath: "Content")
        let templates = try #require(TemplateSet.load(from: Repository.templates, displayPath: "Templates").0)
        #expect(templates.compiled != nil)
        let builder = PageBuilder(dossier, templates: templates)
        let reference = PageBuilder(dossier, templates: templates.withoutCompiling)
        var compared = 0
        for (path, kind) in builder.pagePlan {
            let page = try #require(builder.page(path, kind)), same = try #require(reference.page(path, kind))
            let compiled = templates.render(page.context, template: page.template)
            #expect(compiled == templates.renderWithSwiftMustache(same.context, template: same.template), "\(path)")
            #expect(compiled.count > 500, "\(path)")
            compared += 1
        }
        #expect(compared > 100)
    }
}
