package store_test

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/store/storetest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	_, url := storetest.NewStore(t)
	applied, err := store.Migrate(context.Background(), url)
	require.NoError(t, err)
	assert.Empty(t, applied, "second run applies nothing")
}

func TestSessionLifecycle(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	id := []byte("0123456789abcdef0123456789abcdef")
	require.NoError(t, s.SaveSession(ctx, store.Session{IDHash: id, Data: []byte("sealed"), PartnerSID: "p1", Login: "demo",
		ExpiresAt: time.Now().Add(time.Hour)}))

	got, err := s.LoadSession(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []byte("sealed"), got.Data)
	assert.Equal(t, "p1", got.PartnerSID)

	require.NoError(t, s.ExpireSession(ctx, id))
	_, err = s.LoadSession(ctx, id)
	assert.ErrorIs(t, err, store.ErrNotFound, "an expired session is gone")

	n, err := s.DeleteExpiredSessions(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
}

func TestAuditIsPerPartnerNewestFirst(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	for i, action := range []string{"sign_in", "rent", "edit"} {
		require.NoError(t, s.RecordAudit(ctx, store.AuditEntry{PartnerSID: "p1", Actor: "demo", Action: action,
			Outcome: store.OutcomeOK, ObjectLabel: string(rune('a' + i)), Before: json.RawMessage(`{"name":"x"}`)}))
	}
	require.NoError(t, s.RecordAudit(ctx, store.AuditEntry{PartnerSID: "p2", Actor: "other", Action: "rent", Outcome: store.OutcomeOK}))

	page, more, err := s.ListAudit(ctx, store.AuditQuery{PartnerSID: "p1", Limit: 2})
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.True(t, more)
	assert.Equal(t, "edit", page[0].Action)
	assert.Equal(t, "rent", page[1].Action)
	assert.JSONEq(t, `{"name":"x"}`, string(page[0].Before))

	rest, more, err := s.ListAudit(ctx, store.AuditQuery{PartnerSID: "p1", BeforeID: page[1].ID, Limit: 2})
	require.NoError(t, err)
	assert.False(t, more)
	require.Len(t, rest, 1)
	assert.Equal(t, "sign_in", rest[0].Action)

	other, _, err := s.ListAudit(ctx, store.AuditQuery{PartnerSID: "p2"})
	require.NoError(t, err)
	require.Len(t, other, 1)
	assert.Equal(t, "other", other[0].Actor)
}

func TestLoginWaitGrowsAfterFreeFailures(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		wait, err := s.LoginWait(ctx, "10.0.0.1", now)
		require.NoError(t, err)
		assert.Zero(t, wait, "failure %d is free", i)
		require.NoError(t, s.RecordLoginFailure(ctx, "10.0.0.1", now))
	}
	wait, err := s.LoginWait(ctx, "10.0.0.1", now)
	require.NoError(t, err)
	assert.Equal(t, 2*time.Second, wait)
	require.NoError(t, s.RecordLoginFailure(ctx, "10.0.0.1", now))
	wait, err = s.LoginWait(ctx, "10.0.0.1", now)
	require.NoError(t, err)
	assert.Equal(t, 4*time.Second, wait)

	other, err := s.LoginWait(ctx, "10.0.0.2", now)
	require.NoError(t, err)
	assert.Zero(t, other, "another address is not slowed")

	later, err := s.LoginWait(ctx, "10.0.0.1", now.Add(time.Hour))
	require.NoError(t, err)
	assert.Zero(t, later, "failures expire")

	require.NoError(t, s.ClearLoginFailures(ctx, "10.0.0.1"))
	wait, err = s.LoginWait(ctx, "10.0.0.1", now)
	require.NoError(t, err)
	assert.Zero(t, wait)
}

func TestSecretIsSharedAndStable(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	var calls atomic.Int32
	gen := func() ([]byte, error) {
		n := calls.Add(1)
		return []byte{byte(n)}, nil
	}
	var wg sync.WaitGroup
	got := make([][]byte, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.Secret(ctx, "session", gen)
			assert.NoError(t, err)
			got[i] = v
		}()
	}
	wg.Wait()
	for _, v := range got {
		assert.Equal(t, got[0], v, "every caller sees one value")
	}
}

func TestWithLockSerializes(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, s.WithLock(ctx, "rent:p1:15162065573", func(context.Context) error {
				n := inside.Add(1)
				if n > maxInside.Load() {
					maxInside.Store(n)
				}
				time.Sleep(20 * time.Millisecond)
				inside.Add(-1)
				return nil
			}))
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, maxInside.Load())
}

func TestAuditFiltersAndFacets(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	add := func(partner, action, typ, sid, outcome string) {
		require.NoError(t, s.RecordAudit(ctx, store.AuditEntry{PartnerSID: partner, Actor: "x", Action: action,
			ObjectType: typ, ObjectSID: sid, Outcome: outcome}))
	}
	add("p1", "edit", "did", "d1", store.OutcomeOK)
	add("p1", "edit", "did", "d2", store.OutcomeError)
	add("p1", "release", "did", "d1", store.OutcomeOK)
	add("p1", "create", "trunk_group", "t1", store.OutcomeOK)
	add("p1", "sign_in", "", "", store.OutcomeOK)
	add("p2", "mute", "conference call", "d1", store.OutcomeOK)

	count := func(q store.AuditQuery) int {
		q.PartnerSID = "p1"
		rows, _, err := s.ListAudit(ctx, q)
		require.NoError(t, err)
		return len(rows)
	}
	assert.Equal(t, 2, count(store.AuditQuery{ObjectSID: "d1"}), "one object's history, the partner's own only")
	assert.Equal(t, 3, count(store.AuditQuery{ObjectType: "did"}))
	assert.Equal(t, 1, count(store.AuditQuery{Outcome: store.OutcomeError}))
	assert.Equal(t, 1, count(store.AuditQuery{ObjectType: "did", Action: "release"}))

	actions, types, err := s.AuditFacets(ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, []string{"create", "edit", "release", "sign_in"}, actions)
	assert.Equal(t, []string{"did", "trunk_group"}, types, "no empty type; the other partner's are not offered")
}
