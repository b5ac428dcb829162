package carrierx

import (
	"context"
	"net/http"
	"net/url"
)

// Objects attached to a rented DID: SMS/MMS messaging enablement, the
// emergency (E911) record and the line information (CNAM listing). Each
// is addressed by the DID's SID; another partner's DID is a 404.

// DIDMessaging is a DID's SMS/MMS messaging enablement.
type DIDMessaging struct {
	CampaignExternalID *string `json:"campaign_external_id"` // ro; the Campaign Registry's ID
	CampaignSID        *string `json:"campaign_sid"`         // a2p only
	DIDSID             string  `json:"did_sid"`              // ro
	Enabled            bool    `json:"enabled"`
	P2PNNID            *string `json:"p2p_nnid"` // p2p only
	Status             string  `json:"status"`   // ro: in_progress, enabled, disabled, failed
	Type               *string `json:"type"`     // a2p or p2p
}

// Messaging enablement statuses and types.
const (
	MessagingInProgress = "in_progress"
	MessagingEnabled    = "enabled"
	MessagingDisabled   = "disabled"
	MessagingFailed     = "failed"
	MessagingA2P        = "a2p"
	MessagingP2P        = "p2p"
)

// DIDMessagingRequest enables (Enabled true) or disables messaging on a
// DID. Enabled is always sent; the other fields only when set.
type DIDMessagingRequest struct {
	CampaignSID Optional[string] `json:"campaign_sid,omitzero"`
	Enabled     bool             `json:"enabled"`
	P2PNNID     Optional[string] `json:"p2p_nnid,omitzero"`
	Type        Optional[string] `json:"type,omitzero"`
}

// The messaging paths: the method list's /phonenumber/{did_sid}/messaging
// and the docs' /phonenumber/dids/{did_sid}/messaging. The client calls the
// first and, when the answer says the path itself is unknown (a 404 that is
// not CarrierX's "no item error", or a 405), the second. A "no item error"
// is CarrierX's answer for a DID that is not the caller's or cannot message
// (voice only).
func didMessagingPaths(didSID string) [2]string {
	return [2]string{"/phonenumber/" + pathEscape(didSID) + "/messaging",
		"/phonenumber/dids/" + pathEscape(didSID) + "/messaging"}
}

func withMessagingPath[R any](didSID string, call func(path string) (R, error)) (R, error) {
	paths := didMessagingPaths(didSID)
	r, err := call(paths[0])
	if !invoicePathUnknown(err, false) {
		return r, err
	}
	r2, err2 := call(paths[1])
	if invoicePathUnknown(err2, false) {
		var zero R
		return zero, err
	}
	return r2, err2
}

// GetDIDMessaging returns the DID's messaging enablement ("disabled" until
// enabled). A voice-only DID is a 404.
func (c *Client) GetDIDMessaging(ctx context.Context, didSID string) (*DIDMessaging, error) {
	if err := requireSID("did_sid", didSID); err != nil {
		return nil, err
	}
	return withMessagingPath(didSID, func(path string) (*DIDMessaging, error) {
		return getOne[DIDMessaging](ctx, c, core, path, nil)
	})
}

// SetDIDMessaging enables or disables messaging on the DID (POST). The
// answer to an enable says "in_progress"; GetDIDMessaging shows "enabled"
// once done. force=true changes type, campaign or NNID of an enabled DID
// without disabling it first. A voice-only DID is a 404. Never retried.
func (c *Client) SetDIDMessaging(ctx context.Context, didSID string, r DIDMessagingRequest, force bool) (*DIDMessaging, error) {
	if err := requireSID("did_sid", didSID); err != nil {
		return nil, err
	}
	var q url.Values
	if force {
		q = url.Values{"force": {"true"}}
	}
	return withMessagingPath(didSID, func(path string) (*DIDMessaging, error) {
		return send[DIDMessaging](ctx, c, core, http.MethodPost, path, q, r)
	})
}

// EmergencyLocation is an address registered for emergency calls.
type EmergencyLocation struct {
	Address1    string  `json:"address_1"`
	Address2    *string `json:"address_2"`
	City        string  `json:"city"`
	CountryCode string  `json:"country_code"` // ISO alpha-3, "USA"
	State       string  `json:"state"`        // two letters
	Zip         string  `json:"zip"`
}

// DIDEmergency is a DID's emergency (E911) record.
type DIDEmergency struct {
	CallerName *string             `json:"caller_name"`
	Enabled    bool                `json:"enabled"`
	Locations  []EmergencyLocation `json:"locations"`
}

// DIDEmergencyUpdate is the body of a PATCH: only the fields set are sent.
// The first write creates the record.
type DIDEmergencyUpdate struct {
	CallerName Optional[string]              `json:"caller_name,omitzero"`
	Enabled    Optional[bool]                `json:"enabled,omitzero"`
	Locations  Optional[[]EmergencyLocation] `json:"locations,omitzero"`
}

