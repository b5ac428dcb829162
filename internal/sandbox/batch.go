package sandbox

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Batch tasks (Core v2 /batch): one request that creates, changes or
// deletes many phone numbers, prefixes or files. A task's method says what
// it does to each item (POST creates - for phone numbers: rents -, PATCH
// updates, DELETE deletes - for phone numbers: releases); type says what it
// works on (phonenumber, prefix, file). POST tasks carry one object per item
// in data; PATCH and DELETE tasks name the items in entries, by the
// attribute in field, and a PATCH applies the object in data to each.
// The attributes, statuses and review flow follow CarrierX's Task, Batch
// Review and task method pages; the notes do not cover batch tasks.
//
// How the sandbox runs a task (not confirmed, chosen to be predictable):
//   - When a task is created, every item is planned at once against the
//     current state: which number would be rented, which record changed or
//     deleted, or why the item cannot be done. The plan is the task's
//     review items (GET .../review_items, .../review_items.csv).
//   - review defaults to true, as in CarrierX's create sample, which sends
//     no review and answers review true. A task with review is
//     "pending_review" from its creation (CarrierX's sample answers
//     "created" first and shows pending_review seconds later) and changes
//     nothing until it is approved. PATCH/PUT {"status": "approved"} runs
//     it, {"status": "cancelled"} drops it; no other status change is
//     accepted (422).
//   - A task runs synchronously, inside the request that creates (review
//     false) or approves it, so that request answers the finished task:
//     status "completed" with its counters. "queued" and "running" are
//     never seen.
//   - Items run one by one; each is done whole or not at all. One that
//     fails (the number was taken meanwhile, the record is gone, a value is
//     refused) is counted in failure and described in error_details, in the
//     shape of CarrierX's task error details ({"error": {message, errors},
//     "key": "<JSON of the item's key>"}); the others are done. Counters:
//     total items, processed = success + failure.
//   - Numbers a review picked for a rent are the numbers the run rents: one
//     taken meanwhile fails its item rather than being replaced by another
//     number nobody reviewed.
//   - DELETE removes the task (204). A task not yet run is thereby
//     cancelled and changes nothing; deleting a finished task removes its
//     record only.

func init() {
	extraTables = append(extraTables, batchTasksTable, batchReviewTable)
	routeAdders = append(routeAdders, (*Sandbox).batchRoutes)
}

const (
	batchTasksTable  = "batch_tasks"
	batchReviewTable = "batch_review_items" // parent: the task's SID
)

// batchMaxItems caps the items of one task: the sandbox's own guard, not a
// documented CarrierX limit.
const batchMaxItems = 10000

var batchStatuses = []string{"approved", "cancelled", "completed", "created", "pending_review", "queued", "running"}

// batchTaskSchema is the Task object. method and type are required on
// create; what else is required depends on method (CarrierX's Create Task
// table): POST data; PATCH data, entries, field; DELETE entries, field.
// Everything but status is fixed once the task exists (not confirmed; a
// reviewed plan that could change under the reviewer would defeat the
// review).
var batchTaskSchema = newSchema("task", "task_sid",
	fld("data", kindAny, null(), createOnly()),
	fld("date_created", kindTime, ro()),
	fld("date_modified", kindTime, ro()),
	fld("entries", kindArray, null(), createOnly()),
	fld("error_details", kindArray, ro()),
	fld("failure", kindInt, ro(), null()),
	fld("field", kindString, null(), emptyNull(), createOnly()),
	fld("method", kindString, createOnly(), enum("DELETE", "PATCH", "POST")),
	fld("partner_sid", kindString, ro()),
	fld("processed", kindInt, ro(), null()),
	fld("review", kindBool, def(true), createOnly()),
	fld("status", kindString, enum(batchStatuses...)),
	fld("success", kindInt, ro(), null()),
	sidField("task_sid"),
	fld("total", kindInt, ro(), null()),
	fld("type", kindString, createOnly(), enum("file", "phonenumber", "prefix")),
)

