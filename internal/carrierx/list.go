package carrierx

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// MaxLimit is the largest page size CarrierX accepts.
const MaxLimit = 1000

// ListOptions are the query arguments of a CarrierX collection GET (§2.2–2.4).
type ListOptions struct {
	Filter        Filter
	Order         string // "phonenumber asc", "name desc", "shuffle"
	Limit         int    // 0 = server default; > 1000 is refused client-side
	Offset        int
	After, Before string // cursor paging (record SIDs); not combined with Offset
	IncludeFields []string
	ExcludeFields []string
	// Params holds extra query arguments (group_by, with_trunks, with_related,
	// trunk_group_sid, ...). A key that one of the fields above also sets is an
	// error when both are given.
	Params url.Values
}

// Page is CarrierX's list envelope (§2.1).
type Page[T any] struct {
	Count      int        `json:"count"`
	HasMore    bool       `json:"has_more"`
	Items      []T        `json:"items"`
	Limit      int        `json:"limit"`
	Offset     int        `json:"offset"`
	Pagination Pagination `json:"pagination"` // "pagination": null decodes as empty
	Total      *int       `json:"total"`      // null on some collections
}

// Pagination holds absolute URLs of the neighbouring pages, when any.
type Pagination struct {
	Next     string `json:"next,omitempty"`
	Previous string `json:"previous,omitempty"`
}

