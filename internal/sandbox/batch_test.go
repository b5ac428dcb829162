package sandbox

import (
	"encoding/csv"
	"net/url"
	"strings"
	"testing"
)

const tasksURL = "/core/v2/batch/tasks"

// availableNumbers returns n available numbers matching filter.
func availableNumbers(t *testing.T, e *testEnv, a auth, n int, filter string) []string {
	t.Helper()
	q := "/core/v2/phonenumber/available_dids?limit=" + itoa(n)
	if filter != "" {
		q += "&filter=" + url.QueryEscape(filter)
	}
	var out []string
	for _, it := range items(t, e.mustJSON(200, e.get(a, q))) {
		out = append(out, it["phonenumber"].(string))
	}
	if len(out) != n {
		t.Fatalf("%d available numbers for %q, want %d", len(out), filter, n)
	}
	return out
}

// didByNumber returns the caller's rented DID with the number, or nil.
func rentedDID(t *testing.T, e *testEnv, a auth, num string) map[string]any {
	t.Helper()
	its := items(t, e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids?filter="+url.QueryEscape("phonenumber eq "+num))))
	if len(its) == 0 {
		return nil
	}
	return its[0]
}

func reviewFields(t *testing.T, it map[string]any) map[string]any {
	t.Helper()
	f, ok := it["fields"].(map[string]any)
	if !ok {
		t.Fatalf("review item fields: %v", it)
	}
	return f
}

func TestBatchRentWithReview(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	tg := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/trunk_groups", `{"name":"batch"}`))["trunk_group_sid"].(string)
	explicit := availableNumbers(t, e, demo, 1, "state eq NY")[0]
	before := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids"))["total"]

	// One number named, two picked by the sandbox (in NY, by the filter).
	body := `{"method":"POST","type":"phonenumber","data":[{"phonenumber":"` + explicit + `","name":"named"},{"trunk_group_sid":"` + tg + `"},{}]}`
	task := e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL+"?filter="+url.QueryEscape("state eq NY"), body))
	want := "data,date_created,date_modified,entries,error_details,failure,field,method,partner_sid,processed,review,status," +
		"success,task_sid,total,type"
	if got := shortKeyList(task); got != want {
		t.Fatalf("task keys %s, want %s", got, want)
	}
	if task["status"] != "pending_review" || task["review"] != true || task["total"] != 3.0 || task["processed"] != 0.0 ||
		task["success"] != 0.0 || task["failure"] != 0.0 || task["partner_sid"] != e.s.DemoPartner().PartnerSID {
		t.Fatalf("new task: %s", compactJSON(t, task))
	}
	sid := task["task_sid"].(string)
	if e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids"))["total"] != before {
		t.Fatal("a task under review rented numbers")
	}

	rv := e.mustJSON(200, e.get(demo, tasksURL+"/"+sid+"/review_items"))
	if shortKeyList(rv) != "method,review_items,type" || rv["method"] != "POST" || rv["type"] != "phonenumber" {
		t.Fatalf("review response: %s", compactJSON(t, rv))
	}
	its, _ := rv["review_items"].([]any)
	if len(its) != 3 {
		t.Fatalf("%d review items", len(its))
	}
	var picked []string
	for i, x := range its {
		it := x.(map[string]any)
		if shortKeyList(it) != "description,fields,sid,version" || it["version"] != 1.0 {
			t.Fatalf("review item %d: %v", i, it)
		}
		f := reviewFields(t, it)
		num, _ := f["phonenumber"].(string)
		if num == "" || f["error"] != nil || !strings.HasPrefix(it["description"].(string), "rent "+num) {
			t.Fatalf("review item %d: %v", i, it)
		}
		av := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids/"+f["did_sid"].(string)))
		if av["phonenumber"] != num {
			t.Fatalf("review item %d names %s, the inventory %v", i, num, av["phonenumber"])
		}
		if av["state"] != "NY" {
			t.Fatalf("picked %s outside the filter: %v", num, av["state"])
		}
		picked = append(picked, num)
	}
	if picked[0] != explicit || picked[1] == picked[2] || picked[1] == explicit || picked[2] == explicit {
		t.Fatalf("picked %v", picked)
	}
	if f := reviewFields(t, its[1].(map[string]any)); f["trunk_group_sid"] != tg {
		t.Fatalf("the review shows the data applied: %v", f)
	}

	r := e.get(demo, tasksURL+"/"+sid+"/review_items.csv")
	if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("csv: %d %v", r.status, r.header)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("csv rows: %v %q", err, r.body)
	}
	if strings.Join(rows[0][:3], ",") != "sid,version,description" {
		t.Fatalf("csv header %v", rows[0])
	}
	col := -1
	for i, h := range rows[0] {
		if h == "phonenumber" {
			col = i
		}
	}
	if col < 0 || rows[1][col] != explicit || rows[3][col] != picked[2] || rows[1][0] != its[0].(map[string]any)["sid"] {
		t.Fatalf("csv: %v", rows)
	}

	done := e.mustJSON(200, e.sendJSON(demo, "PATCH", tasksURL+"/"+sid, `{"status":"approved"}`))
	if done["status"] != "completed" || done["processed"] != 3.0 || done["success"] != 3.0 || done["failure"] != 0.0 {
		t.Fatalf("approved task: %s", compactJSON(t, done))
	}
	for i, num := range picked {
		d := rentedDID(t, e, demo, num)
		if d == nil {
			t.Fatalf("%s was not rented", num)
		}
		if i == 1 && d["trunk_group_sid"] != tg || i == 0 && d["name"] != "named" {
			t.Fatalf("rented %s: %v", num, d)
		}
	}
	checkError(t, e.sendJSON(demo, "PATCH", tasksURL+"/"+sid, `{"status":"approved"}`), 422, "object validation error", "status")
}

