// Command gencountries writes internal/sandbox/countries_data.go: every
// ISO 3166-1 country, the codes and names taken from Debian's iso-codes
// (/usr/share/iso-codes/json/iso_3166-1.json), merged with the table below
// (dialing prefix, capital, UN M49 region and subregion, E.212 mobile
// country codes). It is not run at build time:
//
//	go run ./internal/sandbox/internal/gencountries > internal/sandbox/countries_data.go
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"sort"
	"strconv"
	"strings"
)

// facts holds, per alpha-2 code: dialing prefix | capital | region |
// subregion | mobile country codes. An empty capital, subregion or MCC is
// answered as null (no capital, no subregion, no MCC assigned).
//
// Dialing prefixes are ITU-T E.164 country codes. Members of the North
// American Numbering Plan other than the United States and Canada carry
// "1" followed by their (first) area code, as they are dialed; shared codes
// (7, 44, 47, 61, 262, 590, 599, ...) are given to every country that uses
// them. Regions and subregions follow the UN M49 geoscheme (Taiwan under
// Eastern Asia; Antarctica as "Antarctic" without a subregion).
const facts = `
AD|376|Andorra la Vella|Europe|Southern Europe|213
AE|971|Abu Dhabi|Asia|Western Asia|424,430,431
AF|93|Kabul|Asia|Southern Asia|412
AG|1268|Saint John's|Americas|Caribbean|344
AI|1264|The Valley|Americas|Caribbean|365
AL|355|Tirana|Europe|Southern Europe|276
AM|374|Yerevan|Asia|Western Asia|283
AO|244|Luanda|Africa|Middle Africa|631
AQ|672||Antarctic||
AR|54|Buenos Aires|Americas|South America|722
AS|1684|Pago Pago|Oceania|Polynesia|544
AT|43|Vienna|Europe|Western Europe|232
AU|61|Canberra|Oceania|Australia and New Zealand|505
AW|297|Oranjestad|Americas|Caribbean|363
AX|358|Mariehamn|Europe|Northern Europe|244
AZ|994|Baku|Asia|Western Asia|400
BA|387|Sarajevo|Europe|Southern Europe|218
BB|1246|Bridgetown|Americas|Caribbean|342
BD|880|Dhaka|Asia|Southern Asia|470
BE|32|Brussels|Europe|Western Europe|206
BF|226|Ouagadougou|Africa|Western Africa|613
BG|359|Sofia|Europe|Eastern Europe|284
BH|973|Manama|Asia|Western Asia|426
BI|257|Gitega|Africa|Eastern Africa|642
BJ|229|Porto-Novo|Africa|Western Africa|616
BL|590|Gustavia|Americas|Caribbean|340
BM|1441|Hamilton|Americas|Northern America|350
BN|673|Bandar Seri Begawan|Asia|South-Eastern Asia|528
BO|591|Sucre|Americas|South America|736
BQ|599|Kralendijk|Americas|Caribbean|362
BR|55|Brasília|Americas|South America|724
BS|1242|Nassau|Americas|Caribbean|364
BT|975|Thimphu|Asia|Southern Asia|402
BV|47||Americas|South America|
BW|267|Gaborone|Africa|Southern Africa|652
BY|375|Minsk|Europe|Eastern Europe|257
BZ|501|Belmopan|Americas|Central America|702
CA|1|Ottawa|Americas|Northern America|302
CC|61|West Island|Oceania|Australia and New Zealand|505
CD|243|Kinshasa|Africa|Middle Africa|630
CF|236|Bangui|Africa|Middle Africa|623
CG|242|Brazzaville|Africa|Middle Africa|629
CH|41|Bern|Europe|Western Europe|228
CI|225|Yamoussoukro|Africa|Western Africa|612
CK|682|Avarua|Oceania|Polynesia|548
CL|56|Santiago|Americas|South America|730
CM|237|Yaoundé|Africa|Middle Africa|624
CN|86|Beijing|Asia|Eastern Asia|460,461
CO|57|Bogotá|Americas|South America|732
CR|506|San José|Americas|Central America|712
CU|53|Havana|Americas|Caribbean|368
CV|238|Praia|Africa|Western Africa|625
CW|599|Willemstad|Americas|Caribbean|362
CX|61|Flying Fish Cove|Oceania|Australia and New Zealand|505
CY|357|Nicosia|Asia|Western Asia|280
CZ|420|Prague|Europe|Eastern Europe|230
DE|49|Berlin|Europe|Western Europe|262
DJ|253|Djibouti|Africa|Eastern Africa|638
DK|45|Copenhagen|Europe|Northern Europe|238
DM|1767|Roseau|Americas|Caribbean|366
DO|1809|Santo Domingo|Americas|Caribbean|370
DZ|213|Algiers|Africa|Northern Africa|603
EC|593|Quito|Americas|South America|740
EE|372|Tallinn|Europe|Northern Europe|248
EG|20|Cairo|Africa|Northern Africa|602
EH|212|El Aaiún|Africa|Northern Africa|
ER|291|Asmara|Africa|Eastern Africa|657
ES|34|Madrid|Europe|Southern Europe|214
ET|251|Addis Ababa|Africa|Eastern Africa|636
FI|358|Helsinki|Europe|Northern Europe|244
FJ|679|Suva|Oceania|Melanesia|542
FK|500|Stanley|Americas|South America|750
FM|691|Palikir|Oceania|Micronesia|550
FO|298|Tórshavn|Europe|Northern Europe|288
FR|33|Paris|Europe|Western Europe|208
GA|241|Libreville|Africa|Middle Africa|628
GB|44|London|Europe|Northern Europe|234,235
GD|1473|St. George's|Americas|Caribbean|352
GE|995|Tbilisi|Asia|Western Asia|282
GF|594|Cayenne|Americas|South America|340,742
GG|44|St. Peter Port|Europe|Northern Europe|234
GH|233|Accra|Africa|Western Africa|620
GI|350|Gibraltar|Europe|Southern Europe|266
GL|299|Nuuk|Americas|Northern America|290
GM|220|Banjul|Africa|Western Africa|607
GN|224|Conakry|Africa|Western Africa|611
GP|590|Basse-Terre|Americas|Caribbean|340
GQ|240|Malabo|Africa|Middle Africa|627
GR|30|Athens|Europe|Southern Europe|202
GS|500|King Edward Point|Americas|South America|
GT|502|Guatemala City|Americas|Central America|704
GU|1671|Hagåtña|Oceania|Micronesia|535
GW|245|Bissau|Africa|Western Africa|632
GY|592|Georgetown|Americas|South America|738
HK|852||Asia|Eastern Asia|454
HM|672||Oceania|Australia and New Zealand|
HN|504|Tegucigalpa|Americas|Central America|708
HR|385|Zagreb|Europe|Southern Europe|219
HT|509|Port-au-Prince|Americas|Caribbean|372
HU|36|Budapest|Europe|Eastern Europe|216
ID|62|Jakarta|Asia|South-Eastern Asia|510
IE|353|Dublin|Europe|Northern Europe|272
IL|972|Jerusalem|Asia|Western Asia|425
IM|44|Douglas|Europe|Northern Europe|234
IN|91|New Delhi|Asia|Southern Asia|404,405,406
IO|246|Diego Garcia|Africa|Eastern Africa|995
IQ|964|Baghdad|Asia|Western Asia|418
IR|98|Tehran|Asia|Southern Asia|432
IS|354|Reykjavik|Europe|Northern Europe|274
IT|39|Rome|Europe|Southern Europe|222
JE|44|Saint Helier|Europe|Northern Europe|234
JM|1876|Kingston|Americas|Caribbean|338
JO|962|Amman|Asia|Western Asia|416
JP|81|Tokyo|Asia|Eastern Asia|440,441
KE|254|Nairobi|Africa|Eastern Africa|639
KG|996|Bishkek|Asia|Central Asia|437
KH|855|Phnom Penh|Asia|South-Eastern Asia|456
KI|686|South Tarawa|Oceania|Micronesia|545
KM|269|Moroni|Africa|Eastern Africa|654
KN|1869|Basseterre|Americas|Caribbean|356
KP|850|Pyongyang|Asia|Eastern Asia|467
KR|82|Seoul|Asia|Eastern Asia|450
KW|965|Kuwait City|Asia|Western Asia|419
KY|1345|George Town|Americas|Caribbean|346
KZ|7|Astana|Asia|Central Asia|401
LA|856|Vientiane|Asia|South-Eastern Asia|457
LB|961|Beirut|Asia|Western Asia|415
LC|1758|Castries|Americas|Caribbean|358
LI|423|Vaduz|Europe|Western Europe|295
LK|94|Sri Jayawardenepura Kotte|Asia|Southern Asia|413
LR|231|Monrovia|Africa|Western Africa|618
LS|266|Maseru|Africa|Southern Africa|651
LT|370|Vilnius|Europe|Northern Europe|246
LU|352|Luxembourg|Europe|Western Europe|270
LV|371|Riga|Europe|Northern Europe|247
LY|218|Tripoli|Africa|Northern Africa|606
MA|212|Rabat|Africa|Northern Africa|604
MC|377|Monaco|Europe|Western Europe|212
MD|373|Chișinău|Europe|Eastern Europe|259
ME|382|Podgorica|Europe|Southern Europe|297
MF|590|Marigot|Americas|Caribbean|340
MG|261|Antananarivo|Africa|Eastern Africa|646
MH|692|Majuro|Oceania|Micronesia|551
MK|389|Skopje|Europe|Southern Europe|294
ML|223|Bamako|Africa|Western Africa|610
MM|95|Naypyidaw|Asia|South-Eastern Asia|414
MN|976|Ulaanbaatar|Asia|Eastern Asia|428
MO|853||Asia|Eastern Asia|455
MP|1670|Saipan|Oceania|Micronesia|534
MQ|596|Fort-de-France|Americas|Caribbean|340
MR|222|Nouakchott|Africa|Western Africa|609
MS|1664|Plymouth|Americas|Caribbean|354
MT|356|Valletta|Europe|Southern Europe|278
MU|230|Port Louis|Africa|Eastern Africa|617
MV|960|Malé|Asia|Southern Asia|472
MW|265|Lilongwe|Africa|Eastern Africa|650
MX|52|Mexico City|Americas|Central America|334
MY|60|Kuala Lumpur|Asia|South-Eastern Asia|502
MZ|258|Maputo|Africa|Eastern Africa|643
NA|264|Windhoek|Africa|Southern Africa|649
NC|687|Nouméa|Oceania|Melanesia|546
NE|227|Niamey|Africa|Western Africa|614
NF|672|Kingston|Oceania|Australia and New Zealand|505
NG|234|Abuja|Africa|Western Africa|621
NI|505|Managua|Americas|Central America|710
NL|31|Amsterdam|Europe|Western Europe|204
NO|47|Oslo|Europe|Northern Europe|242
NP|977|Kathmandu|Asia|Southern Asia|429
NR|674|Yaren|Oceania|Micronesia|536
NU|683|Alofi|Oceania|Polynesia|555
NZ|64|Wellington|Oceania|Australia and New Zealand|530
OM|968|Muscat|Asia|Western Asia|422
PA|507|Panama City|Americas|Central America|714
PE|51|Lima|Americas|South America|716
PF|689|Papeete|Oceania|Polynesia|547
PG|675|Port Moresby|Oceania|Melanesia|537
PH|63|Manila|Asia|South-Eastern Asia|515
PK|92|Islamabad|Asia|Southern Asia|410
PL|48|Warsaw|Europe|Eastern Europe|260
PM|508|Saint-Pierre|Americas|Northern America|308
PN|64|Adamstown|Oceania|Polynesia|
PR|1787|San Juan|Americas|Caribbean|330
PS|970|Ramallah|Asia|Western Asia|425
PT|351|Lisbon|Europe|Southern Europe|268
PW|680|Ngerulmud|Oceania|Micronesia|552
PY|595|Asunción|Americas|South America|744
QA|974|Doha|Asia|Western Asia|427
RE|262|Saint-Denis|Africa|Eastern Africa|647
RO|40|Bucharest|Europe|Eastern Europe|226
RS|381|Belgrade|Europe|Southern Europe|220
RU|7|Moscow|Europe|Eastern Europe|250
RW|250|Kigali|Africa|Eastern Africa|635
SA|966|Riyadh|Asia|Western Asia|420
SB|677|Honiara|Oceania|Melanesia|540
SC|248|Victoria|Africa|Eastern Africa|633
SD|249|Khartoum|Africa|Northern Africa|634
SE|46|Stockholm|Europe|Northern Europe|240
SG|65|Singapore|Asia|South-Eastern Asia|525
SH|290|Jamestown|Africa|Western Africa|658
SI|386|Ljubljana|Europe|Southern Europe|293
SJ|47|Longyearbyen|Europe|Northern Europe|242
SK|421|Bratislava|Europe|Eastern Europe|231
SL|232|Freetown|Africa|Western Africa|619
SM|378|City of San Marino|Europe|Southern Europe|292
SN|221|Dakar|Africa|Western Africa|608
SO|252|Mogadishu|Africa|Eastern Africa|637
SR|597|Paramaribo|Americas|South America|746
SS|211|Juba|Africa|Eastern Africa|659
ST|239|São Tomé|Africa|Middle Africa|626
SV|503|San Salvador|Americas|Central America|706
SX|1721|Philipsburg|Americas|Caribbean|362
SY|963|Damascus|Asia|Western Asia|417
SZ|268|Mbabane|Africa|Southern Africa|653
TC|1649|Cockburn Town|Americas|Caribbean|376
TD|235|N'Djamena|Africa|Middle Africa|622
TF|262|Port-aux-Français|Africa|Eastern Africa|
TG|228|Lomé|Africa|Western Africa|615
TH|66|Bangkok|Asia|South-Eastern Asia|520
TJ|992|Dushanbe|Asia|Central Asia|436
TK|690|Fakaofo|Oceania|Polynesia|554
TL|670|Dili|Asia|South-Eastern Asia|514
TM|993|Ashgabat|Asia|Central Asia|438
TN|216|Tunis|Africa|Northern Africa|605
TO|676|Nuku'alofa|Oceania|Polynesia|539
TR|90|Ankara|Asia|Western Asia|286
TT|1868|Port of Spain|Americas|Caribbean|374
TV|688|Funafuti|Oceania|Polynesia|553
TW|886|Taipei|Asia|Eastern Asia|466
TZ|255|Dodoma|Africa|Eastern Africa|640
UA|380|Kyiv|Europe|Eastern Europe|255
UG|256|Kampala|Africa|Eastern Africa|641
UM|1||Oceania|Micronesia|
US|1|Washington D.C.|Americas|Northern America|310,311,312,313,316
UY|598|Montevideo|Americas|South America|748
UZ|998|Tashkent|Asia|Central Asia|434
VA|379|Vatican City|Europe|Southern Europe|225
VC|1784|Kingstown|Americas|Caribbean|360
VE|58|Caracas|Americas|South America|734
VG|1284|Road Town|Americas|Caribbean|348
VI|1340|Charlotte Amalie|Americas|Caribbean|332
VN|84|Hanoi|Asia|South-Eastern Asia|452
VU|678|Port Vila|Oceania|Melanesia|541
WF|681|Mata-Utu|Oceania|Polynesia|543
WS|685|Apia|Oceania|Polynesia|549
YE|967|Sana'a|Asia|Western Asia|421
YT|262|Mamoudzou|Africa|Eastern Africa|647
ZA|27|Pretoria|Africa|Southern Africa|655
ZM|260|Lusaka|Africa|Eastern Africa|645
ZW|263|Harare|Africa|Eastern Africa|648
`

