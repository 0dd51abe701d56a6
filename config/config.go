// Package config holds Hearth's settings. Keys use Nakama's names where Nakama has the
// setting (socket.server_key, session.token_expiry_sec, ...) so existing deployments'
// knowledge carries over. Values come from defaults, then an optional YAML file, then
// HEARTH_* environment variables, then command-line flags, each overriding the last.
package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hearth-server/hearth/social"
)

// Config is the whole server configuration.
type Config struct {
	Name        string            `yaml:"name" usage:"node name, reported in logs"`
	DataDir     string            `yaml:"data_dir" usage:"directory for the private database cluster and runtime files"`
	Logger      LoggerConfig      `yaml:"logger"`
	Database    DatabaseConfig    `yaml:"database"`
	Socket      SocketConfig      `yaml:"socket"`
	Session     SessionConfig     `yaml:"session"`
	Runtime     RuntimeConfig     `yaml:"runtime"`
	Security    SecurityConfig    `yaml:"security"`
	Social      social.Config     `yaml:"social"`
	Friends     FriendsConfig     `yaml:"friends"`
	Leaderboard LeaderboardConfig `yaml:"leaderboard"`
	Metrics     MetricsConfig     `yaml:"metrics"`
}

// LeaderboardConfig declares boards at start-up.
type LeaderboardConfig struct {
	DeclareFile string `yaml:"declare_file" usage:"YAML file of leaderboards and tournaments to create at start-up if missing (existing ones are left unchanged, as the runtime's LeaderboardCreate/TournamentCreate leave them)"`
}

// FriendsConfig limits the social graph.
type FriendsConfig struct {
	MaxCount int `yaml:"max_count" usage:"most friends, invites and blocks a user may hold; 0 means no limit (Nakama has none)"`
}

// LoggerConfig controls structured logging.
type LoggerConfig struct {
	Level  string `yaml:"level" usage:"debug, info, warn or error"`
	Format string `yaml:"format" usage:"json or text"`
}

// DatabaseConfig says where PostgreSQL is. With no address Hearth runs a private cluster
// under data_dir.
type DatabaseConfig struct {
	Address      string `yaml:"address" usage:"PostgreSQL URL (postgres://user:pass@host:port/db) or Nakama-style user:pass@host:port/db; empty runs a private cluster under data_dir"`
	MaxOpenConns int    `yaml:"max_open_conns" usage:"connection pool size"`
}

// SocketConfig is the client-facing listener.
type SocketConfig struct {
	Address             string `yaml:"address" usage:"interface to listen on; empty means all"`
	Port                int    `yaml:"port" usage:"port for the REST API and the realtime socket"`
	ServerKey           string `yaml:"server_key" usage:"key clients present (HTTP basic auth) to authenticate"`
	MaxRequestSizeBytes int64  `yaml:"max_request_size_bytes" usage:"largest REST request body accepted"`
	ReadTimeoutMs       int    `yaml:"read_timeout_ms" usage:"HTTP read timeout"`
	WriteTimeoutMs      int    `yaml:"write_timeout_ms" usage:"HTTP write timeout"`
	IdleTimeoutMs       int    `yaml:"idle_timeout_ms" usage:"HTTP keep-alive idle timeout"`
	// The realtime socket's health settings, with Nakama's names and defaults.
	MaxMessageSizeBytes int64 `yaml:"max_message_size_bytes" usage:"largest realtime socket message accepted"`
	PingPeriodMs        int   `yaml:"ping_period_ms" usage:"how often the server pings each realtime socket; must be below pong_wait_ms"`
	PongWaitMs          int   `yaml:"pong_wait_ms" usage:"how long a realtime socket may stay silent before it is closed"`
	WriteWaitMs         int   `yaml:"write_wait_ms" usage:"how long one write to a realtime socket may take"`
	OutgoingQueueSize   int   `yaml:"outgoing_queue_size" usage:"messages queued for one realtime socket before it is disconnected as too slow"`
}

// SessionConfig controls session and refresh tokens.
type SessionConfig struct {
	EncryptionKey         string `yaml:"encryption_key" usage:"HMAC key for session tokens"`
	TokenExpirySec        int64  `yaml:"token_expiry_sec" usage:"session token lifetime in seconds"`
	RefreshEncryptionKey  string `yaml:"refresh_encryption_key" usage:"HMAC key for refresh tokens"`
	RefreshTokenExpirySec int64  `yaml:"refresh_token_expiry_sec" usage:"refresh token lifetime in seconds"`
	SingleSession         bool   `yaml:"single_session" usage:"a new login ends the user's older sessions"`
	SingleSocket          bool   `yaml:"single_socket" usage:"a new realtime socket ends the user's older sockets"`
}

// RuntimeConfig holds server-runtime settings.
type RuntimeConfig struct {
	HTTPKey string   `yaml:"http_key" usage:"key for server-to-server RPC calls (http_key query parameter)"`
	Path    string   `yaml:"path" usage:"directory of Go plugin modules (*.so) and files modules read; empty means <data_dir>/modules"`
	Env     []string `yaml:"env" usage:"key=value pairs passed to runtime modules (repeat the flag, or separate with commas)"`
}