func didEmergencyPath(didSID string) string {
	return "/phonenumber/dids/" + pathEscape(didSID) + "/emergency"
}

// GetDIDEmergency returns the DID's emergency record (404 when none is
// set).
func (c *Client) GetDIDEmergency(ctx context.Context, didSID string) (*DIDEmergency, error) {
	if err := requireSID("did_sid", didSID); err != nil {
		return nil, err
	}
	return getOne[DIDEmergency](ctx, c, core, didEmergencyPath(didSID), nil)
}

// UpdateDIDEmergency changes the fields set in u (PATCH).
func (c *Client) UpdateDIDEmergency(ctx context.Context, didSID string, u DIDEmergencyUpdate) (*DIDEmergency, error) {
	if err := requireSID("did_sid", didSID); err != nil {
		return nil, err
	}
	return send[DIDEmergency](ctx, c, core, http.MethodPatch, didEmergencyPath(didSID), nil, u)
}

// ReplaceDIDEmergency replaces the whole record with e (PUT).
func (c *Client) ReplaceDIDEmergency(ctx context.Context, didSID string, e DIDEmergency) (*DIDEmergency, error) {
	if err := requireSID("did_sid", didSID); err != nil {
		return nil, err
	}
	if e.Locations == nil {
		e.Locations = []EmergencyLocation{}
	}
	return send[DIDEmergency](ctx, c, core, http.MethodPut, didEmergencyPath(didSID), nil, e)
}

// DeleteDIDEmergency clears the DID's emergency record (204).
func (c *Client) DeleteDIDEmergency(ctx context.Context, didSID string) error {
	if err := requireSID("did_sid", didSID); err != nil {
		return err
	}
	return remove(ctx, c, core, didEmergencyPath(didSID), nil)
}

// DIDLineInformation is a DID's line information: the caller name (CNAM)
// listing and how the line is presented.
type DIDLineInformation struct {
	CallerName           *string `json:"caller_name"`
	ClassOfService       string  `json:"class_of_service"` // business, none (default), residential
	Enabled              bool    `json:"enabled"`
	ExtendedBusinessName *string `json:"extended_business_name"`
	ExtendedFirstName    *string `json:"extended_first_name"`
	ExtendedLastName     *string `json:"extended_last_name"`
	Privacy              string  `json:"privacy"`   // public (default) or private
	Screening            string  `json:"screening"` // allow_all, block_collect, block_third_number, block_third_number_collect (default)
}

// DIDLineInformationUpdate is the body of a PATCH: only the fields set are
// sent. The first write creates the record.
type DIDLineInformationUpdate struct {
	CallerName           Optional[string] `json:"caller_name,omitzero"`
	ClassOfService       Optional[string] `json:"class_of_service,omitzero"`
	Enabled              Optional[bool]   `json:"enabled,omitzero"`
	ExtendedBusinessName Optional[string] `json:"extended_business_name,omitzero"`
	ExtendedFirstName    Optional[string] `json:"extended_first_name,omitzero"`
	ExtendedLastName     Optional[string] `json:"extended_last_name,omitzero"`
	Privacy              Optional[string] `json:"privacy,omitzero"`
	Screening            Optional[string] `json:"screening,omitzero"`
}

func didLineInfoPath(didSID string) string {
	return "/phonenumber/dids/" + pathEscape(didSID) + "/line_information"
}

// GetDIDLineInformation returns the DID's line information (404 when none
// is set).
func (c *Client) GetDIDLineInformation(ctx context.Context, didSID string) (*DIDLineInformation, error) {
	if err := requireSID("did_sid", didSID); err != nil {
		return nil, err
	}
	return getOne[DIDLineInformation](ctx, c, core, didLineInfoPath(didSID), nil)
}

// UpdateDIDLineInformation changes the fields set in u (PATCH).
func (c *Client) UpdateDIDLineInformation(ctx context.Context, didSID string, u DIDLineInformationUpdate) (*DIDLineInformation, error) {
	if err := requireSID("did_sid", didSID); err != nil {
		return nil, err
	}
	return send[DIDLineInformation](ctx, c, core, http.MethodPatch, didLineInfoPath(didSID), nil, u)
}

// ReplaceDIDLineInformation replaces the whole record with l (PUT).
func (c *Client) ReplaceDIDLineInformation(ctx context.Context, didSID string, l DIDLineInformation) (*DIDLineInformation, error) {
	if err := requireSID("did_sid", didSID); err != nil {
		return nil, err
	}
	return send[DIDLineInformation](ctx, c, core, http.MethodPut, didLineInfoPath(didSID), nil, l)
}

// DeleteDIDLineInformation clears the DID's line information (204).
func (c *Client) DeleteDIDLineInformation(ctx context.Context, didSID string) error {
	if err := requireSID("did_sid", didSID); err != nil {
		return err
	}
	return remove(ctx, c, core, didLineInfoPath(didSID), nil)
}
