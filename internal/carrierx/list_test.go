package carrierx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestEnvelopeDecoding(t *testing.T) {
	var p Page[DID]
	if err := json.Unmarshal(readTestdata(t, "available_dids.json"), &p); err != nil {
		t.Fatal(err)
	}
	if p.Count != 1 || !p.HasMore || p.Limit != 1 || p.Offset != 0 || p.Total != nil || len(p.Items) != 1 {
		t.Fatalf("page %+v", p)
	}
	if p.Pagination.Next != "https://api.carrierx.com/core/v2/phonenumber/available_dids?limit=1&offset=1" || p.Pagination.Previous != "" {
		t.Fatalf("pagination %+v", p.Pagination)
	}

	var cov Page[CoverageItem]
	if err := json.Unmarshal(readTestdata(t, "coverage.json"), &cov); err != nil {
		t.Fatal(err)
	}
	if cov.Total == nil || *cov.Total != 5 || cov.Items[0] != (CoverageItem{Count: 81, Key: "IL"}) {
		t.Fatalf("coverage %+v", cov)
	}

	// "pagination": null (rate endpoints) and "pagination": {} are both empty.
	for _, raw := range []string{
		`{"count":0,"has_more":false,"items":[],"limit":10,"offset":0,"pagination":null,"total":null}`,
		`{"count":0,"has_more":false,"items":[],"limit":10,"offset":0,"pagination":{},"total":0}`,
		`{"count":0,"has_more":false,"items":[],"limit":10,"offset":0,"pagination":{"previous":"https://x/y?before=a"},"total":null,"active":"yes"}`,
	} {
		var p Page[DID]
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if p.Pagination.Next != "" || p.Limit != 10 {
			t.Fatalf("%s: %+v", raw, p)
		}
	}
	var tokens Page[OAuthToken]
	if err := json.Unmarshal(readTestdata(t, "tokens.json"), &tokens); err != nil {
		t.Fatal(err)
	}
	if tokens.Total != nil || len(tokens.Items) != 1 || tokens.Items[0].TokenSID != "b3f45e4d-7d46-467b-9724-272f57ac420e" {
		t.Fatalf("tokens %+v", tokens)
	}
}

func TestListSendsQuery(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, string(readTestdata(t, "coverage.json")))
	})
	c := fast(srv.URL)
	_, err := c.Coverage(context.Background(), "state", ListOptions{
		Limit:  1,
		Filter: Filter{}.Bit("capabilities", 4).Eq("country_code", "USA"),
	})
	if err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.Path != "/core/v2/phonenumber/coverage" {
		t.Fatalf("path %s", r.Path)
	}
	q, _ := url.ParseQuery(r.RawQuery)
	if q.Get("group_by") != "state" || q.Get("limit") != "1" || q.Get("filter") != `capabilities bit 4 and country_code eq "USA"` {
		t.Fatalf("query %s", r.RawQuery)
	}
	if !strings.Contains(r.RawQuery, "filter=capabilities+bit+4+and+country_code+eq+%22USA%22") {
		t.Fatalf("filter not form-encoded as expected: %s", r.RawQuery)
	}
	if _, err := c.Coverage(context.Background(), "", ListOptions{}); err == nil {
		t.Fatal("coverage without group_by accepted")
	}

	_, err = c.ListTrunkGroups(context.Background(), ListOptions{Params: url.Values{"with_trunks": {"true"}}, Order: "name desc"})
	if err != nil {
		t.Fatal(err)
	}
	r = srv.requests()[1]
	if r.Path != "/core/v2/trunk_groups" || r.RawQuery != "order=name+desc&with_trunks=true" {
		t.Fatalf("%s?%s", r.Path, r.RawQuery)
	}
}