// batchLocators are the accepted values of field per type: the attribute
// the entries hold. phonenumber is CarrierX's sample; the SID of each kind
// of object is accepted too, and a prefix's digits (not confirmed).
var batchLocators = map[string][]string{
	"phonenumber": {"phonenumber", "did_sid"},
	"prefix":      {"prefix_sid", "prefix"},
	"file":        {"file_sid"},
}

// batchSchemas are the objects each type works on.
var batchSchemas = map[string]*schema{
	"phonenumber": didSchema,
	"prefix":      prefixObjSchema,
	"file":        storageFileSchema,
}

func batchOwned(c *call, r *record) bool { return r.owner == c.partner.sid }

// batchItems is the number of items of a task.
func batchItems(task object) int {
	if task["method"] == "POST" {
		d, _ := task["data"].([]any)
		return len(d)
	}
	e, _ := task["entries"].([]any)
	return len(e)
}

// batchEmpty reports whether v is absent in the sense of "must be empty":
// null, "", [] or {}.
func batchEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// batchCheckCreate validates a new task (beyond the schema) and normalizes
// entries to strings in next.
func batchCheckCreate(c *call, body map[string]any, next object) []errItem {
	var errs []errItem
	for _, k := range []string{"method", "type"} {
		if _, ok := body[k]; !ok {
			errs = append(errs, item(k, k+" is required"))
		}
	}
	if st, ok := body["status"]; ok && st != "created" {
		errs = append(errs, item("status", "a task is created with status created (or none)"))
	}
	method, _ := next["method"].(string)
	typ, _ := next["type"].(string)
	if len(errs) > 0 || method == "" || typ == "" {
		return errs
	}
	switch method {
	case "POST":
		if typ == "file" {
			return []errItem{item("type", "files are created by uploading them (POST /storage/files), not by a task")}
		}
		if !batchEmpty(next["entries"]) {
			errs = append(errs, item("entries", "entries must be empty for a POST task"))
		}
		if next["field"] != nil {
			errs = append(errs, item("field", "field must be empty for a POST task"))
		}
		data, ok := next["data"].([]any)
		switch {
		case !ok || len(data) == 0:
			errs = append(errs, item("data", "data must be a non-empty array of objects for a POST task"))
		case len(data) > batchMaxItems:
			errs = append(errs, item("data", "a task holds at most "+itoa(batchMaxItems)+" items"))
		default:
			for i, d := range data {
				if _, ok := d.(map[string]any); !ok {
					errs = append(errs, item("data["+itoa(i)+"]", "data["+itoa(i)+"] must be an object"))
				}
			}
		}
		return errs
	case "PATCH":
		data, ok := next["data"].(map[string]any)
		if !ok || len(data) == 0 {
			errs = append(errs, item("data", "data must be an object naming the attributes to change"))
		} else {
			// The changes are checked once here (unknown, read-only and
			// invalid attributes); whether each item accepts them is
			// checked per item.
			sch := batchSchemas[typ]
			_, es := applyBody(c, sch, sch.defaults(), data, modePatch, "data.")
			errs = append(errs, es...)
		}
	case "DELETE":
		if !batchEmpty(next["data"]) {
			errs = append(errs, item("data", "data must be empty for a DELETE task"))
		}
	}
	field, _ := next["field"].(string)
	if field == "" {
		errs = append(errs, item("field", "field is required for a "+method+" task"))
	} else if !contains(batchLocators[typ], field) {
		errs = append(errs, item("field", "field must be one of: "+strings.Join(batchLocators[typ], ", ")))
	}
	entries, ok := next["entries"].([]any)
	switch {
	case !ok || len(entries) == 0:
		errs = append(errs, item("entries", "entries must be a non-empty array for a "+method+" task"))
	case len(entries) > batchMaxItems:
		errs = append(errs, item("entries", "a task holds at most "+itoa(batchMaxItems)+" items"))
	default:
		out := make([]any, len(entries))
		for i, e := range entries {
			name := "entries[" + itoa(i) + "]"
			var s string
			switch x := e.(type) {
			case string:
				s = strings.TrimSpace(x)
			case json.Number:
				s = string(x)
			}
			if s == "" {
				errs = append(errs, item(name, name+" must be a non-empty string"))
			}
			out[i] = s
		}
		next["entries"] = out
	}
	return errs
}

