package carrierx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// Task is a batch task: one request that rents, updates or releases many
// phone numbers (or creates, updates, deletes prefixes, or updates and
// deletes storage files). Method says what is done to each item, Type to
// what; a POST task carries one object per item in Data, PATCH and DELETE
// tasks name the items in Entries by the attribute in Field, and a PATCH
// applies the object in Data to each.
//
// A task with Review (CarrierX's default) waits in "pending_review" until
// it is approved (ApproveTask) or cancelled (CancelTask); its review items
// tell what each item would do. The counters tell how a run went: Total
// items, Processed = Success + Failure, and ErrorDetails describes each
// failed item.
type Task struct {
	Data         json.RawMessage   `json:"data"` // array (POST) or object (PATCH); null for DELETE
	DateCreated  *time.Time        `json:"date_created"`
	DateModified *time.Time        `json:"date_modified"`
	Entries      TaskEntries       `json:"entries"`
	ErrorDetails []TaskErrorDetail `json:"error_details"`
	Failure      *int              `json:"failure"`
	Field        *string           `json:"field"`
	Method       string            `json:"method"`
	PartnerSID   string            `json:"partner_sid"`
	Processed    *int              `json:"processed"`
	Review       bool              `json:"review"`
	Status       string            `json:"status"`
	Success      *int              `json:"success"`
	TaskSID      string            `json:"task_sid"`
	Total        *int              `json:"total"`
	Type         string            `json:"type"`
}

// Task methods (what is done to each item), types (what the items are) and
// statuses.
const (
	TaskMethodPost   = "POST"
	TaskMethodPatch  = "PATCH"
	TaskMethodDelete = "DELETE"

	TaskTypePhonenumber = "phonenumber"
	TaskTypePrefix      = "prefix"
	TaskTypeFile        = "file"

	TaskStatusApproved      = "approved"
	TaskStatusCancelled     = "cancelled"
	TaskStatusCompleted     = "completed"
	TaskStatusCreated       = "created"
	TaskStatusPendingReview = "pending_review"
	TaskStatusQueued        = "queued"
	TaskStatusRunning       = "running"
)

// TaskEntries are the identifiers a PATCH or DELETE task names. CarrierX's
// samples send them as strings; numbers (a phone number as a JSON number)
// are read as their text.
type TaskEntries []string

// UnmarshalJSON accepts an array of strings and numbers, or null.
func (e *TaskEntries) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*e = nil
		return nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(TaskEntries, len(raw))
	for i, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out[i] = s
			continue
		}
		var n json.Number
		if err := json.Unmarshal(r, &n); err != nil {
			return fmt.Errorf("carrierx: task entry %d is neither a string nor a number", i)
		}
		out[i] = n.String()
	}
	*e = out
	return nil
}

// TaskErrorDetail describes one failed item of a task: the error CarrierX
// answered for it, and Key, the item's identifying attributes as JSON text
// (e.g. {"phonenumber":"15162065574"}).
type TaskErrorDetail struct {
	Error TaskError `json:"error"`
	Key   string    `json:"key"`
}

// TaskError is an error in CarrierX's error shape (§3.2), inside a task.
type TaskError struct {
	Message string       `json:"message"`
	Errors  []FieldError `json:"errors"`
}

// TaskCreate is the body of POST /batch/tasks. Build it with one of the
// *Task functions below, or by hand. Review unset leaves CarrierX's
// default (true: the task waits for approval); Set(false) runs it at once.
type TaskCreate struct {
	Method  string         `json:"method"`
	Type    string         `json:"type"`
	Field   string         `json:"field,omitempty"`
	Entries []string       `json:"entries,omitempty"`
	Data    any            `json:"data,omitempty"`
	Review  Optional[bool] `json:"review,omitzero"`
	// RentFilter restricts the numbers a POST phonenumber task may rent:
	// items without a phonenumber take the first available number that
	// matches, named numbers must match. It is sent as the filter query
	// argument, as on RentDID (not confirmed by CarrierX's docs).
	RentFilter Filter `json:"-"`
}

