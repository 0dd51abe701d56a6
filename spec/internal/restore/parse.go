package restore

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse rebuilds the nested YAML tree of an OpenAPI 3.0 document whose
// whitespace (line breaks and indentation) was collapsed into single spaces.
//
// The text is split into words. A word ending in ":" may be a mapping key,
// a lone "-" may start a sequence item, and everything else is part of a
// scalar. Because indentation is gone, the parser keeps a stack of the nodes
// that are open (document, paths, path item, operation, ...) and, for every
// candidate word, asks the open nodes from the innermost outwards whether
// the word can continue them: the key must be allowed in that node by the
// OpenAPI grammar (see grammar.go), must not already be present, and the
// words after it must be able to start the key's value. The first node that
// accepts the word receives it and every node above it is closed. A plain
// scalar runs until the first word that some open node accepts, so prose
// such as "Possible values are: [...]" stays inside its description.
//
// The grammar alone cannot tell whether a description or title that
// follows the last property of a schema belongs to that property or to the
// schema. Rules taken from how the seed was generated (from protobuf
// definitions) settle it:
//
//   - a name used in a "#/components/schemas/NAME" reference starts the
//     next component schema and is never a property name;
//   - item and map-value schemas carry no description or title (grammar.go);
//   - a property has a description or a title, not both: a second one is
//     the enclosing schema's;
//   - a title directly followed by the next component schema is the
//     enclosing schema's title.
//
// Placed this way, the descriptions and titles of the seed's component
// schemas and of their properties agree with the comments of the matching
// messages and fields in Nakama's api.proto (checked when this parser was
// written; see spec/README.md).
//
// Quoted scalars are decoded as YAML double-quoted strings; block-scalar
// indicators ("|-", ">-", ...) left as literal text are dropped and the
// block's lines, already joined by single spaces, become the value.
func Parse(text []byte) (*yaml.Node, error) {
	p := &parser{toks: strings.Fields(string(text)), schemaNames: map[string]bool{}}
	for _, m := range schemaRefRe.FindAllStringSubmatch(string(text), -1) {
		p.schemaNames[m[1]] = true
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	p.stack = []*frame{{c: ctxRoot, n: root, seen: map[string]bool{}}}
	for i := 0; i < len(p.toks); {
		fi := p.acceptor(i)
		if fi < 0 {
			return nil, p.errorf(i, "no open node accepts %q", p.toks[i])
		}
		p.stack = p.stack[:fi+1]
		f := p.stack[fi]
		var err error
		if f.c.list {
			i, err = p.value(f.c.item, i+1, func(v *yaml.Node) {
				f.n.Content = append(f.n.Content, v)
			})
		} else {
			raw, _ := keyToken(p.toks[i])
			spec := p.keySpec(f.c, f.typ, raw, i)
			name := unquoteKey(raw)
			f.seen[name] = true
			k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}
			if name != raw {
				k.Style = yaml.DoubleQuotedStyle
			}
			i, err = p.value(spec, i+1, func(v *yaml.Node) {
				f.n.Content = append(f.n.Content, k, v)
				if name == "$ref" && f.c.refCloses {
					f.closed = true
				}
				if name == "type" && f.c.schema {
					f.typ = v.Value
				}
			})
		}
		if err != nil {
			return nil, err
		}
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}, nil
}

// A frame is an open mapping or sequence.
type frame struct {
	c      *context
	n      *yaml.Node
	seen   map[string]bool // keys already present (mappings)
	closed bool            // a $ref was read: nothing more may follow
	typ    string          // the "type" of a schema, once read
	isProp bool            // the schema of a property
}

type parser struct {
	toks  []string
	stack []*frame
	// schemaNames holds every name the text refers to as
	// "#/components/schemas/NAME".
	schemaNames map[string]bool
}

var schemaRefRe = regexp.MustCompile(`#/components/schemas/([A-Za-z0-9_.-]+)`)

