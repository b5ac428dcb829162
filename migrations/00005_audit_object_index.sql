-- +goose Up
-- One object's history (a number, an endpoint...) is read from its page.
CREATE INDEX audit_log_partner_object ON audit_log (partner_sid, object_sid, id DESC);

-- +goose Down
DROP INDEX audit_log_partner_object;
