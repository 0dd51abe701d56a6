// Package protoapi reads the message and enum declarations of a .proto file
// well enough to compare them with the OpenAPI document: message names
// (nested ones as "Outer.Inner"), field names, types and leading comments,
// and enum values. It is a line-oriented reader for files laid out like
// Nakama's api.proto (one declaration per line), not a protobuf parser.
//
// It is used by the tests of package spec, which read api.proto from the
// nakama-common module in the Go module cache; nothing of that file is
// copied into this repository.
package protoapi

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Module is the Go module whose api/api.proto describes Nakama's REST
// messages.
const Module = "github.com/heroiclabs/nakama-common"

// A Field is one field of a message.
type Field struct {
	Name     string // protobuf field name (snake_case): the JSON name on the wire
	Type     string // e.g. "string", "google.protobuf.Int32Value", "map<string, string>"
	Repeated bool
	Number   int
	Comment  string // leading and trailing comments, joined by spaces
}

// A Message is a message declaration.
type Message struct {
	Name    string // "Outer.Inner" for nested messages
	Comment string
	Fields  []Field
}

// Field returns the field called name, if any.
func (m *Message) Field(name string) (Field, bool) {
	for _, f := range m.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// An EnumValue is one value of an enum.
type EnumValue struct {
	Name    string
	Number  int
	Comment string
}

// An Enum is an enum declaration.
type Enum struct {
	Name    string // "Outer.Inner" for nested enums
	Comment string
	Values  []EnumValue
}

// A File holds the declarations of one .proto file, by name.
type File struct {
	Messages map[string]*Message
	Enums    map[string]*Enum
}

var (
	openRe  = regexp.MustCompile(`^\s*(message|enum)\s+(\w+)\s*\{\s*$`)
	fieldRe = regexp.MustCompile(`^\s*(repeated\s+)?(map<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;`)
	valueRe = regexp.MustCompile(`^\s*(\w+)\s*=\s*(-?\d+)\s*;`)
)

// Parse reads the declarations in src.
func Parse(src []byte) (*File, error) {
	f := &File{Messages: map[string]*Message{}, Enums: map[string]*Enum{}}
	type open struct {
		name string
		msg  *Message
		enum *Enum
	}
	var stack []open
	var comment []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		code, trailing, _ := strings.Cut(line, "//")
		trimmed := strings.TrimSpace(code)
		if trimmed == "" {
			if c := strings.TrimSpace(trailing); strings.HasPrefix(strings.TrimSpace(line), "//") {
				comment = append(comment, c)
			} else {
				comment = nil
			}
			continue
		}
		lead := strings.Join(comment, " ")
		comment = nil
		if m := openRe.FindStringSubmatch(code); m != nil {
			name := m[2]
			if len(stack) > 0 {
				name = stack[len(stack)-1].name + "." + name
			}
			o := open{name: name}
			if m[1] == "message" {
				o.msg = &Message{Name: name, Comment: lead}
				f.Messages[name] = o.msg
			} else {
				o.enum = &Enum{Name: name, Comment: lead}
				f.Enums[name] = o.enum
			}
			stack = append(stack, o)
			continue
		}
		if trimmed == "}" {
			if len(stack) == 0 {
				return nil, fmt.Errorf("line %d: unbalanced }", n)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) == 0 {
			continue
		}
		top := stack[len(stack)-1]
		full := strings.TrimSpace(strings.Join([]string{lead, strings.TrimSpace(trailing)}, " "))
		switch {
		case top.msg != nil:
			if m := fieldRe.FindStringSubmatch(code); m != nil {
				num, _ := strconv.Atoi(m[4])
				top.msg.Fields = append(top.msg.Fields, Field{
					Name: m[3], Type: m[2], Repeated: m[1] != "", Number: num, Comment: full,
				})
			}
		case top.enum != nil:
			if m := valueRe.FindStringSubmatch(code); m != nil {
				num, _ := strconv.Atoi(m[2])
				top.enum.Values = append(top.enum.Values, EnumValue{Name: m[1], Number: num, Comment: full})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("unterminated declaration %s", stack[len(stack)-1].name)
	}
	return f, nil
}

// Locate returns the path of api/api.proto in the module cache for the
// version of Module required by the main module, as reported by
// "go list -m". It fails if the go command or the module is unavailable.
func Locate() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", Module).Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %w", Module, err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("module %s is not in the module cache (run go mod download %s)", Module, Module)
	}
	path := filepath.Join(dir, "api", "api.proto")
	if _, err := os.Stat(path); err != nil {
		return "", err
	}
	return path, nil
}