func TestBatchItemsFailAlone(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	tg := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/trunk_groups", `{"name":"batch"}`))["trunk_group_sid"].(string)
	nums := availableNumbers(t, e, demo, 3, "")
	for _, n := range nums[:2] {
		e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/phonenumber/dids", `{"phonenumber":"`+n+`"}`))
	}
	e.mustJSON(200, e.sendJSON(other, "POST", "/core/v2/phonenumber/dids", `{"phonenumber":"`+nums[2]+`"}`))

	// Without review the task runs at once. The other partner's number and
	// an unknown one fail; a number named twice is done once.
	body := `{"method":"PATCH","type":"phonenumber","review":false,"field":"phonenumber","data":{"trunk_group_sid":"` + tg + `"},` +
		`"entries":["` + nums[0] + `","` + nums[2] + `","19999999999","` + nums[1] + `","` + nums[0] + `"]}`
	task := e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, body))
	if task["status"] != "completed" || task["total"] != 5.0 || task["processed"] != 5.0 || task["success"] != 2.0 || task["failure"] != 3.0 {
		t.Fatalf("task: %s", compactJSON(t, task))
	}
	details, _ := task["error_details"].([]any)
	if len(details) != 3 {
		t.Fatalf("error_details: %s", compactJSON(t, task["error_details"]))
	}
	d0 := details[0].(map[string]any)
	if d0["key"] != `{"phonenumber":"`+nums[2]+`"}` || d0["error"].(map[string]any)["message"] != "no item error" {
		t.Fatalf("error detail: %v", d0)
	}
	for _, n := range nums[:2] {
		if d := rentedDID(t, e, demo, n); d["trunk_group_sid"] != tg {
			t.Fatalf("%s not updated: %v", n, d)
		}
	}
	if d := rentedDID(t, e, other, nums[2]); d["trunk_group_sid"] != nil {
		t.Fatalf("the other partner's number changed: %v", d)
	}

	// One item whose value is refused for that item only.
	checkError(t, e.sendJSON(demo, "POST", tasksURL, `{"method":"PATCH","type":"phonenumber","field":"phonenumber",`+
		`"entries":["`+nums[0]+`"],"data":{"trunk_group_sid":"00000000-0000-4000-8000-000000000000"}}`), 422, "object validation error", "data.trunk_group_sid")

	// Releasing by did_sid.
	d := rentedDID(t, e, demo, nums[1])
	task = e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, `{"method":"DELETE","type":"phonenumber","review":false,"field":"did_sid","entries":["`+d["did_sid"].(string)+`"]}`))
	if task["success"] != 1.0 || rentedDID(t, e, demo, nums[1]) != nil {
		t.Fatalf("release: %s", compactJSON(t, task))
	}
	checkError(t, e.get(demo, "/core/v2/phonenumber/available_dids/"+d["did_sid"].(string)), 404, "no item error", nil)
}

func TestBatchReviewedNumberTakenMeanwhile(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	task := e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, `{"method":"POST","type":"phonenumber","data":[{},{}]}`))
	sid := task["task_sid"].(string)
	its := e.mustJSON(200, e.get(demo, tasksURL+"/"+sid+"/review_items"))["review_items"].([]any)
	first := reviewFields(t, its[0].(map[string]any))["phonenumber"].(string)
	second := reviewFields(t, its[1].(map[string]any))["phonenumber"].(string)
	e.mustJSON(200, e.sendJSON(other, "POST", "/core/v2/phonenumber/dids", `{"phonenumber":"`+first+`"}`))

	done := e.mustJSON(200, e.sendJSON(demo, "PATCH", tasksURL+"/"+sid, `{"status":"approved"}`))
	if done["success"] != 1.0 || done["failure"] != 1.0 {
		t.Fatalf("task: %s", compactJSON(t, done))
	}
	if rentedDID(t, e, demo, first) != nil || rentedDID(t, e, demo, second) == nil {
		t.Fatal("the run rents the reviewed numbers only")
	}
	if k := done["error_details"].([]any)[0].(map[string]any)["key"]; k != `{"phonenumber":"`+first+`"}` {
		t.Fatalf("error detail key %v", k)
	}
}

