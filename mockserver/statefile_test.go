package mockserver

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestStateFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	f := StateFile{Path: filepath.Join(dir, "state.json")}
	_, ok, err := f.Load()
	require.NoError(t, err)
	require.False(t, ok, "no file yet")

	s := newTestServer(t)
	seedWorld(t, s)
	require.NoError(t, f.Save(s))
	entries, _ := os.ReadDir(dir)
	require.Len(t, entries, 1, "only the state file is left: %v", entries)

	w, ok, err := f.Load()
	require.NoError(t, err)
	require.True(t, ok)
	restored, err := New(Options{World: &w})
	require.NoError(t, err)
	want, _ := json.Marshal(s.Dump())
	got, _ := json.Marshal(restored.Dump())
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("state after a restart (-saved +restored):\n%s", diff)
	}
}

func TestCorruptStateFileIsRefusedAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	for _, content := range []string{`{"flows": [`, `{"not_a_world_key": 1}`, "\x00\x01"} {
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		_, _, err := StateFile{Path: path}.Load()
		require.ErrorContains(t, err, "left untouched")
		after, _ := os.ReadFile(path)
		require.Equal(t, content, string(after))
	}
}