// RentDIDsTask rents one number per request (a request without a
// phonenumber takes the first available number): rent by count with
// empty requests, by list with numbers, by filter with RentFilter.
func RentDIDsTask(dids ...RentDIDRequest) TaskCreate {
	return TaskCreate{Method: TaskMethodPost, Type: TaskTypePhonenumber, Data: dids}
}

// UpdateDIDsTask applies u to the caller's numbers named in entries, by
// field ("phonenumber" or "did_sid").
func UpdateDIDsTask(field string, entries []string, u DIDUpdate) TaskCreate {
	return TaskCreate{Method: TaskMethodPatch, Type: TaskTypePhonenumber, Field: field, Entries: entries, Data: u}
}

// ReleaseDIDsTask releases the caller's numbers named in entries, by field
// ("phonenumber" or "did_sid").
func ReleaseDIDsTask(field string, entries []string) TaskCreate {
	return TaskCreate{Method: TaskMethodDelete, Type: TaskTypePhonenumber, Field: field, Entries: entries}
}

// CreatePrefixesTask creates one prefix per request.
func CreatePrefixesTask(prefixes ...PrefixUpdate) TaskCreate {
	return TaskCreate{Method: TaskMethodPost, Type: TaskTypePrefix, Data: prefixes}
}

// UpdatePrefixesTask applies u to the caller's prefixes named in entries,
// by field ("prefix_sid", or "prefix": the digits, naming one prefix).
func UpdatePrefixesTask(field string, entries []string, u PrefixUpdate) TaskCreate {
	return TaskCreate{Method: TaskMethodPatch, Type: TaskTypePrefix, Field: field, Entries: entries, Data: u}
}

// DeletePrefixesTask deletes the caller's prefixes named in entries.
func DeletePrefixesTask(field string, entries []string) TaskCreate {
	return TaskCreate{Method: TaskMethodDelete, Type: TaskTypePrefix, Field: field, Entries: entries}
}

// UpdateStorageFilesTask applies u to the caller's files with the given
// SIDs.
func UpdateStorageFilesTask(fileSIDs []string, u StorageFileUpdate) TaskCreate {
	return TaskCreate{Method: TaskMethodPatch, Type: TaskTypeFile, Field: "file_sid", Entries: fileSIDs, Data: u}
}

// DeleteStorageFilesTask deletes the caller's files with the given SIDs.
func DeleteStorageFilesTask(fileSIDs []string) TaskCreate {
	return TaskCreate{Method: TaskMethodDelete, Type: TaskTypeFile, Field: "file_sid", Entries: fileSIDs}
}

// TaskUpdate is the body of a task PATCH: approving ("approved") or
// cancelling ("cancelled") a task pending review is what can change.
type TaskUpdate struct {
	Status Optional[string] `json:"status,omitzero"`
}

// taskWritable is a task's fields for PUT: all of them but the read-only
// ones, sent as they are (only status may differ from the stored task).
type taskWritable struct {
	Data    json.RawMessage `json:"data"`
	Entries TaskEntries     `json:"entries"`
	Field   *string         `json:"field"`
	Method  string          `json:"method"`
	Review  bool            `json:"review"`
	Status  string          `json:"status"`
	Type    string          `json:"type"`
}

// TaskReview is the Batch Review Response of a task: what each of its items
// would do (or did not manage to plan), in item order.
type TaskReview struct {
	Method      string       `json:"method"`
	ReviewItems []ReviewItem `json:"review_items"`
	Type        string       `json:"type"`
}

// ReviewItem is one item of a task's review. Fields hold the attributes to
// review: the object's identifiers (phonenumber and did_sid for a number,
// prefix_sid and prefix, file_sid and name) and the values the item sets.
// In the sandbox an item that cannot be done has an "error" field, and its
// Description starts with "error: ".
type ReviewItem struct {
	Description string         `json:"description"`
	Fields      map[string]any `json:"fields"`
	SID         string         `json:"sid"`
	Version     int            `json:"version"`
}

// Text returns a field as text ("" when absent or not a string).
func (r ReviewItem) Text(name string) string {
	s, _ := r.Fields[name].(string)
	return s
}

// Failure returns why the item cannot be done ("" when it can).
func (r ReviewItem) Failure() string { return r.Text("error") }

const tasksPath = "/batch/tasks"

