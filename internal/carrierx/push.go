package carrierx

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// PushApplication is a mobile or web application registered to receive push
// notifications, with its Apple (APNs) and Google (Firebase) credentials.
//
// The key material (APNsP12, APNsP12Password, APNsP8, GoogleCredentials) is
// write-only in the sandbox: it is stored but answered as null. CarrierX's
// create sample echoes google_credentials; code should not rely on getting
// any of them back.
type PushApplication struct {
	APNsID            *string    `json:"apns_id"`
	APNsKeyID         *string    `json:"apns_key_id"`         // key of the token-based (.p8) authentication
	APNsP12           *string    `json:"apns_p12"`            // .p12 certificate, Base64
	APNsP12Expiration *time.Time `json:"apns_p12_expiration"` // ro
	APNsP12Password   *string    `json:"apns_p12_password"`
	APNsP8            *string    `json:"apns_p8"` // .p8 signing key, line breaks as \n
	APNsTeamID        *string    `json:"apns_team_id"`
	APNsTopic         *string    `json:"apns_topic"`
	ApplicationSID    string     `json:"application_sid"`    // ro
	GoogleCredentials *string    `json:"google_credentials"` // service-account JSON, Base64
	Name              string     `json:"name"`               // default "N/A"
	PartnerSID        string     `json:"partner_sid"`        // ro
}

// PushApplicationUpdate is the body of an application create or PATCH: only
// the fields set are sent (Null clears one). No field is required on create.
type PushApplicationUpdate struct {
	APNsID            Optional[string] `json:"apns_id,omitzero"`
	APNsKeyID         Optional[string] `json:"apns_key_id,omitzero"`
	APNsP12           Optional[string] `json:"apns_p12,omitzero"`
	APNsP12Password   Optional[string] `json:"apns_p12_password,omitzero"`
	APNsP8            Optional[string] `json:"apns_p8,omitzero"`
	APNsTeamID        Optional[string] `json:"apns_team_id,omitzero"`
	APNsTopic         Optional[string] `json:"apns_topic,omitzero"`
	GoogleCredentials Optional[string] `json:"google_credentials,omitzero"`
	Name              Optional[string] `json:"name,omitzero"`
}

// pushApplicationWritable is an application's writable fields, for PUT. The
// key material is sent only when set (non-nil): an application read back
// carries none, and a PUT leaving it out keeps what is stored.
type pushApplicationWritable struct {
	APNsID            *string `json:"apns_id"`
	APNsKeyID         *string `json:"apns_key_id"`
	APNsP12           *string `json:"apns_p12,omitempty"`
	APNsP12Password   *string `json:"apns_p12_password,omitempty"`
	APNsP8            *string `json:"apns_p8,omitempty"`
	APNsTeamID        *string `json:"apns_team_id"`
	APNsTopic         *string `json:"apns_topic"`
	GoogleCredentials *string `json:"google_credentials,omitempty"`
	Name              string  `json:"name"`
}

// PushDevice is one installation of an application: the device's push token
// from Apple or Google and what it runs.
type PushDevice struct {
	ApplicationSID     string `json:"application_sid"` // required on create
	ApplicationVersion string `json:"application_version"`
	DeviceSID          string `json:"device_sid"`  // ro
	Environment        string `json:"environment"` // APNs: "production" (default) or "development"
	OSVersion          string `json:"os_version"`
	PartnerSID         string `json:"partner_sid"` // ro
	Token              string `json:"token"`       // required on create
	Type               string `json:"type"`        // required on create: android, ios or web
}

// Device types and APNs environments.
const (
	PushDeviceAndroid          = "android"
	PushDeviceIOS              = "ios"
	PushDeviceWeb              = "web"
	PushEnvironmentDevelopment = "development"
	PushEnvironmentProduction  = "production"
)

// PushDeviceUpdate is the body of a device create or PATCH: only the fields
// set are sent. Create needs ApplicationSID, Token and Type.
type PushDeviceUpdate struct {
	ApplicationSID     Optional[string] `json:"application_sid,omitzero"`
	ApplicationVersion Optional[string] `json:"application_version,omitzero"`
	Environment        Optional[string] `json:"environment,omitzero"`
	OSVersion          Optional[string] `json:"os_version,omitzero"`
	Token              Optional[string] `json:"token,omitzero"`
	Type               Optional[string] `json:"type,omitzero"`
}

