package sandbox

import (
	"hash/fnv"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Lookups (Core v2 /lookup): phone number details, IP address location,
// and the CIC / RespOrg of toll-free numbers. The notes (§4.19) only name
// GET /lookup/dids/{phonenumber}?cnam=true; the shapes below follow
// CarrierX's samples where there are any (phone number details; CIC with
// RespOrg) and are marked where they are not.
//
// None of the opt-in scopes the docs name (lookup.dids.allow_carrier,
// allow_cnam, allow_lrn, lookup.toll_free.allow_cic, allow_resporg) is
// checked: the sandbox's partners are treated as having them enabled.

func init() {
	routeAdders = append(routeAdders, (*Sandbox).lookupRoutes)
}

func (s *Sandbox) lookupRoutes(rt *router) {
	rt.handle("GET", "/lookup/dids/{phonenumber}", s.lookupDID)
	rt.handle("GET", "/lookup/lookup/ip_addresses/{ip_address}", ipLocationHandler)
	rt.handle("GET", "/lookup/toll_free/{tollfree_phonenumber}/{calling_number}/{lata}", lookupCIC)
	rt.handle("GET", "/lookup/toll_free/{tollfree_phonenumber}", lookupRespOrg)
}

// --- phone number details -------------------------------------------------

// didLookupSchema is the phone number details object of CarrierX's samples:
//
//	{"country_code":"USA","details":{"carrier":null,"cnam":null,"lrn":null},
//	 "e164_format":"+15623499000","in_country_format":"(562) 349-9000",
//	 "international_format":"+1 562-349-9000","phonenumber":"15623499000","state":"CA"}
//
// with details.carrier = {"mcc","mnc","name","type"} when carrier=true.
var didLookupSchema = newSchema("phonenumber_lookup", "phonenumber",
	roStr("country_code"),
	fld("details", kindObject, ro()),
	roStr("e164_format"),
	roStr("in_country_format"),
	roStr("international_format"),
	roStr("phonenumber"),
	roStr("state"),
)

// Shared E.164 country codes, and the country each one means when no
// longer prefix below says otherwise.
var lookupSharedPrefix = map[string]string{
	"1": "USA", "7": "RUS", "44": "GBR", "47": "NOR", "61": "AUS", "64": "NZL", "212": "MAR",
	"262": "REU", "358": "FIN", "500": "FLK", "590": "GLP", "599": "CUW", "672": "ATA",
}

// lookupSubPrefixes are number ranges of a shared code that belong to another
// country (the longest matching prefix wins).
var lookupSubPrefixes = map[string]string{
	// Kazakhstan within +7.
	"76": "KAZ", "77": "KAZ",
	// Guernsey, Jersey and the Isle of Man within +44 (their landlines).
	"441481": "GGY", "441534": "JEY", "441624": "IMN",
	// Svalbard within +47, Åland within +358.
	"4779": "SJM", "35818": "ALA",
	// Cocos (Keeling) and Christmas Islands within +61; Norfolk Island within +672.
	"6189162": "CCK", "6189164": "CXR", "6723": "NFK",
	// Mayotte within +262; Saint Barthélemy and Saint Martin within +590.
	"262269": "MYT", "262639": "MYT", "59059027": "BLM", "59059087": "MAF",
	// Bonaire, Sint Eustatius and Saba within +599.
	"5993": "BES", "5994": "BES", "5997": "BES",
	// Vatican City's numbers within +39; Ascension Island's +247.
	"3906698": "VAT", "247": "SHN",
}

// lookupNANPExtra are area codes of NANP members besides the one in their
// dialing_prefix (1 + area code); every other area code is the United
// States'. Canada's dialing_prefix is the bare "1", so its area codes are
// all listed.
var lookupNANPExtra = map[string]string{
	"829": "DOM", "849": "DOM", "939": "PRI", "658": "JAM",
}

var lookupCanadaNPAs = []string{"204", "226", "236", "249", "250", "257", "263", "289", "306", "343", "354",
	"365", "367", "368", "382", "403", "416", "418", "428", "431", "437", "438", "450", "468", "474",
	"506", "514", "519", "548", "579", "581", "584", "587", "604", "613", "639", "647", "672", "683",
	"705", "709", "742", "753", "778", "780", "782", "807", "819", "825", "867", "873", "879", "902", "905", "600"}

var (
	lookupPrefixCountry = map[string]string{} // E.164 prefix -> alpha-3
	lookupNANPCountry   = map[string]string{} // area code -> alpha-3 (United States when absent)
	lookupUSState       = map[string]string{} // US area code -> state (lookupUSAreaCodes)
	lookupMaxPrefix     int
)

func init() {
	for i := range countryRows {
		r := &countryRows[i]
		p := r.dialingPrefix
		switch {
		case strings.HasPrefix(p, "1") && len(p) == 4:
			lookupNANPCountry[p[1:]] = r.alpha3
		case lookupSharedPrefix[p] != "":
			lookupPrefixCountry[p] = lookupSharedPrefix[p]
		default:
			if other, dup := lookupPrefixCountry[p]; dup {
				panic("sandbox: dialing prefix " + p + " is shared by " + other + " and " + r.alpha3)
			}
			lookupPrefixCountry[p] = r.alpha3
		}
	}
	for p, a := range lookupSubPrefixes {
		lookupPrefixCountry[p] = a
	}
	for npa, a := range lookupNANPExtra {
		lookupNANPCountry[npa] = a
	}
	for _, npa := range lookupCanadaNPAs {
		lookupNANPCountry[npa] = "CAN"
	}
	for p := range lookupPrefixCountry {
		lookupMaxPrefix = max(lookupMaxPrefix, len(p))
	}
	for state, list := range lookupUSAreaCodes {
		for _, npa := range strings.Fields(list) {
			if other := lookupUSState[npa]; other != "" {
				panic("sandbox: area code " + npa + " listed for " + other + " and " + state)
			}
			lookupUSState[npa] = state
		}
	}
}

// lookupUSAreaCodes are the geographic area codes of the states and the District
// of Columbia (NANPA assignments, overlays included).
var lookupUSAreaCodes = map[string]string{
	"AL": "205 251 256 334 659 938", "AK": "907", "AZ": "480 520 602 623 928",
	"AR": "327 479 501 870",
	"CA": "209 213 279 310 323 341 350 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 " +
		"707 714 747 760 805 818 820 831 840 858 909 916 925 949 951",
	"CO": "303 719 720 970 983", "CT": "203 475 860 959", "DE": "302", "DC": "202 771",
	"FL": "239 305 321 352 386 407 448 561 656 689 727 754 772 786 813 850 863 904 941 954",
	"GA": "229 404 470 478 678 706 762 770 912 943", "HI": "808", "ID": "208 986",
	"IL": "217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872",
	"IN": "219 260 317 463 574 765 812 930", "IA": "319 515 563 641 712", "KS": "316 620 785 913",
	"KY": "270 364 502 606 859", "LA": "225 318 337 504 985", "ME": "207",
	"MD": "227 240 301 410 443 667", "MA": "339 351 413 508 617 774 781 857 978",
	"MI": "231 248 269 313 517 586 616 679 734 810 906 947 989", "MN": "218 320 507 612 651 763 952",
	"MS": "228 601 662 769", "MO": "235 314 417 557 573 636 660 816", "MT": "406", "NE": "308 402 531",
	"NV": "702 725 775", "NH": "603", "NJ": "201 551 609 640 732 848 856 862 908 973", "NM": "505 575",
	"NY": "212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934",
	"NC": "252 336 472 704 743 828 910 919 980 984", "ND": "701",
	"OH": "216 220 234 283 326 330 380 419 436 440 513 567 614 740 937", "OK": "405 539 572 580 918",
	"OR": "458 503 541 971", "PA": "215 223 267 272 412 445 484 570 582 610 717 724 814 835 878",
	"RI": "401", "SC": "803 821 839 843 854 864", "SD": "605", "TN": "423 615 629 731 865 901 931",
	"TX": "210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 " +
		"940 945 956 972 979",
	"UT": "385 435 801", "VT": "802", "VA": "276 434 540 571 703 757 804 826 948",
	"WA": "206 253 360 425 509 564", "WV": "304 681", "WI": "262 274 353 414 534 608 715 920", "WY": "307",
}

// lookupNumberCountry returns the alpha-3 code of an E.164 number (digits only),
// or "" when no country code matches.
func lookupNumberCountry(num string) string {
	if strings.HasPrefix(num, "1") {
		if len(num) < 4 {
			return ""
		}
		if a := lookupNANPCountry[num[1:4]]; a != "" {
			return a
		}
		return "USA"
	}
	for n := min(lookupMaxPrefix, len(num)); n > 0; n-- {
		if a := lookupPrefixCountry[num[:n]]; a != "" {
			return a
		}
	}
	return ""
}

// countryCallingCode is the E.164 country code of a country: "1" for every NANP
// member, else its dialing_prefix.
func countryCallingCode(r *countryRow) string {
	if strings.HasPrefix(r.dialingPrefix, "1") {
		return "1"
	}
	return r.dialingPrefix
}

func lookupDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lookupValidNANP reports whether an 11-digit 1NPANXXXXXX number is well formed
// (area code and exchange start with 2-9).
func lookupValidNANP(num string) bool {
	return len(num) == 11 && num[0] == '1' && num[1] >= '2' && num[4] >= '2'
}

// normalizeLookupNumber turns the path's phone number into E.164 digits.
// Characters besides digits and "+" are ignored, as the docs say. With a
// country_code hint, a number without a leading "+" that does not already
// start with that country's calling code is read as a national number: the
// calling code is put in front (for the NANP, of a 10-digit number only),
// after dropping one trunk "0" (not in Italy, San Marino and the Vatican,
// where the 0 is part of the number). How CarrierX applies country_code
// (and what guess does) is not confirmed.
func normalizeLookupNumber(raw string, hint *countryRow) string {
	digits := lookupDigits(raw)
	if hint == nil || strings.HasPrefix(strings.TrimSpace(raw), "+") {
		return digits
	}
	cc := countryCallingCode(hint)
	if cc == "1" {
		if len(digits) == 10 {
			return "1" + digits
		}
		return digits
	}
	if strings.HasPrefix(digits, cc) {
		return digits
	}
	if strings.HasPrefix(digits, "0") && hint.alpha2 != "IT" && hint.alpha2 != "SM" && hint.alpha2 != "VA" {
		digits = digits[1:]
	}
	return cc + digits
}

// lookupDID serves GET /lookup/dids/{phonenumber}.
//
// Query arguments: carrier, cnam, lrn (booleans: fill details.<name>),
// hlr (boolean, accepted with no effect: its answer is not documented),
// cnam_ttl (non-negative integer; there is no cache to override),
// country_code (alpha-3 hint, see normalizeLookupNumber), guess (accepted
// with no effect) and include_fields / exclude_fields.
//
// Not confirmed, and chosen conservatively:
//   - a number with no digits, more than 15 digits, fewer than 7, no known
//     country code, or a malformed NANP number is a 400 naming phonenumber;
//     an unknown country_code hint is a 400 naming country_code;
//   - numbers the sandbox holds (available, rented or aging) answer from
//     their DID: state; carrier {"mcc":null,"mnc":null,"name":"CARRIERX",
//     "type":"voip"}; lrn the number itself (not ported); cnam, for a
//     rented number only, {"name": <the renting partner's name, upper-case,
//     at most 15 characters>}. The shape of cnam and lrn is not documented
//     (CarrierX's samples show null); an object with "name" and a string
//     are served;
//   - other numbers answer what the number itself tells: the country, and
//     for United States numbers the state of a geographic area code;
//     carrier, cnam and lrn stay null
//     (unknown) even when asked for;
//   - in_country_format and international_format are grouped the NANP way
//     for NANP numbers ("(562) 349-9000", "+1 562-349-9000"); other
//     numbers are not grouped: the national significant number, and
//     "+<country code> <national significant number>".
func (s *Sandbox) lookupDID(c *call) (int, any, *apiError) {
	flags := map[string]bool{}
	for _, k := range []string{"carrier", "cnam", "lrn", "hlr"} {
		v, err := parseBoolParam(k, c.q.Get(k), false)
		if err != nil {
			return 0, nil, err
		}
		flags[k] = v
	}
	if _, err := intParam(c.q, "cnam_ttl", 0); err != nil {
		return 0, nil, err
	}
	sel, err := parseFieldSel(c.q, didLookupSchema, nil)
	if err != nil {
		return 0, nil, err
	}
	var hint *countryRow
	if cc := c.q.Get("country_code"); cc != "" {
		if hint = countryByAlpha3[cc]; hint == nil {
			return 0, nil, errBadRequest("country_code", "country_code must be an ISO 3166-1 alpha-3 code")
		}
	}
	num := normalizeLookupNumber(c.param("phonenumber"), hint)
	bad := errBadRequest("phonenumber", "phonenumber is not a valid phone number")
	if len(num) < 7 || len(num) > 15 {
		return 0, nil, bad
	}
	alpha3 := lookupNumberCountry(num)
	if alpha3 == "" {
		return 0, nil, bad
	}
	nanp := strings.HasPrefix(num, "1")
	if nanp && !lookupValidNANP(num) {
		return 0, nil, bad
	}
	country := countryByAlpha3[alpha3]
	nsn := num[len(countryCallingCode(country)):]
	o := object{"country_code": alpha3, "e164_format": "+" + num, "phonenumber": num, "state": nil,
		"in_country_format": nsn, "international_format": "+" + countryCallingCode(country) + " " + nsn}
	if nanp {
		npa, nxx, line := num[1:4], num[4:7], num[7:]
		o["in_country_format"] = "(" + npa + ") " + nxx + "-" + line
		o["international_format"] = "+1 " + npa + "-" + nxx + "-" + line
		if alpha3 == "USA" {
			o["state"] = countryNull(lookupUSState[npa])
		}
	}
	details := object{"carrier": nil, "cnam": nil, "lrn": nil}
	if rec := s.didByNumber[num]; rec != nil {
		if st, ok := rec.obj["state"].(string); ok && st != "" {
			o["state"] = st
		}
		if flags["carrier"] {
			details["carrier"] = object{"mcc": nil, "mnc": nil, "name": "CARRIERX", "type": "voip"}
		}
		if flags["lrn"] {
			details["lrn"] = num
		}
		if flags["cnam"] && rec.status == "assigned" {
			if p := s.partners.get(rec.owner); p != nil {
				name, _ := p.obj["name"].(string)
				details["cnam"] = object{"name": lookupCNAM(name)}
			}
		}
	}
	o["details"] = details
	return http.StatusOK, sel.apply(o), nil
}

// lookupCNAM is a caller name as CNAM carries it: upper-case, at most 15
// characters.
func lookupCNAM(name string) string {
	name = strings.ToUpper(strings.TrimSpace(name))
	for utf8.RuneCountInString(name) > 15 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return strings.TrimSpace(name)
}

// --- toll-free CIC and RespOrg ---------------------------------------------

// cicLookupSchema is the CIC answer of the docs' sample ({"cic":"5102",
// "resporg":"TZN99"}); respOrgLookupSchema the RespOrg answer, whose shape
// is not confirmed: {"resporg": ...} is served.
var (
	cicLookupSchema     = newSchema("cic_lookup", "", roStr("cic"), roStr("resporg"))
	respOrgLookupSchema = newSchema("resporg_lookup", "", roStr("resporg"))
)

// lookupTollFreeNPAs are the NANP toll-free area codes.
var lookupTollFreeNPAs = []string{"800", "833", "844", "855", "866", "877", "888"}

// lookupNANPDigits reads a NANP number given with or without the leading 1
// (other characters ignored); "" when it is not one.
func lookupNANPDigits(raw string) string {
	d := lookupDigits(raw)
	if len(d) == 10 {
		d = "1" + d
	}
	if !lookupValidNANP(d) {
		return ""
	}
	return d
}

func lookupTollFreeDigits(c *call) (string, *apiError) {
	d := lookupNANPDigits(c.param("tollfree_phonenumber"))
	if d == "" || !contains(lookupTollFreeNPAs, d[1:4]) {
		return "", errBadRequest("tollfree_phonenumber", "tollfree_phonenumber must be a toll-free number (8XX area code)")
	}
	return d, nil
}

// The sandbox has no SMS/800 or CIC data: the answers are synthetic and
// stable, drawn from the number (and for the CIC, the originating LATA,
// since toll-free routing may differ by origin) with FNV-1a. The CICs are
// the docs' sample 5102 and the widely known 0222, 0288 and 0333; the
// RespOrg IDs are the docs' sample TZN99 and sandbox-only SBX IDs. A
// number whose last four digits are 0000 is treated as spare: its CIC and
// RespOrg are "" (the docs: an empty string means the lookup succeeded but
// the number has none).
var (
	lookupCICs     = []string{"0222", "0288", "0333", "5102"}
	lookupRespOrgs = []string{"TZN99", "SBX01", "SBX02", "SBX03"}
)

func lookupPick(list []string, key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	return list[h.Sum32()%uint32(len(list))]
}

func tollFreeSpare(num string) bool { return strings.HasSuffix(num, "0000") }

func lookupRespOrgOf(num string) string {
	if tollFreeSpare(num) {
		return ""
	}
	return lookupPick(lookupRespOrgs, num)
}

// lookupCIC serves GET /lookup/toll_free/{tollfree_phonenumber}/{calling_number}/{lata}.
//
// Query arguments cic and resporg (booleans) choose what is looked up; a
// value not looked up is answered as null. Not confirmed, and chosen
// conservatively: cic defaults to true (the route's purpose), resporg to
// false; a malformed toll-free number, calling number (a NANP number) or
// LATA (three digits) is a 400 naming it.
func lookupCIC(c *call) (int, any, *apiError) {
	tf, err := lookupTollFreeDigits(c)
	if err != nil {
		return 0, nil, err
	}
	if lookupNANPDigits(c.param("calling_number")) == "" {
		return 0, nil, errBadRequest("calling_number", "calling_number must be a NANP phone number")
	}
	lata := c.param("lata")
	if len(lata) != 3 || lookupDigits(lata) != lata {
		return 0, nil, errBadRequest("lata", "lata must be a three-digit LATA code")
	}
	wantCIC, err := parseBoolParam("cic", c.q.Get("cic"), true)
	if err != nil {
		return 0, nil, err
	}
	wantRespOrg, err := parseBoolParam("resporg", c.q.Get("resporg"), false)
	if err != nil {
		return 0, nil, err
	}
	sel, err := parseFieldSel(c.q, cicLookupSchema, nil)
	if err != nil {
		return 0, nil, err
	}
	o := object{"cic": nil, "resporg": nil}
	if wantCIC {
		o["cic"] = ""
		if !tollFreeSpare(tf) {
			o["cic"] = lookupPick(lookupCICs, tf+"/"+lata)
		}
	}
	if wantRespOrg {
		o["resporg"] = lookupRespOrgOf(tf)
	}
	return http.StatusOK, sel.apply(o), nil
}

// lookupRespOrg serves GET /lookup/toll_free/{tollfree_phonenumber}: the
// RespOrg of the number, {"resporg": ...}. Not confirmed: the shape, and
// that a resporg=false query answers null.
func lookupRespOrg(c *call) (int, any, *apiError) {
	tf, err := lookupTollFreeDigits(c)
	if err != nil {
		return 0, nil, err
	}
	want, err := parseBoolParam("resporg", c.q.Get("resporg"), true)
	if err != nil {
		return 0, nil, err
	}
	sel, err := parseFieldSel(c.q, respOrgLookupSchema, nil)
	if err != nil {
		return 0, nil, err
	}
	o := object{"resporg": nil}
	if want {
		o["resporg"] = lookupRespOrgOf(tf)
	}
	return http.StatusOK, sel.apply(o), nil
}
