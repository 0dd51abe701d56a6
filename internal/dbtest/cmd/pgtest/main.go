// Command pgtest runs a command with one throwaway PostgreSQL cluster for it to share:
//
//	go run ./internal/dbtest/cmd/pgtest -- go test ./...
//
// It starts a private cluster (durability off) in a temporary directory, exports
// HEARTH_TEST_DATABASE_URL as the URL of that cluster's "postgres" database (package
// dbtest clones per-test databases on it), runs the command with our stdio, then stops
// and deletes the cluster and exits with the command's code. SIGINT and SIGTERM are
// passed on to the command; the cluster is removed even if pgtest itself is killed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/hearth-server/hearth/internal/dbtest"
	"github.com/hearth-server/hearth/internal/pgcluster"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: pgtest [--] command [args...]")
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(flag.Args()))
}

func run(args []string) int {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	// Take the signals from the start: one arriving while the cluster starts must not
	// kill us before we can stop it.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)

	dir, err := os.MkdirTemp("", "hearth-pgtest-")
	if err != nil {
		log.Error("pgtest: cluster directory", "err", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Fast: true, Ephemeral: true, Logger: log})
	cancel()
	if err != nil {
		os.RemoveAll(dir)
		log.Error("pgtest: start PostgreSQL", "err", err)
		return 1
	}
	defer func() {
		if err := c.Stop(context.Background()); err != nil {
			log.Error("pgtest: stop PostgreSQL", "err", err)
		}
	}()

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), dbtest.EnvURL+"="+c.URL("postgres"))
	if err := cmd.Start(); err != nil {
		log.Error("pgtest: run command", "err", err)
		return 127
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				_ = cmd.Process.Signal(sig)
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()) // the shell's convention
		}
		return exit.ExitCode()
	default:
		log.Error("pgtest: run command", "err", err)
		return 1
	}
}
