package sandbox

import "time"

// partnerSchema is the Partner object (§4.6), as /oauth/whoami shows it.
// Partner routes (/partners) are not served yet; the schema serves field
// filtering and is ready for them.
var partnerSchema = newSchema("partner", "partner_sid",
	emptyArr("acls"),
	optStr("address1"),
	optStr("address2"),
	emptyObj("attributes"),
	fld("available_scopes", kindArray, ro(), elemKind(kindString)),
	fld("balance", kindNum, ro()),
	optStr("billing_email"),
	emptyObj("callbacks"),
	fld("charge_at", kindNum, null()),
	optStr("city"),
	optStr("company_name"),
	optStr("country_code"),
	fld("daily_spending_limit", kindNum, null()),
	fld("daily_spent_amount", kindNum, ro(), null()),
	fld("date_created", kindTime, ro()),
	fld("display_id", kindString, ro()),
	fld("login", kindString, maxLen(255)),
	fld("name", kindString, maxLen(255)),
	optStr("owner_email"),
	fld("parent_assigned_acls", kindArray, ro()),
	roStr("parent_sid"),
	sidField("partner_sid"),
	fld("payment_type", kindString, ro()),
	optStr("phonenumber"),
	fld("prepay_amount", kindNum, null()),
	fld("spending_limit", kindNum, null()),
	optStr("state"),
	fld("status", kindString, ro()),
	optStr("tech_email"),
	emptyArr("transformations"),
	optStr("zip"),
)

// allScopes are the scopes every seeded partner has (the "manage" scopes of
// CarrierX's token sample, §9 ex. 1).
var allScopes = []string{"accesscontrol.manage", "endpoints.manage", "oauth.manage", "partners.manage",
	"phonenumber.manage", "push.manage", "shortener.manage", "sms.manage", "storage.manage",
	"trunk_groups.manage", "trunk_groups.trunks.manage"}

func scopesValue(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// partnerSeed is what differs between the seeded partners.
type partnerSeed struct {
	login, password, name, company, city, state, zip, phone, email, balance string
	ageDays                                                                 int
}

// addPartner stores a partner. Callers hold the write lock (or are seeding).
func (s *Sandbox) addPartner(p partnerSeed) *record {
	sid := s.newSID()
	created := s.now().AddDate(0, 0, -p.ageDays).Add(-time.Duration(s.rng.IntN(86400)) * time.Second)
	obj := object{
		"acls": []any{}, "address1": "100 Main Street", "address2": nil, "attributes": object{},
		"available_scopes": scopesValue(allScopes), "balance": p.balance,
		"billing_email": "billing@" + p.email, "callbacks": object{}, "charge_at": "20",
		"city": p.city, "company_name": p.company, "country_code": "USA",
		"daily_spending_limit": "0", "daily_spent_amount": "0", "date_created": formatTS(created),
		"display_id": "CX" + itoa(10000000+s.rng.IntN(89999999)), "login": p.login, "name": p.name,
		"owner_email": "owner@" + p.email, "parent_assigned_acls": []any{}, "parent_sid": nil,
		"partner_sid": sid, "payment_type": "prepay", "phonenumber": p.phone, "prepay_amount": "100",
		"spending_limit": "0", "state": p.state, "status": "active", "tech_email": "noc@" + p.email,
		"transformations": []any{}, "zip": p.zip,
	}
	r := &record{sid: sid, owner: sid, obj: obj, secret: p.password}
	s.partners.insert(r)
	s.byLogin[p.login] = r
	return r
}
