package nk

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"unicode"

	nkapi "github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
	"github.com/hearth-server/hearth/hooks"
)

// REST before and after hooks run around the strict server's handlers (Middleware).
// Hooks see nakama-common's api types; the strict server works on gen/api types, so a
// hooked request is converted through JSON both ways. Operations with no hook pay one map
// lookup and nothing else.

// beforeHook is one registered REST before hook. newIn is nil for operations whose hook
// takes no input (GetAccount, DeleteAccount, ...).
type beforeHook struct {
	newIn func() proto.Message
	run   func(ctx context.Context, l runtime.Logger, in proto.Message) (proto.Message, error)
}

// afterHook is one registered REST after hook; newIn/newOut are nil when the hook does
// not take the request/response.
type afterHook struct {
	newIn, newOut func() proto.Message
	run           func(ctx context.Context, l runtime.Logger, out, in proto.Message) error
}

// errRequestDisabled answers a request whose before hook returned nil without an error:
// the module disabled the operation, and Nakama then answers as if it did not exist.
var errRequestDisabled = core.Errorf(core.CodeNotFound, "Requested resource was not found.")

func newOf[T proto.Message]() func() proto.Message {
	var zero T
	mt := zero.ProtoReflect().Type()
	return func() proto.Message { return mt.New().Interface() }
}

func registerBefore[T proto.Message](r *Runtime, op string, fn func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, T) (T, error)) error {
	r.before[op] = &beforeHook{newIn: newOf[T](), run: func(ctx context.Context, l runtime.Logger, in proto.Message) (proto.Message, error) {
		out, err := fn(ctx, l, r.db, r.nk, in.(T))
		if err != nil {
			return nil, err
		}
		if !out.ProtoReflect().IsValid() {
			return nil, nil
		}
		return out, nil
	}}
	return nil
}

func registerBeforeNoInput(r *Runtime, op string, fn func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule) error) error {
	r.before[op] = &beforeHook{run: func(ctx context.Context, l runtime.Logger, _ proto.Message) (proto.Message, error) {
		return nil, fn(ctx, l, r.db, r.nk)
	}}
	return nil
}

func registerAfterNone(r *Runtime, op string, fn func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule) error) error {
	r.after[op] = &afterHook{run: func(ctx context.Context, l runtime.Logger, _, _ proto.Message) error {
		return fn(ctx, l, r.db, r.nk)
	}}
	return nil
}

func registerAfterIn[I proto.Message](r *Runtime, op string, fn func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, I) error) error {
	r.after[op] = &afterHook{newIn: newOf[I](), run: func(ctx context.Context, l runtime.Logger, _, in proto.Message) error {
		return fn(ctx, l, r.db, r.nk, in.(I))
	}}
	return nil
}

func registerAfterOut[O proto.Message](r *Runtime, op string, fn func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, O) error) error {
	r.after[op] = &afterHook{newOut: newOf[O](), run: func(ctx context.Context, l runtime.Logger, out, _ proto.Message) error {
		return fn(ctx, l, r.db, r.nk, out.(O))
	}}
	return nil
}

func registerAfterOutIn[O, I proto.Message](r *Runtime, op string, fn func(context.Context, runtime.Logger, *sql.DB, runtime.NakamaModule, O, I) error) error {
	r.after[op] = &afterHook{newOut: newOf[O](), newIn: newOf[I](), run: func(ctx context.Context, l runtime.Logger, out, in proto.Message) error {
		return fn(ctx, l, r.db, r.nk, out.(O), in.(I))
	}}
	return nil
}

// hookName maps a strict-server operation id (NakamaListStorageObjects2) to the name
// hooks are registered under (liststorageobjects): operations that exist twice in the
// spec, under two paths or verbs, share one hook as in Nakama.
func hookName(operationID string) string {
	name := strings.TrimPrefix(operationID, "Nakama")
	name = strings.TrimSuffix(name, "2")
	return strings.ToLower(name)
}

