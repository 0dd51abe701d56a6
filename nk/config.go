package nk

import "github.com/heroiclabs/nakama-common/runtime"

// ConfigValues is the read-only view of the server configuration modules get from
// Initializer.GetConfig. Settings Hearth does not have (IAP, Satori, ...) read as empty.
type ConfigValues struct {
	Name                  string
	ShutdownGraceSec      int
	LogLevel              string
	EncryptionKey         string
	TokenExpirySec        int64
	RefreshEncryptionKey  string
	RefreshTokenExpirySec int64
	SingleSession         bool
	ServerKey             string
	Port                  int
	Address               string
	Env                   []string
	HTTPKey               string
}

var _ runtime.Config = (*ConfigValues)(nil)

func (c *ConfigValues) GetName() string                         { return c.Name }
func (c *ConfigValues) GetShutdownGraceSec() int                { return c.ShutdownGraceSec }
func (c *ConfigValues) GetLogger() runtime.LoggerConfig         { return loggerConfig{c} }
func (c *ConfigValues) GetSession() runtime.SessionConfig       { return sessionConfig{c} }
func (c *ConfigValues) GetSocket() runtime.SocketConfig         { return socketConfig{c} }
func (c *ConfigValues) GetSocial() runtime.SocialConfig         { return emptyConfig{} }
func (c *ConfigValues) GetRuntime() runtime.RuntimeConfig       { return runtimeConfig{c} }
func (c *ConfigValues) GetIAP() runtime.IAPConfig               { return emptyIAP{} }
func (c *ConfigValues) GetGoogleAuth() runtime.GoogleAuthConfig { return emptyConfig{} }
func (c *ConfigValues) GetSatori() runtime.SatoriConfig         { return emptyConfig{} }

type loggerConfig struct{ c *ConfigValues }

func (l loggerConfig) GetLevel() string { return l.c.LogLevel }

type sessionConfig struct{ c *ConfigValues }

func (s sessionConfig) GetEncryptionKey() string        { return s.c.EncryptionKey }
func (s sessionConfig) GetTokenExpirySec() int64        { return s.c.TokenExpirySec }
func (s sessionConfig) GetRefreshEncryptionKey() string { return s.c.RefreshEncryptionKey }
func (s sessionConfig) GetRefreshTokenExpirySec() int64 { return s.c.RefreshTokenExpirySec }
func (s sessionConfig) GetSingleSocket() bool           { return false }
func (s sessionConfig) GetSingleMatch() bool            { return false }
func (s sessionConfig) GetSingleParty() bool            { return false }
func (s sessionConfig) GetSingleSession() bool          { return s.c.SingleSession }

type socketConfig struct{ c *ConfigValues }

func (s socketConfig) GetServerKey() string { return s.c.ServerKey }
func (s socketConfig) GetPort() int         { return s.c.Port }
func (s socketConfig) GetAddress() string   { return s.c.Address }
func (s socketConfig) GetProtocol() string  { return "tcp" }

type runtimeConfig struct{ c *ConfigValues }

func (r runtimeConfig) GetEnv() []string   { return append([]string(nil), r.c.Env...) }
func (r runtimeConfig) GetHTTPKey() string { return r.c.HTTPKey }

// emptyConfig answers every setting Hearth does not have with its zero value.
type emptyConfig struct{}

func (emptyConfig) GetSteam() runtime.SocialConfigSteam { return emptyConfig{} }
func (emptyConfig) GetFacebookInstantGame() runtime.SocialConfigFacebookInstantGame {
	return emptyConfig{}
}
func (emptyConfig) GetFacebookLimitedLogin() runtime.SocialConfigFacebookLimitedLogin {
	return emptyConfig{}
}
func (emptyConfig) GetApple() runtime.SocialConfigApple { return emptyConfig{} }
func (emptyConfig) GetPublisherKey() string             { return "" }
func (emptyConfig) GetAppID() int                       { return 0 }
func (emptyConfig) GetAppSecret() string                { return "" }
func (emptyConfig) GetAppId() string                    { return "" }
func (emptyConfig) GetBundleId() string                 { return "" }
func (emptyConfig) GetCredentialsJSON() string          { return "" }
func (emptyConfig) GetUrl() string                      { return "" }
func (emptyConfig) GetApiKeyName() string               { return "" }
func (emptyConfig) GetApiKey() string                   { return "" }
func (emptyConfig) GetSigningKey() string               { return "" }

// emptyIAP answers the IAP settings, which have their own GetApple.
type emptyIAP struct{}

func (emptyIAP) GetApple() runtime.IAPAppleConfig                     { return emptyIAPStore{} }
func (emptyIAP) GetGoogle() runtime.IAPGoogleConfig                   { return emptyIAPStore{} }
func (emptyIAP) GetHuawei() runtime.IAPHuaweiConfig                   { return emptyIAPStore{} }
func (emptyIAP) GetFacebookInstant() runtime.IAPFacebookInstantConfig { return emptyIAPStore{} }
func (emptyIAP) GetSamsung() runtime.IAPSamsungConfig                 { return emptyIAPStore{} }

type emptyIAPStore struct{}

func (emptyIAPStore) GetSharedPassword() string          { return "" }
func (emptyIAPStore) GetNotificationsEndpointId() string { return "" }
func (emptyIAPStore) GetClientEmail() string             { return "" }
func (emptyIAPStore) GetPrivateKey() string              { return "" }
func (emptyIAPStore) GetPublicKey() string               { return "" }
func (emptyIAPStore) GetClientID() string                { return "" }
func (emptyIAPStore) GetClientSecret() string            { return "" }
func (emptyIAPStore) GetAppSecret() string               { return "" }
func (emptyIAPStore) GetPackageName() string             { return "" }
