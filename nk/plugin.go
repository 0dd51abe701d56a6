package nk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"plugin"
	"sort"
	"strings"

	"github.com/heroiclabs/nakama-common/runtime"
)

// pluginPaths lists the Go plugins (*.so) directly under dir, in name order so loading
// is repeatable. A missing directory means no plugins.
func pluginPaths(dir string) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("runtime path %s: %w", dir, err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".so") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// openPlugin opens a Go plugin and finds its InitModule.
func openPlugin(path string) (InitModule, error) {
	p, err := plugin.Open(path)
	if err != nil {
		return nil, pluginOpenError(path, err)
	}
	sym, err := p.Lookup("InitModule")
	if err != nil {
		return nil, fmt.Errorf("runtime plugin %s has no InitModule function: %w", path, err)
	}
	switch fn := sym.(type) {
	case func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, runtime.Initializer) error:
		return fn, nil
	case *func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, runtime.Initializer) error:
		return *fn, nil
	}
	return nil, fmt.Errorf("runtime plugin %s: InitModule has type %T, want func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, runtime.Initializer) error", path, sym)
}

// pluginOpenError explains a plugin that failed to open. Go refuses a plugin whose shared
// packages differ from the server's ("plugin was built with a different version of
// package ..."); the usual cause is building it from another module or Go version.
func pluginOpenError(path string, err error) error {
	if strings.Contains(err.Error(), "different version of package") {
		return fmt.Errorf("runtime plugin %s was built against different package versions than this server "+
			"(build it with the same Go version and the same versions of nakama-common and every shared "+
			"dependency as Hearth, -buildmode=plugin, from a module that requires github.com/hearth-server/hearth): %w", path, err)
	}
	return fmt.Errorf("runtime plugin %s: %w", path, err)
}
