package nk

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/heroiclabs/nakama-common/runtime"
)

// ReadFile opens a file under the runtime path (runtime.path), read-only. Paths that
// would leave the runtime directory are refused.
func (m *Module) ReadFile(relPath string) (*os.File, error) {
	if relPath == "" {
		return nil, errors.New("expects a relative file path")
	}
	if m.path == "" {
		return nil, errors.New("no runtime path is configured")
	}
	clean := filepath.Clean(relPath)
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return nil, errors.New("file path must be relative to the runtime path")
	}
	root, err := os.OpenRoot(m.path)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.Open(clean)
}

// GetSatori returns nil: Hearth has no Satori integration.
func (m *Module) GetSatori() runtime.Satori { return nil }

// GetFleetManager returns nil: Hearth has no fleet manager.
func (m *Module) GetFleetManager() runtime.FleetManager { return nil }