// MetricsConfig controls the Prometheus endpoint.
type MetricsConfig struct {
	PrometheusPort int `yaml:"prometheus_port" usage:"port serving Prometheus metrics at /metrics (its own listener, as in Nakama); 0 disables"`
}

// RuntimePath is the runtime directory: runtime.path, or <data_dir>/modules.
func (c Config) RuntimePath() string {
	if c.Runtime.Path != "" {
		return c.Runtime.Path
	}
	return filepath.Join(c.DataDir, "modules")
}

// RuntimeEnv is runtime.env as a map; a pair without "=" is a key with an empty value.
func (c Config) RuntimeEnv() map[string]string {
	out := make(map[string]string, len(c.Runtime.Env))
	for _, kv := range c.Runtime.Env {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

// SecurityConfig holds Hearth-only hardening settings.
type SecurityConfig struct {
	BcryptCost             int `yaml:"bcrypt_cost" usage:"bcrypt cost for account passwords (Nakama hashes at 13)"`
	LockoutAccountAttempts int `yaml:"lockout_account_attempts" usage:"failed password logins per account, within the lockout period, that lock the account out; 0 disables"`
	LockoutIPAttempts      int `yaml:"lockout_ip_attempts" usage:"failed password logins per client IP, within the lockout period, that lock the IP out; 0 disables"`
	LockoutPeriodSec       int `yaml:"lockout_period_sec" usage:"counting window and lockout length, in seconds"`
}

// Default returns the configuration Nakama ships with, where Nakama has the setting.
func Default() Config {
	return Config{
		Name:    "hearth",
		DataDir: "./data",
		Logger:  LoggerConfig{Level: "info", Format: "json"},
		Database: DatabaseConfig{
			MaxOpenConns: 32,
		},
		Socket: SocketConfig{
			Port:                7350,
			ServerKey:           "defaultkey",
			MaxRequestSizeBytes: 262144,
			ReadTimeoutMs:       10000,
			WriteTimeoutMs:      10000,
			IdleTimeoutMs:       60000,
			MaxMessageSizeBytes: 4096,
			PingPeriodMs:        15000,
			PongWaitMs:          25000,
			WriteWaitMs:         5000,
			OutgoingQueueSize:   64,
		},
		Session: SessionConfig{
			EncryptionKey:         "defaultencryptionkey",
			TokenExpirySec:        60,
			RefreshEncryptionKey:  "defaultrefreshencryptionkey",
			RefreshTokenExpirySec: 3600,
		},
		Runtime:  RuntimeConfig{HTTPKey: "defaulthttpkey"},
		Security: SecurityConfig{BcryptCost: 13, LockoutAccountAttempts: 5, LockoutIPAttempts: 10, LockoutPeriodSec: 600},
		Social:   social.DefaultConfig(),
	}
}

// Load builds the configuration from defaults, the YAML file named by --config (or
// HEARTH_CONFIG), HEARTH_* environment variables and the flags in args.
func Load(args []string, getenv func(string) string) (Config, error) {
	cfg := Default()
	fields := fieldsOf(&cfg)

	fs := flag.NewFlagSet("hearth", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	configPath := fs.String("config", getenv("HEARTH_CONFIG"), "YAML configuration file")
	set := map[string][]string{} // every value of a flag: list settings take repeats
	for _, f := range fields {
		key := f.key
		fs.Func(key, f.usage, func(v string) error {
			set[key] = append(set[key], v)
			return nil
		})
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}

	if *configPath != "" {
		raw, err := os.ReadFile(*configPath)
		if err != nil {
			return cfg, fmt.Errorf("read config file: %w", err)
		}
		if len(bytes.TrimSpace(raw)) > 0 { // an empty file means "no overrides"
			dec := yaml.NewDecoder(bytes.NewReader(raw))
			dec.KnownFields(true) // a misspelt key is an error, not a silently ignored setting
			if err := dec.Decode(&cfg); err != nil {
				return cfg, fmt.Errorf("config file %s: %w", *configPath, err)
			}
		}
	}
	for _, f := range fields {
		if v := getenv(f.envName()); v != "" {
			if err := f.set(v); err != nil {
				return cfg, fmt.Errorf("%s: %w", f.envName(), err)
			}
		}
	}
	for _, f := range fields {
		vs, ok := set[f.key]
		if !ok {
			continue
		}
		if f.value.Kind() == reflect.Slice {
			f.value.Set(reflect.Zero(f.value.Type())) // flags replace the file's and environment's list
		} else {
			vs = vs[len(vs)-1:] // a repeated single-valued flag: the last one wins
		}
		for _, v := range vs {
			if err := f.set(v); err != nil {
				return cfg, fmt.Errorf("--%s: %w", f.key, err)
			}
		}
	}
	return cfg, cfg.Validate()
}

// Validate rejects settings the server cannot run with.
func (c Config) Validate() error {
	var errs []error
	if c.Socket.Port < 0 || c.Socket.Port > 65535 {
		errs = append(errs, fmt.Errorf("socket.port %d out of range", c.Socket.Port))
	}
	if c.Socket.ServerKey == "" {
		errs = append(errs, errors.New("socket.server_key must not be empty"))
	}
	if c.Socket.MaxRequestSizeBytes <= 0 {
		errs = append(errs, errors.New("socket.max_request_size_bytes must be positive"))
	}
	if c.Socket.MaxMessageSizeBytes <= 0 || c.Socket.PingPeriodMs <= 0 || c.Socket.PongWaitMs <= 0 || c.Socket.WriteWaitMs <= 0 || c.Socket.OutgoingQueueSize <= 0 {
		errs = append(errs, errors.New("socket.max_message_size_bytes, ping_period_ms, pong_wait_ms, write_wait_ms and outgoing_queue_size must be positive"))
	}
	if c.Socket.PingPeriodMs >= c.Socket.PongWaitMs {
		errs = append(errs, errors.New("socket.ping_period_ms must be below socket.pong_wait_ms"))
	}
	if c.Session.EncryptionKey == "" || c.Session.RefreshEncryptionKey == "" {
		errs = append(errs, errors.New("session.encryption_key and session.refresh_encryption_key must not be empty"))
	}
	if c.Session.TokenExpirySec <= 0 || c.Session.RefreshTokenExpirySec <= 0 {
		errs = append(errs, errors.New("session token expiries must be positive"))
	}
	if c.Security.BcryptCost < 4 || c.Security.BcryptCost > 31 {
		errs = append(errs, fmt.Errorf("security.bcrypt_cost %d outside 4-31", c.Security.BcryptCost))
	}
	if c.Security.LockoutAccountAttempts < 0 || c.Security.LockoutIPAttempts < 0 || c.Security.LockoutPeriodSec < 0 {
		errs = append(errs, errors.New("security lockout settings must not be negative"))
	}
	if c.Friends.MaxCount < 0 {
		errs = append(errs, errors.New("friends.max_count must not be negative"))
	}
	if c.Metrics.PrometheusPort < 0 || c.Metrics.PrometheusPort > 65535 {
		errs = append(errs, fmt.Errorf("metrics.prometheus_port %d out of range", c.Metrics.PrometheusPort))
	}
	if c.Database.MaxOpenConns <= 0 {
		errs = append(errs, errors.New("database.max_open_conns must be positive"))
	}
	switch c.Logger.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("logger.level %q is not debug, info, warn or error", c.Logger.Level))
	}
	return errors.Join(errs...)
}

// Warnings lists settings left at their published, insecure defaults.
func (c Config) Warnings() []string {
	d := Default()
	var out []string
	if c.Socket.ServerKey == d.Socket.ServerKey {
		out = append(out, "socket.server_key is the default; anyone can create accounts with it")
	}
	if c.Session.EncryptionKey == d.Session.EncryptionKey {
		out = append(out, "session.encryption_key is the default; anyone can forge session tokens")
	}
	if c.Session.RefreshEncryptionKey == d.Session.RefreshEncryptionKey {
		out = append(out, "session.refresh_encryption_key is the default; anyone can forge refresh tokens")
	}
	if c.Runtime.HTTPKey == d.Runtime.HTTPKey {
		out = append(out, "runtime.http_key is the default; anyone can call server-to-server RPCs")
	}
	return out
}

// LogLevel is the slog level for logger.level.
func (c Config) LogLevel() slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(c.Logger.Level))
	return l
}

