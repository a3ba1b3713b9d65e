package mockserver

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const aliceGuest = "c011ec70-0000-4000-8000-000000000301"

// TestConcurrentDuplicateRules: of 100 concurrent creates of the same rule exactly one is
// Created and 99 are Exists.
func TestConcurrentDuplicateRules(t *testing.T) {
	s := newTestServer(t)
	rule := `{"DATA_TYPE": "access", "principal_type": "identity", "principal": "0b0b0000-0000-4000-8000-000000000002", "path": "/same/", "permissions": "r"}`
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			code, body := do(t, s, "POST", "/v0.10/endpoint/"+aliceGuest+"/access", "tok-alice", rule)
			mu.Lock()
			defer mu.Unlock()
			counts[fmt.Sprintf("%d %v", code, body["code"])]++
		})
	}
	wg.Wait()
	require.Equal(t, map[string]int{"201 Created": 1, "409 Exists": 99}, counts)
}

// TestConcurrentCreatesNeverPassTheLimit: with 990 rules in place, 40 concurrent creates of
// different rules leave exactly 1000.
func TestConcurrentCreatesNeverPassTheLimit(t *testing.T) {
	s := newTestServer(t)
	create := func(i int) (int, map[string]any) {
		return do(t, s, "POST", "/v0.10/endpoint/"+aliceGuest+"/access", "tok-alice",
			fmt.Sprintf(`{"principal_type": "all_authenticated_users", "principal": "", "path": "/p%d/", "permissions": "r"}`, i))
	}
	for i := range 990 {
		code, body := create(i)
		require.Equal(t, http.StatusCreated, code, body)
	}
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for i := 990; i < 1030; i++ {
		wg.Go(func() {
			code, _ := create(i)
			mu.Lock()
			counts[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	require.Equal(t, map[int]int{http.StatusCreated: 10, http.StatusConflict: 30}, counts)
	code, body := do(t, s, "GET", "/v0.10/endpoint/"+aliceGuest+"/access_list", "tok-alice", "")
	require.Equal(t, http.StatusOK, code)
	require.EqualValues(t, 1001, body["length"]) // 1000 rules and the owner's implicit rule
}

func TestTransferTimestampMatchesTheLayout(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2023, 4, 11, 20, 1, 22, 917000000, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("x", 3600)),
		time.Unix(0, 0),
	} {
		if got, want := transferTimestamp(at), at.UTC().Format(transferTime); got != want {
			t.Errorf("transferTimestamp(%v) = %s, want %s", at, got, want)
		}
	}
}
