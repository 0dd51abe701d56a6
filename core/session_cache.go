package core

import (
	"sync"
	"time"

	"github.com/google/uuid"
)

// verifiedSessions remembers session tokens whose signature and claims have been
// checked, so the requests a client makes with one token over its lifetime pay for the
// HMAC, base64 and JSON of verification once. A hit still checks expiry against the
// clock and revocation against the live state, exactly as a fresh parse is followed;
// only a token that verified byte for byte is ever found here.
type verifiedSessions struct {
	mu      sync.Mutex
	entries map[string]verifiedSession
	max     int
}

type verifiedSession struct {
	claims *SessionClaims
	userID uuid.UUID
}

// verifiedSessionsMax bounds the cache at about 8 MiB of tokens and claims.
const verifiedSessionsMax = 16384

func newVerifiedSessions(max int) *verifiedSessions {
	return &verifiedSessions{entries: make(map[string]verifiedSession), max: max}
}

// get returns the claims of a token verified before, if it has not expired by now.
func (v *verifiedSessions) get(token string, now time.Time) (verifiedSession, bool) {
	v.mu.Lock()
	s, ok := v.entries[token]
	v.mu.Unlock()
	if !ok || !now.Before(time.Unix(s.claims.ExpiresAt, 0)) {
		return verifiedSession{}, false
	}
	return s, true
}

// put remembers a verified token. A full cache drops a quarter of its entries (map
// order is random, so they are arbitrary ones) rather than track recency on every hit.
func (v *verifiedSessions) put(token string, s verifiedSession) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.entries) >= v.max {
		drop := v.max / 4
		for k := range v.entries {
			if drop == 0 {
				break
			}
			delete(v.entries, k)
			drop--
		}
	}
	v.entries[token] = s
}