func TestLimitOver1000RefusedWithoutRequest(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })
	c := fast(srv.URL)
	ctx := context.Background()
	if _, err := c.ListDIDs(ctx, ListOptions{Limit: 1001}); err == nil || !strings.Contains(err.Error(), "1000") {
		t.Fatalf("got %v", err)
	}
	if _, err := c.ListAvailableDIDs(ctx, ListOptions{Limit: 5000}); err == nil {
		t.Fatal("accepted")
	}
	if _, err := c.ListDIDs(ctx, ListOptions{Filter: Filter{}.Eq("bad field", 1)}); err == nil {
		t.Fatal("invalid filter accepted")
	}
	n := 0
	for _, err := range c.AllDIDs(ctx, ListOptions{Limit: 1001}) {
		n++
		if err == nil {
			t.Fatal("iterator accepted limit 1001")
		}
	}
	if n != 1 {
		t.Fatalf("iterator yielded %d times", n)
	}
	if srv.count() != 0 {
		t.Fatalf("server saw %d requests", srv.count())
	}
}

// pagedServer serves total DIDs, following CarrierX's envelope: next is an
// absolute URL (on nextHost when set) reproducing the query plus offset.
func pagedServer(t *testing.T, total int, nextBase func(self string) string) *recorder {
	var srv *recorder
	srv = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit == 0 {
			limit = 10
		}
		offset, _ := strconv.Atoi(q.Get("offset"))
		end := min(offset+limit, total)
		items := []string{}
		for i := offset; i < end; i++ {
			items = append(items, fmt.Sprintf(`{"did_sid":"sid-%04d","phonenumber":"1516%07d","price":"0.6"}`, i, i))
		}
		hasMore := end < total
		pag := "{}"
		if hasMore && nextBase != nil {
			nq := url.Values{}
			for k, v := range q {
				nq[k] = v
			}
			nq.Set("offset", strconv.Itoa(end))
			pag = fmt.Sprintf(`{"next":%q}`, nextBase(srv.URL)+r.URL.Path+"?"+nq.Encode())
		}
		writeJSON(w, 200, fmt.Sprintf(`{"count":%d,"has_more":%v,"items":[%s],"limit":%d,"offset":%d,"pagination":%s,"total":null}`,
			len(items), hasMore, strings.Join(items, ","), limit, offset, pag))
	})
	return srv
}

func collect(t *testing.T, seq func(func(DID, error) bool)) ([]DID, error) {
	t.Helper()
	var out []DID
	for d, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
	return out, nil
}