// batchStep is what one item of a task does, or why it cannot be done.
type batchStep struct {
	key    object    // the item's identifying attributes (error_details "key")
	desc   string    // what happens, in words
	fields object    // the review item's fields
	err    *apiError // nil: the step can run
	claim  string    // what the step takes, so a later item cannot take it too
	apply  func()    // makes the change (under the write lock)
}

func (st *batchStep) fail(err *apiError) batchStep {
	st.err = err
	if st.fields == nil {
		st.fields = object{}
	}
	for k, v := range st.key {
		st.fields[k] = v
	}
	msg := err.Message
	if len(err.Errors) > 0 {
		msg = err.Errors[0].Message
	}
	st.fields["error"] = msg
	st.desc = "error: " + msg
	return *st
}

// batchNotFound answers an entry that names nothing the caller owns.
func batchNotFound(field, entry string) *apiError {
	return newErr(http.StatusNotFound, "no item error", item(field, "cannot find item by "+field+" "+entry))
}

func batchRepeated(field string) *apiError {
	return errValidation(item(field, "the item is already taken by another item of the task"))
}

// batchChanged lists, for the review, the attributes a change sets and
// their new values.
func batchChanged(fields object, body map[string]any, next object) []string {
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
		fields[k] = next[k]
	}
	sort.Strings(keys)
	return keys
}

// batchStepAt plans item i of task. claimed holds what earlier items took;
// pin is the number the review picked for a rent ("" none); filter
// restricts the numbers a rent picks; run says whether the task is being
// run (then a rent without a reviewed number is not picked anew).
func (s *Sandbox) batchStepAt(c *call, task object, i int, claimed map[string]bool, pin string, filter *matcher, run bool) batchStep {
	method, _ := task["method"].(string)
	typ, _ := task["type"].(string)
	if method == "POST" {
		data, _ := task["data"].([]any)
		body, _ := data[i].(map[string]any)
		if typ == "phonenumber" {
			return s.batchRent(c, body, i, claimed, pin, filter, run)
		}
		return s.batchCreatePrefix(c, body, claimed)
	}
	entries, _ := task["entries"].([]any)
	entry, _ := entries[i].(string)
	field, _ := task["field"].(string)
	data, _ := task["data"].(map[string]any)
	switch typ {
	case "phonenumber":
		return s.batchNumber(c, method, field, entry, data, claimed)
	case "prefix":
		return s.batchPrefix(c, method, field, entry, data, claimed)
	default:
		return s.batchFile(c, method, entry, data, claimed)
	}
}

// batchRent plans renting one number (POST phonenumber).
func (s *Sandbox) batchRent(c *call, body map[string]any, i int, claimed map[string]bool, pin string, filter *matcher, run bool) batchStep {
	// The key of an item whose number is not known yet is its position
	// (the sandbox's choice; CarrierX's error details key items by value).
	st := batchStep{key: object{"item": int64(i)}}
	body = cloneObject(body) // the task's data stays as sent
	if explicit, ok := body["phonenumber"].(string); ok {
		st.key = object{"phonenumber": strings.TrimPrefix(strings.TrimSpace(explicit), "+")}
	} else if pin != "" {
		body["phonenumber"] = pin
		st.key = object{"phonenumber": pin}
	} else if run {
		return st.fail(errValidation(item("phonenumber", "no phonenumber was picked for this item at review")))
	}
	rec, next, err := s.planRent(c, body, filter, func(r *record) bool { return claimed["did:"+r.sid] })
	if err != nil {
		return st.fail(err)
	}
	num, _ := next["phonenumber"].(string)
	st.key = object{"phonenumber": num}
	st.fields = object{"phonenumber": num, "did_sid": rec.sid}
	delete(body, "phonenumber")
	batchChanged(st.fields, body, next)
	st.fields["phonenumber"] = num
	st.desc = "rent " + num
	st.claim = "did:" + rec.sid
	st.apply = func() { s.commitRent(c, rec, next) }
	return st
}

