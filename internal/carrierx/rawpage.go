package carrierx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// RawPage is one list page whose items are kept both decoded and as the
// bytes CarrierX sent: Raw[i] is Items[i] exactly as it came over the wire.
type RawPage[T any] struct {
	Page[T]
	Raw []json.RawMessage
}

// rawBody receives a response body undecoded (see handleResponse).
type rawBody []byte

// The detail-record lists with each record's bytes kept as sent, for the
// report sync, which stores them without decoding them twice. Each reads one
// page like its List* counterpart.

// ListCallDRsRaw is ListCallDRs keeping each record's bytes.
func (c *Client) ListCallDRsRaw(ctx context.Context, opts ListOptions) (*RawPage[CallDetailRecord], error) {
	return listWithRaw[CallDetailRecord](ctx, c, core, callDRsPath, opts)
}

// ListMessageDRsRaw is ListMessageDRs keeping each record's bytes.
func (c *Client) ListMessageDRsRaw(ctx context.Context, opts ListOptions) (*RawPage[MessageDetailRecord], error) {
	return listWithRaw[MessageDetailRecord](ctx, c, core, messageDRsPath, opts)
}

// ListConferenceCallsRaw is ListConferenceCalls keeping each record's bytes.
func (c *Client) ListConferenceCallsRaw(ctx context.Context, opts ListOptions) (*RawPage[ConferenceCall], error) {
	return listWithRaw[ConferenceCall](ctx, c, core, conferenceCallsPath, opts)
}

// ListConferenceMeetingsRaw is ListConferenceMeetings keeping each record's bytes.
func (c *Client) ListConferenceMeetingsRaw(ctx context.Context, opts ListOptions) (*RawPage[ConferenceMeeting], error) {
	return listWithRaw[ConferenceMeeting](ctx, c, core, conferenceMeetingsPath, opts)
}

// ListMediatorCallsRaw is ListMediatorCalls keeping each record's bytes (of
// the inner page when the answer wears Mediator's wrapper).
func (c *Client) ListMediatorCallsRaw(ctx context.Context, opts ListOptions) (*RawPage[MediatorCall], error) {
	return listWithRaw[MediatorCall](ctx, c, coreMediatorDRs, mediatorCallsPath, opts)
}

// RecordSource names a detail-record collection for ListRawAs.
type RecordSource int

// The detail-record collections.
const (
	CallDRs RecordSource = iota
	MessageDRs
	ConferenceCalls
	ConferenceMeetings
	MediatorCalls
)

// ListRawAs is the List*Raw of src decoded into the caller's own type T
// (by its json tags; members T lacks are skipped unread), for a reader that
// needs only some fields of each record and its bytes as sent.
func ListRawAs[T any](ctx context.Context, c *Client, src RecordSource, opts ListOptions) (*RawPage[T], error) {
	switch src {
	case CallDRs:
		return listWithRaw[T](ctx, c, core, callDRsPath, opts)
	case MessageDRs:
		return listWithRaw[T](ctx, c, core, messageDRsPath, opts)
	case ConferenceCalls:
		return listWithRaw[T](ctx, c, core, conferenceCallsPath, opts)
	case ConferenceMeetings:
		return listWithRaw[T](ctx, c, core, conferenceMeetingsPath, opts)
	case MediatorCalls:
		return listWithRaw[T](ctx, c, coreMediatorDRs, mediatorCallsPath, opts)
	}
	return nil, fmt.Errorf("carrierx: unknown record source %d", src)
}

// listWithRaw reads one page in a single pass over the body: each item is
// decoded into T and its bytes are kept beside it.
func listWithRaw[T any](ctx context.Context, c *Client, s service, path string, opts ListOptions) (*RawPage[T], error) {
	q, err := opts.Query()
	if err != nil {
		return nil, err
	}
	var body rawBody
	if err := c.do(ctx, s.get(path, q), &body); err != nil {
		return nil, err
	}
	p, err := decodeRawPage[T](body)
	if err != nil {
		return nil, fmt.Errorf("carrierx: GET %s: decoding response: %w", s.base+path, err)
	}
	return p, nil
}

// pageDecodeOptions are lenient where encoding/json is (duplicate member
// names, invalid UTF-8), so a page the rest of the client would accept is not
// refused here.
var pageDecodeOptions = jsonv2.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// decodeRawPage decodes CarrierX's list envelope (§2.1) from body. Items are
// decoded with the go-json-experiment engine straight from the token stream;
// their bytes are the input between the decoder's offsets around each one,
// sub-slices of body.
func decodeRawPage[T any](body []byte) (*RawPage[T], error) {
	p := &RawPage[T]{}
	dec := jsontext.NewDecoder(bytes.NewReader(body), pageDecodeOptions)
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	if tok.Kind() != '{' {
		return nil, fmt.Errorf("want a JSON object, got %s", tok.Kind())
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		name := tok.String()
		switch name {
		case "items":
			if dec.PeekKind() == 'n' {
				if _, err := dec.ReadToken(); err != nil {
					return nil, err
				}
				continue
			}
			if tok, err := dec.ReadToken(); err != nil {
				return nil, err
			} else if tok.Kind() != '[' {
				return nil, fmt.Errorf("items: want an array, got %s", tok.Kind())
			}
			for dec.PeekKind() != ']' {
				start := dec.InputOffset()
				var it T
				if err := jsonv2.UnmarshalDecode(dec, &it, pageDecodeOptions); err != nil {
					return nil, fmt.Errorf("items[%d]: %w", len(p.Items), err)
				}
				raw := bytes.TrimLeft(body[start:dec.InputOffset()], ", \t\r\n")
				p.Items = append(p.Items, it)
				p.Raw = append(p.Raw, raw)
			}
			if _, err := dec.ReadToken(); err != nil { // ]
				return nil, err
			}
		default:
			// The rest of the envelope is small: decode it as the other
			// list calls do.
			val, err := dec.ReadValue()
			if err != nil {
				return nil, err
			}
			if err := json.Unmarshal(envelopeMember(name, val), &p.Page); err != nil {
				return nil, err
			}
		}
	}
	if _, err := dec.ReadToken(); err != nil { // }
		return nil, err
	}
	return p, nil
}

// envelopeMember is {"name": val}.
func envelopeMember(name string, val jsontext.Value) []byte {
	k, _ := json.Marshal(name)
	b := make([]byte, 0, len(k)+len(val)+3)
	b = append(append(append(append(b, '{'), k...), ':'), val...)
	return append(b, '}')
}
