package nk

import (
	"context"
	"github.com/heroiclabs/nakama-common/api"
)

// Purchases and subscriptions: not built yet; every call returns a "not supported yet"
// runtime error (code 12).

// PurchaseValidateApple is not supported yet.
func (m *Module) PurchaseValidateApple(ctx context.Context, userID, receipt string, persist bool, passwordOverride ...string) (*api.ValidatePurchaseResponse, error) {
	return nil, notSupported("PurchaseValidateApple")
}

// PurchaseValidateGoogle is not supported yet.
func (m *Module) PurchaseValidateGoogle(ctx context.Context, userID, receipt string, persist bool, overrides ...struct {
	ClientEmail string
	PrivateKey  string
}) (*api.ValidatePurchaseResponse, error) {
	return nil, notSupported("PurchaseValidateGoogle")
}

// PurchaseValidateHuawei is not supported yet.
func (m *Module) PurchaseValidateHuawei(ctx context.Context, userID, signature, inAppPurchaseData string, persist bool) (*api.ValidatePurchaseResponse, error) {
	return nil, notSupported("PurchaseValidateHuawei")
}

// PurchaseValidateFacebookInstant is not supported yet.
func (m *Module) PurchaseValidateFacebookInstant(ctx context.Context, userID, signedRequest string, persist bool) (*api.ValidatePurchaseResponse, error) {
	return nil, notSupported("PurchaseValidateFacebookInstant")
}

// PurchaseValidateSamsung is not supported yet.
func (m *Module) PurchaseValidateSamsung(ctx context.Context, userID, purchaseId string, persist bool) (*api.ValidatePurchaseResponse, error) {
	return nil, notSupported("PurchaseValidateSamsung")
}

// PurchasesList is not supported yet.
func (m *Module) PurchasesList(ctx context.Context, userID string, limit int, cursor string) (*api.PurchaseList, error) {
	return nil, notSupported("PurchasesList")
}

// PurchaseGetByTransactionId is not supported yet.
func (m *Module) PurchaseGetByTransactionId(ctx context.Context, transactionID string) (*api.ValidatedPurchase, error) {
	return nil, notSupported("PurchaseGetByTransactionId")
}

// SubscriptionValidateApple is not supported yet.
func (m *Module) SubscriptionValidateApple(ctx context.Context, userID, receipt string, persist bool, passwordOverride ...string) (*api.ValidateSubscriptionResponse, error) {
	return nil, notSupported("SubscriptionValidateApple")
}

// SubscriptionValidateGoogle is not supported yet.
func (m *Module) SubscriptionValidateGoogle(ctx context.Context, userID, receipt string, persist bool, overrides ...struct {
	ClientEmail string
	PrivateKey  string
}) (*api.ValidateSubscriptionResponse, error) {
	return nil, notSupported("SubscriptionValidateGoogle")
}

// SubscriptionsList is not supported yet.
func (m *Module) SubscriptionsList(ctx context.Context, userID string, limit int, cursor string) (*api.SubscriptionList, error) {
	return nil, notSupported("SubscriptionsList")
}

// SubscriptionGetByProductId is not supported yet.
func (m *Module) SubscriptionGetByProductId(ctx context.Context, userID, productID string) (*api.ValidatedSubscription, error) {
	return nil, notSupported("SubscriptionGetByProductId")
}
