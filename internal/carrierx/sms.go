package carrierx

import (
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/shopspring/decimal"
)

// SMSMessage is an SMS or MMS message (§4.11). Status is "queued" when sent
// and "sent" later; other values are not confirmed.
type SMSMessage struct {
	DateChanged       *time.Time          `json:"date_changed"`
	DateCreated       *time.Time          `json:"date_created"`
	DateStatusChanged *time.Time          `json:"date_status_changed"`
	Direction         string              `json:"direction"` // inbound, outbound, undirected
	From              string              `json:"from"`
	GroupRecipients   []string            `json:"group_recipients"`
	MCC               *int                `json:"mcc"`
	MediaURLs         []string            `json:"media_urls"`
	Message           string              `json:"message"`
	MessageSegments   int                 `json:"message_segments"`
	MessageSID        string              `json:"message_sid"`
	MNC               *int                `json:"mnc"`
	PartnerSID        string              `json:"partner_sid"`
	Price             decimal.NullDecimal `json:"price"` // null until rated
	Status            string              `json:"status"`
	To                string              `json:"to"`
	Type              string              `json:"type"` // sms, mms
	UserData          *string             `json:"user_data"`
}

// SendMessageRequest is the body of POST /sms/messages. From must be a
// number the partner rents (with messaging enabled); an SMS needs Message,
// an MMS MediaURLs and/or GroupRecipients (at most 10 participants, the
// sender included). Empty fields are not sent.
type SendMessageRequest struct {
	From            string   `json:"from,omitempty"`
	To              string   `json:"to,omitempty"`
	Message         string   `json:"message,omitempty"` // at most 1600 characters
	MediaURLs       []string `json:"media_urls,omitempty"`
	GroupRecipients []string `json:"group_recipients,omitempty"`
	UserData        string   `json:"user_data,omitempty"`
}

// SMSMessageUpdate is the body of a message PATCH. Only user_data can be
// changed on a message that has been sent.
type SMSMessageUpdate struct {
	UserData Optional[string] `json:"user_data,omitzero"`
}

// MessageDRUpdate is the body of a message detail record PATCH. Only
// user_data is writable.
type MessageDRUpdate struct {
	UserData Optional[string] `json:"user_data,omitzero"`
}

// smsUserDataWritable is the writable field of a message or message detail
// record, for PUT.
type smsUserDataWritable struct {
	UserData *string `json:"user_data"`
}

const smsMessagesPath = "/sms/messages"

func smsMessagePath(sid string) (string, error) {
	if err := requireSID("message_sid", sid); err != nil {
		return "", err
	}
	return smsMessagesPath + "/" + pathEscape(sid), nil
}

// SendMessage sends an SMS or MMS (POST /sms/messages); the message comes
// back "queued".
func (c *Client) SendMessage(ctx context.Context, m SendMessageRequest) (*SMSMessage, error) {
	return send[SMSMessage](ctx, c, core, http.MethodPost, smsMessagesPath, nil, m)
}

// ListMessages returns one page of messages (GET /sms/messages).
func (c *Client) ListMessages(ctx context.Context, opts ListOptions) (*Page[SMSMessage], error) {
	return listPage[SMSMessage](ctx, c, core, smsMessagesPath, opts)
}

// AllMessages iterates over every message matching opts.
func (c *Client) AllMessages(ctx context.Context, opts ListOptions) iter.Seq2[SMSMessage, error] {
	return allItems[SMSMessage](ctx, c, core, smsMessagesPath, opts)
}

// GetMessage returns one message (GET /sms/messages/{message_sid}).
func (c *Client) GetMessage(ctx context.Context, sid string) (*SMSMessage, error) {
	p, err := smsMessagePath(sid)
	if err != nil {
		return nil, err
	}
	return getOne[SMSMessage](ctx, c, core, p, nil)
}

// UpdateMessage changes the fields set in u (PATCH).
func (c *Client) UpdateMessage(ctx context.Context, sid string, u SMSMessageUpdate) (*SMSMessage, error) {
	p, err := smsMessagePath(sid)
	if err != nil {
		return nil, err
	}
	return send[SMSMessage](ctx, c, core, http.MethodPatch, p, nil, u)
}

// ReplaceMessage replaces the message's writable fields (user_data) with
// those of m (PUT).
func (c *Client) ReplaceMessage(ctx context.Context, sid string, m SMSMessage) (*SMSMessage, error) {
	p, err := smsMessagePath(sid)
	if err != nil {
		return nil, err
	}
	return send[SMSMessage](ctx, c, core, http.MethodPut, p, nil, smsUserDataWritable{UserData: m.UserData})
}

// UpdateMessageDR changes the fields set in u on a message detail record
// (PATCH /sms/message_drs/{dr_sid}).
func (c *Client) UpdateMessageDR(ctx context.Context, sid string, u MessageDRUpdate) (*MessageDetailRecord, error) {
	if err := requireSID("dr_sid", sid); err != nil {
		return nil, err
	}
	return send[MessageDetailRecord](ctx, c, core, http.MethodPatch, messageDRsPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceMessageDR replaces the record's writable fields (user_data) with
// those of r (PUT /sms/message_drs/{dr_sid}).
func (c *Client) ReplaceMessageDR(ctx context.Context, sid string, r MessageDetailRecord) (*MessageDetailRecord, error) {
	if err := requireSID("dr_sid", sid); err != nil {
		return nil, err
	}
	return send[MessageDetailRecord](ctx, c, core, http.MethodPut, messageDRsPath+"/"+pathEscape(sid), nil, smsUserDataWritable{UserData: r.UserData})
}
