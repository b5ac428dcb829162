package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/store/storetest"
)

func TestMessageSendClaimedOnce(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()

	// Eight simultaneous sends of one form: one claim.
	var claimed atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.ClaimMessageSend(ctx, "p1", "k1")
			assert.NoError(t, err)
			if c.Claimed {
				claimed.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), claimed.Load())

	// In flight: no message yet.
	c, err := s.ClaimMessageSend(ctx, "p1", "k1")
	require.NoError(t, err)
	assert.Equal(t, store.SendClaim{}, c, "not claimed, no message yet")

	require.NoError(t, s.MessageSent(ctx, "p1", "k1", "m-1"))
	c, err = s.ClaimMessageSend(ctx, "p1", "k1")
	require.NoError(t, err)
	assert.Equal(t, store.SendClaim{MessageSID: "m-1"}, c)
	require.NoError(t, s.ReleaseMessageSend(ctx, "p1", "k1"))
	c, err = s.ClaimMessageSend(ctx, "p1", "k1")
	require.NoError(t, err)
	assert.Equal(t, "m-1", c.MessageSID, "a sent message's key is never given back")

	// A refused send gives its key back; keys are per partner.
	c, err = s.ClaimMessageSend(ctx, "p1", "k2")
	require.NoError(t, err)
	require.True(t, c.Claimed)
	require.NoError(t, s.ReleaseMessageSend(ctx, "p1", "k2"))
	c, err = s.ClaimMessageSend(ctx, "p1", "k2")
	require.NoError(t, err)
	assert.True(t, c.Claimed, "claimable again after a refusal")
	c, err = s.ClaimMessageSend(ctx, "p2", "k1")
	require.NoError(t, err)
	assert.True(t, c.Claimed, "another partner's key of the same text is its own")
}