func TestIteratorFollowsNext(t *testing.T) {
	srv := pagedServer(t, 2345, func(self string) string { return self })
	c := fast(srv.URL).WithBearer("tok")
	dids, err := collect(t, c.AllAvailableDIDs(context.Background(), ListOptions{Limit: 1000, Filter: Filter{}.Eq("state", "NY")}))
	if err != nil {
		t.Fatal(err)
	}
	if len(dids) != 2345 {
		t.Fatalf("got %d DIDs", len(dids))
	}
	for i, d := range dids {
		if d.DIDSID != fmt.Sprintf("sid-%04d", i) {
			t.Fatalf("item %d is %s", i, d.DIDSID)
		}
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, r := range reqs {
		q, _ := url.ParseQuery(r.RawQuery)
		if r.Path != "/core/v2/phonenumber/available_dids" || q.Get("offset") != []string{"", "1000", "2000"}[i] || q.Get("filter") != `state eq "NY"` || q.Get("limit") != "1000" {
			t.Fatalf("request %d: %s?%s", i, r.Path, r.RawQuery)
		}
		if r.Header.Get("Authorization") != "Bearer tok" {
			t.Fatalf("request %d lost auth", i)
		}
	}
}

func TestIteratorOffsetFallback(t *testing.T) {
	srv := pagedServer(t, 25, nil) // has_more but pagination {}
	c := fast(srv.URL)
	dids, err := collect(t, All[DID](context.Background(), c, "/phonenumber/dids", ListOptions{Limit: 10}))
	if err != nil {
		t.Fatal(err)
	}
	if len(dids) != 25 || dids[24].DIDSID != "sid-0024" || srv.count() != 3 {
		t.Fatalf("%d dids, %d requests", len(dids), srv.count())
	}
	if q := srv.requests()[2].RawQuery; q != "limit=10&offset=20" {
		t.Fatalf("last query %s", q)
	}
}

func TestIteratorEarlyBreak(t *testing.T) {
	srv := pagedServer(t, 3000, func(self string) string { return self })
	c := fast(srv.URL)
	n := 0
	for _, err := range c.AllDIDs(context.Background(), ListOptions{Limit: 1000}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 1500 {
			break
		}
	}
	if srv.count() != 2 {
		t.Fatalf("%d requests after break", srv.count())
	}
}

func TestIteratorRefusesForeignNext(t *testing.T) {
	evil := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"count":0,"items":[]}`) })
	srv := pagedServer(t, 50, func(string) string { return evil.URL })
	c := fast(srv.URL).WithBearer("secret-token")
	dids, err := collect(t, c.AllDIDs(context.Background(), ListOptions{Limit: 20}))
	if err == nil || !strings.Contains(err.Error(), "another host") {
		t.Fatalf("got %v", err)
	}
	if len(dids) != 20 {
		t.Fatalf("first page items: %d", len(dids))
	}
	if evil.count() != 0 {
		t.Fatal("the client contacted the foreign host")
	}

	// Same host, other scheme.
	srv2 := pagedServer(t, 50, func(self string) string { return strings.Replace(self, "http://", "https://", 1) })
	if _, err := collect(t, fast(srv2.URL).AllDIDs(context.Background(), ListOptions{Limit: 20})); err == nil {
		t.Fatal("followed a next URL with another scheme")
	}
	// Credentials in the next URL.
	srv3 := pagedServer(t, 50, func(self string) string { return strings.Replace(self, "http://", "http://u:p@", 1) })
	if _, err := collect(t, fast(srv3.URL).AllDIDs(context.Background(), ListOptions{Limit: 20})); err == nil {
		t.Fatal("followed a next URL with userinfo")
	}
}

func TestIteratorStopsOnRepeatedNext(t *testing.T) {
	var srv *recorder
	srv = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, fmt.Sprintf(`{"count":1,"has_more":true,"items":[{"did_sid":"x"}],"limit":1,"offset":0,"pagination":{"next":"%s/core/v2/phonenumber/dids?limit=1&offset=1"},"total":null}`, srv.URL))
	})
	_, err := collect(t, fast(srv.URL).AllDIDs(context.Background(), ListOptions{Limit: 1}))
	if err == nil || srv.count() != 2 {
		t.Fatalf("err %v after %d requests", err, srv.count())
	}
}

func TestIteratorCursorWithoutNext(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"count":1,"has_more":true,"items":[{"did_sid":"x"}],"limit":1,"offset":0,"pagination":{},"total":null}`)
	})
	got, err := collect(t, fast(srv.URL).AllDIDs(context.Background(), ListOptions{Limit: 1, After: "a"}))
	if err == nil || len(got) != 1 || srv.count() != 1 {
		t.Fatalf("err %v, %d items, %d requests", err, len(got), srv.count())
	}
}

func TestIteratorErrorMidway(t *testing.T) {
	var srv *recorder
	srv = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "" {
			writeJSON(w, 200, fmt.Sprintf(`{"count":1,"has_more":true,"items":[{"did_sid":"x"}],"limit":1,"offset":0,"pagination":{"next":"%s/core/v2/trunk_groups?limit=1&offset=1"},"total":2}`, srv.URL))
			return
		}
		writeJSON(w, 404, `{"message":"no item error","errors":[]}`)
	})
	n, errs := 0, 0
	for _, err := range fast(srv.URL).AllTrunkGroups(context.Background(), ListOptions{Limit: 1}) {
		if err != nil {
			errs++
			if !IsNotFound(err) {
				t.Fatalf("got %v", err)
			}
			continue
		}
		n++
	}
	if n != 1 || errs != 1 {
		t.Fatalf("%d items, %d errors", n, errs)
	}
}