// Query validates o and renders it as query arguments.
func (o ListOptions) Query() (url.Values, error) {
	q := url.Values{}
	if err := o.Filter.Err(); err != nil {
		return nil, err
	}
	switch {
	case o.Limit < 0:
		return nil, fmt.Errorf("carrierx: negative limit %d", o.Limit)
	case o.Limit > MaxLimit:
		return nil, fmt.Errorf("carrierx: limit %d exceeds CarrierX's maximum of %d", o.Limit, MaxLimit)
	case o.Offset < 0:
		return nil, fmt.Errorf("carrierx: negative offset %d", o.Offset)
	case o.Offset > 0 && (o.After != "" || o.Before != ""):
		return nil, errors.New("carrierx: offset cannot be combined with after/before")
	case o.After != "" && o.Before != "":
		return nil, errors.New("carrierx: after and before cannot be combined")
	}
	if !o.Filter.IsZero() {
		q.Set("filter", o.Filter.String())
	}
	if o.Order != "" {
		q.Set("order", o.Order)
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.Offset > 0 {
		q.Set("offset", strconv.Itoa(o.Offset))
	}
	if o.After != "" {
		q.Set("after", o.After)
	}
	if o.Before != "" {
		q.Set("before", o.Before)
	}
	if len(o.IncludeFields) > 0 {
		q.Set("include_fields", strings.Join(o.IncludeFields, ","))
	}
	if len(o.ExcludeFields) > 0 {
		q.Set("exclude_fields", strings.Join(o.ExcludeFields, ","))
	}
	for k, vs := range o.Params {
		if _, dup := q[k]; dup {
			return nil, fmt.Errorf("carrierx: query argument %q given both in ListOptions and in Params", k)
		}
		if k == "limit" {
			for _, v := range vs {
				if n, err := strconv.Atoi(v); err != nil || n > MaxLimit || n < 0 {
					return nil, fmt.Errorf("carrierx: invalid limit %q in Params", v)
				}
			}
		}
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	return q, nil
}

// service is one CarrierX API: its base path and whether it wraps responses
// in {"body": ..., "status": ...} (Mediator).
type service struct {
	base    string
	wrapped bool
	// maybeWrapped: Core routes of a wrapped API (the Mediator call records)
	// whose wrapping is not confirmed: unwrapped only when the answer is
	// exactly {"body": ..., "status": n}.
	maybeWrapped bool
}

var (
	core         = service{base: CoreV2Path}
	conferenceV2 = service{base: ConferenceV2Path}
	mediatorV1   = service{base: MediatorV1Path, wrapped: true}
	flexmlV1     = service{base: FlexMLV1Path}
	// coreMediatorDRs is Core v2 for /app/mediator/calls: a Core path, so a
	// Core envelope is expected, but whether Mediator's {"body","status"}
	// wrapper applies there is not confirmed, so both are accepted.
	coreMediatorDRs = service{base: CoreV2Path, maybeWrapped: true}
)

// The generic helpers below implement one CarrierX method each; a typed method
// is one line over them, e.g.
//
//	func (c *Client) GetEndpoint(ctx context.Context, sid string) (*Endpoint, error) {
//		return getOne[Endpoint](ctx, c, core, "/endpoints/"+pathEscape(sid), nil)
//	}

// get builds a GET request on s.
func (s service) get(path string, q url.Values) *request {
	return &request{method: http.MethodGet, path: s.base + path, query: q, wrapped: s.wrapped, maybeWrapped: s.maybeWrapped}
}

// listPage fetches one page of a collection.
func listPage[T any](ctx context.Context, c *Client, s service, path string, opts ListOptions) (*Page[T], error) {
	q, err := opts.Query()
	if err != nil {
		return nil, err
	}
	var p Page[T]
	if err := c.do(ctx, s.get(path, q), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// getOne fetches one object. q may be nil.
func getOne[T any](ctx context.Context, c *Client, s service, path string, q url.Values) (*T, error) {
	var out T
	if err := c.do(ctx, s.get(path, q), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// send performs a write (POST/PATCH/PUT) with a JSON body (nil sends {}) and
// decodes the object returned. q may be nil.
func send[T any](ctx context.Context, c *Client, s service, method, path string, q url.Values, body any) (*T, error) {
	var out T
	if err := c.do(ctx, &request{method: method, path: s.base + path, query: q, body: body, wrapped: s.wrapped, maybeWrapped: s.maybeWrapped}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// remove performs a DELETE (CarrierX answers 204).
func remove(ctx context.Context, c *Client, s service, path string, q url.Values) error {
	return c.do(ctx, &request{method: http.MethodDelete, path: s.base + path, query: q, wrapped: s.wrapped, maybeWrapped: s.maybeWrapped}, nil)
}

// pathEscape escapes one path segment (a SID or a phone number).
func pathEscape(seg string) string { return url.PathEscape(seg) }

// requireSID rejects an empty SID before a request is built (an empty SID
// would silently address the collection instead of one object).
func requireSID(what, sid string) error {
	if strings.TrimSpace(sid) == "" {
		return errEmpty(what)
	}
	return nil
}

func errEmpty(what string) error { return fmt.Errorf("carrierx: empty %s", what) }

// All iterates over every item of a Core v2 collection (path relative to
// /core/v2, e.g. "/phonenumber/dids"), fetching pages as needed. It follows
// pagination.next when present — only if that absolute URL is on the client's
// own scheme and host, otherwise it stops with an error so credentials never
// go elsewhere — and falls back to offset += count while has_more. On an error
// the iterator yields (zero, err) once and stops.
func All[T any](ctx context.Context, c *Client, path string, opts ListOptions) iter.Seq2[T, error] {
	return allItems[T](ctx, c, core, path, opts)
}

func allItems[T any](ctx context.Context, c *Client, s service, path string, opts ListOptions) iter.Seq2[T, error] {
	return iterate[T](ctx, c, s, opts, nil, func(ctx context.Context) (*Page[T], string, error) {
		p, err := listPage[T](ctx, c, s, path, opts)
		return p, path, err
	})
}

// allRecords is allItems for a collection with after/before cursor paging
// whose cursor is sidOf(item) (dr_sid, call_sid, ...). In after mode, when a
// page says has_more but carries no pagination.next (CarrierX's §9 ex.12
// cursor sample has only "previous"), the next page is requested with
// after=<SID of the page's last item>. In before mode the order of the items
// relative to the cursor is not confirmed, so the iterator stops with an
// error there instead of guessing.
func allRecords[T any](ctx context.Context, c *Client, s service, path string, opts ListOptions, sidOf func(*T) string) iter.Seq2[T, error] {
	return iterate[T](ctx, c, s, opts, sidOf, func(ctx context.Context) (*Page[T], string, error) {
		p, err := listPage[T](ctx, c, s, path, opts)
		return p, path, err
	})
}

// firstPageFunc fetches the first page and reports the path (relative to the
// service base) it came from, which offset and cursor paging then reuse.
type firstPageFunc[T any] func(ctx context.Context) (*Page[T], string, error)

// iterate walks a collection from the page first returns. See All.
func iterate[T any](ctx context.Context, c *Client, s service, opts ListOptions, sidOf func(*T) string, first firstPageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		page, path, err := first(ctx)
		if err != nil {
			yield(zero, err)
			return
		}
		cursor := opts.After != "" || opts.Before != ""
		offset := opts.Offset
		seen := map[string]bool{}
		seenCursor := map[string]bool{opts.After: true}
		for {
			for _, it := range page.Items {
				if !yield(it, nil) {
					return
				}
			}
			got := len(page.Items)
			if !page.HasMore || got == 0 {
				return
			}
			var next *request
			switch {
			case page.Pagination.Next != "":
				u, perr := url.Parse(page.Pagination.Next)
				if perr != nil || !u.IsAbs() {
					yield(zero, errors.New("carrierx: pagination.next is not an absolute URL"))
					return
				}
				if !c.sameOrigin(u) {
					yield(zero, fmt.Errorf("carrierx: refusing to follow pagination.next to another host (%s)", u.Scheme+"://"+u.Host))
					return
				}
				if seen[u.String()] {
					yield(zero, errors.New("carrierx: pagination.next repeats a page already fetched"))
					return
				}
				seen[u.String()] = true
				next = &request{method: http.MethodGet, rawURL: u.String(), wrapped: s.wrapped, maybeWrapped: s.maybeWrapped}
			case cursor && opts.After != "" && sidOf != nil:
				last := sidOf(&page.Items[got-1])
				if last == "" {
					yield(zero, errors.New("carrierx: has_more without pagination.next, and the last item has no SID to page after"))
					return
				}
				if seenCursor[last] {
					yield(zero, errors.New("carrierx: cursor paging repeats a page already fetched"))
					return
				}
				seenCursor[last] = true
				o := opts
				o.After = last
				q, qerr := o.Query()
				if qerr != nil {
					yield(zero, qerr)
					return
				}
				next = s.get(path, q)
			case cursor:
				// Cursor paging without a next link: the cursor field of T is
				// unknown here (or the direction is, for before), so stop
				// rather than guess.
				yield(zero, errors.New("carrierx: has_more without pagination.next in cursor (after/before) mode"))
				return
			default:
				if page.Offset > 0 {
					offset = page.Offset
				}
				offset += got
				o := opts
				o.Offset = offset
				q, qerr := o.Query()
				if qerr != nil {
					yield(zero, qerr)
					return
				}
				next = s.get(path, q)
			}
			var p Page[T]
			if err := c.do(ctx, next, &p); err != nil {
				yield(zero, err)
				return
			}
			page = &p
		}
	}
}