// value reads the value described by spec starting at word i, hands the
// resulting node to add, and returns the index of the next unread word.
// A mapping or sequence value is opened (pushed) and filled by later steps.
func (p *parser) value(spec *valueSpec, i int, add func(*yaml.Node)) (int, error) {
	if spec.scalar {
		v, next, err := p.scalar(i)
		if err != nil {
			return 0, err
		}
		add(v)
		return next, nil
	}
	switch p.toks[i] {
	case "{}":
		add(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle})
		return i + 1, nil
	case "[]":
		add(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle})
		return i + 1, nil
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if spec.ctx.list {
		n = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	}
	add(n)
	top := p.stack[len(p.stack)-1]
	p.stack = append(p.stack, &frame{c: spec.ctx, n: n, seen: map[string]bool{},
		isProp: top.c == ctxProperties})
	return i, nil
}

// scalar reads a scalar starting at word i.
func (p *parser) scalar(i int) (*yaml.Node, int, error) {
	w := p.toks[i]
	if strings.HasPrefix(w, `"`) {
		j := i
		for !closesQuote(p.toks[j], j == i) {
			j++
			if j == len(p.toks) {
				return nil, 0, p.errorf(i, "unterminated quoted string")
			}
		}
		s, err := unquoteDouble(strings.Join(p.toks[i:j+1], " "))
		if err != nil {
			return nil, 0, p.errorf(i, "%v", err)
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}, j + 1, nil
	}
	start, block := i, false
	switch w {
	case "|", "|-", "|+", ">", ">-", ">+":
		start, block = i+1, true
		if start == len(p.toks) {
			return nil, 0, p.errorf(i, "empty block scalar")
		}
	}
	j := start + 1
	for j < len(p.toks) && p.acceptor(j) < 0 {
		j++
	}
	s := strings.Join(p.toks[start:j], " ")
	tag := "!!str"
	if !block {
		tag = resolvePlain(s)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}, j, nil
}

// acceptor returns the index in the stack of the innermost open node that
// accepts word i, or -1.
func (p *parser) acceptor(i int) int {
	for k := len(p.stack) - 1; k >= 0; k-- {
		if p.accepts(k, i) {
			return k
		}
	}
	return -1
}

// accepts reports whether the open node p.stack[k] accepts word i.
func (p *parser) accepts(k, i int) bool {
	f := p.stack[k]
	if f.closed {
		return false
	}
	if f.c.list {
		return p.toks[i] == "-" && p.canStart(f.c.item, i+1)
	}
	raw, ok := keyToken(p.toks[i])
	if !ok || f.seen[unquoteKey(raw)] {
		return false
	}
	if f.isProp && (raw == "description" || raw == "title") {
		// The seed's generator gives a field either a description or a
		// title, never both: a second one describes the enclosing schema.
		if f.seen["description"] || f.seen["title"] {
			return false
		}
		// A title (a message comment without a final period) directly
		// followed by the next component schema is the title of the
		// enclosing schema, not of its last property.
		if raw == "title" && p.endsSchema(k, i) {
			return false
		}
	}
	return p.keySpec(f.c, f.typ, raw, i) != nil
}

// endsSchema reports whether, if the key at word i were given to the open
// node p.stack[k], its scalar value would be directly followed by the name
// of a component schema.
func (p *parser) endsSchema(k, i int) bool {
	saved := p.stack
	f := p.stack[k]
	p.stack = p.stack[:k+1]
	key, _ := keyToken(p.toks[i])
	f.seen[key] = true
	j := i + 2
	for j < len(p.toks) && p.acceptor(j) < 0 {
		j++
	}
	delete(f.seen, key)
	p.stack = saved
	if j == len(p.toks) {
		return false
	}
	raw, ok := keyToken(p.toks[j])
	return ok && p.schemaNames[unquoteKey(raw)]
}

