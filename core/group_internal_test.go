package core

import "testing"

func TestLikePrefixRange(t *testing.T) {
	for _, tc := range []struct {
		pattern, from, to string
		prefixOnly        bool
	}{
		{"heroes%", "heroes", "heroet", true},
		{"%x", "", groupNameAfterAll, false},
		{"%", "", groupNameAfterAll, true},
		{"a_b", "a", "b", false},
		{"ab%%", "ab", "ac", false},
		{`a\%b%`, "a%b", "a%c", true},
		{"hé%", "hé", "hê", true},
		{"a\U0010FFFF%", "a\U0010FFFF", "b", true},
		{"\U0010FFFF%", "\U0010FFFF", groupNameAfterAll, true},
		{"\uD7FF", "\uD7FF", "\uE000", false},
		{`trail\`, `trail\`, `trail]`, false},
		{"exact", "exact", "exacu", false},
	} {
		from, to, prefixOnly := likePrefixRange(tc.pattern)
		if from != tc.from || to != tc.to || prefixOnly != tc.prefixOnly {
			t.Errorf("likePrefixRange(%q) = %q, %q, %v; want %q, %q, %v", tc.pattern, from, to, prefixOnly, tc.from, tc.to, tc.prefixOnly)
		}
	}
	if got := likePattern(`a\`); got != `a\\` {
		t.Errorf("likePattern = %q", got)
	}
	if got := likePattern(`a\\`); got != `a\\` {
		t.Errorf("likePattern = %q", got)
	}
}
