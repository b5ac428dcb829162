-- +goose Up
-- Each "Send" form carries a key of its own; a send claims its key here
-- before CarrierX is asked, so a double click, a second tab or a retried
-- request never sends the same message twice. message_sid is filled once
-- CarrierX has accepted it.
CREATE TABLE message_sends (
    partner_sid text        NOT NULL,
    send_key    text        NOT NULL,
    message_sid text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_sid, send_key)
);

-- +goose Down
DROP TABLE message_sends;
