package carrierx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// stream performs req and, on a 2xx answer, returns the response body unread:
// nothing is buffered. The call's deadline (the client's timeout or ctx's,
// whichever is shorter) keeps applying while the caller reads; the per-call
// context is released when the body is closed, so the caller must close it.
//
// A GET is retried like any other GET (retryable status, connection failure)
// only before the body is handed over; once it is, a failed read is the
// caller's error to handle. A non-2xx answer gives *Error.
func (c *Client) stream(ctx context.Context, req *request) (io.ReadCloser, error) {
	if c.baseErr != nil {
		return nil, c.baseErr
	}
	ctx, cancel := c.callContext(ctx)
	resp, ePath, err := c.exchange(ctx, req)
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
		drainClose(resp.Body)
		cancel()
		return nil, decodeError(resp.StatusCode, req.method, ePath, body)
	}
	return &streamBody{rc: resp.Body, ctx: ctx, cancel: cancel, method: req.method, path: ePath}, nil
}

// streamBody is a response body that carries its call's context: reads fail
// once the deadline passes, and Close releases the context.
type streamBody struct {
	rc     io.ReadCloser
	ctx    context.Context
	cancel context.CancelFunc
	once   sync.Once
	method string
	path   string
}

func (b *streamBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		if cerr := b.ctx.Err(); cerr != nil {
			return n, fmt.Errorf("carrierx: %s %s: reading body: %w", b.method, b.path, cerr)
		}
		return n, fmt.Errorf("carrierx: %s %s: reading body: %w", b.method, b.path, err)
	}
	return n, err
}

// Close closes the body (without draining it: the caller may stop early on
// a large download) and releases the call's context. It is safe to call
// more than once.
func (b *streamBody) Close() error {
	var err error
	b.once.Do(func() {
		err = b.rc.Close()
		b.cancel()
	})
	return err
}