// commonNames replaces iso-codes names that are written for sorting
// ("Virgin Islands, British") by the names in everyday use.
var commonNames = map[string]string{
	"BN": "Brunei", "CD": "DR Congo", "FK": "Falkland Islands", "FM": "Micronesia",
	"MF": "Saint Martin", "PS": "Palestine", "RU": "Russia", "SX": "Sint Maarten",
	"VA": "Vatican City", "VG": "British Virgin Islands", "VI": "United States Virgin Islands",
}

// officialNames fills in official names iso-codes does not give where the
// official name differs from the common one.
var officialNames = map[string]string{
	"CD": "Democratic Republic of the Congo", "FK": "Falkland Islands (Malvinas)",
	"KR": "Republic of Korea", "LA": "Lao People's Democratic Republic",
	"RU": "Russian Federation", "SY": "Syrian Arab Republic", "VA": "Vatican City State",
	"BN": "Brunei Darussalam", "MF": "Saint Martin (French part)",
}

// domains holds the country-code top-level domains that are not the
// lower-case alpha-2 code.
var domains = map[string]string{"GB": "uk"}

type isoCountry struct {
	Alpha2       string `json:"alpha_2"`
	Alpha3       string `json:"alpha_3"`
	Numeric      string `json:"numeric"`
	Name         string `json:"name"`
	CommonName   string `json:"common_name"`
	OfficialName string `json:"official_name"`
}

