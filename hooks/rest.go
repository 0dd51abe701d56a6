package hooks

import (
	"context"

	nkapi "github.com/heroiclabs/nakama-common/api"

	"github.com/hearth-server/hearth/gen/api"
)

// REST is what the REST front door asks of the runtime.
type REST interface {
	// RPC runs a registered RPC function, as Realtime.RPC does.
	RPC(ctx context.Context, r Request, id, payload string) (string, error)
	// Event hands a client event to the registered event handlers. It never blocks:
	// delivery is asynchronous through a bounded queue.
	Event(ctx context.Context, r Request, evt *nkapi.Event)
	// Middleware wraps every strict-server operation with the before and after hooks
	// registered for it; request tells the hooks who is calling.
	Middleware(request func(ctx context.Context) Request) api.StrictMiddlewareFunc
}
