package social

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

// keysFixture is a client whose Apple key set comes from srv, with tokens signed at the
// client's (fake) present.
type keysFixture struct {
	c     *Client
	clock *fakeClock
	srv   *jwksServer
}

func newKeysFixture(t *testing.T) *keysFixture {
	t.Helper()
	srv := newJWKSServer(t)
	srv.publish("k1", &testKeys()[0].PublicKey)
	c, clock := newTestClient(t, Config{Apple: AppleConfig{BundleID: testBundleID, KeysURL: srv.URL}}, nil)
	return &keysFixture{c: c, clock: clock, srv: srv}
}

// verify signs a fresh token with key i under kid and verifies it.
func (kf *keysFixture) verify(t *testing.T, i int, kid string) error {
	t.Helper()
	f := &idTokenFixture{t: t, key: testKeys()[i], kid: kid, now: kf.clock.Now(), iss: appleIssuer, aud: testBundleID}
	_, err := kf.c.Apple(context.Background(), f.sign(f.claims()))
	return err
}

func (kf *keysFixture) wantHits(t *testing.T, want int32) {
	t.Helper()
	if got := kf.srv.hits.Load(); got != want {
		t.Fatalf("key set fetched %d times, want %d", got, want)
	}
}

// A provider rotating in a new key is picked up when a token names it, but unknown kids
// refetch at most once a minute, so garbage cannot make us hammer the provider.
func TestKeySetRotation(t *testing.T) {
	kf := newKeysFixture(t)
	wantKind(t, kf.verify(t, 0, "k1"), nil)
	kf.wantHits(t, 1)

	kf.clock.Add(2 * time.Minute)
	wantKind(t, kf.verify(t, 1, "k2"), ErrInvalid) // not published yet: one refetch
	kf.wantHits(t, 2)
	for range 20 {
		wantKind(t, kf.verify(t, 1, "garbage"), ErrInvalid)
	}
	kf.wantHits(t, 2)

	kf.srv.publish("k2", &testKeys()[1].PublicKey)
	wantKind(t, kf.verify(t, 1, "k2"), ErrInvalid) // still inside the minute
	kf.wantHits(t, 2)
	kf.clock.Add(keysMinRefetch)
	wantKind(t, kf.verify(t, 1, "k2"), nil)
	wantKind(t, kf.verify(t, 0, "k1"), nil)
	kf.wantHits(t, 3)
}

// Keys are refetched when the provider's max-age runs out; while the provider is down
// the old keys keep working for a while, and failures are not retried on every call.
func TestKeySetExpiryAndOutage(t *testing.T) {
	kf := newKeysFixture(t)
	kf.srv.setCacheControl("public, max-age=600, must-revalidate")
	wantKind(t, kf.verify(t, 0, "k1"), nil)
	kf.clock.Add(9 * time.Minute)
	wantKind(t, kf.verify(t, 0, "k1"), nil)
	kf.wantHits(t, 1)
	kf.clock.Add(2 * time.Minute)
	wantKind(t, kf.verify(t, 0, "k1"), nil)
	kf.wantHits(t, 2)

	kf.srv.setStatus(http.StatusServiceUnavailable)
	kf.clock.Add(11 * time.Minute)
	wantKind(t, kf.verify(t, 0, "k1"), nil) // stale, but the provider cannot be asked
	kf.wantHits(t, 3)
	wantKind(t, kf.verify(t, 0, "k1"), nil)
	kf.wantHits(t, 3) // inside the failure backoff
	wantKind(t, kf.verify(t, 1, "k2"), ErrUnavailable)
	kf.wantHits(t, 3)

	kf.clock.Add(keysMaxStale)
	wantKind(t, kf.verify(t, 0, "k1"), ErrUnavailable) // too stale to trust
	kf.wantHits(t, 4)

	kf.srv.setStatus(0)
	kf.clock.Add(keysFailBackoff)
	wantKind(t, kf.verify(t, 0, "k1"), nil)
	kf.wantHits(t, 5)
}

