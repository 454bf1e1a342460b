// libyaml, as Yams bundles it: the same parser Yams runs, read event by event.
import CYaml
import Yams

/// A front-matter value: text, a list or a mapping, with where libyaml found it
/// (1-based line, and column in Unicode scalars, as Yams's `Mark`).
struct YAMLValue {
    enum Content {
        case scalar(String)
        case sequence([YAMLValue])
        case mapping([(key: YAMLValue, value: YAMLValue)])
    }

    var content: Content
    var line: Int
    var column: Int

    var scalar: String? {
        if case .scalar(let text) = content { return text }
        return nil
    }

    var sequence: [YAMLValue]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    var mapping: [(key: YAMLValue, value: YAMLValue)]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The value Yams composed, for front-matter the fast reader leaves to it.
    init(_ node: Node) {
        line = node.mark?.line ?? 0
        column = node.mark?.column ?? 0
        switch node {
        case .scalar(let scalar): content = .scalar(scalar.string)
        case .sequence(let sequence): content = .sequence(sequence.map(YAMLValue.init))
        case .mapping(let mapping): content = .mapping(mapping.map { (YAMLValue($0.key), YAMLValue($0.value)) })
        case .alias: content = .scalar("")  // composing replaces aliases with their nodes
        }
    }

    init(_ content: Content, line: Int, column: Int) {
        (self.content, self.line, self.column) = (content, line, column)
    }
}

/// Reads front-matter straight from libyaml's events into `YAMLValue`s. Yams composes a
/// tree of its own nodes first (an object per event and per tag, a dictionary per mapping
/// to find duplicate keys), which took two thirds of the time spent on front-matter.
/// Front-matter is plain keys, text and lists; anything else — a syntax error, an anchor,
/// alias or explicit tag, a second document — is left to Yams, so such notes read, and
/// fail, exactly as through Yams.
enum FrontMatterYAML {
    enum Outcome {
        /// The document's root; nil for an empty document.
        case read(YAMLValue?)
        /// A mapping gives `key` twice: where it was first given, and again.
        case duplicateKey(String, first: YAMLValue, again: YAMLValue)
        case leftToYams
    }

    static func read(_ yaml: String) -> Outcome {
        var yaml = yaml
        return yaml.withUTF8 { bytes in
            var reader = EventReader()
            defer { reader.close() }
            let outcome = reader.read(bytes)
            if let (first, again) = reader.duplicate, let key = first.scalar { return .duplicateKey(key, first: first, again: again) }
            return outcome ?? .leftToYams
        }
    }

    /// One parse: the parser and the event it last produced (both freed by `close`).
    private struct EventReader {
        private var parser = yaml_parser_t()
        private var event = yaml_event_t()
        private var hasEvent = false
        /// The first key found given twice in a mapping, both times.
        private(set) var duplicate: (first: YAMLValue, again: YAMLValue)?
        /// Up to this many keys, a mapping finds a repeated key by scanning its pairs.
        private static let keysScanned = 16

        mutating func close() {
            if hasEvent { yaml_event_delete(&event) }
            yaml_parser_delete(&parser)
        }

        mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome? {
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            guard next() == YAML_STREAM_START_EVENT, let afterStart = next() else { return nil }
            if afterStart == YAML_STREAM_END_EVENT { return .read(nil) }
            guard afterStart == YAML_DOCUMENT_START_EVENT, next() != nil, let root = value(),
                  next() == YAML_DOCUMENT_END_EVENT, next() == YAML_STREAM_END_EVENT else { return nil }
            return .read(root)
        }

        /// The next event's type; nil on a syntax error.
        private mutating func next() -> yaml_event_type_t? {
            if hasEvent { yaml_event_delete(&event) }
            hasEvent = yaml_parser_parse(&parser, &event) == 1
            return hasEvent ? event.type : nil
        }

        /// The value that starts with the current event; nil when it needs Yams.
        private mutating func value() -> YAMLValue? {
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                guard scalar.anchor == nil, scalar.tag == nil else { return nil }
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                return YAMLValue(.scalar(text), line: line, column: column)
            case YAML_SEQUENCE_START_EVENT:
                guard event.data.sequence_start.anchor == nil, event.data.sequence_start.tag == nil else { return nil }
                var items: [YAMLValue] = []
                while let type = next(), type != YAML_SEQUENCE_END_EVENT {
                    guard let item = value() else { return nil }
                    items.append(item)
                }
                guard hasEvent else { return nil }
                return YAMLValue(.sequence(items), line: line, column: column)
            case YAML_MAPPING_START_EVENT:
                guard event.data.mapping_start.anchor == nil, event.data.mapping_start.tag == nil else { return nil }
                var pairs: [(key: YAMLValue, value: YAMLValue)] = []
                // Each key's pair, once the mapping has more keys than a scan is worth: a
                // scan for every key made a front-matter of 20,000 keys take a second.
                var positions: [String: Int] = [:]
                while let type = next(), type != YAML_MAPPING_END_EVENT {
                    guard let key = value(), let text = key.scalar else { return nil }
                    let earlier = pairs.count < Self.keysScanned ? pairs.firstIndex { $0.key.scalar == text } : positions[text]
                    if let earlier {
                        duplicate = (pairs[earlier].key, key)
                        return nil
                    }
                    guard next() != nil, let item = value() else { return nil }
                    pairs.append((key, item))
                    if pairs.count == Self.keysScanned {
                        for (index, pair) in pairs.enumerated() { positions[pair.key.scalar!] = index }
                    } else if pairs.count > Self.keysScanned {
                        positions[text] = pairs.count - 1
                    }
                }
                guard hasEvent else { return nil }
                return YAMLValue(.mapping(pairs), line: line, column: column)
            default:
                return nil
            }
        }
    }
}