func TestBatchCancelDeleteAndScope(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	body := `{"method":"POST","type":"phonenumber","data":[{}]}`
	a := e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, body))
	b := e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, body))
	before := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids"))["total"]

	for _, r := range []resp{e.get(other, tasksURL+"/"+a["task_sid"].(string)),
		e.get(other, tasksURL+"/"+a["task_sid"].(string)+"/review_items"),
		e.get(other, tasksURL+"/"+a["task_sid"].(string)+"/review_items.csv"),
		e.sendJSON(other, "PATCH", tasksURL+"/"+a["task_sid"].(string), `{"status":"approved"}`),
		e.do(other, "DELETE", tasksURL+"/"+a["task_sid"].(string), "", "")} {
		checkError(t, r, 404, "no item error", nil)
	}
	if its := items(t, e.mustJSON(200, e.get(other, tasksURL))); len(its) != 0 {
		t.Fatalf("the other partner lists %d tasks", len(its))
	}

	c := e.mustJSON(200, e.sendJSON(demo, "PATCH", tasksURL+"/"+a["task_sid"].(string), `{"status":"cancelled"}`))
	if c["status"] != "cancelled" || c["processed"] != 0.0 {
		t.Fatalf("cancelled: %v", c)
	}
	checkError(t, e.sendJSON(demo, "PATCH", tasksURL+"/"+a["task_sid"].(string), `{"status":"approved"}`), 422, "object validation error", "status")
	checkError(t, e.sendJSON(demo, "PATCH", tasksURL+"/"+b["task_sid"].(string), `{"status":"completed"}`), 422, "object validation error", "status")
	checkError(t, e.sendJSON(demo, "PATCH", tasksURL+"/"+b["task_sid"].(string), `{"review":false}`), 422, "object validation error", "review")
	if r := e.do(demo, "DELETE", tasksURL+"/"+b["task_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	checkError(t, e.get(demo, tasksURL+"/"+b["task_sid"].(string)), 404, "no item error", nil)
	checkError(t, e.get(demo, tasksURL+"/"+b["task_sid"].(string)+"/review_items"), 404, "no item error", nil)
	if e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids"))["total"] != before {
		t.Fatal("a cancelled or deleted task rented numbers")
	}
	list := e.mustJSON(200, e.get(demo, tasksURL+"?filter="+url.QueryEscape("status eq cancelled")))
	if its := items(t, list); len(its) != 1 || its[0]["task_sid"] != a["task_sid"] || list["limit"] != 10.0 {
		t.Fatalf("list: %s", compactJSON(t, list))
	}

	// A full-object PUT that echoes the task and approves it.
	d := e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, body))
	d["status"] = "approved"
	done := e.mustJSON(200, e.sendJSON(demo, "PUT", tasksURL+"/"+d["task_sid"].(string), d))
	if done["status"] != "completed" || done["success"] != 1.0 {
		t.Fatalf("PUT approve: %s", compactJSON(t, done))
	}
}

