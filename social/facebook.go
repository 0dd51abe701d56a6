package social

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// facebookIssuers are the iss values Facebook Limited Login tokens carry.
var facebookIssuers = []string{"https://www.facebook.com", "https://facebook.com"}

// Graph API limits.
const (
	graphMaxBody  = 1 << 20
	graphMaxPages = 200 // friends pages followed before giving up on a runaway cursor
)

// facebookProfile is the Graph API's /me answer for fields=id,name,email,picture.
type facebookProfile struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	Picture struct {
		Data struct {
			URL string `json:"url"`
		} `json:"data"`
	} `json:"picture"`
}

// graphError is the error object the Graph API answers failures with.
type graphError struct {
	Error struct {
		Message     string `json:"message"`
		Type        string `json:"type"`
		Code        int    `json:"code"`
		IsTransient bool   `json:"is_transient"`
	} `json:"error"`
}

// Facebook identifies the holder of a Facebook Login credential. A Limited Login token
// (an OpenID Connect ID token, the only credential iOS apps get when the user declines
// tracking) is verified locally: RS256 signature by a key from Facebook's JWKS, issuer
// https://www.facebook.com or https://facebook.com, unexpired exp, a subject, and — when
// social.facebook_limited_login.app_id is set — that app as the sole audience. Anything
// else is taken as a Graph API access token and checked by asking the Graph API for
// /me?fields=id,name,email,picture.
//
// Nakama tries every token as a Limited Login token first and falls back to the Graph
// API on any failure; a JWT is never a valid Graph token, so choosing by shape reaches
// the same answers without the extra call. Nakama checks no Limited Login audience.
// Nakama fills a new account's display name and avatar URL from name and picture and
// imports the email.
func (c *Client) Facebook(ctx context.Context, token string) (Profile, error) {
	if looksLikeJWT(token) {
		return c.facebookLimitedLogin(ctx, token)
	}
	if token == "" {
		return Profile{}, fmt.Errorf("facebook: %w: empty access token", ErrInvalid)
	}
	q := url.Values{"access_token": {token}, "fields": {"id,name,email,picture"}}
	var p facebookProfile
	if err := c.graphGet(ctx, "facebook profile", "/me", q, &p); err != nil {
		return Profile{}, err
	}
	if p.ID == "" {
		return Profile{}, fmt.Errorf("facebook profile: %w: graph answered no id", ErrInvalid)
	}
	return Profile{ID: p.ID, Email: p.Email, Name: p.Name, AvatarURL: p.Picture.Data.URL}, nil
}

func (c *Client) facebookLimitedLogin(ctx context.Context, idToken string) (Profile, error) {
	var audiences []string
	if c.cfg.FacebookLimitedLogin.AppID != "" {
		audiences = []string{c.cfg.FacebookLimitedLogin.AppID}
	}
	claims, err := c.verifyIDToken(ctx, idToken, idTokenRules{
		provider:  "facebook limited login",
		keys:      c.facebookKeys,
		issuers:   facebookIssuers,
		audiences: audiences,
	})
	if err != nil {
		return Profile{}, err
	}
	return Profile{ID: claims.Subject, Email: claims.Email, Name: claims.Name, AvatarURL: claims.Picture}, nil
}

// FacebookFriends lists the Facebook IDs of the token holder's friends, following the
// Graph API's paging cursors. Since Graph API 2.0 these are only friends who also use the
// app, and the token needs the user_friends permission. Limited Login tokens cannot list
// friends; the Graph API refuses them (ErrInvalid). Nakama ignores friend-import
// failures during authentication.
func (c *Client) FacebookFriends(ctx context.Context, accessToken string) ([]string, error) {
	if accessToken == "" {
		return nil, fmt.Errorf("facebook friends: %w: empty access token", ErrInvalid)
	}
	var ids []string
	seen := map[string]bool{}
	after := ""
	for range graphMaxPages {
		q := url.Values{"access_token": {accessToken}}
		if after != "" {
			q.Set("after", after)
		}
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			Paging struct {
				Cursors struct {
					After string `json:"after"`
				} `json:"cursors"`
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := c.graphGet(ctx, "facebook friends", "/me/friends", q, &page); err != nil {
			return nil, err
		}
		for _, f := range page.Data {
			if f.ID != "" && !seen[f.ID] {
				seen[f.ID] = true
				ids = append(ids, f.ID)
			}
		}
		// No next link means the last page; a cursor that does not move would loop.
		next := page.Paging.Cursors.After
		if page.Paging.Next == "" || next == "" || next == after {
			return ids, nil
		}
		after = next
	}
	return nil, fmt.Errorf("facebook friends: %w: more than %d pages", ErrUnavailable, graphMaxPages)
}

// graphGet calls the Graph API and decodes a 200 answer into out. Refusals of the token
// are ErrInvalid; rate limits, transient errors and server failures are ErrUnavailable.
func (c *Client) graphGet(ctx context.Context, what, path string, q url.Values, out any) error {
	u := strings.TrimRight(c.cfg.Facebook.GraphURL, "/") + path + "?" + q.Encode()
	resp, err := c.get(ctx, c.http, what, u, graphMaxBody)
	if err != nil {
		return err
	}
	if resp.status != http.StatusOK {
		return graphFailure(what, resp)
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return fmt.Errorf("%s: %w: decoding graph answer: %w", what, ErrUnavailable, err)
	}
	return nil
}

// graphTransientCodes are Graph API error codes for throttling and temporary failure:
// the token may be fine, Facebook just did not say so.
var graphTransientCodes = []int{1, 2, 4, 17, 32, 341, 613}

func graphFailure(what string, resp response) error {
	var ge graphError
	_ = json.Unmarshal(resp.body, &ge) // best effort: the status decides when the body is not Graph's
	detail := fmt.Sprintf("status %d", resp.status)
	if ge.Error.Message != "" || ge.Error.Code != 0 {
		detail = fmt.Sprintf("status %d, %s code %d: %s", resp.status, ge.Error.Type, ge.Error.Code, ge.Error.Message)
	}
	switch {
	case ge.Error.IsTransient || slices.Contains(graphTransientCodes, ge.Error.Code):
		return fmt.Errorf("%s: %w: %s", what, ErrUnavailable, detail)
	case resp.status == http.StatusBadRequest || resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden:
		return fmt.Errorf("%s: %w: %s", what, ErrInvalid, detail)
	default:
		return fmt.Errorf("%s: %w: %s", what, ErrUnavailable, detail)
	}
}
