package core

import (
	"cmp"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The query language of storage indexes: Nakama's query strings (bleve's syntax, which
// Nakama runs on bluge), over the fields an index keeps of each object. A query is
// clauses separated by spaces; each is optionally prefixed with + (must match) or -
// (must not match) and optionally names a field:
//
//	+value.level:>=10 -value.banned:true value.mode:"capture the flag" value.name:ab*
//
// Values are terms (exact, * and ? as wildcards; numbers and true/false also match
// numeric and boolean values), quoted phrases (exact), /regular expressions/ (the whole
// value must match) and ranges (>, >=, <, <= before a number, a quoted RFC 3339 time or a
// string). A clause without a field looks in every value field. With any + clause the
// plain clauses are optional; without one, at least one plain clause must match. An empty
// query or * matches everything. ^boost suffixes are accepted and ignored (lists are not
// ranked by relevance).

// queryMaxLength bounds a query string: it is parsed on every list call.
const queryMaxLength = 8192

// queryClauseMax bounds the clauses of one query.
const queryClauseMax = 256

type clauseKind byte

const (
	clauseTerm   clauseKind = iota // exact value, or a pattern with * and ?
	clausePhrase                   // quoted: exact string
	clauseRegex                    // /.../: the whole string matches
	clauseRange                    // >, >=, <, <=
)

// queryClause is one clause of a parsed query.
type queryClause struct {
	field string // "" looks in every value field
	fid   int    // the field's number in the index searched (see bind); -1: unknown there
	kind  clauseKind
	text  string
	glob  []globToken    // a term with * or ?: its pattern
	num   *float64       // a term or range bound that reads as a number
	boolV *bool          // a term true or false
	time  *time.Time     // a range bound that reads as an RFC 3339 time
	re    *regexp.Regexp // clauseRegex
	op    string         // clauseRange: ">", ">=", "<" or "<="
}

// storageQuery is a parsed query: clauses by how they must match.
type storageQuery struct {
	must, should, mustNot []queryClause
}

// queryError is a refusal of a query string, with where it went wrong.
type queryError struct {
	pos    int
	reason string
}

func (e *queryError) Error() string { return fmt.Sprintf("%s at position %d", e.reason, e.pos) }

// parseStorageQuery parses a query string. It reads what callers send, so it never
// panics and refuses anything it cannot read with a queryError.
func parseStorageQuery(s string) (storageQuery, error) {
	var q storageQuery
	if len(s) > queryMaxLength {
		return q, &queryError{queryMaxLength, "query too long"}
	}
	if !utf8.ValidString(s) {
		return q, &queryError{0, "query is not valid UTF-8"}
	}
	p := queryParser{s: s}
	clauses := 0
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return q, nil
		}
		if clauses++; clauses > queryClauseMax {
			return q, &queryError{p.i, "too many clauses"}
		}
		occur := byte(0)
		if c := p.s[p.i]; c == '+' || c == '-' {
			occur = c
			p.i++
		}
		c, all, err := p.clause()
		if err != nil {
			return q, err
		}
		if all { // * matches everything: as a must or plain clause it adds nothing
			if occur == '-' {
				c = queryClause{kind: clauseRegex, re: matchAll}
				q.mustNot = append(q.mustNot, c)
			}
			continue
		}
		switch occur {
		case '+':
			q.must = append(q.must, c)
		case '-':
			q.mustNot = append(q.mustNot, c)
		default:
			q.should = append(q.should, c)
		}
	}
}

var matchAll = regexp.MustCompile(`(?s:.*)`)

type queryParser struct {
	s string
	i int
}

func (p *queryParser) skipSpace() {
	for p.i < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		if !unicode.IsSpace(r) {
			return
		}
		p.i += n
	}
}

