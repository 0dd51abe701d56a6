// Command plugin builds examples/gamemodule as a Go plugin Hearth loads from its runtime
// path, the way Nakama loads Go modules:
//
//	go build -buildmode=plugin -o data/modules/gamemodule.so ./examples/plugin
//
// A plugin must be built with the same Go version and the same versions of every package
// it shares with the server (nakama-common, protobuf, ...), so build it from a module that
// requires the Hearth version it will run in.
package main

import (
	"context"
	"database/sql"

	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/examples/gamemodule"
)

// InitModule is the symbol Hearth looks up in the plugin.
func InitModule(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, initializer runtime.Initializer) error {
	return gamemodule.InitModule(ctx, logger, db, nk, initializer)
}

// main is never run: a plugin's entry point is InitModule. It lets `go build ./...`
// link this package like any other.
func main() {}
