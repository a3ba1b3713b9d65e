package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStateFileSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve, then shut down at once: the final save writes the state
	require.NoError(t, run(ctx, []string{"--addr", "127.0.0.1:0", "--state-file", path, "--log-level", "error"}))
	first, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(first), `"identities"`)

	// The second start loads it and saves it again unchanged.
	require.NoError(t, run(ctx, []string{"--addr", "127.0.0.1:0", "--state-file", path, "--log-level", "error"}))
	second, err := os.ReadFile(path)
	require.NoError(t, err)
	require.JSONEq(t, string(first), string(second))
}

func TestCorruptStateFileStopsTheStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	require.NoError(t, os.WriteFile(path, []byte("{broken"), 0o600))
	err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--state-file", path})
	require.ErrorContains(t, err, "is not a saved state")
	data, _ := os.ReadFile(path)
	require.Equal(t, "{broken", string(data))
}
