-- +goose Up
-- The report cache: copies of CarrierX detail records and invoices, one table per
-- source, filled by internal/reports. Every row belongs to one partner and every
-- query names it. sid is the record's own SID (dr_sid, call_sid, meeting_sid or
-- invoice_sid). Money and durations are exact numerics, times UTC timestamptz.
-- raw is the record exactly as CarrierX sent it, for the detail view; the
-- typed columns are the ones reports filter, group and sum on.

CREATE TABLE call_records (
    partner_sid         text        NOT NULL,
    sid                 text        NOT NULL, -- dr_sid
    date_start          timestamptz,
    date_stop           timestamptz,
    date_talk           timestamptz,
    direction           text        NOT NULL DEFAULT '',
    number_src          text,
    number_dst          text,
    number_billing      text,
    trunk_group_sid_src text,
    trunk_group_sid_dst text,
    endpoint_sid_src    text,
    endpoint_sid_dst    text,
    sipcause            text,
    duration            numeric,
    duration_billing    numeric,
    rate                numeric,
    price               numeric,
    raw                 jsonb       NOT NULL,
    synced_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_sid, sid)
);
CREATE INDEX call_records_date_stop ON call_records (partner_sid, date_stop, sid);

CREATE TABLE message_records (
    partner_sid      text        NOT NULL,
    sid              text        NOT NULL, -- dr_sid
    date_start       timestamptz,
    date_stop        timestamptz,
    date_sent        timestamptz,
    direction        text        NOT NULL DEFAULT '',
    type             text        NOT NULL DEFAULT '',
    status           text        NOT NULL DEFAULT '',
    number_src       text,
    number_dst       text,
    number_billing   text,
    message_segments integer     NOT NULL DEFAULT 0,
    mcc              integer,
    mnc              integer,
    provider         text,
    rate             numeric,
    price            numeric,
    raw              jsonb       NOT NULL,
    synced_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_sid, sid)
);
CREATE INDEX message_records_date_stop ON message_records (partner_sid, date_stop, sid);

CREATE TABLE conference_calls (
    partner_sid      text        NOT NULL,
    sid              text        NOT NULL, -- call_sid
    meeting_sid      text,
    meeting_room_sid text,
    endpoint_sid     text,
    date_start       timestamptz,
    date_join        timestamptz,
    date_stop        timestamptz,
    direction        text        NOT NULL DEFAULT '',
    role             text,
    number_src       text,
    number_dst       text,
    disconnect_cause integer,
    duration         numeric,
    duration_meeting numeric,
    raw              jsonb       NOT NULL,
    synced_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_sid, sid)
);
CREATE INDEX conference_calls_date_stop ON conference_calls (partner_sid, date_stop, sid);
CREATE INDEX conference_calls_meeting ON conference_calls (partner_sid, meeting_sid);

CREATE TABLE conference_meetings (
    partner_sid      text        NOT NULL,
    sid              text        NOT NULL, -- meeting_sid
    meeting_room_sid text,
    endpoint_sid     text,
    date_start       timestamptz,
    date_stop        timestamptz,
    duration         numeric,
    participants     integer     NOT NULL DEFAULT 0,
    raw              jsonb       NOT NULL,
    synced_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_sid, sid)
);
CREATE INDEX conference_meetings_date_stop ON conference_meetings (partner_sid, date_stop, sid);

CREATE TABLE mediator_calls (
    partner_sid      text        NOT NULL,
    sid              text        NOT NULL, -- dr_sid
    binding_sid      text,
    dialout_sid      text,
    endpoint_sid     text,
    date_start       timestamptz,
    date_stop        timestamptz,
    number_src       text,
    number_dst       text,
    number_redirect  text,
    status           text,
    duration         numeric,
    duration_billing numeric,
    price            numeric,
    raw              jsonb       NOT NULL,
    synced_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_sid, sid)
);
CREATE INDEX mediator_calls_date_stop ON mediator_calls (partner_sid, date_stop, sid);

CREATE TABLE invoices (
    partner_sid               text        NOT NULL,
    sid                       text        NOT NULL, -- invoice_sid
    display_id                text        NOT NULL DEFAULT '',
    status                    text        NOT NULL DEFAULT '',
    date_billing_period_start timestamptz,
    date_billing_period_end   timestamptz,
    date_issued               timestamptz,
    date_charged              timestamptz,
    amount                    numeric     NOT NULL,
    amount_due                numeric     NOT NULL,
    amount_tax                numeric     NOT NULL,
    paid                      boolean     NOT NULL DEFAULT false,
    raw                       jsonb       NOT NULL,
    synced_at                 timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_sid, sid)
);
CREATE INDEX invoices_period ON invoices (partner_sid, date_billing_period_start, sid);

-- Where each (partner, source) sync stands. synced_through is the largest
-- date_stop committed (the next run starts a little before it); cursor_sid the
-- last SID committed; records_total the rows cached for the source. The row is
-- advanced in the same transaction as the rows it describes.
CREATE TABLE sync_state (
    partner_sid          text        NOT NULL,
    source               text        NOT NULL,
    synced_through       timestamptz,
    cursor_sid           text,
    records_total        bigint      NOT NULL DEFAULT 0,
    last_run_started_at  timestamptz,
    last_run_finished_at timestamptz,
    last_run_records     bigint      NOT NULL DEFAULT 0,
    last_error           text,
    last_error_at        timestamptz,
    rate                 numeric, -- records per second of the last finished run
    PRIMARY KEY (partner_sid, source)
);

-- +goose Down
DROP TABLE sync_state;
DROP TABLE invoices;
DROP TABLE mediator_calls;
DROP TABLE conference_meetings;
DROP TABLE conference_calls;
DROP TABLE message_records;
DROP TABLE call_records;
