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

-- +goose Down
DROP TABLE call_endpoints;
ALTER TABLE invoices            ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE mediator_calls      ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE conference_meetings ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE conference_calls    ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE message_records     ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
ALTER TABLE call_records        ALTER COLUMN raw TYPE jsonb USING raw::jsonb;
