package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
)

// view is one collection as a partner sees it: a table, the records of it that
// are visible to the caller, and how they are listed and changed. The generic
// handlers below implement list/get/create/patch/put/delete for every
// resource; the hooks carry each resource's own rules and side effects.
type view struct {
	schema       *schema
	table        *table
	param        string // route parameter holding the SID
	parentParam  string // route parameter holding the parent's SID, if any
	defaultLimit int
	totalNull    bool     // "total": null in the envelope (§2.1)
	nearby       bool     // accepts "phonenumber nearby latlng:..."
	extraFields  []string // names besides the schema's allowed in include/exclude_fields

	visible   func(c *call, r *record) bool
	present   func(c *call, r *record) object // output object (default r.obj)
	filterObj func(c *call, r *record) object // object filters see (default r.obj)

	// scope checks the request's parent objects (404 when missing).
	scope func(c *call) *apiError
	// newObject builds the base of a new object (defaults, SID, owner).
	newObject func(c *call) object
	// beforeWrite adds resource-specific checks on create/update.
	beforeWrite func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem
	// afterCreate runs once a new record is stored.
	afterCreate func(c *call, rec *record, body map[string]any)
	// beforeDelete may refuse a delete.
	beforeDelete func(c *call, rec *record) *apiError
	// afterDelete runs once a record is removed.
	afterDelete func(c *call, rec *record)
}

func (v *view) objOf(c *call, r *record) object {
	if v.filterObj != nil {
		return v.filterObj(c, r)
	}
	return r.obj
}

// find returns the visible record with the SID in the route, or a 404.
func (v *view) find(c *call) (*record, *apiError) {
	if v.scope != nil {
		if err := v.scope(c); err != nil {
			return nil, err
		}
	}
	r := v.table.get(c.param(v.param))
	if r == nil || !v.visible(c, r) {
		return nil, errNoItem()
	}
	return r, nil
}

// output renders a record for a response: its cached JSON when nothing is
// added or left out, else a new object.
func (v *view) output(c *call, r *record, sel fieldSel, withRelated bool) any {
	o := r.obj
	if v.present != nil {
		o = v.present(c, r)
	}
	if !withRelated && sel.include == nil && sel.exclude == nil && v.present == nil {
		if b, err := r.encoded(); err == nil {
			return b
		}
	}
	if withRelated {
		o = cloneObject(o)
		if p := c.s.partners.get(r.owner); p != nil {
			o["partner"] = p.obj
		} else {
			o["partner"] = nil
		}
	}
	return sel.apply(o)
}

// selectRecs returns the visible records matching m and keep, ordered.
func (v *view) selectRecs(c *call, lp *listParams, keep func(*record) bool) []*record {
	out := make([]*record, 0, len(v.table.recs))
	for _, r := range v.table.recs {
		if v.visible(c, r) && (keep == nil || keep(r)) && lp.match.match(v.objOf(c, r)) {
			out = append(out, r)
		}
	}
	if lp.match != nil && lp.match.nearby != nil && lp.order == nil {
		sortByDistance(out, *lp.match.nearby)
	}
	sortRecords(out, lp.order, func(r *record) object { return v.objOf(c, r) })
	return out
}

// list serves GET on the collection. extra may add a query-driven condition.
func (v *view) list(extra func(c *call) (func(*record) bool, *apiError)) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		if v.scope != nil {
			if err := v.scope(c); err != nil {
				return 0, nil, err
			}
		}
		lp, err := parseListParams(c, v.schema, nil, v.defaultLimit, v.nearby, v.extraFields)
		if err != nil {
			return 0, nil, err
		}
		var keep func(*record) bool
		if extra != nil {
			if keep, err = extra(c); err != nil {
				return 0, nil, err
			}
		}
		recs := v.selectRecs(c, lp, keep)
		w, err := c.paginate(lp, len(recs), func(i int) string { return recs[i].sid })
		if err != nil {
			return 0, nil, err
		}
		items := make([]any, 0, w.end-w.start)
		for _, r := range recs[w.start:w.end] {
			items = append(items, v.output(c, r, lp.sel, lp.withRelated))
		}
		return http.StatusOK, newEnvelope(items, lp, w, len(recs), v.totalNull), nil
	}
}

// get serves GET on one object (field filtering and with_related apply).
func (v *view) get() handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		sel, err := parseFieldSel(c.q, v.schema, v.extraFields)
		if err != nil {
			return 0, nil, err
		}
		wr, err := parseBoolParam("with_related", c.q.Get("with_related"), false)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, v.output(c, r, sel, wr), nil
	}
}

// create serves POST on the collection: 200 and the new object (CarrierX
// answers 200, not 201, to creates).
func (v *view) create() handlerFunc {
	return func(c *call) (int, any, *apiError) {
		if v.scope != nil {
			if err := v.scope(c); err != nil {
				return 0, nil, err
			}
		}
		body, err := decodeJSONBody(c)
		if err != nil {
			return 0, nil, err
		}
		next, errs := applyBody(c, v.schema, v.newObject(c), body, modeCreate, "")
		if v.beforeWrite != nil {
			errs = append(errs, v.beforeWrite(c, nil, body, next, modeCreate)...)
		}
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		rec := &record{sid: next[v.schema.ID].(string), owner: c.partner.sid, obj: next}
		if v.parentParam != "" {
			rec.parent = c.param(v.parentParam)
		}
		v.table.insert(rec)
		if v.afterCreate != nil {
			v.afterCreate(c, rec, body)
		}
		return http.StatusOK, v.output(c, rec, fieldSel{}, false), nil
	}
}

// update serves PATCH (put=false) and PUT (put=true); see applyBody for the
// semantics of each.
func (v *view) update(put bool) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		body, err := decodeJSONBody(c)
		if err != nil {
			return 0, nil, err
		}
		mode := modePatch
		if put {
			mode = modePut
		}
		next, errs := applyBody(c, v.schema, r.obj, body, mode, "")
		if v.beforeWrite != nil {
			errs = append(errs, v.beforeWrite(c, r, body, next, mode)...)
		}
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		r.set(next)
		return http.StatusOK, v.output(c, r, fieldSel{}, false), nil
	}
}

// remove serves DELETE: 204 and an empty body.
func (v *view) remove() handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		if v.beforeDelete != nil {
			if err := v.beforeDelete(c, r); err != nil {
				return 0, nil, err
			}
		}
		v.table.remove(r.sid)
		if v.afterDelete != nil {
			v.afterDelete(c, r)
		}
		return http.StatusNoContent, nil, nil
	}
}

// maxBody caps request bodies.
const maxBody = 1 << 20

// decodeJSONBody enforces §1.4: a body needs Content-Type application/json
// (else 415) and must be one JSON object (else 400 "no json object could be
// decoded"; POSTs needing no fields still send {}).
func decodeJSONBody(c *call) (map[string]any, *apiError) {
	mt, _, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, errMediaType("application/json")
	}
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
	if err != nil {
		return nil, errNoJSON()
	}
	return decodeJSONObject(data)
}

// decodeJSONObject decodes exactly one JSON object (numbers as json.Number).
func decodeJSONObject(data []byte) (map[string]any, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errNoJSON()
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errBadRequest("", "the json body must be an object")
	}
	if err := dec.Decode(new(any)); !errors.Is(err, io.EOF) {
		return nil, errNoJSON()
	}
	return m, nil
}
