package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// In-app purchases and subscriptions. These operations answer 501 with code 12 until the area lands,
// so a client gets a clear refusal instead of a wrong answer (README.md lists them).

// NakamaValidatePurchaseApple is not built yet.
func (s *Server) NakamaValidatePurchaseApple(context.Context, api.NakamaValidatePurchaseAppleRequestObject) (api.NakamaValidatePurchaseAppleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaValidatePurchaseFacebookInstant is not built yet.
func (s *Server) NakamaValidatePurchaseFacebookInstant(context.Context, api.NakamaValidatePurchaseFacebookInstantRequestObject) (api.NakamaValidatePurchaseFacebookInstantResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaValidatePurchaseGoogle is not built yet.
func (s *Server) NakamaValidatePurchaseGoogle(context.Context, api.NakamaValidatePurchaseGoogleRequestObject) (api.NakamaValidatePurchaseGoogleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaValidatePurchaseHuawei is not built yet.
func (s *Server) NakamaValidatePurchaseHuawei(context.Context, api.NakamaValidatePurchaseHuaweiRequestObject) (api.NakamaValidatePurchaseHuaweiResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListSubscriptions is not built yet.
func (s *Server) NakamaListSubscriptions(context.Context, api.NakamaListSubscriptionsRequestObject) (api.NakamaListSubscriptionsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaValidateSubscriptionApple is not built yet.
func (s *Server) NakamaValidateSubscriptionApple(context.Context, api.NakamaValidateSubscriptionAppleRequestObject) (api.NakamaValidateSubscriptionAppleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaValidateSubscriptionGoogle is not built yet.
func (s *Server) NakamaValidateSubscriptionGoogle(context.Context, api.NakamaValidateSubscriptionGoogleRequestObject) (api.NakamaValidateSubscriptionGoogleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaGetSubscription is not built yet.
func (s *Server) NakamaGetSubscription(context.Context, api.NakamaGetSubscriptionRequestObject) (api.NakamaGetSubscriptionResponseObject, error) {
	return nil, errNotBuilt
}