// field is one settable leaf of Config, addressed by its dotted key.
type field struct {
	key   string
	usage string
	value reflect.Value
}

func (f field) envName() string {
	return "HEARTH_" + strings.ToUpper(strings.ReplaceAll(f.key, ".", "_"))
}

func (f field) set(s string) error {
	switch f.value.Kind() {
	case reflect.String:
		f.value.SetString(s)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", s)
		}
		f.value.SetInt(n)
	case reflect.Slice:
		if f.value.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("unsupported setting type %s", f.value.Type())
		}
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				f.value.Set(reflect.Append(f.value, reflect.ValueOf(part)))
			}
		}
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%q is not true or false", s)
		}
		f.value.SetBool(b)
	default:
		return fmt.Errorf("unsupported setting type %s", f.value.Kind())
	}
	return nil
}

// fieldsOf walks the struct once so flags, environment variables and docs share one list.
func fieldsOf(cfg *Config) []field {
	var out []field
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			key := prefix + sf.Tag.Get("yaml")
			if sf.Type.Kind() == reflect.Struct {
				walk(key+".", v.Field(i))
				continue
			}
			out = append(out, field{key: key, usage: sf.Tag.Get("usage"), value: v.Field(i)})
		}
	}
	walk("", reflect.ValueOf(cfg).Elem())
	return out
}

// Keys lists every setting's dotted key with its usage, for documentation and --help.
func Keys() [][2]string {
	cfg := Default()
	var out [][2]string
	for _, f := range fieldsOf(&cfg) {
		out = append(out, [2]string{f.key, f.usage})
	}
	return out
}