// Concurrent verifications share one fetch.
func TestKeySetConcurrent(t *testing.T) {
	kf := newKeysFixture(t)
	f := &idTokenFixture{t: t, key: testKeys()[0], kid: "k1", now: kf.clock.Now(), iss: appleIssuer, aud: testBundleID}
	tok := f.sign(f.claims())
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Go(func() {
			_, err := kf.c.Apple(context.Background(), tok)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	kf.wantHits(t, 1)
}

// Keys the provider publishes for anything but RS256 signatures are not trusted, and a
// set with none left is the provider's failure.
func TestKeySetSkipsUnusableKeys(t *testing.T) {
	pub := &testKeys()[0].PublicKey
	good := jwkOf("good", pub)
	with := func(k, v string) map[string]string {
		m := jwkOf("bad-"+k, pub)
		m[k] = v
		return m
	}
	srv := newJWKSServer(t)
	srv.keys = []map[string]string{
		with("kty", "EC"),
		with("use", "enc"),
		with("alg", "RS512"),
		with("n", "!!!"),
		with("e", "AQAB"+"AQAB"),                       // 6 bytes: too large
		with("n", "AQAB"),                              // tiny modulus
		{"kty": "RSA", "n": good["n"], "e": good["e"]}, // no kid
	}
	c, clock := newTestClient(t, Config{Apple: AppleConfig{BundleID: testBundleID, KeysURL: srv.URL}}, nil)
	f := &idTokenFixture{t: t, key: testKeys()[0], kid: "good", now: clock.Now(), iss: appleIssuer, aud: testBundleID}
	_, err := c.Apple(context.Background(), f.sign(f.claims()))
	wantKind(t, err, ErrUnavailable)

	srv.keys = append(srv.keys, good)
	clock.Add(keysFailBackoff)
	if _, err := c.Apple(context.Background(), f.sign(f.claims())); err != nil {
		t.Fatal(err)
	}
	for _, kid := range []string{"bad-kty", "bad-use", "bad-alg", "bad-n", "bad-e"} {
		f.kid = kid
		_, err := c.Apple(context.Background(), f.sign(f.claims()))
		wantKind(t, err, ErrInvalid)
	}
}

func TestJWKExponent(t *testing.T) {
	k := jwkOf("k", &testKeys()[0].PublicKey)
	j := jwk{Kty: "RSA", Kid: "k", N: k["n"], E: k["e"]}
	pub, ok := j.rsaKey()
	if !ok || pub.E != 65537 || pub.N.Cmp(testKeys()[0].N) != 0 {
		t.Fatalf("rsaKey = %v, %v", pub, ok)
	}
	j.E = "AQ" // 1
	if _, ok := j.rsaKey(); ok {
		t.Fatal("exponent 1 accepted")
	}
	j.E = k["e"] + "=="
	if _, ok := j.rsaKey(); !ok {
		t.Fatal("padded exponent refused")
	}
}

func TestCacheTTL(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"", time.Hour},
		{"max-age=21600", 6 * time.Hour},
		{"public, Max-Age=600", 10 * time.Minute},
		{"max-age=10", keysMinTTL},
		{"max-age=99999999999999999", keysMaxTTL},
		{"max-age=-1", time.Hour},
		{"max-age=soon", time.Hour},
		{"no-cache", time.Hour},
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("Cache-Control", tc.header)
		}
		if got := cacheTTL(h, time.Hour, keysMinTTL, keysMaxTTL); got != tc.want {
			t.Errorf("cacheTTL(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

// A caller whose context ends while another fetch is in flight gives up at once.
func TestKeySetWaiterGivesUp(t *testing.T) {
	kf := newKeysFixture(t)
	kf.c.appleKeys.sem <- struct{}{} // a fetch in flight that never ends
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	f := &idTokenFixture{t: t, key: testKeys()[0], kid: "k1", now: kf.clock.Now(), iss: appleIssuer, aud: testBundleID}
	_, err := kf.c.Apple(ctx, f.sign(f.claims()))
	wantKind(t, err, ErrUnavailable)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v does not carry the caller's deadline", err)
	}
}

// A caller that gives up does not fail the fetch it started for those queued behind it.
func TestKeySetFetchOutlivesImpatientCaller(t *testing.T) {
	kf := newKeysFixture(t)
	kf.srv.mu.Lock()
	kf.srv.delay = 200 * time.Millisecond
	kf.srv.mu.Unlock()
	f := &idTokenFixture{t: t, key: testKeys()[0], kid: "k1", now: kf.clock.Now(), iss: appleIssuer, aud: testBundleID}
	tok := f.sign(f.claims())

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := kf.c.Apple(ctx, tok)
	wantKind(t, err, ErrUnavailable)
	if _, err := kf.c.Apple(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	kf.wantHits(t, 1)
}
