package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// maxLimit is CarrierX's largest page size (§2.2).
const maxLimit = 1000

// listParams are the parsed common query parameters of a list request.
type listParams struct {
	limit, offset int
	after, before string
	order         *orderSpec
	match         *matcher
	sel           fieldSel
	withRelated   bool
}

// parseListParams reads limit, offset, after, before, order, filter,
// include/exclude_fields and with_related, validating them against sch (the
// filter against filterSch when not nil: coverage filters numbers, not groups).
func parseListParams(c *call, sch, filterSch *schema, defLimit int, allowNearby bool, extra []string) (*listParams, *apiError) {
	if filterSch == nil {
		filterSch = sch
	}
	q := c.q
	lp := &listParams{limit: defLimit}
	var err *apiError
	if lp.limit, err = intParam(q, "limit", defLimit); err != nil {
		return nil, err
	}
	if lp.limit > maxLimit {
		return nil, errBadRequest("limit", "limit must not be greater than 1000")
	}
	if lp.offset, err = intParam(q, "offset", 0); err != nil {
		return nil, err
	}
	lp.after, lp.before = q.Get("after"), q.Get("before")
	if lp.after != "" && lp.before != "" {
		return nil, errBadRequest("after", "after and before cannot be used together")
	}
	if (lp.after != "" || lp.before != "") && lp.offset != 0 {
		return nil, errBadRequest("offset", "offset cannot be combined with after or before")
	}
	if lp.order, err = parseOrder(q.Get("order"), sch); err != nil {
		return nil, err
	}
	if lp.match, err = parseFilterParam(q.Get("filter"), filterSch, allowNearby); err != nil {
		return nil, err
	}
	if lp.sel, err = parseFieldSel(q, sch, extra); err != nil {
		return nil, err
	}
	if lp.withRelated, err = parseBoolParam("with_related", q.Get("with_related"), false); err != nil {
		return nil, err
	}
	return lp, nil
}

func parseFilterParam(raw string, sch *schema, allowNearby bool) (*matcher, *apiError) {
	f, perr := ParseFilter(raw)
	if perr != nil {
		return nil, errBadRequest("filter", perr.Error())
	}
	return compileFilter(f, sch, allowNearby)
}

func intParam(q url.Values, name string, def int) (int, *apiError) {
	raw := strings.TrimSpace(q.Get(name))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		return 0, errBadRequest(name, name+" must be a non-negative integer")
	}
	return n, nil
}

// fieldSel is include_fields / exclude_fields (§2.4).
type fieldSel struct {
	include, exclude map[string]bool
}

// parseFieldSel reads include_fields (or includeFields, the legacy SDK's
// spelling) and exclude_fields. Unknown names are a 400 naming the parameter.
func parseFieldSel(q url.Values, sch *schema, extra []string) (fieldSel, *apiError) {
	var fs fieldSel
	read := func(names ...string) (map[string]bool, *apiError) {
		var set map[string]bool
		for _, n := range names {
			for _, f := range splitList(q.Get(n)) {
				if sch.field(f) == nil && !contains(extra, f) && f != "partner" {
					return nil, errBadRequest(names[0], "unknown field "+strconv.Quote(f))
				}
				if set == nil {
					set = map[string]bool{}
				}
				set[f] = true
			}
		}
		return set, nil
	}
	var err *apiError
	if fs.include, err = read("include_fields", "includeFields"); err != nil {
		return fs, err
	}
	fs.exclude, err = read("exclude_fields", "excludeFields")
	return fs, err
}

func (fs fieldSel) apply(o object) object {
	if fs.include == nil && fs.exclude == nil {
		return o
	}
	n := make(object, len(o))
	for k, v := range o {
		if (fs.include == nil || fs.include[k]) && !fs.exclude[k] {
			n[k] = v
		}
	}
	return n
}

// envelope is the Core list envelope (§2.1), keys in CarrierX's order.
type envelope struct {
	Count      int               `json:"count"`
	HasMore    bool              `json:"has_more"`
	Items      []any             `json:"items"`
	Limit      int               `json:"limit"`
	Offset     int               `json:"offset"`
	Pagination map[string]string `json:"pagination"`
	Total      *int              `json:"total"`
}

