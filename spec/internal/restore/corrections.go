package restore

import (
	"fmt"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// A correction is one change made to the parsed seed so that the document
// describes what Nakama actually puts on the wire. spec/README.md lists
// them all (changes 2 to 12) with their reasons.
type correction struct {
	name string
	fix  func(root *yaml.Node) error
}

// corrections are applied in this order.
var corrections = []correction{
	{"top-level security", hoistTopLevelSecurity},
	{"broken $ref", fixBrokenRefs},
	{"security schemes", fixSecuritySchemes},
	{"RPC security alternatives", rpcSecurity},
	{"unauthenticated healthcheck", healthcheckSecurity},
	{"snake_case property names", snakeCaseProperties},
	{"snake_case query parameters", snakeCaseQueryParameters},
	{"numeric enums", numericEnums},
	{"error field of rpcStatus", errorField},
	{"empty string query values", emptyStringQueryValues},
}

// Correct applies every correction to the document whose root mapping is
// root.
func Correct(root *yaml.Node) error {
	for _, c := range corrections {
		if err := c.fix(root); err != nil {
			return fmt.Errorf("correction %q: %w", c.name, err)
		}
	}
	return nil
}

// hoistTopLevelSecurity moves the document's default security requirement
// to the top level.
//
// In the flattened text, the top-level "security: - BearerJwt: []" sits
// between the last operation (Nakama_ListUserGroups) and "externalDocs:",
// exactly where an operation-level security would be, so the parser gives
// it to that operation. Read that way the document would have no default
// and 75 operations would need no authentication, which is not what Nakama
// does: every operation without its own security takes a bearer token.
func hoistTopLevelSecurity(root *yaml.Node) error {
	if get(root, "security") != nil {
		return fmt.Errorf("document already has a top-level security")
	}
	paths := get(root, "paths")
	if paths == nil || len(paths.Content) == 0 {
		return fmt.Errorf("no paths")
	}
	item := paths.Content[len(paths.Content)-1]
	if len(item.Content) == 0 {
		return fmt.Errorf("empty last path")
	}
	op := item.Content[len(item.Content)-1]
	if op.Content[len(op.Content)-2].Value != "security" {
		return fmt.Errorf("last operation does not end with security")
	}
	sec := del(op, "security")
	setAfter(root, "paths", "security", sec)
	return nil
}

// fixBrokenRefs repairs $ref values split by YAML line folding.
//
// The seed's "#/components/requestBodies/WriteTournamentRecordRequestTournamentRecordW\ rite"
// (both tournament write operations) is what remains of a double-quoted
// string folded with an escaped line break; collapsed onto one line it
// decodes to "...RecordW rite". A reference that does not resolve but does
// once its spaces are removed is repaired; any other unresolved reference
// is an error.
func fixBrokenRefs(root *yaml.Node) error {
	defined := map[string]bool{}
	each(get(root, "components"), func(kind, m *yaml.Node) {
		each(m, func(name, _ *yaml.Node) {
			defined["#/components/"+kind.Value+"/"+name.Value] = true
		})
	})
	var err error
	walk(root, func(n *yaml.Node) {
		ref := get(n, "$ref")
		if ref == nil || defined[ref.Value] || err != nil {
			return
		}
		if fixed := strings.ReplaceAll(ref.Value, " ", ""); defined[fixed] {
			ref.Value = fixed
			return
		}
		err = fmt.Errorf("unresolved $ref %q", ref.Value)
	})
	return err
}

// walk calls f for every mapping in the tree under n.
func walk(n *yaml.Node, f func(*yaml.Node)) {
	if n.Kind == yaml.MappingNode {
		f(n)
	}
	for _, c := range n.Content {
		walk(c, f)
	}
}

// fixSecuritySchemes makes HttpKeyAuth the query parameter http_key, which
// is where Nakama looks for the runtime HTTP key (the seed declares a
// header named http_key, while its RPC operations take a query parameter),
// and documents how each scheme's credentials are sent.
func fixSecuritySchemes(root *yaml.Node) error {
	schemes := path(root, "components", "securitySchemes")
	docs := map[string]string{
		"BasicAuth": "The server key as the user name and an empty password. " +
			"Required by the authenticate operations and by session refresh.",
		"BearerJwt": "A session token (from an authenticate operation or a session refresh), " +
			"sent as \"Authorization: Bearer <token>\". The default for every operation.",
		"HttpKeyAuth": "The runtime HTTP key, sent as the query parameter http_key. " +
			"Lets server-to-server callers execute RPC functions without a session.",
	}
	for _, name := range []string{"BasicAuth", "BearerJwt", "HttpKeyAuth"} {
		s := get(schemes, name)
		if s == nil {
			return fmt.Errorf("security scheme %s missing", name)
		}
		set(s, "description", str(docs[name]))
	}
	key := get(schemes, "HttpKeyAuth")
	set(key, "name", str("http_key"))
	set(key, "in", str("query"))
	return nil
}

// operations calls f for every operation, with its path and method.
func operations(root *yaml.Node, f func(path, method string, op *yaml.Node)) {
	each(get(root, "paths"), func(p, item *yaml.Node) {
		each(item, func(m, op *yaml.Node) {
			if get(op, "operationId") != nil {
				f(p.Value, m.Value, op)
			}
		})
	})
}

// operation returns the operation with the given operationId.
func operation(root *yaml.Node, id string) (*yaml.Node, error) {
	var found *yaml.Node
	operations(root, func(_, _ string, op *yaml.Node) {
		if get(op, "operationId").Value == id {
			found = op
		}
	})
	if found == nil {
		return nil, fmt.Errorf("operation %s not found", id)
	}
	return found, nil
}

// requirement returns the security requirement {scheme: []}.
func requirement(scheme string) *yaml.Node {
	return mapping(str(scheme), emptySeq())
}

// rpcSecurity gives the two RPC operations two alternative requirements,
// a session token or the runtime HTTP key.
//
// The seed has a single requirement object listing both schemes, which in
// OpenAPI means both are needed at once. Nakama accepts either: clients call
// RPCs with their session, servers with the http_key and no session.
func rpcSecurity(root *yaml.Node) error {
	for _, id := range []string{"Nakama_RpcFunc", "Nakama_RpcFunc2"} {
		op, err := operation(root, id)
		if err != nil {
			return err
		}
		set(op, "security", seq(requirement("BearerJwt"), requirement("HttpKeyAuth")))
	}
	return nil
}

// healthcheckSecurity declares that /healthcheck needs no credentials: it
// is meant for load balancers, and Nakama answers it without any.
func healthcheckSecurity(root *yaml.Node) error {
	op, err := operation(root, "Nakama_Healthcheck")
	if err != nil {
		return err
	}
	set(op, "security", emptySeq())
	return nil
}

// ProtoName returns the protobuf field name for a lowerCamelCase JSON name
// of the seed: an underscore before every upper-case letter, which is then
// lowered ("facebookInstantGameId" → "facebook_instant_game_id").
// Names starting with "@" (protobufAny's "@type") are returned unchanged.
//
// The seed's names are protojson's lowerCamelCase forms of the protobuf
// field names. For Nakama's api.proto the conversion is exact (no field has
// digits, acronyms or double underscores); the tests of package spec check
// every converted name against api.proto.
func ProtoName(name string) string {
	if strings.HasPrefix(name, "@") {
		return name
	}
	var b strings.Builder
	for _, r := range name {
		if unicode.IsUpper(r) {
			b.WriteByte('_')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// schemas calls f for every Schema Object of the document: components,
// inline schemas of parameters, request bodies and responses, and the
// schemas nested in them (properties, items, additionalProperties).
func schemas(root *yaml.Node, f func(s *yaml.Node)) {
	var visit func(s *yaml.Node)
	visit = func(s *yaml.Node) {
		if s == nil || s.Kind != yaml.MappingNode {
			return
		}
		f(s)
		each(get(s, "properties"), func(_, p *yaml.Node) { visit(p) })
		visit(get(s, "items"))
		visit(get(s, "additionalProperties"))
	}
	content := func(c *yaml.Node) {
		each(c, func(_, media *yaml.Node) { visit(get(media, "schema")) })
	}
	each(path(root, "components", "schemas"), func(_, s *yaml.Node) { visit(s) })
	each(path(root, "components", "requestBodies"), func(_, rb *yaml.Node) { content(get(rb, "content")) })
	operations(root, func(_, _ string, op *yaml.Node) {
		for _, p := range seqItems(get(op, "parameters")) {
			visit(get(p, "schema"))
		}
		content(path(op, "requestBody", "content"))
		each(get(op, "responses"), func(_, r *yaml.Node) { content(get(r, "content")) })
	})
}

func seqItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// snakeCaseProperties renames every schema property from the seed's
// lowerCamelCase to its protobuf field name.
//
// Nakama's HTTP gateway marshals responses with the protobuf field names
// (customId is sent as "custom_id") and the official clients send and read
// those names. Nakama also accepts the lowerCamelCase names on input; the
// document describes the names clients actually use.
func snakeCaseProperties(root *yaml.Node) error {
	var err error
	schemas(root, func(s *yaml.Node) {
		props := get(s, "properties")
		if props == nil || props.Kind != yaml.MappingNode {
			return
		}
		seen := map[string]bool{}
		for i := 0; i < len(props.Content); i += 2 {
			k := props.Content[i]
			k.Value = ProtoName(k.Value)
			if seen[k.Value] && err == nil {
				err = fmt.Errorf("two properties named %s", k.Value)
			}
			seen[k.Value] = true
		}
	})
	return err
}

// snakeCaseQueryParameters renames query parameters to their protobuf
// field names (ownerIds → owner_ids, httpKey → http_key...): the gateway
// binds query parameters by field name and the official clients send those
// names. Path parameters are left alone; their names only label the
// placeholders of the path template.
func snakeCaseQueryParameters(root *yaml.Node) error {
	operations(root, func(_, _ string, op *yaml.Node) {
		for _, p := range seqItems(get(op, "parameters")) {
			if in := get(p, "in"); in != nil && in.Value == "query" {
				n := get(p, "name")
				n.Value = ProtoName(n.Value)
			}
		}
	})
	return nil
}

// An EnumValue is a protobuf enum value name and number.
type EnumValue struct {
	Name   string
	Number int
}

// NumericEnums lists the enum schemas whose values Nakama's gateway sends as
// numbers, with the values of the protobuf enums in api.proto. The seed
// lacks SAMSUNG_GALAXY_STORE, which api.proto (nakama-common v1.47.0)
// defines and Nakama can return for purchases validated by the runtime.
var NumericEnums = map[string][]EnumValue{
	"apiOperator": {
		{"NO_OVERRIDE", 0}, {"BEST", 1}, {"SET", 2}, {"INCREMENT", 3}, {"DECREMENT", 4},
	},
	"apiStoreProvider": {
		{"APPLE_APP_STORE", 0}, {"GOOGLE_PLAY_STORE", 1}, {"HUAWEI_APP_GALLERY", 2},
		{"FACEBOOK_INSTANT_STORE", 3}, {"SAMSUNG_GALAXY_STORE", 4},
	},
	"apiStoreEnvironment": {
		{"UNKNOWN", 0}, {"SANDBOX", 1}, {"PRODUCTION", 2},
	},
}

// missingEnumDocs describes enum values absent from the seed, in the words
// of the seed's other value descriptions.
var missingEnumDocs = map[string]string{
	"SAMSUNG_GALAXY_STORE": "Samsung Galaxy Store",
}

// numericEnums turns the string enums of the seed into the integer enums
// that are on the wire.
//
// Nakama's gateway marshals enums as numbers ("operator": 1, not
// "operator": "BEST"). Each schema becomes an int32 with its numbers as
// enum and the value names in x-enum-varnames (used by code generators for
// constant names); the description keeps the names and gains a paragraph
// mapping numbers to names.
func numericEnums(root *yaml.Node) error {
	all := path(root, "components", "schemas")
	for _, name := range []string{"apiOperator", "apiStoreProvider", "apiStoreEnvironment"} {
		values := NumericEnums[name]
		s := get(all, name)
		if s == nil {
			return fmt.Errorf("schema %s missing", name)
		}
		old := seqItems(get(s, "enum"))
		byName := map[string]int{}
		for _, v := range values {
			byName[v.Name] = v.Number
		}
		for _, o := range old {
			if _, ok := byName[o.Value]; !ok {
				return fmt.Errorf("%s: seed value %s has no number", name, o.Value)
			}
		}
		var nums, names []*yaml.Node
		var legend []string
		desc := get(s, "description")
		for _, v := range values {
			nums = append(nums, integer(v.Number))
			names = append(names, str(v.Name))
			legend = append(legend, fmt.Sprintf("%d = %s", v.Number, v.Name))
			if doc, ok := missingEnumDocs[v.Name]; ok {
				desc.Value += fmt.Sprintf(" - %s: %s", v.Name, doc)
			}
		}
		desc.Value += "\n\nSent as numbers: " + strings.Join(legend, ", ") + "."
		set(s, "type", str("integer"))
		setAfter(s, "type", "format", str("int32"))
		set(s, "enum", flow(seq(nums...)))
		setAfter(s, "enum", "x-enum-varnames", flow(seq(names...)))
		if d := get(s, "default"); d != nil {
			n, ok := byName[d.Value]
			if !ok {
				return fmt.Errorf("%s: default %s has no number", name, d.Value)
			}
			set(s, "default", integer(n))
		}
	}
	return nil
}

// errorField adds the string property "error" to rpcStatus, the body of
// every error response, and documents its fields. Nakama's gateway puts
// the error text in "error" as well as in "message" for some errors; Hearth
// always fills both, so that clients reading either find it.
func errorField(root *yaml.Node) error {
	s := path(root, "components", "schemas", "rpcStatus")
	props := get(s, "properties")
	if props == nil {
		return fmt.Errorf("rpcStatus has no properties")
	}
	docs := map[string]string{
		"code":    "The gRPC status code (for example 3 INVALID_ARGUMENT, 5 NOT_FOUND, 16 UNAUTHENTICATED), not the HTTP status.",
		"message": "A description of the error.",
		"details": "Additional error details; Hearth leaves this empty.",
	}
	for name, doc := range docs {
		p := get(props, name)
		if p == nil {
			return fmt.Errorf("rpcStatus.%s missing", name)
		}
		set(p, "description", str(doc))
	}
	setAfter(props, "message", "error", mapping(
		str("type"), str("string"),
		str("description"), str("The same text as message. Nakama fills this field for some errors; "+
			"Hearth always does, for clients that read only this field."),
	))
	setAfter(s, "properties", "description", str("The body of every error response."))
	return nil
}

// emptyStringQueryValues marks string and string-array query parameters
// allowEmptyValue.
//
// Nakama's gateway takes "?username=" as the empty string and
// "?usernames=" as a list holding one empty string, and its handlers then
// decide (an empty username is generated; an empty username to add as a
// friend is refused with Nakama's own message). OpenAPI forbids empty values
// unless allowed, so a validator following the seed would refuse those
// requests before the handler could answer as Nakama does. Numbers and
// booleans stay strict: the gateway cannot parse an empty one either.
func emptyStringQueryValues(root *yaml.Node) error {
	operations(root, func(_, _ string, op *yaml.Node) {
		for _, p := range seqItems(get(op, "parameters")) {
			if in := get(p, "in"); in == nil || in.Value != "query" {
				continue
			}
			schema := get(p, "schema")
			typ := get(schema, "type")
			if typ != nil && typ.Value == "array" {
				typ = path(schema, "items", "type")
			}
			if typ != nil && typ.Value == "string" && get(schema, "format") == nil {
				setAfter(p, "required", "allowEmptyValue", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
			}
		}
	})
	return nil
}
