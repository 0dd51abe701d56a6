package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hearth-server/hearth/core"
)

// Official clients disagree on spelling: the wire spec (and nakama-js) use protobuf
// snake_case names, the seed spec and some generated clients lowerCamelCase. Nakama's
// gateway accepts both, numbers or strings for int64, and enum names or numbers. The
// normaliser turns any of those spellings into the one the wire spec describes, before
// validation, so validation never rejects what an official client sends.

// decodeJSON reads one JSON value, keeping numbers exact. Trailing bytes after the value
// are ignored, as Nakama ignores them.
func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// normalizeError is a client mistake found while normalising; it names the field.
func normalizeError(path, format string, args ...any) error {
	field := path
	if field == "" {
		field = "body"
	}
	return core.Errorf(core.CodeInvalidArgument, fmt.Sprintf("Invalid value for field %q: %s.", field, fmt.Sprintf(format, args...)))
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// normalize rewrites v to the shape schema describes. Unknown object keys are dropped
// and JSON nulls mean "unset", as in protobuf JSON.
func normalize(ref *openapi3.SchemaRef, v any, path string) (any, error) {
	if ref == nil || ref.Value == nil {
		return v, nil
	}
	s := ref.Value
	switch val := v.(type) {
	case map[string]any:
		if !s.Type.Is(openapi3.TypeObject) && !(s.Type == nil && (len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil)) {
			return v, nil // validation reports the type mismatch
		}
		return normalizeObject(s, val, path)
	case []any:
		if !s.Type.Is(openapi3.TypeArray) {
			return v, nil
		}
		for i, item := range val {
			n, err := normalize(s.Items, item, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			val[i] = n
		}
		return val, nil
	case json.Number:
		switch {
		case s.Type.Is(openapi3.TypeString) && s.Format == "int64":
			// int64 travels as a JSON string; accept a number and keep it exact.
			if _, err := strconv.ParseInt(val.String(), 10, 64); err != nil {
				return nil, normalizeError(path, "must be a whole number within int64 range")
			}
			return val.String(), nil
		case s.Type.Is(openapi3.TypeInteger):
			return checkInteger(s, val.String(), path)
		}
		return val, nil
	case string:
		switch {
		case s.Type.Is(openapi3.TypeString) && s.Format == "int64":
			if _, err := strconv.ParseInt(val, 10, 64); err != nil {
				return nil, normalizeError(path, "must be a whole number within int64 range")
			}
		case s.Type.Is(openapi3.TypeInteger):
			if names, ok := s.Extensions["x-enum-varnames"].([]any); ok {
				for i, name := range names {
					if name == val && i < len(s.Enum) {
						return s.Enum[i], nil
					}
				}
				if _, err := strconv.ParseInt(val, 10, 64); err != nil {
					// Nakama treats an unknown enum name as the unset value.
					return nil, nil
				}
			}
			// Protobuf JSON also accepts integers written as strings.
			return checkInteger(s, val, path)
		case s.Type.Is(openapi3.TypeBoolean):
			// Protobuf JSON accepts quoted booleans too.
			if b, err := strconv.ParseBool(val); err == nil && (val == "true" || val == "false") {
				return b, nil
			}
		}
		return val, nil
	}
	return v, nil
}

// checkInteger accepts an integral number within the format's range, written with or
// without a fraction of zero (1.0), and rejects 1.5 or out-of-range values cleanly.
func checkInteger(s *openapi3.Schema, text, path string) (any, error) {
	f, ok := new(big.Float).SetString(text)
	if !ok || !f.IsInt() {
		return nil, normalizeError(path, "must be a whole number")
	}
	n, acc := f.Int64()
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if s.Format == "int32" {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	if acc != big.Exact || n < lo || n > hi {
		return nil, normalizeError(path, "is out of range")
	}
	return json.Number(strconv.FormatInt(n, 10)), nil
}

func normalizeObject(s *openapi3.Schema, obj map[string]any, path string) (any, error) {
	out := make(map[string]any, len(obj))
	for key, val := range obj {
		if val == nil {
			continue
		}
		name := key
		prop, known := s.Properties[key]
		if !known {
			if alt := snakeCase(key); alt != key {
				if p, ok := s.Properties[alt]; ok {
					name, prop, known = alt, p, true
				}
			}
		}
		switch {
		case known:
			if _, dup := out[name]; dup {
				return nil, normalizeError(joinPath(path, name), "given more than once (in two spellings)")
			}
			n, err := normalize(prop, val, joinPath(path, name))
			if err != nil {
				return nil, err
			}
			if n != nil {
				out[name] = n
			}
		case s.AdditionalProperties.Schema != nil:
			// A map (vars, properties): keys are the caller's data, never renamed.
			n, err := normalize(s.AdditionalProperties.Schema, val, joinPath(path, key))
			if err != nil {
				return nil, err
			}
			out[key] = n
		default:
			// Unknown fields are ignored, as Nakama ignores them.
		}
	}
	return out, nil
}

// snakeCase turns lowerCamelCase into the protobuf snake_case name.
func snakeCase(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
