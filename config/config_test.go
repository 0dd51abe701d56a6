package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "hearth.yml")
	if err := os.WriteFile(file, []byte("socket:\n  port: 7000\n  server_key: from-file\nsession:\n  token_expiry_sec: 120\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load([]string{"--config", file, "--socket.port", "7100"}, env(map[string]string{
		"HEARTH_SOCKET_PORT": "7050", "HEARTH_SESSION_TOKEN_EXPIRY_SEC": "300", "HEARTH_SOCIAL_STEAM_APP_ID": "480",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Socket.Port != 7100 || cfg.Socket.ServerKey != "from-file" || cfg.Session.TokenExpirySec != 300 || cfg.Social.Steam.AppID != 480 {
		t.Fatalf("flags > env > file > defaults not respected: %+v", cfg)
	}
	if cfg.Session.RefreshTokenExpirySec != 3600 || cfg.Runtime.HTTPKey != "defaulthttpkey" || cfg.Socket.MaxRequestSizeBytes != 262144 {
		t.Fatalf("Nakama defaults lost: %+v", cfg)
	}
}

func TestLoadRefusals(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(bad, []byte("socket:\n  prot: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"misspelt key in file": {"--config", bad},
		"port not a number":    {"--socket.port", "abc"},
		"port out of range":    {"--socket.port", "70000"},
		"empty server key":     {"--socket.server_key", ""},
		"bcrypt cost too low":  {"--security.bcrypt_cost", "2"},
		"bad log level":        {"--logger.level", "loud"},
		"stray argument":       {"serve"},
	} {
		if _, err := Load(args, env(nil)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestWarningsForDefaults(t *testing.T) {
	if w := Default().Warnings(); len(w) != 4 {
		t.Fatalf("warnings = %v, want one per default secret", w)
	}
	cfg, err := Load([]string{"--socket.server_key", "k", "--session.encryption_key", "e", "--session.refresh_encryption_key", "r", "--runtime.http_key", "h"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if w := cfg.Warnings(); len(w) != 0 {
		t.Fatalf("warnings = %v", w)
	}
	for _, k := range Keys() {
		if k[1] == "" && !strings.HasPrefix(k[0], "social.") {
			t.Errorf("setting %s has no usage text", k[0])
		}
	}
}

func TestRuntimeSettings(t *testing.T) {
	cfg, err := Load([]string{"--runtime.env", "greeting=hi", "--runtime.env", "region=eu,flag", "--data_dir", "/srv/game"},
		env(map[string]string{"HEARTH_METRICS_PROMETHEUS_PORT": "9100"}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"greeting": "hi", "region": "eu", "flag": ""}
	if diff := cmp.Diff(want, cfg.RuntimeEnv()); diff != "" {
		t.Errorf("runtime env (-want +got):\n%s", diff)
	}
	if cfg.RuntimePath() != filepath.Join("/srv/game", "modules") || cfg.Metrics.PrometheusPort != 9100 {
		t.Errorf("runtime path %q, prometheus port %d", cfg.RuntimePath(), cfg.Metrics.PrometheusPort)
	}
	cfg, err = Load([]string{"--runtime.path", "/opt/modules"}, env(nil))
	if err != nil || cfg.RuntimePath() != "/opt/modules" {
		t.Errorf("runtime.path: %q %v", cfg.RuntimePath(), err)
	}
	if _, err := Load([]string{"--metrics.prometheus_port", "70000"}, env(nil)); err == nil {
		t.Error("an out-of-range metrics port should be refused")
	}
}
