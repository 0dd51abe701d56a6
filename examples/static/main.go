// Command static is Hearth with examples/gamemodule linked in: no plugin, one binary.
// A game's own main looks exactly like this, with its modules' InitModule functions.
package main

import (
	"github.com/hearth-server/hearth/examples/gamemodule"
	"github.com/hearth-server/hearth/server"
)

func main() {
	server.Main(gamemodule.InitModule)
}
