// Command hearthbench is the server `make bench` measures: bin/hearth with one linked-in
// runtime module that registers an "echo" RPC and nothing else. With no hooks registered
// the runtime adds nothing to other operations, so every other scenario measures the same
// code as bin/hearth. With HEARTH_BENCH_PPROF set to a loopback address it also serves
// net/http/pprof there, to profile the server under a scenario's load.
package main

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	_ "net/http/pprof" // served only when HEARTH_BENCH_PPROF is set
	"os"

	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/server"
)

func main() {
	if addr := os.Getenv("HEARTH_BENCH_PPROF"); addr != "" {
		go func() { log.Println(http.ListenAndServe(addr, nil)) }()
	}
	server.Main(initModule)
}

func initModule(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, initializer runtime.Initializer) error {
	return initializer.RegisterRpc("echo", func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, payload string) (string, error) {
		return payload, nil
	})
}