// pushDeviceWritable is a device's writable fields, for PUT.
type pushDeviceWritable struct {
	ApplicationSID     string `json:"application_sid"`
	ApplicationVersion string `json:"application_version"`
	Environment        string `json:"environment"`
	OSVersion          string `json:"os_version"`
	Token              string `json:"token"`
	Type               string `json:"type"`
}

// PushNotification is what POST /push/notifications sends: Recipients (at
// most 100 device SIDs) is required; empty fields are not sent.
type PushNotification struct {
	AndroidClickAction  string         `json:"android_click_action,omitempty"`
	AndroidIcon         string         `json:"android_icon,omitempty"`
	AndroidSound        string         `json:"android_sound,omitempty"`
	AndroidTag          string         `json:"android_tag,omitempty"`
	Body                string         `json:"body,omitempty"`
	CollapseKey         string         `json:"collapse_key,omitempty"`
	Data                map[string]any `json:"data,omitempty"` // passed back to the application
	IOSBadge            *int           `json:"ios_badge,omitempty"`
	IOSCategory         string         `json:"ios_category,omitempty"`
	IOSCollapseID       string         `json:"ios_collapse_id,omitempty"`
	IOSContentAvailable *bool          `json:"ios_content_available,omitempty"`
	IOSMutableContent   *bool          `json:"ios_mutable_content,omitempty"`
	Priority            string         `json:"priority,omitempty"` // "normal" or "high"
	Recipients          []string       `json:"recipients"`
	Title               string         `json:"title,omitempty"`
	TTL                 *int           `json:"ttl,omitempty"` // seconds
}

// PushMaxRecipients is the documented limit of one notification.
const PushMaxRecipients = 100

// PushResult is CarrierX's answer to a notification: the number of devices
// it reached and missed, and the outcome per device SID ("success").
type PushResult struct {
	Failure int               `json:"failure"`
	Results map[string]string `json:"results"`
	Success int               `json:"success"`
}

const (
	pushApplicationsPath  = "/push/applications"
	pushDevicesPath       = "/push/devices"
	pushNotificationsPath = "/push/notifications"
)

// ListPushApplications returns one page of the partner's applications.
func (c *Client) ListPushApplications(ctx context.Context, opts ListOptions) (*Page[PushApplication], error) {
	return listPage[PushApplication](ctx, c, core, pushApplicationsPath, opts)
}

// AllPushApplications iterates over every application matching opts.
func (c *Client) AllPushApplications(ctx context.Context, opts ListOptions) iter.Seq2[PushApplication, error] {
	return allItems[PushApplication](ctx, c, core, pushApplicationsPath, opts)
}

// GetPushApplication returns one application.
func (c *Client) GetPushApplication(ctx context.Context, sid string) (*PushApplication, error) {
	if err := requireSID("application_sid", sid); err != nil {
		return nil, err
	}
	return getOne[PushApplication](ctx, c, core, pushApplicationsPath+"/"+pathEscape(sid), nil)
}

// CreatePushApplication registers an application (POST /push/applications).
func (c *Client) CreatePushApplication(ctx context.Context, a PushApplicationUpdate) (*PushApplication, error) {
	return send[PushApplication](ctx, c, core, http.MethodPost, pushApplicationsPath, nil, a)
}

// UpdatePushApplication changes the fields set in u (PATCH).
func (c *Client) UpdatePushApplication(ctx context.Context, sid string, u PushApplicationUpdate) (*PushApplication, error) {
	if err := requireSID("application_sid", sid); err != nil {
		return nil, err
	}
	return send[PushApplication](ctx, c, core, http.MethodPatch, pushApplicationsPath+"/"+pathEscape(sid), nil, u)
}

// ReplacePushApplication replaces the application's writable fields with
// those of a (PUT). Key material that a holds no value for is not sent, so
// the stored credentials stay.
func (c *Client) ReplacePushApplication(ctx context.Context, sid string, a PushApplication) (*PushApplication, error) {
	if err := requireSID("application_sid", sid); err != nil {
		return nil, err
	}
	w := pushApplicationWritable{APNsID: a.APNsID, APNsKeyID: a.APNsKeyID, APNsP12: a.APNsP12,
		APNsP12Password: a.APNsP12Password, APNsP8: a.APNsP8, APNsTeamID: a.APNsTeamID, APNsTopic: a.APNsTopic,
		GoogleCredentials: a.GoogleCredentials, Name: a.Name}
	return send[PushApplication](ctx, c, core, http.MethodPut, pushApplicationsPath+"/"+pathEscape(sid), nil, w)
}

