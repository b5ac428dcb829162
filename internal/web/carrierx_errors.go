package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// problem is a failed CarrierX call, said for the user.
type problem struct {
	Message string            // one sentence for a flash or beside the form
	Fields  map[string]string // CarrierX's field errors, by field name
	Outage  bool              // CarrierX did not answer (network, timeout, 5xx)
	Expired bool              // the session's token is no longer accepted
	Status  int               // CarrierX's status, 0 when it did not answer
}

// explain turns a CarrierX client error into what the user should read.
func explain(err error) problem {
	if err == nil {
		return problem{}
	}
	if cxErr, ok := carrierx.AsError(err); ok {
		p := problem{Status: cxErr.Status, Fields: cxErr.FieldMessages()}
		switch {
		case cxErr.Status == http.StatusUnauthorized:
			p.Expired = true
			p.Message = "CarrierX no longer accepts this session's token. Sign in again."
		case cxErr.Status == http.StatusForbidden:
			p.Message = "CarrierX refused: your login lacks the permission (scope) for this. " + cxMessage(cxErr)
		case cxErr.Status >= 500:
			p.Outage = true
			p.Message = "CarrierX answered with an error (HTTP " + http.StatusText(cxErr.Status) + "). Try again shortly."
		default:
			p.Message = "CarrierX refused: " + cxMessage(cxErr)
		}
		return p
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return problem{Outage: true, Message: "CarrierX did not answer in time."}
	}
	if errors.Is(err, context.Canceled) {
		return problem{Message: "The request was cancelled."}
	}
	return problem{Outage: true, Message: "CarrierX could not be reached."}
}

// cxMessage is CarrierX's own words: its message and every error entry.
func cxMessage(e *carrierx.Error) string {
	parts := []string{}
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	for _, fe := range e.Errors {
		if fe.Message == "" {
			continue
		}
		if fe.Field != nil && *fe.Field != "" {
			parts = append(parts, *fe.Field+": "+fe.Message)
		} else {
			parts = append(parts, fe.Message)
		}
	}
	if len(parts) == 0 {
		return http.StatusText(e.Status)
	}
	return strings.Join(parts, "; ") + "."
}
