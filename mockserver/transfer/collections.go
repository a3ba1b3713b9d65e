// Package transfer holds the Transfer service's domain: collections (endpoints) now, endpoint roles
// and ACL rules as that capability lands. Pure domain code: no net/http.
package transfer

import (
	"sort"
	"sync"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Entity types of collections, as Transfer reports them in entity_type.
const (
	GuestCollection  = "GCSv5_guest_collection"
	MappedCollection = "GCSv5_mapped_collection"
)

// Collection is a Transfer endpoint or collection. ACLs are available on guest collections only.
type Collection struct {
	ID             string `json:"id"`
	DisplayName    string `json:"display_name"`
	EntityType     string `json:"entity_type"`
	OwnerID        string `json:"owner_id"`
	HostEndpointID string `json:"host_endpoint_id,omitempty"`
	HighAssurance  bool   `json:"high_assurance"`
}

// ACLAvailable reports whether the collection takes ACL rules.
func (c Collection) ACLAvailable() bool { return c.EntityType == GuestCollection }

// Collections is the collection store; safe for concurrent use.
type Collections struct {
	mu   sync.RWMutex
	byID map[string]Collection
}

// NewCollections returns an empty store.
func NewCollections() *Collections { return &Collections{byID: map[string]Collection{}} }

// Add creates a collection; the id is made when empty.
func (s *Collections) Add(c Collection) (Collection, error) {
	if c.ID == "" {
		c.ID = ids.UUID()
	}
	if !ids.IsUUID(c.ID) || !ids.IsUUID(c.OwnerID) {
		return Collection{}, apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "collection id and owner_id must be UUIDs")
	}
	if c.EntityType == "" {
		c.EntityType = GuestCollection
	}
	if c.EntityType != GuestCollection && c.EntityType != MappedCollection {
		return Collection{}, apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "entity_type must be %s or %s", GuestCollection, MappedCollection)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[c.ID]; ok {
		return Collection{}, apierr.New(apierr.Conflict, "CONFLICT", "collection %s already exists", c.ID)
	}
	s.byID[c.ID] = c
	return c, nil
}

// Get returns a collection by id.
func (s *Collections) Get(id string) (Collection, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.byID[id]
	return c, ok
}

// Restore replaces the content.
func (s *Collections) Restore(list []Collection) {
	m := make(map[string]Collection, len(list))
	for _, c := range list {
		m[c.ID] = c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID = m
}

// Snapshot returns every collection sorted by id.
func (s *Collections) Snapshot() []Collection {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Collection, 0, len(s.byID))
	for _, c := range s.byID {
		out = append(out, c)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}
