// Package jsonw is the skeleton shared by the hand-written JSON encoders of the hottest
// responses (handlers' list bodies, realtime's chat envelopes): objects and arrays
// appended to a byte slice, with the separators their positions need. Each encoder keeps
// its own value rules: which zero values it omits, how it writes strings and times.
package jsonw

// Object appends JSON to B, one field at a time; objects and arrays nest.
type Object struct {
	B     []byte
	first bool // no field written yet in the innermost open object
}

// Reset empties B, keeping its capacity.
func (o *Object) Reset() { o.B, o.first = o.B[:0], false }

// Open starts an object.
func (o *Object) Open() { o.B, o.first = append(o.B, '{'), true }

// Close ends the innermost object.
func (o *Object) Close() { o.B, o.first = append(o.B, '}'), false }

// Key writes a field's name and colon, after a comma unless it is the object's first.
func (o *Object) Key(k string) {
	if !o.first {
		o.B = append(o.B, ',')
	}
	o.first = false
	o.B = append(o.B, '"')
	o.B = append(o.B, k...)
	o.B = append(o.B, '"', ':')
}

// Array writes k:[...] with one element per call of each, which writes the element
// (usually Open, fields, Close); it writes nothing for n == 0, as zero values are omitted.
func (o *Object) Array(k string, n int, each func(i int)) {
	if n == 0 {
		return
	}
	o.Key(k)
	o.B = append(o.B, '[')
	for i := range n {
		if i > 0 {
			o.B = append(o.B, ',')
		}
		each(i)
	}
	o.B, o.first = append(o.B, ']'), false
}
