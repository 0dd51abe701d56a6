package core

import (
	"sync"
	"time"
)

// LockoutOptions configure brute-force protection of password logins. The defaults are
// the policy Nakama applies to console logins: 5 failures per account or 10 per client IP
// within 10 minutes lock that account or IP out for 10 minutes.
type LockoutOptions struct {
	AccountAttempts int
	IPAttempts      int
	Period          time.Duration
}

// DefaultLockout is Nakama's policy.
var DefaultLockout = LockoutOptions{AccountAttempts: 5, IPAttempts: 10, Period: 10 * time.Minute}

// ErrLockedOut answers a password login from an account or IP that failed too often.
var ErrLockedOut = Errorf(CodeResourceExhausted, "Try again later.")

// loginAttempts counts recent failed password logins per account and per client IP. It
// lives in memory on each node, as Nakama's does: a lockout is a speed bump for guessing,
// and losing it on restart costs an attacker only a restart's worth of attempts.
type loginAttempts struct {
	opts     LockoutOptions
	now      func() time.Time
	mu       sync.Mutex
	accounts map[string]*attempts
	ips      map[string]*attempts
}

type attempts struct {
	first       time.Time
	count       int
	lockedUntil time.Time
}

func newLoginAttempts(o LockoutOptions, now func() time.Time) *loginAttempts {
	return &loginAttempts{opts: o, now: now, accounts: map[string]*attempts{}, ips: map[string]*attempts{}}
}

// locked reports whether the account or the IP is locked out now.
func (l *loginAttempts) locked(account, ip string) bool {
	if l.opts.AccountAttempts <= 0 && l.opts.IPAttempts <= 0 {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	return l.isLocked(l.accounts, account, now) || l.isLocked(l.ips, ip, now)
}

func (l *loginAttempts) isLocked(m map[string]*attempts, key string, now time.Time) bool {
	a := m[key]
	if key == "" || a == nil {
		return false
	}
	if now.Before(a.lockedUntil) {
		return true
	}
	if !a.lockedUntil.IsZero() || now.Sub(a.first) > l.opts.Period {
		delete(m, key) // lockout served, or the counting window passed
	}
	return false
}

// failed records a failed attempt.
func (l *loginAttempts) failed(account, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.add(l.accounts, account, l.opts.AccountAttempts, now)
	l.add(l.ips, ip, l.opts.IPAttempts, now)
	if len(l.accounts)+len(l.ips) > 100_000 {
		l.sweep(now) // bound memory under a spray of distinct names or addresses
	}
}

func (l *loginAttempts) add(m map[string]*attempts, key string, limit int, now time.Time) {
	if key == "" || limit <= 0 {
		return
	}
	a := m[key]
	if a == nil || (a.lockedUntil.IsZero() && now.Sub(a.first) > l.opts.Period) {
		a = &attempts{first: now}
		m[key] = a
	}
	a.count++
	if a.count >= limit {
		a.lockedUntil = now.Add(l.opts.Period)
	}
}

// succeeded clears the account's and IP's failures.
func (l *loginAttempts) succeeded(account, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts, account)
	delete(l.ips, ip)
}

func (l *loginAttempts) sweep(now time.Time) {
	for _, m := range []map[string]*attempts{l.accounts, l.ips} {
		for k, a := range m {
			if now.After(a.lockedUntil) && now.Sub(a.first) > l.opts.Period {
				delete(m, k)
			}
		}
	}
}