// batchNumber plans updating or releasing one of the caller's numbers.
func (s *Sandbox) batchNumber(c *call, method, field, entry string, data map[string]any, claimed map[string]bool) batchStep {
	st := batchStep{key: object{field: entry}}
	var rec *record
	if field == "did_sid" {
		rec = s.dids.get(entry)
	} else {
		rec = s.didByNumber[strings.TrimPrefix(entry, "+")]
	}
	if rec == nil || rec.owner != c.partner.sid || rec.status != "assigned" {
		return st.fail(batchNotFound(field, entry))
	}
	st.claim = "did:" + rec.sid
	if claimed[st.claim] {
		return st.fail(batchRepeated(field))
	}
	num, _ := rec.obj["phonenumber"].(string)
	st.fields = object{"phonenumber": num, "did_sid": rec.sid}
	if method == "DELETE" {
		st.desc = "release " + num
		st.apply = func() { releaseNumber(rec) }
		return st
	}
	next, errs := applyBody(c, didSchema, rec.obj, data, modePatch, "")
	if len(errs) > 0 {
		return st.fail(errValidation(errs...))
	}
	keys := batchChanged(st.fields, data, next)
	st.desc = "update " + num + ": " + strings.Join(keys, ", ")
	st.apply = func() { rec.set(next) }
	return st
}

// batchPrefixTaken reports whether one of the caller's prefixes other than
// except has the prefix digits and source trunk group of o.
func (s *Sandbox) batchPrefixTaken(c *call, o object, except *record) bool {
	for _, r := range s.table(prefixesTable).recs {
		if r != except && r.owner == c.partner.sid && r.obj["prefix"] == o["prefix"] &&
			r.obj["source_trunk_group_sid"] == o["source_trunk_group_sid"] {
			return true
		}
	}
	return false
}

// batchCreatePrefix plans creating one prefix (POST prefix), with the
// rules of POST /phonenumber/prefixes.
func (s *Sandbox) batchCreatePrefix(c *call, body map[string]any, claimed map[string]bool) batchStep {
	p, _ := body["prefix"].(string)
	st := batchStep{key: object{"prefix": p}}
	if _, ok := body["prefix"]; !ok {
		return st.fail(errValidation(item("prefix", "prefix is required")))
	}
	base := prefixObjSchema.defaults()
	base["partner_sid"] = c.partner.sid
	next, errs := applyBody(c, prefixObjSchema, base, body, modeCreate, "")
	if len(errs) > 0 {
		return st.fail(errValidation(errs...))
	}
	src, _ := next["source_trunk_group_sid"].(string)
	st.claim = "prefix:" + p + "|" + src
	if claimed[st.claim] || s.batchPrefixTaken(c, next, nil) {
		return st.fail(errValidation(item("prefix", "prefix "+p+" already exists")))
	}
	st.fields = object{}
	batchChanged(st.fields, body, next)
	st.desc = "create prefix " + p
	st.apply = func() {
		o := cloneObject(next)
		sid := s.newSID()
		o["prefix_sid"] = sid
		s.table(prefixesTable).insert(&record{sid: sid, owner: c.partner.sid, obj: o})
	}
	return st
}