// keySpec returns what the value of key (the word at i) is in a mapping of
// context c, or nil if c cannot hold that key followed by the next words.
func (p *parser) keySpec(c *context, typ, key string, i int) *valueSpec {
	if v := c.fields[key]; v != nil && (!c.schema || allowedByType(typ, key)) && p.canStart(v, i+1) {
		return v
	}
	// A named entry (path, schema, property, response...) is never empty
	// in the seed, so "name: {}" is not read as one; this keeps a keyword
	// such as "additionalProperties: {}" from being taken for a property.
	// The name of a component schema is never a property name: it starts
	// the next entry of components.schemas.
	if c == ctxProperties && p.schemaNames[unquoteKey(key)] {
		return nil
	}
	if c.mapKey != nil && c.mapKey(key) && i+1 < len(p.toks) && p.toks[i+1] != "{}" && p.canStart(c.mapVal, i+1) {
		return c.mapVal
	}
	return nil
}

// canStart reports whether the words from j on can begin a value of spec.
func (p *parser) canStart(spec *valueSpec, j int) bool {
	if j >= len(p.toks) {
		return false
	}
	t := p.toks[j]
	if spec.scalar {
		_, isKey := keyToken(t)
		return !isKey && t != "-"
	}
	if spec.ctx.list {
		return t == "[]" || t == "-" && p.canStart(spec.ctx.item, j+1)
	}
	if t == "{}" {
		return true
	}
	raw, ok := keyToken(t)
	return ok && p.keySpec(spec.ctx, "", raw, j) != nil
}

func (p *parser) errorf(i int, format string, args ...any) error {
	lo, hi := max(0, i-12), min(len(p.toks), i+8)
	return fmt.Errorf("word %d: %s (near %q)", i, fmt.Sprintf(format, args...),
		strings.Join(p.toks[lo:hi], " "))
}

var plainKeyRe = regexp.MustCompile(`^[^"'\[\]{}#&*!|>%@` + "`" + `,-][^"]*$|^"[^"]*"$`)

// keyToken reports whether word w has the form of a mapping key ("name:"
// or "\"quoted name\":") and returns the key text, quotes included.
func keyToken(w string) (string, bool) {
	if len(w) < 2 || !strings.HasSuffix(w, ":") {
		return "", false
	}
	k := w[:len(w)-1]
	if !plainKeyRe.MatchString(k) {
		return "", false
	}
	return k, true
}

func unquoteKey(k string) string {
	if len(k) >= 2 && k[0] == '"' {
		return k[1 : len(k)-1]
	}
	return k
}

// closesQuote reports whether word w ends a double-quoted scalar: it ends in
// a quote that is not escaped (and, for the opening word, is not the
// opening quote itself).
func closesQuote(w string, first bool) bool {
	if !strings.HasSuffix(w, `"`) || first && len(w) < 2 {
		return false
	}
	n := 0
	for k := len(w) - 2; k >= 0 && w[k] == '\\'; k-- {
		n++
	}
	return n%2 == 0
}

// unquoteDouble decodes a YAML double-quoted scalar. A backslash followed by
// a space is YAML's escaped space; in the seed it is what remains of an
// escaped line break (see FixBrokenRefs).
func unquoteDouble(s string) (string, error) {
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			return "", fmt.Errorf("dangling backslash in %q", s)
		}
		switch s[i] {
		case '\\', '"', '/', ' ':
			b.WriteByte(s[i])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		default:
			return "", fmt.Errorf("unsupported escape \\%c in %q", s[i], s)
		}
	}
	return b.String(), nil
}

var intRe = regexp.MustCompile(`^[-+]?[0-9]+$`)

// resolvePlain returns the YAML tag of a plain scalar (YAML 1.2 core schema,
// restricted to what can appear in an OpenAPI document).
func resolvePlain(s string) string {
	switch {
	case s == "true" || s == "false":
		return "!!bool"
	case s == "null" || s == "~":
		return "!!null"
	case intRe.MatchString(s):
		return "!!int"
	}
	return "!!str"
}
