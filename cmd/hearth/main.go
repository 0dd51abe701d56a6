// Command hearth runs the Hearth game server: the Nakama API v2 over REST, backed by
// PostgreSQL (a private cluster under data_dir unless database.address is set), loading
// Go plugin modules from the runtime path.
//
//	hearth [run] [flags]                 start the server
//	hearth migrate up|down|status [flags] manage the schema
//
// A game that links its modules in statically writes the same three lines, passing its
// InitModule functions to server.Main.
package main

import "github.com/hearth-server/hearth/server"

func main() {
	server.Main()
}
