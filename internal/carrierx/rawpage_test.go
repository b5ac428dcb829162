package carrierx

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cdrText is one call record as the sandbox sends it, with %d in its SID.
const cdrText = `{"cic":null,"codec_dst":"g722","date_insert":"2026-08-30T13:32:25.000Z","date_start":"2026-08-30T13:29:29.606Z","date_stop":"2026-08-30T13:31:22.322Z","date_talk":"2026-08-30T13:29:31.827Z","direction":"outbound","dr_sid":"a5d47228-d65d-40cc-a3d2-%012d","duration":"112.71673","duration_billing":"114","endpoint_sid_src":"153a4ae9-35ab-4c7c-ae11-3737e90baa7d","number_billing":"19596147540","number_dst":"13095023003","number_src":"19596147540","partner_sid":"5a8c5284-3324-49a4-84a6-a66a40a811a8","price":"0.0228","price_lcr_dst":null,"rate":"0.012","sipcallid_src":"e29ab065a33d7ba2570035bb36330871@10.222.2.180","sipcause":"200","stir_attest":"A","transcoded":false,"trunk_group_sid_dst":null,"trunk_group_sid_src":"11bbdff6-820b-44ae-b3a1-89afd0c29ee1","not_yet_known":{"a":[1,2]}}`

func cdrPage(n int, sep string) []byte {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(cdrText, i)
	}
	return []byte(`{"count":` + fmt.Sprint(n) + `,"has_more":true,` + sep + `"items":[` + sep + strings.Join(items, ","+sep) + sep +
		`],"limit":1000,"offset":0,"pagination":{"next":"https://api.carrierx.com/core/v2/calls/call_drs?after=x"},"total":null}`)
}

func TestDecodeRawPageMatchesEncodingJSONAndKeepsBytes(t *testing.T) {
	for _, sep := range []string{"", "\n  "} {
		body := cdrPage(3, sep)
		got, err := decodeRawPage[CallDetailRecord](body)
		require.NoError(t, err)
		var want Page[CallDetailRecord]
		require.NoError(t, json.Unmarshal(body, &want))
		assert.Equal(t, want, got.Page, "the same page as encoding/json decodes")
		require.Len(t, got.Raw, 3)
		for i, raw := range got.Raw {
			assert.Equal(t, fmt.Sprintf(cdrText, i), string(raw), "item %d's bytes exactly as sent", i)
		}
		assert.True(t, got.HasMore)
		assert.Nil(t, got.Total)
		assert.Equal(t, "https://api.carrierx.com/core/v2/calls/call_drs?after=x", got.Pagination.Next)
	}
}

func TestDecodeRawPageRefusesBrokenPages(t *testing.T) {
	for _, body := range []string{`[]`, `{"items":{}}`, `{"items":[{"dr_sid":1}]}`, `{"items":[{"dr_sid":"x"}`, `{"items":[{"price":"abc"}]}`} {
		_, err := decodeRawPage[CallDetailRecord]([]byte(body))
		assert.Error(t, err, body)
	}
	p, err := decodeRawPage[CallDetailRecord]([]byte(`{"items":null,"has_more":false}`))
	require.NoError(t, err)
	assert.Empty(t, p.Items)
}

// BenchmarkDecodeRawPage decodes a 1,000-record page with the record bytes
// kept, against encoding/json decoding the same page without them.
func BenchmarkDecodeRawPage(b *testing.B) {
	body := cdrPage(1000, "")
	b.Run("raw-page", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := decodeRawPage[CallDetailRecord](body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var p Page[CallDetailRecord]
			if err := json.Unmarshal(body, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