// batchPrefix plans updating or deleting one of the caller's prefixes,
// named by prefix_sid or by its digits (which must then name exactly one).
func (s *Sandbox) batchPrefix(c *call, method, field, entry string, data map[string]any, claimed map[string]bool) batchStep {
	st := batchStep{key: object{field: entry}}
	t := s.table(prefixesTable)
	var rec *record
	if field == "prefix_sid" {
		if r := t.get(entry); r != nil && r.owner == c.partner.sid {
			rec = r
		}
	} else {
		n := 0
		for _, r := range t.recs {
			if r.owner == c.partner.sid && r.obj["prefix"] == entry {
				rec = r
				n++
			}
		}
		if n > 1 {
			return st.fail(errValidation(item("prefix", "prefix "+entry+" names "+itoa(n)+" prefixes; use prefix_sid")))
		}
	}
	if rec == nil {
		return st.fail(batchNotFound(field, entry))
	}
	st.claim = "prefix_sid:" + rec.sid
	if claimed[st.claim] {
		return st.fail(batchRepeated(field))
	}
	p, _ := rec.obj["prefix"].(string)
	st.fields = object{"prefix_sid": rec.sid, "prefix": p}
	if method == "DELETE" {
		st.desc = "delete prefix " + p
		st.apply = func() { t.remove(rec.sid) }
		return st
	}
	next, errs := applyBody(c, prefixObjSchema, rec.obj, data, modePatch, "")
	if len(errs) == 0 && s.batchPrefixTaken(c, next, rec) {
		errs = append(errs, item("prefix", "prefix "+next["prefix"].(string)+" already exists"))
	}
	if len(errs) > 0 {
		return st.fail(errValidation(errs...))
	}
	keys := batchChanged(st.fields, data, next)
	st.desc = "update prefix " + p + ": " + strings.Join(keys, ", ")
	st.apply = func() { rec.set(next) }
	return st
}

// batchFile plans updating or deleting one of the caller's files, with
// the rules of PATCH / DELETE /storage/files/{file_sid}.
func (s *Sandbox) batchFile(c *call, method, entry string, data map[string]any, claimed map[string]bool) batchStep {
	st := batchStep{key: object{"file_sid": entry}}
	files := s.table(storageFilesTable)
	rec := files.get(entry)
	if rec == nil || rec.owner != c.partner.sid {
		return st.fail(batchNotFound("file_sid", entry))
	}
	st.claim = "file:" + rec.sid
	if claimed[st.claim] {
		return st.fail(batchRepeated("file_sid"))
	}
	name, _ := rec.obj["name"].(string)
	st.fields = object{"file_sid": rec.sid, "name": name}
	if method == "DELETE" {
		st.desc = "delete file " + name
		st.apply = func() {
			files.remove(rec.sid)
			s.table(storageDataTable).remove(rec.sid)
			s.storageRecount(rec.parent)
		}
		return st
	}
	next, errs := applyBody(c, storageFileSchema, rec.obj, data, modePatch, "")
	if an, _ := next["file_access_name"].(string); len(errs) == 0 && s.storageAccessNameTaken(rec.parent, an, rec.sid) {
		errs = append(errs, item("file_access_name", "file_access_name is already used in the container"))
	}
	if len(errs) > 0 {
		return st.fail(errValidation(errs...))
	}
	next["date_modified"] = formatTS(c.now)
	next["publish_uri"] = s.storagePublishURI(next)
	keys := batchChanged(st.fields, data, next)
	st.desc = "update file " + name + ": " + strings.Join(keys, ", ")
	st.apply = func() {
		rec.set(next)
		s.storageRecount(rec.parent)
	}
	return st
}

// batchReviewItems are a task's review items, in item order.
func (s *Sandbox) batchReviewItems(taskSID string) []*record {
	var out []*record
	for _, r := range s.table(batchReviewTable).recs {
		if r.parent == taskSID {
			out = append(out, r)
		}
	}
	return out
}

// batchRentFilter reads the filter query argument of Create Task: it
// restricts the numbers a POST phonenumber task may rent, as on
// POST /phonenumber/dids (not confirmed there either).
func batchRentFilter(c *call) (*matcher, *apiError) {
	return parseFilterParam(c.q.Get("filter"), didSchema, false)
}

