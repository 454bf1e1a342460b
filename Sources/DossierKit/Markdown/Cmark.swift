import CCmark
import CmarkArena
import Foundation

// The one place that touches cmark's C API. Every C string is copied into a Swift
// String before it leaves a function, and every buffer cmark allocates is freed in
// the same scope that received it.

/// A parsed CommonMark document: owns cmark's tree and frees it when released.
public final class MarkdownDocument: @unchecked Sendable {
    // @unchecked: a document is mutated by one stage at a time (parse, then resolve),
    // never shared between threads while it changes.
    fileprivate let root: OpaquePointer
    /// The allocator of the tree, and of what is rendered from it (see CmarkArena).
    private let memory: UnsafeMutablePointer<cmark_mem>

    /// Parses with source positions; adjacent text nodes are merged so that
    /// `[[…]]` and `[@…]` are each found inside a single text node.
    public init(markdown: String) {
        memory = dossier_arena_current_mem()
        let parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, memory)
        markdown.withCString { pointer in cmark_parser_feed(parser, pointer, strlen(pointer)) }
        root = cmark_parser_finish(parser)
        cmark_parser_free(parser)
        cmark_consolidate_text_nodes(root)
    }

    deinit {
        assert(dossier_arena_current_mem() == memory, "a tree made in an arena scope must be freed before the scope closes")
        // A tree in the arena goes with it, without a walk over its nodes.
        if memory == cmark_get_default_mem_allocator() { cmark_node_free(root) }
    }

    public var rootNode: MarkdownNode { MarkdownNode(pointer: root) }

    /// Renders the (edited) tree as HTML. Without `allowHTML`, raw HTML is replaced
    /// by a comment and dangerous link schemes are dropped (cmark's safe mode).
    ///
    /// As UTF-8 bytes, copied from cmark's buffer as they are: a body's HTML goes into its
    /// page as bytes, and made into a String on the way it was checked as UTF-8 twice
    /// (cmark writes valid UTF-8 from the valid UTF-8 it is given).
    public func renderHTMLBytes(allowHTML: Bool) -> [UInt8] {
        let options = allowHTML ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        guard let buffer = cmark_render_html(root, options) else { return [] }
        defer { memory.pointee.free(buffer) }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: strlen(buffer)))
    }

    /// Every node in document order, collected first so callers may edit the tree afterwards.
    public func nodes(where include: (MarkdownNode) -> Bool = { _ in true }) -> [MarkdownNode] {
        var result: [MarkdownNode] = []
        guard let iterator = cmark_iter_new(root) else { return result }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let pointer = cmark_iter_get_node(iterator) else { continue }
            let node = MarkdownNode(pointer: pointer)
            if include(node) { result.append(node) }
        }
        return result
    }
}

/// The kinds of node the resolver cares about; everything else is `.other`.
public enum MarkdownNodeKind: Sendable {
    case document, blockQuote, paragraph, heading, codeBlock, htmlBlock, customBlock
    case text, code, htmlInline, customInline, link, image, softBreak, lineBreak
    case other

    init(_ type: cmark_node_type) {
        switch type {
        case CMARK_NODE_DOCUMENT: self = .document
        case CMARK_NODE_BLOCK_QUOTE: self = .blockQuote
        case CMARK_NODE_PARAGRAPH: self = .paragraph
        case CMARK_NODE_HEADING: self = .heading
        case CMARK_NODE_CODE_BLOCK: self = .codeBlock
        case CMARK_NODE_HTML_BLOCK: self = .htmlBlock
        case CMARK_NODE_CUSTOM_BLOCK: self = .customBlock
        case CMARK_NODE_TEXT: self = .text
        case CMARK_NODE_CODE: self = .code
        case CMARK_NODE_HTML_INLINE: self = .htmlInline
        case CMARK_NODE_CUSTOM_INLINE: self = .customInline
        case CMARK_NODE_LINK: self = .link
        case CMARK_NODE_IMAGE: self = .image
        case CMARK_NODE_SOFTBREAK: self = .softBreak
        case CMARK_NODE_LINEBREAK: self = .lineBreak
        default: self = .other
        }
    }
}

/// A borrowed handle on a node of a `MarkdownDocument`; valid while the document lives
/// and the node has not been freed by `remove()`.
public struct MarkdownNode: @unchecked Sendable, Hashable {
    fileprivate let pointer: OpaquePointer

    public var kind: MarkdownNodeKind { MarkdownNodeKind(cmark_node_get_type(pointer)) }

    /// Whether the literal holds this ASCII byte, asked of cmark's C string without
    /// making a Swift string of it (most text nodes hold no `[` and are left as they are).
    public func literalContains(_ byte: UInt8) -> Bool {
        guard let c = cmark_node_get_literal(pointer) else { return false }
        return strchr(c, Int32(byte)) != nil
    }