// Middleware wraps each strict-server operation with its registered hooks.
func (r *Runtime) Middleware(caller func(ctx context.Context) hooks.Request) api.StrictMiddlewareFunc {
	return func(f api.StrictHandlerFunc, operationID string) api.StrictHandlerFunc {
		if len(r.before) == 0 && len(r.after) == 0 {
			return f
		}
		op := hookName(operationID)
		before, after := r.before[op], r.after[op]
		if before == nil && after == nil {
			return f
		}
		return func(ctx context.Context, w http.ResponseWriter, hr *http.Request, request any) (any, error) {
			who := caller(ctx)
			var in proto.Message
			if before != nil {
				var err error
				if request, in, err = r.runBefore(ctx, who, op, before, request); err != nil {
					return nil, err
				}
			}
			resp, err := f(ctx, w, hr, request)
			if err != nil || after == nil {
				return resp, err
			}
			r.runAfter(ctx, who, op, after, request, in, resp)
			return resp, nil
		}
	}
}

func (r *Runtime) runBefore(ctx context.Context, who hooks.Request, op string, h *beforeHook, request any) (any, proto.Message, error) {
	var in proto.Message
	if h.newIn != nil {
		in = h.newIn()
		if err := requestToProto(request, in); err != nil {
			return nil, nil, core.Internal("Internal server error.", fmt.Errorf("before hook %s: convert request: %w", op, err))
		}
	}
	mctx := r.moduleContext(ctx, modeBefore, &who)
	l := r.rtlog.WithFields(map[string]any{"api_id": op, "mode": modeBefore})
	var out proto.Message
	var err error
	if r.safely("before "+op, func() { out, err = h.run(mctx, l, in) }) {
		return nil, nil, core.Errorf(core.CodeInternal, "Internal server error.")
	}
	if err != nil {
		return nil, nil, moduleError(err)
	}
	if h.newIn == nil {
		return request, nil, nil
	}
	if out == nil {
		r.log.Warn("intercepted a disabled resource", slog.String("operation", op))
		return nil, nil, errRequestDisabled
	}
	changed, err := requestFromProto(out, request)
	if err != nil {
		return nil, nil, core.Internal("Internal server error.", fmt.Errorf("before hook %s: convert request back: %w", op, err))
	}
	return changed, out, nil
}

// runAfter runs an after hook. The response has been decided; a failing hook is logged.
func (r *Runtime) runAfter(ctx context.Context, who hooks.Request, op string, h *afterHook, request any, in, resp any) {
	var inMsg, outMsg proto.Message
	if h.newIn != nil {
		if m, ok := in.(proto.Message); ok && m != nil {
			inMsg = m
		} else {
			inMsg = h.newIn()
			if err := requestToProto(request, inMsg); err != nil {
				r.log.Error("after hook: convert request", slog.String("operation", op), slog.Any("error", err))
				return
			}
		}
	}
	if h.newOut != nil {
		outMsg = h.newOut()
		raw, err := json.Marshal(resp)
		if err == nil {
			err = protojson.UnmarshalOptions{DiscardUnknown: true}.Unmarshal(raw, outMsg)
		}
		if err != nil {
			r.log.Error("after hook: convert response", slog.String("operation", op), slog.Any("error", err))
			return
		}
	}
	if s, ok := outMsg.(*nkapi.Session); ok && who.UserID == "" && r.nk.core != nil {
		// Authenticate and refresh calls have no session on the way in; their after
		// hooks see the user the call logged in, as in Nakama.
		if c, err := r.nk.core.SessionVerify(s.Token); err == nil {
			who.UserID, who.Username, who.Vars, who.Expiry = c.UserID.String(), c.Username, c.Vars, c.ExpiresAt
		}
	}
	mctx := r.moduleContext(ctx, modeAfter, &who)
	l := r.rtlog.WithFields(map[string]any{"api_id": op, "mode": modeAfter})
	var err error
	r.safely("after "+op, func() { err = h.run(mctx, l, outMsg, inMsg) })
	if err != nil {
		r.log.Warn("after hook failed", slog.String("operation", op), slog.Any("error", err))
	}
}

