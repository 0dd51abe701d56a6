// Command hearthbench is the server `make bench` measures: bin/hearth with one linked-in
// runtime module that registers an "echo" RPC and nothing else. With no hooks registered
// the runtime adds nothing to other operations, so every other scenario measures the same
// code as bin/hearth.
package main

import (
	"context"
	"database/sql"

	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/server"
)

func main() {
	server.Main(initModule)
}

func initModule(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, initializer runtime.Initializer) error {
	return initializer.RegisterRpc("echo", func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, payload string) (string, error) {
		return payload, nil
	})
}