// batchPlan stores the review items of a new task: one per item, in order.
func (s *Sandbox) batchPlan(c *call, task *record, filter *matcher) {
	review := s.table(batchReviewTable)
	claimed := map[string]bool{}
	for i := range batchItems(task.obj) {
		st := s.batchStepAt(c, task.obj, i, claimed, "", filter, false)
		if st.err == nil {
			claimed[st.claim] = true
		}
		sid := s.newSID()
		review.insert(&record{sid: sid, owner: task.owner, parent: task.sid, obj: object{
			"description": st.desc, "fields": st.fields, "sid": sid, "version": int64(1)}})
	}
}

// batchErrorDetail is an error_details entry for a failed step.
func batchErrorDetail(st batchStep) object {
	errs := make([]any, len(st.err.Errors))
	for i, e := range st.err.Errors {
		o := object{"field": nil, "message": e.Message, "reference_sid": nil}
		if e.Field != nil {
			o["field"] = *e.Field
		}
		if e.ReferenceSID != nil {
			o["reference_sid"] = *e.ReferenceSID
		}
		errs[i] = o
	}
	key, _ := json.Marshal(st.key)
	return object{"error": object{"message": st.err.Message, "errors": errs}, "key": string(key)}
}

// batchRun runs a task's items (see the notes at the top) and stores the
// outcome on the task. Callers hold the write lock.
func (s *Sandbox) batchRun(c *call, task *record) {
	reviewed := s.batchReviewItems(task.sid)
	claimed := map[string]bool{}
	var success, failure int64
	details := []any{}
	n := batchItems(task.obj)
	for i := range n {
		pin := ""
		if i < len(reviewed) {
			f, _ := reviewed[i].obj["fields"].(object)
			if _, failed := f["error"]; !failed {
				pin, _ = f["phonenumber"].(string)
			}
		}
		st := s.batchStepAt(c, task.obj, i, claimed, pin, nil, true)
		if st.err != nil {
			failure++
			details = append(details, batchErrorDetail(st))
			continue
		}
		st.apply()
		claimed[st.claim] = true
		success++
	}
	o := cloneObject(task.obj)
	o["status"] = "completed"
	o["total"] = int64(n)
	o["processed"] = success + failure
	o["success"] = success
	o["failure"] = failure
	o["error_details"] = details
	o["date_modified"] = formatTS(c.now)
	task.set(o)
}

func (s *Sandbox) batchTaskView() *view {
	tasks := s.table(batchTasksTable)
	return &view{schema: batchTaskSchema, table: tasks, param: "task_sid",
		defaultLimit: 10, // the Get Tasks sample answers limit 10
		visible:      batchOwned,
		newObject: func(c *call) object {
			o := batchTaskSchema.defaults()
			o["task_sid"] = s.newSID()
			o["partner_sid"] = c.partner.sid
			o["date_created"] = formatTS(c.now)
			o["date_modified"] = formatTS(c.now)
			o["error_details"] = []any{}
			o["status"] = "created"
			return o
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			if mode == modeCreate {
				return batchCheckCreate(c, body, next)
			}
			from, _ := rec.obj["status"].(string)
			to, _ := next["status"].(string)
			if from != to && (from != "pending_review" || (to != "approved" && to != "cancelled")) {
				return []errItem{item("status", "a "+from+" task cannot become "+to+
					" (a task pending review can be approved or cancelled)")}
			}
			if from != to {
				next["date_modified"] = formatTS(c.now)
			}
			return nil
		},
		afterCreate: func(c *call, rec *record, body map[string]any) {
			filter, _ := batchRentFilter(c) // checked before the create
			s.batchPlan(c, rec, filter)
			o := cloneObject(rec.obj)
			o["total"] = int64(batchItems(o))
			o["processed"], o["success"], o["failure"] = int64(0), int64(0), int64(0)
			if o["review"] == true {
				o["status"] = "pending_review"
				rec.set(o)
				return
			}
			rec.set(o)
			s.batchRun(c, rec)
		},
		afterDelete: func(c *call, rec *record) {
			review := s.table(batchReviewTable)
			for _, r := range s.batchReviewItems(rec.sid) {
				review.remove(r.sid)
			}
		},
	}
}

