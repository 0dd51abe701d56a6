package nk

import (
	"errors"
	"strings"
	"testing"
)

func TestPluginOpenError(t *testing.T) {
	mismatch := errors.New(`plugin.Open("game"): plugin was built with a different version of package google.golang.org/protobuf/internal/impl`)
	err := pluginOpenError("modules/game.so", mismatch)
	if !strings.Contains(err.Error(), "built against different package versions than this server") || !errors.Is(err, mismatch) {
		t.Fatalf("version mismatch: %v", err)
	}
	other := errors.New("invalid ELF header")
	if err := pluginOpenError("modules/x.so", other); strings.Contains(err.Error(), "package versions") || !strings.Contains(err.Error(), "modules/x.so") {
		t.Fatalf("other failure: %v", err)
	}
}
