package social

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Steam Web API limits.
const (
	steamMaxBody      = 1 << 20
	steamMaxTicketLen = 8 << 10 // hex of a session ticket is well under 2 KB
)

// Steam verifies a Steam session ticket with the partner Web API's
// ISteamUserAuth/AuthenticateUserTicket, using social.steam.publisher_key and
// social.steam.app_id, and returns the Steam ID it belongs to. The ticket is the hex
// encoding of what GetAuthSessionTicket produced; anything else is ErrInvalid without a
// call. Steam's refusal of the ticket is ErrInvalid; a refused publisher key, throttling
// or a failing Steam is ErrUnavailable.
//
// Without a publisher key or app ID it answers ErrNotConfigured, as Nakama refuses Steam
// authentication then. Nakama records only the Steam ID, and with sync set imports
// friends (SteamFriends).
func (c *Client) Steam(ctx context.Context, ticket string) (Profile, error) {
	cfg := c.cfg.Steam
	if cfg.PublisherKey == "" || cfg.AppID == 0 {
		return Profile{}, fmt.Errorf("steam: %w: social.steam.publisher_key and social.steam.app_id must both be set", ErrNotConfigured)
	}
	if ticket == "" || len(ticket) > steamMaxTicketLen || !isHex(ticket) {
		return Profile{}, fmt.Errorf("steam: %w: ticket is not a hex string of at most %d characters", ErrInvalid, steamMaxTicketLen)
	}
	q := url.Values{
		"format": {"json"},
		"key":    {cfg.PublisherKey},
		"appid":  {strconv.Itoa(cfg.AppID)},
		"ticket": {ticket},
	}
	var body struct {
		Response struct {
			Params *struct {
				Result  string `json:"result"`
				SteamID string `json:"steamid"`
			} `json:"params"`
			Error *struct {
				Code int    `json:"errorcode"`
				Desc string `json:"errordesc"`
			} `json:"error"`
		} `json:"response"`
	}
	const what = "steam authenticate ticket"
	err := c.steamGet(ctx, what, "/ISteamUserAuth/AuthenticateUserTicket/v1/", q, &body)
	if errors.Is(err, errSteamUnauthorized) {
		// Tickets are judged in the body; a 401 is about the publisher key.
		return Profile{}, fmt.Errorf("%s: %w: status 401, publisher key refused", what, ErrUnavailable)
	}
	if err != nil {
		return Profile{}, err
	}
	if e := body.Response.Error; e != nil {
		// Steam's error codes here are about the ticket (invalid, expired, for another
		// app); Nakama refuses on any of them too.
		return Profile{}, fmt.Errorf("%s: %w: error %d: %s", what, ErrInvalid, e.Code, e.Desc)
	}
	p := body.Response.Params
	if p == nil {
		return Profile{}, fmt.Errorf("%s: %w: answer has neither params nor error", what, ErrUnavailable)
	}
	if p.Result != "" && p.Result != "OK" {
		return Profile{}, fmt.Errorf("%s: %w: result %q", what, ErrInvalid, p.Result)
	}
	if !isSteamID(p.SteamID) {
		return Profile{}, fmt.Errorf("%s: %w: steam id %q", what, ErrUnavailable, p.SteamID)
	}
	return Profile{ID: p.SteamID}, nil
}

// SteamFriends lists the Steam IDs of steamID's friends with the partner Web API's
// ISteamUser/GetFriendList, using social.steam.publisher_key. A private friends list
// (Steam answers 401) is an empty list, not an error, as Nakama treats it.
func (c *Client) SteamFriends(ctx context.Context, steamID string) ([]string, error) {
	if c.cfg.Steam.PublisherKey == "" {
		return nil, fmt.Errorf("steam friends: %w: social.steam.publisher_key is empty", ErrNotConfigured)
	}
	if !isSteamID(steamID) {
		return nil, fmt.Errorf("steam friends: %w: steam id %q", ErrInvalid, steamID)
	}
	q := url.Values{
		"key":          {c.cfg.Steam.PublisherKey},
		"steamid":      {steamID},
		"relationship": {"friend"},
	}
	var body struct {
		FriendsList struct {
			Friends []struct {
				SteamID string `json:"steamid"`
			} `json:"friends"`
		} `json:"friendslist"`
	}
	err := c.steamGet(ctx, "steam friends", "/ISteamUser/GetFriendList/v1/", q, &body)
	if errors.Is(err, errSteamUnauthorized) {
		return []string{}, nil
	}
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(body.FriendsList.Friends))
	for _, f := range body.FriendsList.Friends {
		if isSteamID(f.SteamID) {
			ids = append(ids, f.SteamID)
		}
	}
	return ids, nil
}

// errSteamUnauthorized is steamGet's answer to a 401, which GetFriendList gives for a
// private profile; each caller turns it into its own answer, so it never leaves the
// package.
var errSteamUnauthorized = errors.New("steam: status 401")

// steamGet calls the Steam Web API and decodes a 200 answer into out.
func (c *Client) steamGet(ctx context.Context, what, path string, q url.Values, out any) error {
	u := strings.TrimRight(c.cfg.Steam.APIURL, "/") + path + "?" + q.Encode()
	resp, err := c.get(ctx, c.http, what, u, steamMaxBody)
	if err != nil {
		return err
	}
	switch {
	case resp.status == http.StatusOK:
	case resp.status == http.StatusUnauthorized:
		return errSteamUnauthorized
	case resp.status == http.StatusBadRequest:
		// Steam's answer to a parameter it cannot use: the ticket or ID we passed on.
		return fmt.Errorf("%s: %w: status 400: %s", what, ErrInvalid, snippet(resp.body))
	default:
		// 403 is a refused publisher key: the server's configuration, not the client's.
		return fmt.Errorf("%s: %w: status %d: %s", what, ErrUnavailable, resp.status, snippet(resp.body))
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return fmt.Errorf("%s: %w: decoding: %w", what, ErrUnavailable, err)
	}
	return nil
}

// isHex reports whether s is non-empty hexadecimal.
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case '0' <= ch && ch <= '9', 'a' <= ch && ch <= 'f', 'A' <= ch && ch <= 'F':
		default:
			return false
		}
	}
	return s != ""
}

// isSteamID reports whether s is a 64-bit Steam ID in decimal.
func isSteamID(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n != 0
}
