package web

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// numberForm is the edit form of a number, as submitted.
type numberForm struct {
	Name          string
	TrunkGroupSID string
	CallbackURL   string
	StringKey1    string
	StringKey2    string
}

func parseNumberForm(get func(string) string) numberForm {
	return numberForm{
		Name:          strings.TrimSpace(get("name")),
		TrunkGroupSID: strings.TrimSpace(get("trunk_group_sid")),
		CallbackURL:   strings.TrimSpace(get("callback_url")),
		StringKey1:    strings.TrimSpace(get("string_key_1")),
		StringKey2:    strings.TrimSpace(get("string_key_2")),
	}
}

const maxTextField = 255

// validate finds what the console can tell is wrong before asking CarrierX,
// which has the last word on everything else.
func (f numberForm) validate() map[string]string {
	errs := map[string]string{}
	for field, v := range map[string]string{"name": f.Name, "string_key_1": f.StringKey1, "string_key_2": f.StringKey2} {
		if utf8.RuneCountInString(v) > maxTextField {
			errs[field] = "At most 255 characters."
		}
	}
	if f.CallbackURL != "" {
		u, err := url.Parse(f.CallbackURL)
		switch {
		case err != nil || u.Host == "":
			errs["callback_url"] = "Enter a full URL, such as https://example.com/sms."
		case u.Scheme != "http" && u.Scheme != "https":
			errs["callback_url"] = "The URL must start with https:// or http://."
		case len(f.CallbackURL) > 2048:
			errs["callback_url"] = "At most 2048 characters."
		}
	}
	// The trunk group is CarrierX's to check: the form offers only the
	// partner's groups, and one deleted since the form was shown is refused
	// there, with the reason beside the field.
	return errs
}

// change is what the form changes on the DID: the PATCH body and the audit's
// before and after, holding only the fields that differ.
func (f numberForm) change(d carrierx.DID) (carrierx.DIDUpdate, map[string]any, map[string]any) {
	var u carrierx.DIDUpdate
	before, after := map[string]any{}, map[string]any{}
	nullable := func(field, cur, next string, set func(carrierx.Optional[string])) {
		if cur == next {
			return
		}
		if next == "" {
			set(carrierx.Null[string]())
			after[field] = nil
		} else {
			set(carrierx.Set(next))
			after[field] = next
		}
		if cur == "" {
			before[field] = nil
		} else {
			before[field] = cur
		}
	}
	if f.Name != d.Name {
		u.Name = carrierx.Set(f.Name)
		before["name"], after["name"] = d.Name, f.Name
	}
	nullable("trunk_group_sid", deref(d.TrunkGroupSID), f.TrunkGroupSID, func(o carrierx.Optional[string]) { u.TrunkGroupSID = o })
	nullable("callback_url", deref(d.CallbackURL), f.CallbackURL, func(o carrierx.Optional[string]) { u.CallbackURL = o })
	nullable("string_key_1", deref(d.StringKey1), f.StringKey1, func(o carrierx.Optional[string]) { u.StringKey1 = o })
	nullable("string_key_2", deref(d.StringKey2), f.StringKey2, func(o carrierx.Optional[string]) { u.StringKey2 = o })
	return u, before, after
}

// apply shows the submitted values on a row, for re-displaying the form.
func (f numberForm) apply(r views.NumberRow) views.NumberRow {
	r.Name, r.TrunkGroupSID, r.CallbackURL, r.StringKey1, r.StringKey2 =
		f.Name, f.TrunkGroupSID, f.CallbackURL, f.StringKey1, f.StringKey2
	return r
}
