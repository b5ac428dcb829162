package sandbox

import (
	"bytes"
	"encoding/json"
	"sync/atomic"
)

// record is one stored object plus the sandbox's own bookkeeping, which is
// never shown to clients.
type record struct {
	sid    string
	owner  string // partner SID the object belongs to ("" = nobody, e.g. inventory)
	parent string // parent object's SID (a trunk's trunk group)
	obj    object // immutable; replaced wholesale through set
	status string // obj["status"] when it is a string (hot in DID lists)
	secret string // partners: the login password
	lat    float64
	lng    float64                // DIDs: where the number lives (for "nearby")
	enc    atomic.Pointer[[]byte] // cached JSON of obj; filled and reset under the sandbox lock
}

// set replaces the record's object (copy-on-write). Callers hold the write lock.
func (r *record) set(obj object) {
	r.obj = obj
	r.status, _ = obj["status"].(string)
	r.enc.Store(nil)
}

// encoded returns obj as JSON, cached until the next set. Callers hold the
// lock (read or write), so set cannot run concurrently.
func (r *record) encoded() (json.RawMessage, error) {
	if b := r.enc.Load(); b != nil {
		return *b, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r.obj); err != nil {
		return nil, err
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	r.enc.Store(&b)
	return b, nil
}

// table keeps records in creation order with an index by SID. Creation order
// is the default (stable) list order.
type table struct {
	recs []*record
	byID map[string]*record
}

func newTable() *table { return &table{byID: map[string]*record{}} }

func (t *table) insert(r *record) {
	if r.obj != nil {
		r.set(r.obj)
	}
	t.recs = append(t.recs, r)
	t.byID[r.sid] = r
}

func (t *table) get(sid string) *record { return t.byID[sid] }

func (t *table) remove(sid string) {
	r := t.byID[sid]
	if r == nil {
		return
	}
	delete(t.byID, sid)
	for i, x := range t.recs {
		if x == r {
			t.recs = append(t.recs[:i:i], t.recs[i+1:]...)
			break
		}
	}
}