// appendJSON writes the envelope as compact JSON. Items that are already
// encoded (json.RawMessage from the record cache) are copied as they are,
// which keeps 1000-item pages cheap; encoding/json would re-scan them.
func (e *envelope) appendJSON(buf *bytes.Buffer) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	put := func(v any) error {
		if raw, ok := v.(json.RawMessage); ok {
			buf.Write(raw)
			return nil
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		return nil
	}
	fmt.Fprintf(buf, `{"count":%d,"has_more":%t,"items":[`, e.Count, e.HasMore)
	for i, it := range e.Items {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := put(it); err != nil {
			return err
		}
	}
	fmt.Fprintf(buf, `],"limit":%d,"offset":%d,"pagination":`, e.Limit, e.Offset)
	if err := put(e.Pagination); err != nil {
		return err
	}
	buf.WriteString(`,"total":`)
	if e.Total == nil {
		buf.WriteString("null")
	} else {
		buf.WriteString(strconv.Itoa(*e.Total))
	}
	buf.WriteString("}\n")
	return nil
}

// window is the slice [start, end) of the full ordered result to answer.
type window struct {
	start, end int
	hasMore    bool
	links      map[string]string
	offset     int
}

// paginate picks the page of n ordered items. sidAt gives the SID of item i
// for cursor paging (nil: the collection has no cursor).
//
// Offset mode: next = offset+limit while more remain; previous when offset > 0.
// Cursor mode (after/before, offset 0): the page after (before) the given SID;
// has_more tells whether more remain in that direction; "next" is after=<last
// SID> when items follow the page and "previous" is before=<first SID> when
// items precede it. CarrierX's sample shows only "previous" after an `after`
// request; whether "next" appears too is not confirmed (§2.1), but clients
// such as cdr-download follow it, so it is given.
func (c *call) paginate(lp *listParams, n int, sidAt func(int) string) (window, *apiError) {
	w := window{links: map[string]string{}}
	if lp.after == "" && lp.before == "" {
		w.offset = lp.offset
		w.start = min(lp.offset, n)
		w.end = min(w.start+lp.limit, n)
		w.hasMore = w.end < n
		if w.hasMore && lp.limit > 0 {
			w.links["next"] = c.link("offset", strconv.Itoa(lp.offset+lp.limit), false)
		}
		if lp.offset > 0 {
			w.links["previous"] = c.link("offset", strconv.Itoa(max(0, lp.offset-lp.limit)), false)
		}
		return w, nil
	}
	name, sid := "after", lp.after
	if sid == "" {
		name, sid = "before", lp.before
	}
	if sidAt == nil {
		return w, errBadRequest(name, name+" is not supported on this collection")
	}
	idx := -1
	for i := 0; i < n; i++ {
		if sidAt(i) == sid {
			idx = i
			break
		}
	}
	if idx < 0 {
		return w, errBadRequest(name, "cannot find item by sid")
	}
	var before, after bool // items exist before the page / after it
	if lp.after != "" {
		w.start, w.end = idx+1, min(idx+1+lp.limit, n)
		w.hasMore = w.end < n
		before, after = true, w.hasMore
	} else {
		w.start, w.end = max(0, idx-lp.limit), idx
		w.hasMore = w.start > 0
		before, after = w.hasMore, true
	}
	if w.end > w.start {
		if after {
			w.links["next"] = c.link("after", sidAt(w.end-1), true)
		}
		if before {
			w.links["previous"] = c.link("before", sidAt(w.start), true)
		}
	}
	return w, nil
}

// link builds an absolute URL for a neighbour page: the request's own URL and
// query, with offset (offset mode) or the cursor parameter (cursor mode, which
// also carries offset=0 as in CarrierX's sample) set to val. The original
// parameters keep their order and encoding.
func (c *call) link(key, val string, cursor bool) string {
	r := c.r
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0]); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if h := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Host"), ",")[0]); h != "" {
		host = h
	}
	set := key + "=" + url.QueryEscape(val)
	var parts []string
	placed := false
	for _, p := range strings.Split(r.URL.RawQuery, "&") {
		if p == "" {
			continue
		}
		k, _, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		switch k {
		case "offset":
			continue
		case "after", "before":
			if cursor && !placed {
				parts = append(parts, set)
				placed = true
			}
			continue
		}
		parts = append(parts, p)
	}
	if !placed {
		parts = append(parts, set)
	}
	if cursor {
		parts = append(parts, "offset=0")
	}
	return scheme + "://" + host + r.URL.EscapedPath() + "?" + strings.Join(parts, "&")
}

// newEnvelope wraps a page of items. total is omitted (null) when totalNull.
func newEnvelope(items []any, lp *listParams, w window, total int, totalNull bool) *envelope {
	if items == nil {
		items = []any{}
	}
	e := &envelope{Count: len(items), HasMore: w.hasMore, Items: items, Limit: lp.limit,
		Offset: w.offset, Pagination: w.links}
	if !totalNull {
		e.Total = &total
	}
	return e
}
