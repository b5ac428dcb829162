-- +goose Up
-- raw becomes json: the record's text exactly as CarrierX sent it (jsonb
-- reorders keys and drops duplicates), and cheaper to load, as Postgres only
-- checks json text where it parses jsonb into a tree.
ALTER TABLE call_records        ALTER COLUMN raw TYPE json USING raw::json;
ALTER TABLE message_records     ALTER COLUMN raw TYPE json USING raw::json;
ALTER TABLE conference_calls    ALTER COLUMN raw TYPE json USING raw::json;
ALTER TABLE conference_meetings ALTER COLUMN raw TYPE json USING raw::json;
ALTER TABLE mediator_calls      ALTER COLUMN raw TYPE json USING raw::json;
ALTER TABLE invoices            ALTER COLUMN raw TYPE json USING raw::json;

-- The endpoints seen in a partner's call records, for the explorer's endpoint
-- filter: kept as the records are saved, so offering the choice never scans
-- the records.
CREATE TABLE call_endpoints (
    partner_sid  text NOT NULL,
    endpoint_sid text NOT NULL,
    PRIMARY KEY (partner_sid, endpoint_sid)
);
INSERT INTO call_endpoints (partner_sid, endpoint_sid)
SELECT partner_sid, endpoint_sid_src FROM call_records WHERE endpoint_sid_src IS NOT NULL
UNION
SELECT partner_sid, endpoint_sid_dst FROM call_records WHERE endpoint_sid_dst IS NOT NULL;

-- Call totals per partner, quarter hour of date_stop (UTC), direction and
-- whether answered: the summary strip, per-day and per-hour charts and the
-- overview read these instead of every record. Each batch of records saved
-- recomputes the quarter hours it touches, in its own transaction; every
-- time zone's offset is a whole number of quarter hours, so days and hours
-- in the user's zone are whole buckets.
CREATE TABLE call_rollup (
    partner_sid    text        NOT NULL,
    bucket         timestamptz NOT NULL,
    direction      text        NOT NULL,
    answered       boolean     NOT NULL,
    calls          bigint      NOT NULL,
    seconds        numeric     NOT NULL, -- sum of duration
    billed_seconds numeric     NOT NULL, -- sum of duration_billing
    cost           numeric     NOT NULL, -- sum of price
    PRIMARY KEY (partner_sid, bucket, direction, answered)
);
INSERT INTO call_rollup
SELECT partner_sid, to_timestamp(floor(extract(epoch FROM date_stop) / 900) * 900), direction, date_talk IS NOT NULL,
       count(*), coalesce(sum(duration), 0), coalesce(sum(duration_billing), 0), coalesce(sum(price), 0)
FROM call_records WHERE date_stop IS NOT NULL
GROUP BY 1, 2, 3, 4;

-- +goose Down
DROP TABLE call_rollup;
DROP TABLE call_endpoints;
ALTER TABLE invoices            ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE mediator_calls      ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE conference_meetings ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE conference_calls    ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE message_records     ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE call_records        ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
