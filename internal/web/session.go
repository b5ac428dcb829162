package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"github.com/carrierx-ops/dashboard/internal/store"
)

const sessionCookie = "cxconsole_session"

// Session value keys.
const (
	keyToken       = "token"
	keyTokenSID    = "token_sid"
	keyTokenExpiry = "token_expires" // unix seconds, 0 = none
	keyPartnerSID  = "partner_sid"
	keyPartnerName = "partner_name"
	keyLogin       = "login"
	keyCSRF        = "csrf"
	keyTimeZone    = "tz"
	keyFlash       = "flash"
)

// pgSessionStore is a gorilla/sessions store that keeps session data in
// Postgres, sealed (encrypted and authenticated) with the server secret. The
// cookie carries only a random id; the table holds only the id's SHA-256.
type pgSessionStore struct {
	db     *store.Store
	codec  *securecookie.SecureCookie
	idle   time.Duration
	secure bool
}

func newSessionStore(db *store.Store, secret []byte, idle time.Duration, secure bool) *pgSessionStore {
	hashKey := sha256.Sum256(append([]byte("session-hash:"), secret...))
	blockKey := sha256.Sum256(append([]byte("session-block:"), secret...))
	codec := securecookie.New(hashKey[:], blockKey[:])
	codec.MaxAge(0)    // expiry is the row's expires_at, not the seal's timestamp
	codec.MaxLength(0) // the sealed data lives in Postgres, not in a cookie
	return &pgSessionStore{db: db, codec: codec, idle: idle, secure: secure}
}

func hashID(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}

func newSessionID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (st *pgSessionStore) options(r *http.Request) *sessions.Options {
	return &sessions.Options{
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   st.secure || r.TLS != nil,
	}
}

// Get returns the request's session, cached for the request.
func (st *pgSessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(st, name)
}

// New loads the session named by the request's cookie, or starts an empty one.
func (st *pgSessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	s := sessions.NewSession(st, name)
	s.Options = st.options(r)
	s.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || len(c.Value) != 43 {
		return s, nil
	}
	row, err := st.db.LoadSession(r.Context(), hashID(c.Value))
	if errors.Is(err, store.ErrNotFound) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if err := st.codec.Decode(name, string(row.Data), &s.Values); err != nil {
		// Sealed with another secret: as good as no session.
		return s, nil
	}
	s.ID = c.Value
	s.IsNew = false
	if time.Since(row.LastSeenAt) > time.Minute {
		if err := st.db.TouchSession(r.Context(), row.IDHash, time.Now().Add(st.idle)); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Save writes the session row and the cookie; MaxAge < 0 deletes both.
func (st *pgSessionStore) Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	if s.Options.MaxAge < 0 {
		if s.ID != "" {
			if err := st.db.DeleteSession(r.Context(), hashID(s.ID)); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(s.Name(), "", s.Options))
		s.ID = ""
		return nil
	}
	if s.ID == "" {
		s.ID = newSessionID()
	}
	data, err := st.codec.Encode(s.Name(), s.Values)
	if err != nil {
		return err
	}
	partner, _ := s.Values[keyPartnerSID].(string)
	login, _ := s.Values[keyLogin].(string)
	if err := st.db.SaveSession(r.Context(), store.Session{
		IDHash: hashID(s.ID), Data: []byte(data), PartnerSID: partner, Login: login,
		RemoteAddr: clientIP(r), UserAgent: truncate(r.UserAgent(), 200),
		ExpiresAt: time.Now().Add(st.idle),
	}); err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(s.Name(), s.ID, s.Options))
	return nil
}

// destroy deletes the session row and clears the cookie.
func (st *pgSessionStore) destroy(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	s.Options.MaxAge = -1
	return st.Save(r, w, s)
}

// rotate gives the session a fresh id (deleting the old row), as at sign-in.
func (st *pgSessionStore) rotate(r *http.Request, s *sessions.Session) error {
	if s.ID != "" {
		if err := st.db.DeleteSession(r.Context(), hashID(s.ID)); err != nil {
			return err
		}
	}
	s.ID = ""
	s.Values = map[any]any{}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
