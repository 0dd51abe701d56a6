package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// rpcEcho calls the bench server's echo RPC the way nakama-js does: POST /v2/rpc/echo
// with a session, the payload JSON inside a JSON string, the answer {"payload": ...}.
func rpcEcho() Scenario {
	var tokens []string
	return Scenario{
		Name: "rpc-echo",
		Doc:  "POST /v2/rpc/echo with a session: a Go runtime RPC that returns its payload (needs bin/hearth-bench)",
		Ref:  Reference{TargetServerUsOp: 80},
		Setup: func(ctx context.Context, env *Env) error {
			tokens = make([]string, env.Accounts)
			if err := parallel(ctx, len(tokens), env.Workers, func(ctx context.Context, i int) error {
				res, err := env.Target.AuthDevice(ctx, fmt.Sprintf("bench-%s-rpc-%06d", env.RunID, i), true)
				tokens[i] = res.Token
				return err
			}); err != nil {
				return err
			}
			if err := env.Target.RPCEcho(ctx, tokens[0], `{"probe":true}`); err != nil {
				return fmt.Errorf("%w (rpc-echo needs a server with the echo RPC: bin/hearth-bench)", err)
			}
			return nil
		},
		Op: func(ctx context.Context, w *Worker) error {
			payload := fmt.Sprintf(`{"player":%d,"move":"e2e4","seq":%d}`, w.ID, w.Rand.IntN(1_000_000))
			return w.Target.RPCEcho(ctx, tokens[w.Rand.IntN(len(tokens))], payload)
		},
	}
}

// RPCEcho calls the echo RPC and checks that the payload comes back unchanged.
func (t *Target) RPCEcho(ctx context.Context, token, payload string) error {
	const op = "POST /v2/rpc/echo"
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.BaseURL+"/v2/rpc/echo", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if status != http.StatusOK {
		return &httpError{Op: op, Status: status, Body: snippet(rb)}
	}
	var res struct {
		Payload string `json:"payload"`
	}
	if err := json.Unmarshal(rb, &res); err != nil || res.Payload != payload {
		return &httpError{Op: op + " (payload not echoed)", Status: status, Body: snippet(rb)}
	}
	return nil
}