func main() {
	src := flag.String("iso", "/usr/share/iso-codes/json/iso_3166-1.json", "iso-codes ISO 3166-1 JSON")
	flag.Parse()
	raw, err := os.ReadFile(*src)
	if err != nil {
		log.Fatal(err)
	}
	var doc struct {
		Countries []isoCountry `json:"3166-1"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		log.Fatal(err)
	}
	known := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(facts), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 6 {
			log.Fatalf("bad line %q", line)
		}
		known[f[0]] = f[1:]
	}
	sort.Slice(doc.Countries, func(i, j int) bool { return doc.Countries[i].Alpha3 < doc.Countries[j].Alpha3 })

	var b bytes.Buffer
	b.WriteString("// Code generated by internal/sandbox/internal/gencountries; DO NOT EDIT.\n\npackage sandbox\n\n")
	b.WriteString("// countryRows are the ISO 3166-1 countries by alpha-3 code. An empty\n")
	b.WriteString("// capital, subregion or mcc is answered as null.\n")
	b.WriteString("var countryRows = []countryRow{\n")
	for _, c := range doc.Countries {
		f, ok := known[c.Alpha2]
		if !ok {
			log.Fatalf("no facts for %s", c.Alpha2)
		}
		delete(known, c.Alpha2)
		num, err := strconv.Atoi(c.Numeric)
		if err != nil {
			log.Fatal(err)
		}
		common := c.CommonName
		if common == "" {
			common = c.Name
		}
		if n := commonNames[c.Alpha2]; n != "" {
			common = n
		}
		official := c.OfficialName
		if n := officialNames[c.Alpha2]; n != "" && official == "" {
			official = n
		}
		if official == "" {
			official = common
		}
		domain := strings.ToLower(c.Alpha2)
		if d := domains[c.Alpha2]; d != "" {
			domain = d
		}
		fmt.Fprintf(&b, "{%q, %q, %d, %q, %q, %q, %q, %q, %q, %q, %q},\n",
			c.Alpha2, c.Alpha3, num, common, official, f[0], f[1], f[2], f[3], f[4], domain)
	}
	b.WriteString("}\n")
	if len(known) > 0 {
		log.Fatalf("facts for codes iso-codes does not list: %v", known)
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	os.Stdout.Write(out)
}