// clause reads [field:]value[^boost]; all reports a bare * (or field:*).
func (p *queryParser) clause() (c queryClause, all bool, err error) {
	start := p.i
	if p.i < len(p.s) && p.s[p.i] != '"' && p.s[p.i] != '/' {
		if field, ok := p.field(); ok {
			if field == "" {
				return c, false, &queryError{start, "empty field name"}
			}
			c.field = field
		}
	}
	if p.i >= len(p.s) || isSpaceAt(p.s, p.i) {
		return c, false, &queryError{p.i, "missing value"}
	}
	switch p.s[p.i] {
	case '"':
		text, err := p.quoted('"')
		if err != nil {
			return c, false, err
		}
		c.kind, c.text = clausePhrase, text
	case '/':
		expr, err := p.quoted('/')
		if err != nil {
			return c, false, err
		}
		re, err := regexp.Compile(`^(?:` + expr + `)$`)
		if err != nil {
			return c, false, &queryError{start, "invalid regular expression"}
		}
		c.kind, c.re, c.text = clauseRegex, re, expr
	case '>', '<':
		if err := p.rangeValue(&c); err != nil {
			return c, false, err
		}
	default:
		text, pattern := p.term()
		if len(pattern) == 1 && pattern[0].kind == globStar {
			return c, true, nil
		}
		c.kind, c.text = clauseTerm, text
		if hasWildcard(pattern) {
			c.glob = pattern
		} else {
			c.num = parseQueryNumber(text)
			if text == "true" || text == "false" {
				b := text == "true"
				c.boolV = &b
			}
		}
	}
	p.boost()
	if p.i < len(p.s) && !isSpaceAt(p.s, p.i) {
		return c, false, &queryError{p.i, "unexpected character"}
	}
	return c, false, nil
}

// field reads a field name ending at an unescaped colon; without one it reads nothing.
func (p *queryParser) field() (string, bool) {
	var b strings.Builder
	for j := p.i; j < len(p.s); {
		r, n := utf8.DecodeRuneInString(p.s[j:])
		switch {
		case unicode.IsSpace(r):
			return "", false
		case r == '\\' && j+n < len(p.s):
			r2, n2 := utf8.DecodeRuneInString(p.s[j+n:])
			b.WriteRune(r2)
			j += n + n2
			continue
		case r == ':':
			p.i = j + 1
			return b.String(), true
		}
		b.WriteRune(r)
		j += n
	}
	return "", false
}

// quoted reads a value between delimiters; a backslash escapes the next character (in a
// regular expression it stays, so \d and \. keep their meaning).
func (p *queryParser) quoted(delim byte) (string, error) {
	start := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '\\' && p.i+1 < len(p.s):
			if delim == '/' && p.s[p.i+1] != '/' {
				b.WriteByte('\\')
			}
			r, n := utf8.DecodeRuneInString(p.s[p.i+1:])
			b.WriteRune(r)
			p.i += 1 + n
			continue
		case c == delim:
			p.i++
			return b.String(), nil
		}
		b.WriteByte(c)
		p.i++
	}
	return "", &queryError{start, "unterminated " + string(delim)}
}

// term reads an unquoted value up to a space or a boost: the value with escapes
// resolved, and as a pattern in which only unescaped * and ? are wildcards.
func (p *queryParser) term() (string, []globToken) {
	var b strings.Builder
	var pattern []globToken
	for p.i < len(p.s) {
		c, n := utf8.DecodeRuneInString(p.s[p.i:])
		if unicode.IsSpace(c) || (c == '^' && p.boostAhead()) {
			break
		}
		p.i += n
		tok := globToken{kind: globLiteral, r: c}
		switch {
		case c == '\\' && p.i < len(p.s):
			c2, n2 := utf8.DecodeRuneInString(p.s[p.i:])
			p.i += n2
			tok.r = c2
		case c == '*':
			tok.kind = globStar
		case c == '?':
			tok.kind = globAny
		}
		b.WriteRune(tok.r)
		pattern = append(pattern, tok)
	}
	return b.String(), pattern
}

// boostAhead reports whether a ^ at p.i starts a boost: digits (and a dot) to the end
// of the clause.
func (p *queryParser) boostAhead() bool {
	j := p.i + 1
	digits := 0
	for j < len(p.s) && (p.s[j] >= '0' && p.s[j] <= '9' || p.s[j] == '.') {
		j++
		digits++
	}
	return digits > 0 && (j == len(p.s) || isSpaceAt(p.s, j))
}

func (p *queryParser) boost() {
	if p.i < len(p.s) && p.s[p.i] == '^' && p.boostAhead() {
		p.i++
		for p.i < len(p.s) && (p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '.') {
			p.i++
		}
	}
}