// CreateTask creates a batch task (POST /batch/tasks). A task with review
// comes back "pending_review"; one without runs, and the sandbox answers it
// finished ("completed", with its counters).
func (c *Client) CreateTask(ctx context.Context, t TaskCreate) (*Task, error) {
	var q url.Values
	if !t.RentFilter.IsZero() {
		if err := t.RentFilter.Err(); err != nil {
			return nil, err
		}
		q = url.Values{"filter": {t.RentFilter.String()}}
	}
	return send[Task](ctx, c, core, http.MethodPost, tasksPath, q, t)
}

// ListTasks returns one page of the partner's tasks.
func (c *Client) ListTasks(ctx context.Context, opts ListOptions) (*Page[Task], error) {
	return listPage[Task](ctx, c, core, tasksPath, opts)
}

// AllTasks iterates over every task matching opts.
func (c *Client) AllTasks(ctx context.Context, opts ListOptions) iter.Seq2[Task, error] {
	return allItems[Task](ctx, c, core, tasksPath, opts)
}

// GetTask returns one task.
func (c *Client) GetTask(ctx context.Context, sid string) (*Task, error) {
	if err := requireSID("task_sid", sid); err != nil {
		return nil, err
	}
	return getOne[Task](ctx, c, core, tasksPath+"/"+pathEscape(sid), nil)
}

// UpdateTask changes the fields set in u (PATCH).
func (c *Client) UpdateTask(ctx context.Context, sid string, u TaskUpdate) (*Task, error) {
	if err := requireSID("task_sid", sid); err != nil {
		return nil, err
	}
	return send[Task](ctx, c, core, http.MethodPatch, tasksPath+"/"+pathEscape(sid), nil, u)
}

// ApproveTask approves a task pending review, which runs it. The sandbox
// runs it within the request and answers the finished task.
func (c *Client) ApproveTask(ctx context.Context, sid string) (*Task, error) {
	return c.UpdateTask(ctx, sid, TaskUpdate{Status: Set(TaskStatusApproved)})
}

// CancelTask cancels a task pending review: it will not run.
func (c *Client) CancelTask(ctx context.Context, sid string) (*Task, error) {
	return c.UpdateTask(ctx, sid, TaskUpdate{Status: Set(TaskStatusCancelled)})
}

// ReplaceTask sends the whole task back (PUT) with t's fields; read-only
// fields are not sent. Only Status may differ from the stored task.
func (c *Client) ReplaceTask(ctx context.Context, sid string, t Task) (*Task, error) {
	if err := requireSID("task_sid", sid); err != nil {
		return nil, err
	}
	w := taskWritable{Data: t.Data, Entries: t.Entries, Field: t.Field, Method: t.Method, Review: t.Review,
		Status: t.Status, Type: t.Type}
	return send[Task](ctx, c, core, http.MethodPut, tasksPath+"/"+pathEscape(sid), nil, w)
}

// DeleteTask deletes a task (204). A task not yet run is thereby cancelled.
func (c *Client) DeleteTask(ctx context.Context, sid string) error {
	if err := requireSID("task_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, tasksPath+"/"+pathEscape(sid), nil)
}

// TaskReviewItems returns what each item of the task would do
// (GET /batch/tasks/{task_sid}/review_items).
func (c *Client) TaskReviewItems(ctx context.Context, sid string) (*TaskReview, error) {
	if err := requireSID("task_sid", sid); err != nil {
		return nil, err
	}
	return getOne[TaskReview](ctx, c, core, tasksPath+"/"+pathEscape(sid)+"/review_items", nil)
}

// TaskReviewItemsCSV streams the task's review items as CSV
// (GET /batch/tasks/{task_sid}/review_items.csv). Nothing is buffered: the
// caller reads and closes the body. The columns are not documented (the
// sandbox writes sid, version, description, then one column per field).
func (c *Client) TaskReviewItemsCSV(ctx context.Context, sid string) (io.ReadCloser, error) {
	if err := requireSID("task_sid", sid); err != nil {
		return nil, err
	}
	req := core.get(tasksPath+"/"+pathEscape(sid)+"/review_items.csv", nil)
	req.accept = "text/csv, application/json;q=0.9, */*;q=0.1" // errors still come as CarrierX JSON
	return c.stream(ctx, req)
}
