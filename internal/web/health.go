package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// healthz answers while the process is up.
func (s *Server) healthz(c echo.Context) error { return c.String(http.StatusOK, "ok\n") }

// readyz answers 200 only when Postgres and CarrierX both answer.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	var reasons []string
	if err := s.db.Ping(ctx); err != nil {
		reasons = append(reasons, "postgres: "+err.Error())
	}
	if err := s.cx.WithoutAuth().Ping(ctx); err != nil {
		reasons = append(reasons, "carrierx: "+err.Error())
	}
	if len(reasons) > 0 {
		return c.String(http.StatusServiceUnavailable, "not ready: "+strings.Join(reasons, "; ")+"\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