func (p *queryParser) rangeValue(c *queryClause) error {
	start := p.i
	c.kind, c.op = clauseRange, p.s[p.i:p.i+1]
	p.i++
	if p.i < len(p.s) && p.s[p.i] == '=' {
		c.op += "="
		p.i++
	}
	if p.i >= len(p.s) || isSpaceAt(p.s, p.i) {
		return &queryError{start, "missing range bound"}
	}
	if p.s[p.i] == '"' {
		text, err := p.quoted('"')
		if err != nil {
			return err
		}
		c.text = text
		if t, err := time.Parse(time.RFC3339Nano, text); err == nil {
			c.time = &t
		}
		return nil
	}
	text, _ := p.term()
	c.text = text
	c.num = parseQueryNumber(text)
	return nil
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

type globKind byte

const (
	globLiteral globKind = iota
	globAny              // ?: one character
	globStar             // *: any run of characters
)

type globToken struct {
	kind globKind
	r    rune
}

func hasWildcard(pattern []globToken) bool {
	for _, t := range pattern {
		if t.kind != globLiteral {
			return true
		}
	}
	return false
}

// globMatch matches s against a pattern in time proportional to their lengths' product
// at worst (the classic backtrack to the last star), whatever the caller sends.
func globMatch(pattern []globToken, s string) bool {
	text := []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(text) {
		switch {
		case pi < len(pattern) && (pattern[pi].kind == globAny || pattern[pi].kind == globLiteral && pattern[pi].r == text[ti]):
			pi++
			ti++
		case pi < len(pattern) && pattern[pi].kind == globStar:
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(pattern) && pattern[pi].kind == globStar {
		pi++
	}
	return pi == len(pattern)
}

func parseQueryNumber(s string) *float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "xXpP_") || s == "" {
		return nil // hex floats and digit separators are not numbers in a query
	}
	return &f
}

// match reports whether a document satisfies the query, bound to the document's index.
func (q *storageQuery) match(d *indexDoc) bool {
	for i := range q.mustNot {
		if q.mustNot[i].match(d) {
			return false
		}
	}
	for i := range q.must {
		if !q.must[i].match(d) {
			return false
		}
	}
	if len(q.must) > 0 || len(q.should) == 0 {
		return true
	}
	for i := range q.should {
		if q.should[i].match(d) {
			return true
		}
	}
	return false
}

// bind numbers the clauses' fields as the index searched numbers them (fieldID; false:
// the index has never seen the field, so nothing matches it).
func (q storageQuery) bind(fieldID func(string) (int, bool)) storageQuery {
	bindAll := func(cs []queryClause) []queryClause {
		out := make([]queryClause, len(cs))
		for i, c := range cs {
			c.fid = -1
			if id, ok := fieldID(c.field); ok && c.field != "" {
				c.fid = id
			}
			out[i] = c
		}
		return out
	}
	return storageQuery{must: bindAll(q.must), should: bindAll(q.should), mustNot: bindAll(q.mustNot)}
}

func (c *queryClause) match(d *indexDoc) bool {
	if c.field != "" {
		return c.fid >= 0 && c.matchValues(d.get(c.fid))
	}
	for i := range d.fields {
		if d.fields[i].value && c.matchValues(d.fields[i].vals) {
			return true
		}
	}
	return false
}

func (c *queryClause) matchValues(vs []indexValue) bool {
	for i := range vs {
		if c.matchValue(&vs[i]) {
			return true
		}
	}
	return false
}

func (c *queryClause) matchValue(v *indexValue) bool {
	switch c.kind {
	case clausePhrase:
		if v.Kind == indexTime {
			t, err := time.Parse(time.RFC3339Nano, c.text)
			return err == nil && t.UnixNano() == v.T
		}
		return v.Kind == indexString && v.S == c.text
	case clauseRegex:
		return v.Kind == indexString && c.re.MatchString(v.S)
	case clauseRange:
		switch {
		case c.num != nil && v.Kind == indexNumber:
			return compareOp(cmp.Compare(v.N, *c.num), c.op)
		case c.time != nil && v.Kind == indexTime:
			return compareOp(cmp.Compare(v.T, c.time.UnixNano()), c.op)
		case c.num == nil && c.time == nil && v.Kind == indexString:
			return compareOp(strings.Compare(v.S, c.text), c.op)
		}
		return false
	}
	switch v.Kind {
	case indexString:
		if c.glob != nil {
			return globMatch(c.glob, v.S)
		}
		return v.S == c.text
	case indexNumber:
		return c.num != nil && v.N == *c.num
	case indexBool:
		return c.boolV != nil && v.B == *c.boolV
	case indexTime:
		t, err := time.Parse(time.RFC3339Nano, c.text)
		return err == nil && t.UnixNano() == v.T
	}
	return false
}

func compareOp(cmp int, op string) bool {
	switch op {
	case ">":
		return cmp > 0
	case ">=":
		return cmp >= 0
	case "<":
		return cmp < 0
	default:
		return cmp <= 0
	}
}
