package jsonw

import (
	"encoding/json"
	"testing"
)

func TestObjectNests(t *testing.T) {
	var o Object
	o.Open()
	o.Key("a")
	o.B = append(o.B, '1')
	o.Array("empty", 0, func(int) { t.Fatal("called for an empty array") })
	o.Array("list", 3, func(i int) {
		o.Open()
		if i > 0 {
			o.Key("i")
			o.B = append(o.B, byte('0'+i))
		}
		o.Close()
	})
	o.Key("inner")
	o.Open()
	o.Key("x")
	o.B = append(o.B, "true"...)
	o.Close()
	o.Close()
	const want = `{"a":1,"list":[{},{"i":1},{"i":2}],"inner":{"x":true}}`
	if string(o.B) != want || !json.Valid(o.B) {
		t.Fatalf("got %s, want %s", o.B, want)
	}
	o.Reset()
	o.Open()
	o.Key("b")
	o.B = append(o.B, '2')
	o.Close()
	if string(o.B) != `{"b":2}` {
		t.Fatalf("after Reset: %s", o.B)
	}
}
