package nk

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	nkapi "github.com/heroiclabs/nakama-common/api"
	"google.golang.org/protobuf/proto"

	"github.com/hearth-server/hearth/gen/api"
)

func ptr[T any](v T) *T { return &v }

// roundTripCases are strict-server requests and the nakama-common message each becomes.
var roundTripCases = []struct {
	name    string
	request any
	msg     proto.Message
}{
	{"authenticate: body nests in account, query beside it", api.NakamaAuthenticateCustomRequestObject{
		Params: api.NakamaAuthenticateCustomParams{Create: ptr(true), Username: ptr("alice")},
		Body:   &api.ApiAccountCustom{Id: ptr("custom-id-1"), Vars: &map[string]string{"k": "v"}},
	}, &nkapi.AuthenticateCustomRequest{}},
	{"path parameter and body", api.NakamaUpdateGroupRequestObject{
		GroupId: "0f0e0d0c-0000-4000-8000-000000000001",
		Body:    &api.NakamaUpdateGroupJSONRequestBody{Description: ptr("new"), Open: ptr(true)},
	}, &nkapi.UpdateGroupRequest{}},
	{"query only", api.NakamaListFriendsRequestObject{
		Params: api.NakamaListFriendsParams{Limit: ptr(int32(10)), State: ptr(int32(0)), Cursor: ptr("c")},
	}, &nkapi.ListFriendsRequest{}},
	{"body that is the whole message", api.NakamaLinkSteamRequestObject{
		Body: &api.ApiLinkSteamRequest{Account: &api.ApiAccountSteam{Token: ptr("t")}, Sync: ptr(true)},
	}, &nkapi.LinkSteamRequest{}},
	{"lists in the body", api.NakamaWriteStorageObjectsRequestObject{
		Body: &api.ApiWriteStorageObjectsRequest{Objects: &[]api.ApiWriteStorageObject{
			{Collection: ptr("c"), Key: ptr("k"), Value: ptr(`{"a":1}`), PermissionRead: ptr(int32(2))},
		}},
	}, &nkapi.WriteStorageObjectsRequest{}},
}

func TestRequestRoundTrip(t *testing.T) {
	for _, tc := range roundTripCases {
		t.Run(tc.name, func(t *testing.T) {
			msg := proto.Clone(tc.msg)
			if err := requestToProto(tc.request, msg); err != nil {
				t.Fatal(err)
			}
			back, err := requestFromProto(msg, tc.request)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.request, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s\nvia %v", diff, msg)
			}
		})
	}
	// The message carries what the hook needs in nakama-common's shape.
	msg := &nkapi.AuthenticateCustomRequest{}
	if err := requestToProto(roundTripCases[0].request, msg); err != nil {
		t.Fatal(err)
	}
	if msg.Account.GetId() != "custom-id-1" || msg.Account.Vars["k"] != "v" || !msg.Create.GetValue() || msg.Username != "alice" {
		t.Fatalf("message: %v", msg)
	}
}

// BenchmarkRequestRoundTrip measures what a REST before hook adds besides the hook itself:
// one request converted to the nakama-common message and back.
func BenchmarkRequestRoundTrip(b *testing.B) {
	for _, tc := range roundTripCases[:2] {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				msg := tc.msg.ProtoReflect().New().Interface()
				if err := requestToProto(tc.request, msg); err != nil {
					b.Fatal(err)
				}
				if _, err := requestFromProto(msg, tc.request); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