func TestBatchCreateErrors(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for _, c := range []struct{ body, field string }{
		{`{"type":"phonenumber","data":[{}]}`, "method"},
		{`{"method":"POST","data":[{}]}`, "type"},
		{`{"method":"MOVE","type":"phonenumber","data":[{}]}`, "method"},
		{`{"method":"POST","type":"phonenumber","data":[]}`, "data"},
		{`{"method":"POST","type":"phonenumber","data":[5]}`, "data[0]"},
		{`{"method":"POST","type":"phonenumber","data":[{}],"entries":["1"]}`, "entries"},
		{`{"method":"POST","type":"file","data":[{}]}`, "type"},
		{`{"method":"PATCH","type":"phonenumber","field":"phonenumber","entries":["1"],"data":{}}`, "data"},
		{`{"method":"PATCH","type":"phonenumber","field":"phonenumber","entries":["1"],"data":{"status":"x"}}`, "data.status"},
		{`{"method":"PATCH","type":"phonenumber","field":"phonenumber","entries":["1"],"data":{"phonenumber":"1"}}`, "data.phonenumber"},
		{`{"method":"PATCH","type":"phonenumber","field":"name","entries":["1"],"data":{"name":"x"}}`, "field"},
		{`{"method":"DELETE","type":"phonenumber","field":"phonenumber","entries":[]}`, "entries"},
		{`{"method":"DELETE","type":"phonenumber","field":"phonenumber","entries":[{}]}`, "entries[0]"},
		{`{"method":"DELETE","type":"phonenumber","field":"phonenumber","entries":["1"],"data":{"name":"x"}}`, "data"},
		{`{"method":"DELETE","type":"phonenumber","entries":["1"]}`, "field"},
		{`{"method":"POST","type":"phonenumber","data":[{}],"status":"approved"}`, "status"},
		{`{"method":"POST","type":"phonenumber","data":[{}],"total":3}`, "total"},
	} {
		checkError(t, e.sendJSON(demo, "POST", tasksURL, c.body), 422, "object validation error", c.field)
	}
	checkError(t, e.do(demo, "POST", tasksURL+"?filter=state+zz+NY", "application/json", `{"method":"POST","type":"phonenumber","data":[{}]}`), 400, "bad request", "filter")
	checkError(t, e.do(demo, "POST", tasksURL, "text/plain", `{}`), 415, "unsupported media type", nil)
	// Numbers given as JSON numbers are taken as text.
	task := e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, `{"method":"DELETE","type":"phonenumber","field":"phonenumber","entries":[15550001111]}`))
	if es := task["entries"].([]any); len(es) != 1 || es[0] != "15550001111" {
		t.Fatalf("entries: %v", task["entries"])
	}
	its := e.mustJSON(200, e.get(demo, tasksURL+"/"+task["task_sid"].(string)+"/review_items"))["review_items"].([]any)
	if f := reviewFields(t, its[0].(map[string]any)); f["error"] == nil || f["phonenumber"] != "15550001111" {
		t.Fatalf("an unknown number is an error in the review: %v", f)
	}
}

func TestBatchPrefixesAndFiles(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/phonenumber/prefixes", `{"prefix":"1516"}`))
	task := e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, `{"method":"POST","type":"prefix","review":false,`+
		`"data":[{"prefix":"1212","name":"nyc"},{"prefix":"1516"},{"prefix":"1313"},{"prefix":"1313"},{"name":"none"}]}`))
	if task["success"] != 2.0 || task["failure"] != 3.0 {
		t.Fatalf("prefix task: %s", compactJSON(t, task))
	}
	list := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/prefixes?filter="+url.QueryEscape("prefix eq 1212")))
	if its := items(t, list); len(its) != 1 || its[0]["name"] != "nyc" || its[0]["prefix_sid"] == nil {
		t.Fatalf("created prefix: %s", compactJSON(t, list))
	}
	task = e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, `{"method":"PATCH","type":"prefix","review":false,"field":"prefix",`+
		`"entries":["1212","1313"],"data":{"name":"renamed"}}`))
	if task["success"] != 2.0 {
		t.Fatalf("prefix update: %s", compactJSON(t, task))
	}
	task = e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, `{"method":"DELETE","type":"prefix","review":false,"field":"prefix",`+
		`"entries":["1212","1313","1516"]}`))
	if task["success"] != 3.0 || e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/prefixes"))["total"] != 0.0 {
		t.Fatalf("prefix delete: %s", compactJSON(t, task))
	}

	csid := seededContainer(t, e, demo)["container_sid"].(string)
	f1 := e.mustJSON(201, e.upload(demo, csid, "a.txt", []byte("aaaa")))
	f2 := e.mustJSON(201, e.upload(demo, csid, "b.txt", []byte("bbbbbb")))
	task = e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, `{"method":"PATCH","type":"file","field":"file_sid",`+
		`"entries":["`+f1["file_sid"].(string)+`"],"data":{"lifecycle_ttl":-1,"name":"kept"}}`))
	if task["status"] != "pending_review" {
		t.Fatalf("file task: %v", task["status"])
	}
	e.mustJSON(200, e.sendJSON(demo, "PATCH", tasksURL+"/"+task["task_sid"].(string), `{"status":"approved"}`))
	if got := e.mustJSON(200, e.get(demo, filesURL+"/"+f1["file_sid"].(string))); got["name"] != "kept" {
		t.Fatalf("file update: %v", got)
	}
	task = e.mustJSON(200, e.sendJSON(demo, "POST", tasksURL, `{"method":"DELETE","type":"file","field":"file_sid","review":false,`+
		`"entries":["`+f1["file_sid"].(string)+`","`+f2["file_sid"].(string)+`"]}`))
	if task["success"] != 2.0 {
		t.Fatalf("file delete: %s", compactJSON(t, task))
	}
	if c := e.mustJSON(200, e.get(demo, containersURL+"/"+csid)); c["total_bytes"] != 0.0 || c["total_files"] != 0.0 {
		t.Fatalf("deleting files by task frees the quota: %s", compactJSON(t, c))
	}
}
