package carrierx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// Optional is a field of a partial update: unset fields are omitted from the
// JSON body (with the `json:",omitzero"` tag option), and a field can be set
// to a value or explicitly to JSON null.
type Optional[T any] struct {
	set, null bool
	v         T
}

// Set returns an Optional holding v.
func Set[T any](v T) Optional[T] { return Optional[T]{set: true, v: v} }

// Null returns an Optional that encodes as JSON null.
func Null[T any]() Optional[T] { return Optional[T]{set: true, null: true} }

// SetPtr returns Null for a nil pointer and Set(*p) otherwise.
func SetPtr[T any](p *T) Optional[T] {
	if p == nil {
		return Null[T]()
	}
	return Set(*p)
}

// IsZero reports whether the field is unset (omitted by omitzero).
func (o Optional[T]) IsZero() bool { return !o.set }

// IsSet reports whether the field was given (a value or null).
func (o Optional[T]) IsSet() bool { return o.set }

// IsNull reports whether the field is explicitly null.
func (o Optional[T]) IsNull() bool { return o.set && o.null }

// Get returns the value and whether there is one (false when unset or null).
func (o Optional[T]) Get() (T, bool) { return o.v, o.set && !o.null }

// MarshalJSON encodes the value, or null when null (or unset, should the
// field lack omitzero).
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if !o.set || o.null {
		return []byte("null"), nil
	}
	return json.Marshal(o.v)
}

// UnmarshalJSON records a value or an explicit null.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*o = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = Set(v)
	return nil
}

// Attributes is a free-form key/value object (DID, partner, binding
// attributes). Values are strings in every CarrierX sample; a non-string value
// from the server is kept as its JSON text rather than failing the decode.
type Attributes map[string]string

// UnmarshalJSON accepts an object whose values are strings, or other JSON
// values (kept as their JSON text; null becomes "").
func (a *Attributes) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*a = nil
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	m := make(Attributes, len(raw))
	for k, v := range raw {
		var s string
		switch {
		case json.Unmarshal(v, &s) == nil:
			m[k] = s
		case bytes.Equal(v, []byte("null")):
			m[k] = ""
		default:
			m[k] = string(v)
		}
	}
	*a = m
	return nil
}

// BoolOrString holds a value CarrierX sends sometimes as a JSON boolean and
// sometimes as a string enum (Trunk.allow_transfer). It re-encodes in the
// form it was received.
type BoolOrString struct {
	Value  string // "true"/"false" when IsBool
	IsBool bool
}

// Bool returns a BoolOrString encoding as a JSON boolean.
func Bool(b bool) BoolOrString { return BoolOrString{Value: strconv.FormatBool(b), IsBool: true} }

// String returns the value as text.
func (v BoolOrString) String() string { return v.Value }

// IsZero reports whether no value is held.
func (v BoolOrString) IsZero() bool { return v.Value == "" && !v.IsBool }

// Enabled reports whether the value means "on": true, or any string other
// than "", "false" and "disabled".
func (v BoolOrString) Enabled() bool {
	switch v.Value {
	case "", "false", "disabled":
		return false
	}
	return true
}

// MarshalJSON encodes a bool, a string, or null when empty.
func (v BoolOrString) MarshalJSON() ([]byte, error) {
	switch {
	case v.IsBool:
		return []byte(strconv.FormatBool(v.Value == "true")), nil
	case v.Value == "":
		return []byte("null"), nil
	}
	return json.Marshal(v.Value)
}

// UnmarshalJSON accepts true/false, a string, or null.
func (v *BoolOrString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "null":
		*v = BoolOrString{}
		return nil
	case "true", "false":
		*v = BoolOrString{Value: string(b), IsBool: true}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("carrierx: expected a bool or a string, got %s", b)
	}
	*v = BoolOrString{Value: s}
	return nil
}

// OAuthToken is CarrierX's OAuth token object (§4.7). Its String and LogValue
// methods redact the access and refresh tokens.
type OAuthToken struct {
	AccessToken                string          `json:"access_token"`
	ClientID                   string          `json:"client_id"`
	DateCreated                time.Time       `json:"date_created"`
	DateExpirationAccessToken  *time.Time      `json:"date_expiration_access_token"`
	DateExpirationRefreshToken *time.Time      `json:"date_expiration_refresh_token"`
	DateLastAccessed           *time.Time      `json:"date_last_accessed"`
	IPLastAccessed             *string         `json:"ip_last_accessed"`
	Name                       string          `json:"name"`
	Partner                    json.RawMessage `json:"partner,omitempty"` // with_related=true
	PartnerSID                 string          `json:"partner_sid"`
	RefreshToken               string          `json:"refresh_token"`
	Scopes                     []string        `json:"scopes"`
	TokenSID                   string          `json:"token_sid"`
	TokenType                  string          `json:"token_type"`
}

// String describes the token without its secrets.
func (t OAuthToken) String() string {
	return fmt.Sprintf("OAuthToken{sid=%s name=%q partner=%s type=%s access_token=[redacted]}", t.TokenSID, t.Name, t.PartnerSID, t.TokenType)
}

// GoString is String, so %#v does not print the secrets either.
func (t OAuthToken) GoString() string { return t.String() }

// LogValue keeps the secrets out of slog output.
func (t OAuthToken) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("token_sid", t.TokenSID),
		slog.String("name", t.Name),
		slog.String("partner_sid", t.PartnerSID),
		slog.String("token_type", t.TokenType),
	)
}

// TokenRequest is the form body of POST /oauth/token. Empty fields are not sent.
type TokenRequest struct {
	Login                string // form field "username"
	Password             string
	ClientID             string
	ClientSecret         string
	Name                 string // not confirmed by CarrierX docs
	AccessTokenExpiresIn int    // seconds; 0 = server default
}

// String describes the request without its secrets.
func (r TokenRequest) String() string {
	return fmt.Sprintf("TokenRequest{login=%q client_id=%q name=%q password=[redacted] client_secret=[redacted]}", r.Login, r.ClientID, r.Name)
}

// GoString is String.
func (r TokenRequest) GoString() string { return r.String() }
