package realtime

// SetJoinAuthorizedHook makes fn run between each channel join's authorisation and its
// tracking. Call it before any socket connects.
func SetJoinAuthorizedHook(srv *Server, fn func()) { srv.joinAuthorized = fn }
