// Package spec holds Hearth's contract with its clients: the OpenAPI 3.0
// document of the Nakama API v2 as Hearth serves it (openapi.yaml).
//
// The document is restored from a flattened copy of Nakama's own OpenAPI
// document (testdata/seed-001-openapi.txt) by "go run ./spec/restore", with
// corrections that make it describe the JSON that Nakama actually sends and
// that official Nakama client SDKs expect; README.md lists every change.
// Server code is generated from it with oapi-codegen.
package spec

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// YAML is the text of openapi.yaml.
//
//go:embed openapi.yaml
var YAML []byte

// Load parses YAML with kin-openapi, resolves its references and validates
// it against the OpenAPI 3.0 rules. Each call returns a new document, so
// callers may modify it.
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(YAML)
	if err != nil {
		return nil, fmt.Errorf("spec: load openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("spec: validate openapi.yaml: %w", err)
	}
	return doc, nil
}