// DeletePushApplication deletes an application (204). The sandbox refuses
// (409) while devices belong to it; CarrierX's answer there is not
// confirmed.
func (c *Client) DeletePushApplication(ctx context.Context, sid string) error {
	if err := requireSID("application_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, pushApplicationsPath+"/"+pathEscape(sid), nil)
}

// ListPushDevices returns one page of the partner's devices.
func (c *Client) ListPushDevices(ctx context.Context, opts ListOptions) (*Page[PushDevice], error) {
	return listPage[PushDevice](ctx, c, core, pushDevicesPath, opts)
}

// AllPushDevices iterates over every device matching opts.
func (c *Client) AllPushDevices(ctx context.Context, opts ListOptions) iter.Seq2[PushDevice, error] {
	return allItems[PushDevice](ctx, c, core, pushDevicesPath, opts)
}

// GetPushDevice returns one device.
func (c *Client) GetPushDevice(ctx context.Context, sid string) (*PushDevice, error) {
	if err := requireSID("device_sid", sid); err != nil {
		return nil, err
	}
	return getOne[PushDevice](ctx, c, core, pushDevicesPath+"/"+pathEscape(sid), nil)
}

// RegisterPushDevice creates a device (POST /push/devices), or answers the
// partner's existing device with the same token, type and environment
// (CarrierX's default, reuse=true).
func (c *Client) RegisterPushDevice(ctx context.Context, d PushDeviceUpdate) (*PushDevice, error) {
	return send[PushDevice](ctx, c, core, http.MethodPost, pushDevicesPath, nil, d)
}

// CreatePushDevice creates a new device even when one with the same token,
// type and environment exists (POST /push/devices?reuse=false).
func (c *Client) CreatePushDevice(ctx context.Context, d PushDeviceUpdate) (*PushDevice, error) {
	return send[PushDevice](ctx, c, core, http.MethodPost, pushDevicesPath, url.Values{"reuse": {"false"}}, d)
}

// UpdatePushDevice changes the fields set in u (PATCH).
func (c *Client) UpdatePushDevice(ctx context.Context, sid string, u PushDeviceUpdate) (*PushDevice, error) {
	if err := requireSID("device_sid", sid); err != nil {
		return nil, err
	}
	return send[PushDevice](ctx, c, core, http.MethodPatch, pushDevicesPath+"/"+pathEscape(sid), nil, u)
}

// ReplacePushDevice replaces the device's writable fields with those of d
// (PUT); read-only fields are not sent.
func (c *Client) ReplacePushDevice(ctx context.Context, sid string, d PushDevice) (*PushDevice, error) {
	if err := requireSID("device_sid", sid); err != nil {
		return nil, err
	}
	w := pushDeviceWritable{ApplicationSID: d.ApplicationSID, ApplicationVersion: d.ApplicationVersion,
		Environment: d.Environment, OSVersion: d.OSVersion, Token: d.Token, Type: d.Type}
	return send[PushDevice](ctx, c, core, http.MethodPut, pushDevicesPath+"/"+pathEscape(sid), nil, w)
}

// DeletePushDevice deletes a device (204).
func (c *Client) DeletePushDevice(ctx context.Context, sid string) error {
	if err := requireSID("device_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, pushDevicesPath+"/"+pathEscape(sid), nil)
}

// SendPushNotification sends n to its recipients (POST /push/notifications).
// An empty recipient list, or one over PushMaxRecipients, is refused before
// a request is made. The sandbox answers a 422 naming the recipient when one
// of them is not a device of the partner (deleted, for instance), and sends
// nothing then.
func (c *Client) SendPushNotification(ctx context.Context, n PushNotification) (*PushResult, error) {
	switch {
	case len(n.Recipients) == 0:
		return nil, errEmpty("recipients")
	case len(n.Recipients) > PushMaxRecipients:
		return nil, fmt.Errorf("carrierx: %d recipients exceed CarrierX's limit of %d", len(n.Recipients), PushMaxRecipients)
	}
	return send[PushResult](ctx, c, core, http.MethodPost, pushNotificationsPath, nil, n)
}
