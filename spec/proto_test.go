package spec

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	// Importing the generated Go package keeps nakama-common in the build graph, so the
	// go command always has the module (and its api.proto) in the cache for these tests.
	_ "github.com/heroiclabs/nakama-common/api"

	"github.com/hearth-server/hearth/spec/internal/protoapi"
	"github.com/hearth-server/hearth/spec/internal/restore"
)

// These tests compare the document with Nakama's REST messages in
// api/api.proto of github.com/heroiclabs/nakama-common (the version in
// go.mod), read from the module cache.

func loadProto(t *testing.T) *protoapi.File {
	t.Helper()
	path, err := protoapi.Locate()
	if err != nil {
		t.Fatalf("api.proto unavailable: %v", err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := protoapi.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Messages) < 50 {
		t.Fatalf("read only %d messages from %s", len(f.Messages), path)
	}
	return f
}

// protoMessageFor returns the message a component schema was generated
// from: "apiAccount" is Account, "GroupUserListGroupUser" the nested
// GroupUserList.GroupUser.
func protoMessageFor(f *protoapi.File, schema string) *protoapi.Message {
	name := strings.TrimPrefix(schema, "api")
	if m := f.Messages[name]; m != nil {
		return m
	}
	for i := 1; i < len(name); i++ {
		if m := f.Messages[name[:i]+"."+name[i:]]; m != nil {
			return m
		}
	}
	return nil
}

// schemaName returns the component name a reference points to.
func schemaName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

// checkType reports how schema s fails to describe the JSON that protojson
// produces for a field of the given protobuf type, or "".
func checkType(f *protoapi.File, field protoapi.Field, s *openapi3.SchemaRef) string {
	if field.Repeated {
		if !s.Value.Type.Is("array") {
			return "want an array"
		}
		field.Repeated = false
		return checkType(f, field, s.Value.Items)
	}
	typ, format := "", s.Value.Format
	if s.Value.Type != nil && len(s.Value.Type.Slice()) == 1 {
		typ = s.Value.Type.Slice()[0]
	}
	want := func(t, fm string) string {
		if typ != t || fm != "*" && format != fm {
			return "want " + t + "/" + fm + ", have " + typ + "/" + format
		}
		return ""
	}
	switch field.Type {
	case "string", "google.protobuf.StringValue":
		return want("string", "")
	case "bool", "google.protobuf.BoolValue":
		return want("boolean", "")
	case "int32", "google.protobuf.Int32Value":
		return want("integer", "int32")
	case "uint32", "google.protobuf.UInt32Value":
		// A JSON number; the seed's int64 format is wide enough.
		return want("integer", "*")
	case "int64", "google.protobuf.Int64Value":
		// protojson writes 64-bit integers as strings.
		return want("string", "int64")
	case "google.protobuf.Timestamp":
		return want("string", "date-time")
	case "map<string, string>":
		if typ != "object" || s.Value.AdditionalProperties.Schema == nil ||
			!s.Value.AdditionalProperties.Schema.Value.Type.Is("string") {
			return "want an object of strings"
		}
		return ""
	}
	if s.Ref == "" {
		return "want a reference to the schema of " + field.Type
	}
	target := schemaName(s.Ref)
	if e := f.Enums[strings.TrimPrefix(target, "api")]; e != nil {
		if e.Name != field.Type {
			return "refers to enum " + e.Name
		}
		return ""
	}
	m := protoMessageFor(f, target)
	if m == nil || (m.Name != field.Type && !strings.HasSuffix(m.Name, "."+field.Type)) {
		return "refers to " + target
	}
	return ""
}

// Every schema property is a field of the schema's protobuf message, under
// its exact name and with a matching JSON encoding, and no field is missing.
func TestSchemasMatchProto(t *testing.T) {
	f := loadProto(t)
	doc := load(t)
	for _, name := range keys(doc.Components.Schemas) {
		s := doc.Components.Schemas[name].Value
		if _, isEnum := restore.NumericEnums[name]; isEnum {
			continue
		}
		m := protoMessageFor(f, name)
		if m == nil {
			if name != "protobufAny" && name != "rpcStatus" { // google.protobuf.Any, google.rpc.Status
				t.Errorf("%s: no message in api.proto", name)
			}
			continue
		}
		for _, p := range keys(s.Properties) {
			field, ok := m.Field(p)
			if !ok {
				t.Errorf("%s.%s: no field %s in message %s", name, p, p, m.Name)
				continue
			}
			if msg := checkType(f, field, s.Properties[p]); msg != "" {
				t.Errorf("%s.%s (%s %s): %s", name, p, field.Type, field.Name, msg)
			}
		}
		for _, field := range m.Fields {
			if s.Properties[field.Name] == nil {
				t.Errorf("%s: field %s of %s is missing", name, field.Name, m.Name)
			}
		}
	}
}

// The numeric enums have api.proto's values.
func TestEnumsMatchProto(t *testing.T) {
	f := loadProto(t)
	for name, values := range restore.NumericEnums {
		e := f.Enums[strings.TrimPrefix(name, "api")]
		if e == nil {
			t.Errorf("%s: no enum in api.proto", name)
			continue
		}
		if len(e.Values) != len(values) {
			t.Errorf("%s: %d values, api.proto has %d", name, len(values), len(e.Values))
			continue
		}
		for i, v := range e.Values {
			if values[i].Name != v.Name || values[i].Number != v.Number {
				t.Errorf("%s: value %s = %d, api.proto has %s = %d", name, values[i].Name, values[i].Number, v.Name, v.Number)
			}
		}
	}
}

// requestMessage returns the name of the message an operation's path,
// query and body are bound to: Nakama_ListGroups takes ListGroupsRequest;
// the "2" variants take the same message as the first; RPCs take Rpc.
func requestMessage(id string) string {
	name := strings.TrimSuffix(strings.TrimPrefix(id, "Nakama_"), "2")
	if name == "RpcFunc" {
		return "Rpc"
	}
	return name + "Request"
}

// Path placeholders, query parameters and the request body of every
// operation together cover exactly the fields of its request message.
func TestOperationsMatchProto(t *testing.T) {
	f := loadProto(t)
	doc := load(t)
	checked := 0
	for _, o := range docOperations(doc) {
		operation := doc.Paths.Value(o.path).GetOperation(o.method)
		m := f.Messages[requestMessage(o.id)]
		if m == nil {
			// Operations without parameters may take an account message
			// (LinkApple takes AccountApple) or nothing at all.
			if len(operation.Parameters) > 0 {
				t.Errorf("%s: no message %s in api.proto", o.id, requestMessage(o.id))
			}
			continue
		}
		checked++
		covered := map[string]string{}
		cover := func(field, by string) {
			if _, ok := m.Field(field); !ok {
				t.Errorf("%s: %s %q is not a field of %s", o.id, by, field, m.Name)
			}
			if prev, dup := covered[field]; dup {
				t.Errorf("%s: field %s bound twice (%s and %s)", o.id, field, prev, by)
			}
			covered[field] = by
		}
		for _, p := range operation.Parameters {
			switch p.Value.In {
			case openapi3.ParameterInPath:
				cover(restore.ProtoName(p.Value.Name), "path parameter")
			case openapi3.ParameterInQuery:
				cover(p.Value.Name, "query parameter")
				field, _ := m.Field(p.Value.Name)
				if msg := checkType(f, field, p.Value.Schema); field.Name != "" && msg != "" {
					t.Errorf("%s: query parameter %s (%s): %s", o.id, p.Value.Name, field.Type, msg)
				}
			}
		}
		if rb := operation.RequestBody; rb != nil {
			schema := rb.Value.Content["application/json"].Schema
			switch {
			case schema.Ref != "" && protoMessageFor(f, schemaName(schema.Ref)) == m:
				// The body is the whole message (body: "*").
				for _, field := range m.Fields {
					if _, ok := covered[field.Name]; !ok {
						covered[field.Name] = "body"
					}
				}
			case schema.Ref != "":
				// The body is one field of the message, of the body's type.
				body := protoMessageFor(f, schemaName(schema.Ref))
				n := 0
				for _, field := range m.Fields {
					if body != nil && (field.Type == body.Name || strings.HasSuffix(body.Name, "."+field.Type)) {
						cover(field.Name, "body")
						n++
					}
				}
				if n != 1 {
					t.Errorf("%s: body %s matches %d fields of %s", o.id, schema.Ref, n, m.Name)
				}
			case schema.Value.Type.Is("string"):
				// RpcFunc: the body is the payload, as a JSON string.
				cover("payload", "body")
			default:
				// An inline object: the message minus what the path binds.
				for p := range schema.Value.Properties {
					cover(p, "body property")
				}
			}
		}
		for _, field := range m.Fields {
			if _, ok := covered[field.Name]; !ok {
				t.Errorf("%s: field %s of %s is not bound to the path, query or body", o.id, field.Name, m.Name)
			}
		}
	}
	if checked < 60 {
		t.Errorf("only %d operations checked against api.proto", checked)
	}
}

// Proto messages that describe REST payloads but are used by no operation
// of the seed; listed so that a new one is noticed.
func TestUnusedProtoMessages(t *testing.T) {
	f := loadProto(t)
	doc := load(t)
	used := map[string]bool{}
	for name := range doc.Components.Schemas {
		if m := protoMessageFor(f, name); m != nil {
			used[m.Name] = true
		}
	}
	for _, o := range docOperations(doc) {
		used[requestMessage(o.id)] = true
	}
	var unused []string
	for name := range f.Messages {
		if !used[name] && !strings.Contains(name, ".") {
			unused = append(unused, name)
		}
	}
	sort.Strings(unused)
	want := "AccountRefresh Leaderboard LeaderboardList PurchaseList ValidatePurchaseSamsungRequest"
	if got := strings.Join(unused, " "); got != want {
		t.Errorf("api.proto messages not used by the document: %s\nwant (see README): %s", got, want)
	}
}