// nestedBodyField names the message field an operation's body fills when the body is
// not the whole message: authenticate and import calls put it in "account" (with
// create/username/sync/reset from the query), record writes in "record". It is decided
// by types alone, so both directions of the conversion agree.
func nestedBodyField(md protoreflect.MessageDescriptor, bodyType reflect.Type) string {
	for bodyType.Kind() == reflect.Pointer {
		bodyType = bodyType.Elem()
	}
	if bodyType.Kind() != reflect.Struct {
		return ""
	}
	for _, name := range []protoreflect.Name{"account", "record"} {
		fd := md.Fields().ByName(name)
		if fd == nil || fd.Kind() != protoreflect.MessageKind {
			continue
		}
		if !hasJSONField(bodyType, string(name)) {
			return string(name)
		}
	}
	return ""
}

func hasJSONField(t reflect.Type, name string) bool {
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if tag == name {
			return true
		}
	}
	return false
}

// requestToProto fills msg from a strict-server request object: path parameters, query
// parameters (Params) and the body, merged into one JSON object in proto field names.
func requestToProto(request any, msg proto.Message) error {
	v := reflect.ValueOf(request)
	if v.Kind() != reflect.Struct {
		return fmt.Errorf("request %T is not a struct", request)
	}
	obj := map[string]json.RawMessage{}
	var body map[string]json.RawMessage
	var bodyType reflect.Type
	for i := 0; i < v.NumField(); i++ {
		f, fv := v.Type().Field(i), v.Field(i)
		switch f.Name {
		case "Body":
			if fv.IsNil() {
				continue
			}
			bodyType = f.Type
			raw, err := json.Marshal(fv.Interface())
			if err != nil {
				return err
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				body = nil // a non-object body (the RPC string) has no fields to map
			}
		case "Params":
			raw, err := json.Marshal(fv.Interface())
			if err != nil {
				return err
			}
			if err := json.Unmarshal(raw, &obj); err != nil {
				return err
			}
		default:
			raw, err := json.Marshal(fv.Interface())
			if err != nil {
				return err
			}
			obj[snakeCase(f.Name)] = raw
		}
	}
	if body != nil {
		if field := nestedBodyField(msg.ProtoReflect().Descriptor(), bodyType); field != "" {
			raw, err := json.Marshal(body)
			if err != nil {
				return err
			}
			obj[field] = raw
		} else {
			for k, val := range body {
				obj[k] = val
			}
		}
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	return protojson.UnmarshalOptions{DiscardUnknown: true}.Unmarshal(raw, msg)
}

// requestFromProto builds a request object of request's type from a (possibly changed)
// message: the inverse of requestToProto.
func requestFromProto(msg proto.Message, request any) (any, error) {
	raw, err := protojson.MarshalOptions{UseProtoNames: true, UseEnumNumbers: true}.Marshal(msg)
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	orig := reflect.ValueOf(request)
	out := reflect.New(orig.Type()).Elem()
	out.Set(orig)
	for i := 0; i < out.NumField(); i++ {
		f, fv := out.Type().Field(i), out.Field(i)
		switch f.Name {
		case "Body":
			if f.Type.Kind() != reflect.Pointer || f.Type.Elem().Kind() != reflect.Struct {
				continue // the RPC string body: nothing a hook message describes
			}
			src := raw
			if field := nestedBodyField(msg.ProtoReflect().Descriptor(), f.Type); field != "" {
				src = obj[field]
				if src == nil {
					src = []byte("{}")
				}
			}
			body := reflect.New(f.Type.Elem())
			if err := json.Unmarshal(src, body.Interface()); err != nil {
				return nil, fmt.Errorf("body: %w", err)
			}
			fv.Set(body)
		case "Params":
			params := reflect.New(f.Type)
			if err := json.Unmarshal(raw, params.Interface()); err != nil {
				return nil, fmt.Errorf("params: %w", err)
			}
			fv.Set(params.Elem())
		default:
			if val, ok := obj[snakeCase(f.Name)]; ok {
				target := reflect.New(f.Type)
				if err := json.Unmarshal(val, target.Interface()); err != nil {
					return nil, fmt.Errorf("%s: %w", f.Name, err)
				}
				fv.Set(target.Elem())
			}
		}
	}
	return out.Interface(), nil
}

// snakeCase turns a Go field name (GroupId) into its proto name (group_id).
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