// batchCreate serves POST /batch/tasks: 200 and the task (finished when it
// has no review). A bad filter query argument is a 400.
func (s *Sandbox) batchCreate(v *view) handlerFunc {
	create := v.create()
	return func(c *call) (int, any, *apiError) {
		if _, err := batchRentFilter(c); err != nil {
			return 0, nil, err
		}
		return create(c)
	}
}

// batchUpdate serves PATCH / PUT of a task; approving it runs it at once,
// and the answer is the finished task.
func (s *Sandbox) batchUpdate(v *view, put bool) handlerFunc {
	update := v.update(put)
	return func(c *call) (int, any, *apiError) {
		status, body, err := update(c)
		if err != nil {
			return status, body, err
		}
		rec := v.table.get(c.param("task_sid"))
		if rec == nil || rec.obj["status"] != "approved" {
			return status, body, nil
		}
		s.batchRun(c, rec)
		return http.StatusOK, v.output(c, rec, fieldSel{}, false), nil
	}
}

// batchReview is the Batch Review Response object of a task.
func (s *Sandbox) batchReview(v *view, c *call) (object, []*record, *apiError) {
	task, err := v.find(c)
	if err != nil {
		return nil, nil, err
	}
	recs := s.batchReviewItems(task.sid)
	items := make([]any, len(recs))
	for i, r := range recs {
		items[i] = r.obj
	}
	return object{"method": task.obj["method"], "review_items": items, "type": task.obj["type"]}, recs, nil
}

// batchReviewJSON serves GET /batch/tasks/{task_sid}/review_items: the
// Batch Review Response object {method, review_items, type}; every item,
// unpaged (paging is not documented for it).
func (s *Sandbox) batchReviewJSON(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		out, _, err := s.batchReview(v, c)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, out, nil
	}
}

// batchReviewCSV serves GET /batch/tasks/{task_sid}/review_items.csv. The
// columns are not documented: sid, version, description, then one column
// per attribute found in the items' fields (sorted by name). Text is
// written as is, null as an empty cell, other values as JSON.
func (s *Sandbox) batchReviewCSV(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		_, recs, err := s.batchReview(v, c)
		if err != nil {
			return 0, nil, err
		}
		var names []string
		seen := map[string]bool{}
		for _, r := range recs {
			f, _ := r.obj["fields"].(object)
			for k := range f {
				if !seen[k] {
					seen[k] = true
					names = append(names, k)
				}
			}
		}
		sort.Strings(names)
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write(append([]string{"sid", "version", "description"}, names...))
		for _, r := range recs {
			f, _ := r.obj["fields"].(object)
			version, _ := intOf(r.obj["version"])
			row := []string{r.sid, strconv.FormatInt(version, 10), csvText(r.obj["description"])}
			for _, k := range names {
				row = append(row, csvText(f[k]))
			}
			_ = w.Write(row)
		}
		w.Flush()
		return http.StatusOK, &rawResponse{"text/csv; charset=utf-8", buf.Bytes()}, nil
	}
}

func csvText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func (s *Sandbox) batchRoutes(rt *router) {
	v := s.batchTaskView()
	rt.handle("GET", "/batch/tasks", v.list(nil))
	rt.handle("POST", "/batch/tasks", s.batchCreate(v))
	rt.handle("GET", "/batch/tasks/{task_sid}", v.get())
	rt.handle("PATCH", "/batch/tasks/{task_sid}", s.batchUpdate(v, false))
	rt.handle("PUT", "/batch/tasks/{task_sid}", s.batchUpdate(v, true))
	rt.handle("DELETE", "/batch/tasks/{task_sid}", v.remove())
	rt.handle("GET", "/batch/tasks/{task_sid}/review_items", s.batchReviewJSON(v))
	rt.handle("GET", "/batch/tasks/{task_sid}/review_items.csv", s.batchReviewCSV(v))
}
