package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// Operations of areas not built yet (social, storage, chat, leaderboards, matches,
// parties, purchases, runtime). Each answers 501 with code 12 until its area lands, so a
// client gets a clear refusal instead of a wrong answer; README.md lists them.

// NakamaDeleteAccount is not built yet.
func (s *Server) NakamaDeleteAccount(context.Context, api.NakamaDeleteAccountRequestObject) (api.NakamaDeleteAccountResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateApple is not built yet.
func (s *Server) NakamaAuthenticateApple(context.Context, api.NakamaAuthenticateAppleRequestObject) (api.NakamaAuthenticateAppleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateFacebook is not built yet.
func (s *Server) NakamaAuthenticateFacebook(context.Context, api.NakamaAuthenticateFacebookRequestObject) (api.NakamaAuthenticateFacebookResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateFacebookInstantGame is not built yet.
func (s *Server) NakamaAuthenticateFacebookInstantGame(context.Context, api.NakamaAuthenticateFacebookInstantGameRequestObject) (api.NakamaAuthenticateFacebookInstantGameResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateGameCenter is not built yet.
func (s *Server) NakamaAuthenticateGameCenter(context.Context, api.NakamaAuthenticateGameCenterRequestObject) (api.NakamaAuthenticateGameCenterResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateGoogle is not built yet.
func (s *Server) NakamaAuthenticateGoogle(context.Context, api.NakamaAuthenticateGoogleRequestObject) (api.NakamaAuthenticateGoogleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAuthenticateSteam is not built yet.
func (s *Server) NakamaAuthenticateSteam(context.Context, api.NakamaAuthenticateSteamRequestObject) (api.NakamaAuthenticateSteamResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkApple is not built yet.
func (s *Server) NakamaLinkApple(context.Context, api.NakamaLinkAppleRequestObject) (api.NakamaLinkAppleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkCustom is not built yet.
func (s *Server) NakamaLinkCustom(context.Context, api.NakamaLinkCustomRequestObject) (api.NakamaLinkCustomResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkDevice is not built yet.
func (s *Server) NakamaLinkDevice(context.Context, api.NakamaLinkDeviceRequestObject) (api.NakamaLinkDeviceResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkEmail is not built yet.
func (s *Server) NakamaLinkEmail(context.Context, api.NakamaLinkEmailRequestObject) (api.NakamaLinkEmailResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkFacebook is not built yet.
func (s *Server) NakamaLinkFacebook(context.Context, api.NakamaLinkFacebookRequestObject) (api.NakamaLinkFacebookResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkFacebookInstantGame is not built yet.
func (s *Server) NakamaLinkFacebookInstantGame(context.Context, api.NakamaLinkFacebookInstantGameRequestObject) (api.NakamaLinkFacebookInstantGameResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkGameCenter is not built yet.
func (s *Server) NakamaLinkGameCenter(context.Context, api.NakamaLinkGameCenterRequestObject) (api.NakamaLinkGameCenterResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkGoogle is not built yet.
func (s *Server) NakamaLinkGoogle(context.Context, api.NakamaLinkGoogleRequestObject) (api.NakamaLinkGoogleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLinkSteam is not built yet.
func (s *Server) NakamaLinkSteam(context.Context, api.NakamaLinkSteamRequestObject) (api.NakamaLinkSteamResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkApple is not built yet.
func (s *Server) NakamaUnlinkApple(context.Context, api.NakamaUnlinkAppleRequestObject) (api.NakamaUnlinkAppleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkCustom is not built yet.
func (s *Server) NakamaUnlinkCustom(context.Context, api.NakamaUnlinkCustomRequestObject) (api.NakamaUnlinkCustomResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkDevice is not built yet.
func (s *Server) NakamaUnlinkDevice(context.Context, api.NakamaUnlinkDeviceRequestObject) (api.NakamaUnlinkDeviceResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkEmail is not built yet.
func (s *Server) NakamaUnlinkEmail(context.Context, api.NakamaUnlinkEmailRequestObject) (api.NakamaUnlinkEmailResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkFacebook is not built yet.
func (s *Server) NakamaUnlinkFacebook(context.Context, api.NakamaUnlinkFacebookRequestObject) (api.NakamaUnlinkFacebookResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkFacebookInstantGame is not built yet.
func (s *Server) NakamaUnlinkFacebookInstantGame(context.Context, api.NakamaUnlinkFacebookInstantGameRequestObject) (api.NakamaUnlinkFacebookInstantGameResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkGameCenter is not built yet.
func (s *Server) NakamaUnlinkGameCenter(context.Context, api.NakamaUnlinkGameCenterRequestObject) (api.NakamaUnlinkGameCenterResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkGoogle is not built yet.
func (s *Server) NakamaUnlinkGoogle(context.Context, api.NakamaUnlinkGoogleRequestObject) (api.NakamaUnlinkGoogleResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUnlinkSteam is not built yet.
func (s *Server) NakamaUnlinkSteam(context.Context, api.NakamaUnlinkSteamRequestObject) (api.NakamaUnlinkSteamResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListChannelMessages is not built yet.
func (s *Server) NakamaListChannelMessages(context.Context, api.NakamaListChannelMessagesRequestObject) (api.NakamaListChannelMessagesResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaEvent is not built yet.
func (s *Server) NakamaEvent(context.Context, api.NakamaEventRequestObject) (api.NakamaEventResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDeleteFriends is not built yet.
func (s *Server) NakamaDeleteFriends(context.Context, api.NakamaDeleteFriendsRequestObject) (api.NakamaDeleteFriendsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListFriends is not built yet.
func (s *Server) NakamaListFriends(context.Context, api.NakamaListFriendsRequestObject) (api.NakamaListFriendsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAddFriends is not built yet.
func (s *Server) NakamaAddFriends(context.Context, api.NakamaAddFriendsRequestObject) (api.NakamaAddFriendsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaBlockFriends is not built yet.
func (s *Server) NakamaBlockFriends(context.Context, api.NakamaBlockFriendsRequestObject) (api.NakamaBlockFriendsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaImportFacebookFriends is not built yet.
func (s *Server) NakamaImportFacebookFriends(context.Context, api.NakamaImportFacebookFriendsRequestObject) (api.NakamaImportFacebookFriendsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListFriendsOfFriends is not built yet.
func (s *Server) NakamaListFriendsOfFriends(context.Context, api.NakamaListFriendsOfFriendsRequestObject) (api.NakamaListFriendsOfFriendsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaImportSteamFriends is not built yet.
func (s *Server) NakamaImportSteamFriends(context.Context, api.NakamaImportSteamFriendsRequestObject) (api.NakamaImportSteamFriendsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListGroups is not built yet.
func (s *Server) NakamaListGroups(context.Context, api.NakamaListGroupsRequestObject) (api.NakamaListGroupsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaCreateGroup is not built yet.
func (s *Server) NakamaCreateGroup(context.Context, api.NakamaCreateGroupRequestObject) (api.NakamaCreateGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDeleteGroup is not built yet.
func (s *Server) NakamaDeleteGroup(context.Context, api.NakamaDeleteGroupRequestObject) (api.NakamaDeleteGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaUpdateGroup is not built yet.
func (s *Server) NakamaUpdateGroup(context.Context, api.NakamaUpdateGroupRequestObject) (api.NakamaUpdateGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaAddGroupUsers is not built yet.
func (s *Server) NakamaAddGroupUsers(context.Context, api.NakamaAddGroupUsersRequestObject) (api.NakamaAddGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaBanGroupUsers is not built yet.
func (s *Server) NakamaBanGroupUsers(context.Context, api.NakamaBanGroupUsersRequestObject) (api.NakamaBanGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDemoteGroupUsers is not built yet.
func (s *Server) NakamaDemoteGroupUsers(context.Context, api.NakamaDemoteGroupUsersRequestObject) (api.NakamaDemoteGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaJoinGroup is not built yet.
func (s *Server) NakamaJoinGroup(context.Context, api.NakamaJoinGroupRequestObject) (api.NakamaJoinGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaKickGroupUsers is not built yet.
func (s *Server) NakamaKickGroupUsers(context.Context, api.NakamaKickGroupUsersRequestObject) (api.NakamaKickGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaLeaveGroup is not built yet.
func (s *Server) NakamaLeaveGroup(context.Context, api.NakamaLeaveGroupRequestObject) (api.NakamaLeaveGroupResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaPromoteGroupUsers is not built yet.
func (s *Server) NakamaPromoteGroupUsers(context.Context, api.NakamaPromoteGroupUsersRequestObject) (api.NakamaPromoteGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListGroupUsers is not built yet.
func (s *Server) NakamaListGroupUsers(context.Context, api.NakamaListGroupUsersRequestObject) (api.NakamaListGroupUsersResponseObject, error) {
	return nil, errNotBuilt
}

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

// NakamaDeleteLeaderboardRecord is not built yet.
func (s *Server) NakamaDeleteLeaderboardRecord(context.Context, api.NakamaDeleteLeaderboardRecordRequestObject) (api.NakamaDeleteLeaderboardRecordResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListLeaderboardRecords is not built yet.
func (s *Server) NakamaListLeaderboardRecords(context.Context, api.NakamaListLeaderboardRecordsRequestObject) (api.NakamaListLeaderboardRecordsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaWriteLeaderboardRecord is not built yet.
func (s *Server) NakamaWriteLeaderboardRecord(context.Context, api.NakamaWriteLeaderboardRecordRequestObject) (api.NakamaWriteLeaderboardRecordResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListLeaderboardRecordsAroundOwner is not built yet.
func (s *Server) NakamaListLeaderboardRecordsAroundOwner(context.Context, api.NakamaListLeaderboardRecordsAroundOwnerRequestObject) (api.NakamaListLeaderboardRecordsAroundOwnerResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListMatches is not built yet.
func (s *Server) NakamaListMatches(context.Context, api.NakamaListMatchesRequestObject) (api.NakamaListMatchesResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaGetMatchmakerStats is not built yet.
func (s *Server) NakamaGetMatchmakerStats(context.Context, api.NakamaGetMatchmakerStatsRequestObject) (api.NakamaGetMatchmakerStatsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDeleteNotifications is not built yet.
func (s *Server) NakamaDeleteNotifications(context.Context, api.NakamaDeleteNotificationsRequestObject) (api.NakamaDeleteNotificationsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListNotifications is not built yet.
func (s *Server) NakamaListNotifications(context.Context, api.NakamaListNotificationsRequestObject) (api.NakamaListNotificationsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListParties is not built yet.
func (s *Server) NakamaListParties(context.Context, api.NakamaListPartiesRequestObject) (api.NakamaListPartiesResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaRpcFunc2 is not built yet.
func (s *Server) NakamaRpcFunc2(context.Context, api.NakamaRpcFunc2RequestObject) (api.NakamaRpcFunc2ResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaRpcFunc is not built yet.
func (s *Server) NakamaRpcFunc(context.Context, api.NakamaRpcFuncRequestObject) (api.NakamaRpcFuncResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaSessionLogout is not built yet.
func (s *Server) NakamaSessionLogout(context.Context, api.NakamaSessionLogoutRequestObject) (api.NakamaSessionLogoutResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaReadStorageObjects is not built yet.
func (s *Server) NakamaReadStorageObjects(context.Context, api.NakamaReadStorageObjectsRequestObject) (api.NakamaReadStorageObjectsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaWriteStorageObjects is not built yet.
func (s *Server) NakamaWriteStorageObjects(context.Context, api.NakamaWriteStorageObjectsRequestObject) (api.NakamaWriteStorageObjectsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDeleteStorageObjects is not built yet.
func (s *Server) NakamaDeleteStorageObjects(context.Context, api.NakamaDeleteStorageObjectsRequestObject) (api.NakamaDeleteStorageObjectsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListStorageObjects is not built yet.
func (s *Server) NakamaListStorageObjects(context.Context, api.NakamaListStorageObjectsRequestObject) (api.NakamaListStorageObjectsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListStorageObjects2 is not built yet.
func (s *Server) NakamaListStorageObjects2(context.Context, api.NakamaListStorageObjects2RequestObject) (api.NakamaListStorageObjects2ResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListTournaments is not built yet.
func (s *Server) NakamaListTournaments(context.Context, api.NakamaListTournamentsRequestObject) (api.NakamaListTournamentsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDeleteTournamentRecord is not built yet.
func (s *Server) NakamaDeleteTournamentRecord(context.Context, api.NakamaDeleteTournamentRecordRequestObject) (api.NakamaDeleteTournamentRecordResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListTournamentRecords is not built yet.
func (s *Server) NakamaListTournamentRecords(context.Context, api.NakamaListTournamentRecordsRequestObject) (api.NakamaListTournamentRecordsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaWriteTournamentRecord2 is not built yet.
func (s *Server) NakamaWriteTournamentRecord2(context.Context, api.NakamaWriteTournamentRecord2RequestObject) (api.NakamaWriteTournamentRecord2ResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaWriteTournamentRecord is not built yet.
func (s *Server) NakamaWriteTournamentRecord(context.Context, api.NakamaWriteTournamentRecordRequestObject) (api.NakamaWriteTournamentRecordResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaJoinTournament is not built yet.
func (s *Server) NakamaJoinTournament(context.Context, api.NakamaJoinTournamentRequestObject) (api.NakamaJoinTournamentResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListTournamentRecordsAroundOwner is not built yet.
func (s *Server) NakamaListTournamentRecordsAroundOwner(context.Context, api.NakamaListTournamentRecordsAroundOwnerRequestObject) (api.NakamaListTournamentRecordsAroundOwnerResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaGetUsers is not built yet.
func (s *Server) NakamaGetUsers(context.Context, api.NakamaGetUsersRequestObject) (api.NakamaGetUsersResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListUserGroups is not built yet.
func (s *Server) NakamaListUserGroups(context.Context, api.NakamaListUserGroupsRequestObject) (api.NakamaListUserGroupsResponseObject, error) {
	return nil, errNotBuilt
}
