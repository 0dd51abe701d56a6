// Command restore rebuilds spec/openapi.yaml from the flattened seed
// spec/testdata/seed-001-openapi.txt: it reconstructs the nested OpenAPI
// document, applies the wire corrections listed in spec/README.md and
// writes the result.
//
// Run it from the module root:
//
//	go run ./spec/restore
//
// The flags -in and -out change the files read and written ("-" for
// standard output).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hearth-server/hearth/spec/internal/restore"
)

func main() {
	in := flag.String("in", "spec/testdata/seed-001-openapi.txt", "flattened seed to read")
	out := flag.String("out", "spec/openapi.yaml", `document to write ("-" for standard output)`)
	flag.Parse()

	seed, err := os.ReadFile(*in)
	if err != nil {
		fail(err)
	}
	doc, err := restore.Restore(seed)
	if err != nil {
		fail(err)
	}
	if *out == "-" {
		_, err = os.Stdout.Write(doc)
	} else {
		err = os.WriteFile(*out, doc, 0o644)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "restore:", err)
	os.Exit(1)
}
