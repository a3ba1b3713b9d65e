package mockserver

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJournalKeepsTheLastEntriesInOrder(t *testing.T) {
	var j journal
	for i := range JournalSize + 5 {
		j.add(journalEntry{Method: "GET", Path: fmt.Sprintf("/flows/%d", i)})
	}
	got := j.list(httptest.NewRequest("GET", "/_mock/requests", nil))
	require.Len(t, got, JournalSize)
	require.Equal(t, "/flows/5", got[0].Path)
	require.Equal(t, fmt.Sprintf("/flows/%d", JournalSize+4), got[len(got)-1].Path)
	j.clear()
	require.Empty(t, j.list(httptest.NewRequest("GET", "/_mock/requests", nil)))
}