    /// Text of a text, code or html node (copied).
    public var literal: String {
        guard let c = cmark_node_get_literal(pointer) else { return "" }
        return String(cString: c)
    }

    public var url: String {
        guard let c = cmark_node_get_url(pointer) else { return "" }
        return String(cString: c)
    }

    public var title: String {
        guard let c = cmark_node_get_title(pointer) else { return "" }
        return String(cString: c)
    }

    public var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }

    /// 1-based line and byte column in the Markdown body (0 when cmark has none).
    public var startLine: Int { Int(cmark_node_get_start_line(pointer)) }
    public var startColumn: Int { Int(cmark_node_get_start_column(pointer)) }
    public var endLine: Int { Int(cmark_node_get_end_line(pointer)) }

    public var parent: MarkdownNode? { cmark_node_parent(pointer).map(MarkdownNode.init) }
    public var firstChild: MarkdownNode? { cmark_node_first_child(pointer).map(MarkdownNode.init) }
    public var next: MarkdownNode? { cmark_node_next(pointer).map(MarkdownNode.init) }

    public var children: [MarkdownNode] {
        var result: [MarkdownNode] = []
        var child = firstChild
        while let node = child {
            result.append(node)
            child = node.next
        }
        return result
    }

    /// The concatenated text of this node's descendants (for headings and labels).
    public var plainText: String {
        var text = ""
        for child in children {
            switch child.kind {
            case .text, .code: text += child.literal
            case .softBreak, .lineBreak: text += " "
            default: text += child.plainText
            }
        }
        return text
    }

    /// True when some ancestor is of one of the given kinds.
    public func isInside(_ kinds: Set<MarkdownNodeKind>) -> Bool {
        var node = parent
        while let current = node {
            if kinds.contains(current.kind) { return true }
            node = current.parent
        }
        return false
    }

    public func setLiteral(_ text: String) {
        cmark_node_set_literal(pointer, text)
    }

    public func insertBefore(_ sibling: MarkdownNode) {
        cmark_node_insert_before(pointer, sibling.pointer)
    }

    public func append(_ child: MarkdownNode) {
        cmark_node_append_child(pointer, child.pointer)
    }

    /// Unlinks and frees this node and its subtree.
    public func remove() {
        cmark_node_unlink(pointer)
        cmark_node_free(pointer)
    }

    /// Puts `replacement` where this node was, moving this node's children into it
    /// when `keepChildren` is set, and frees this node.
    public func replace(with replacement: MarkdownNode, keepChildren: Bool) {
        if keepChildren {
            for child in children {
                cmark_node_unlink(child.pointer)
                cmark_node_append_child(replacement.pointer, child.pointer)
            }
        }
        cmark_node_insert_before(pointer, replacement.pointer)
        remove()
    }

    /// Inline HTML produced by Dossier itself (not from content), so safe mode keeps it.
    public static func customInline(enter: String, exit: String = "") -> MarkdownNode {
        let node = MarkdownNode(pointer: cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, dossier_arena_current_mem()))
        cmark_node_set_on_enter(node.pointer, enter)
        cmark_node_set_on_exit(node.pointer, exit)
        return node
    }

    /// Inline HTML produced by Dossier itself, as UTF-8 bytes (with no NUL among them).
    public static func customInline(enter: [UInt8]) -> MarkdownNode {
        let node = MarkdownNode(pointer: cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, dossier_arena_current_mem()))
        _ = (enter + [0]).withUnsafeBytes { cmark_node_set_on_enter(node.pointer, $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
        return node
    }

    /// Block HTML produced by Dossier itself; children (blocks) render between enter and exit.
    public static func customBlock(enter: String, exit: String = "") -> MarkdownNode {
        let node = MarkdownNode(pointer: cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, dossier_arena_current_mem()))
        cmark_node_set_on_enter(node.pointer, enter)
        cmark_node_set_on_exit(node.pointer, exit)
        return node
    }

    public func renderHTML(allowHTML: Bool) -> String {
        let options = allowHTML ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        guard let buffer = cmark_render_html(pointer, options) else { return "" }
        defer { dossier_arena_current_mem().pointee.free(buffer) }
        return String(cString: buffer)
    }
}

/// Runs `body` with this thread's cmark arena open (see `cmark_arena.h`): the trees it
/// parses, and what is made for them, take memory from the arena and give it all back
/// at once when `body` returns. Freeing cmark's nodes and strings one by one, as they
/// were allocated, was a twentieth of a build's instructions. A tree made in `body`
/// must be freed in it.
enum CmarkArena {
    static func scoped<Result>(_ body: () throws -> Result) rethrows -> Result {
        dossier_arena_open()
        defer { dossier_arena_close() }
        return try body()
    }
}
