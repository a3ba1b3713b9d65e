// Package transfer holds the Transfer service's domain: collections (endpoints), endpoint roles
// and ACL rules (reference transfer-acl-and-auth.md §1, §2, §1c and "The seed settles the ACL
// error codes"). Pure domain code: no net/http. Errors carry Transfer's own codes.
package transfer

import (
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Entity types of collections, as Transfer reports them in entity_type.
const (
	GuestCollection     = "GCSv5_guest_collection"
	MappedCollection    = "GCSv5_mapped_collection"
	GCSEndpoint         = "GCSv5_endpoint"
	GCPGuestCollection  = "GCP_guest_collection"
	GCPMappedCollection = "GCP_mapped_collection"
)

var entityTypes = []string{GuestCollection, MappedCollection, GCSEndpoint, GCPGuestCollection, GCPMappedCollection}

// Collection is a Transfer endpoint or collection with its roles and ACL rules. OwnerID is the
// identity that owns it, and holds its administrator role.
type Collection struct {
	ID             string `json:"id"`
	DisplayName    string `json:"display_name"`
	EntityType     string `json:"entity_type"`
	OwnerID        string `json:"owner_id"`
	HostEndpointID string `json:"host_endpoint_id,omitempty"`
	// EndpointID is the GCSv5 endpoint of a GCSv5 entity: in Transfer the endpoint's own client
	// identity owns its collections, so their documents show it as owner_id, and the CLI reads it
	// as the endpoint's id. Made when not given (GCSv5 only).
	EndpointID    string `json:"endpoint_id,omitempty"`
	HighAssurance bool   `json:"high_assurance"`
	Profile
	Roles []Role `json:"roles,omitempty"`
	Rules []Rule `json:"access_rules,omitempty"`
	Files []File `json:"files,omitempty"`
}

// Profile is what an endpoint or collection says of itself, as its administrators set it.
type Profile struct {
	Description      string `json:"description,omitempty"`
	Organization     string `json:"organization,omitempty"`
	Department       string `json:"department,omitempty"`
	Keywords         string `json:"keywords,omitempty"` // comma-separated, as Transfer keeps them
	ContactEmail     string `json:"contact_email,omitempty"`
	ContactInfo      string `json:"contact_info,omitempty"`
	InfoLink         string `json:"info_link,omitempty"`
	DefaultDirectory string `json:"default_directory,omitempty"`
	ForceEncryption  bool   `json:"force_encryption,omitempty"`
	Public           bool   `json:"public,omitempty"`
}

// GCSv5 reports whether the entity belongs to a Globus Connect Server version 5 endpoint.
func (c Collection) GCSv5() bool {
	return c.EntityType == GCSEndpoint || c.EntityType == MappedCollection || c.EntityType == GuestCollection
}

// GlobusConnectPersonal reports whether the entity is a Globus Connect Personal collection.
func (c Collection) GlobusConnectPersonal() bool {
	return c.EntityType == GCPMappedCollection || c.EntityType == GCPGuestCollection
}

// Guest reports whether the collection is a guest collection, hosted on a mapped one.
func (c Collection) Guest() bool {
	return c.EntityType == GuestCollection || c.EntityType == GCPGuestCollection
}

// ACLAvailable reports whether the collection takes ACL rules: guest collections only.
func (c Collection) ACLAvailable() bool { return c.Guest() }

// homePathsAllowed: "/~/" paths are for GridFTP-hosted shares, which Globus Connect Personal
// guest collections are; GCSv5 guest collections refuse them.
func (c Collection) homePathsAllowed() bool { return c.EntityType == GCPGuestCollection }

// Role is an endpoint role assignment.
type Role struct {
	ID            string `json:"id"`
	PrincipalType string `json:"principal_type"`
	Principal     string `json:"principal"`
	Role          string `json:"role"`
}

// Rule is an explicit ACL rule.
type Rule struct {
	ID             string     `json:"id"`
	PrincipalType  string     `json:"principal_type"`
	Principal      string     `json:"principal"`
	Path           string     `json:"path"`
	Permissions    string     `json:"permissions"`
	CreateTime     time.Time  `json:"create_time"`
	ExpirationDate *time.Time `json:"expiration_date,omitempty"`
}

// Notification is a message the service would have e-mailed (notify_email on rule creation).
type Notification struct {
	To           string    `json:"to"`
	Message      string    `json:"message"`
	CollectionID string    `json:"collection_id"`
	RuleID       string    `json:"rule_id"`
	Time         time.Time `json:"time"`
}

// Directory answers whether principals exist; the auth directory implements it.
type Directory interface {
	IdentityExists(id string) bool
	IsGroup(id string) bool
}

// Collections is the store; one lock guards every collection, so checks and writes (the duplicate
// rule, the rule limit) are atomic under concurrent requests.
type Collections struct {
	dir Directory
	now func() time.Time

	mu     sync.RWMutex
	byID   map[string]*Collection
	outbox []Notification
}

// NewCollections returns an empty store.
func NewCollections(dir Directory, now func() time.Time) *Collections {
	return &Collections{dir: dir, now: now, byID: map[string]*Collection{}}
}

func invalid(format string, args ...any) error {
	return apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", format, args...)
}

// Add creates a collection (control plane). The id is made when empty; the owner becomes its
// administrator, as the endpoint creator does on the real service.
func (s *Collections) Add(c Collection) (Collection, error) {
	if c.ID == "" {
		c.ID = ids.UUID()
	}
	if c.EntityType == "" {
		c.EntityType = GuestCollection
	}
	if err := s.check(c); err != nil {
		return Collection{}, err
	}
	c.Roles = ownerRoles(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[c.ID]; ok {
		return Collection{}, apierr.New(apierr.Conflict, "CONFLICT", "collection %s already exists", c.ID)
	}
	if c.HostEndpointID != "" {
		if _, ok := s.byID[c.HostEndpointID]; !ok {
			return Collection{}, invalid("host_endpoint_id %s is not a known collection", c.HostEndpointID)
		}
	}
	if c.EndpointID != "" && c.EndpointID != c.ID {
		if e, ok := s.byID[c.EndpointID]; !ok || e.EntityType != GCSEndpoint {
			return Collection{}, invalid("endpoint_id %s is not a known %s", c.EndpointID, GCSEndpoint)
		}
	}
	stored := clone(c)
	for _, made := range placeLocked(s.byID, &stored) {
		s.byID[made.ID] = made
	}
	s.byID[c.ID] = &stored
	return clone(stored), nil
}

// ownerRoles are a new collection's roles: its owner is its administrator, as the endpoint
// creator is on the real service.
func ownerRoles(c Collection) []Role {
	if len(c.Roles) > 0 {
		return c.Roles
	}
	return []Role{{ID: ids.UUID(), PrincipalType: "identity", Principal: c.OwnerID, Role: Administrator}}
}

// placeLocked gives a GCSv5 entity its endpoint: an endpoint is its own; a guest collection's
// is its host's; a mapped collection without one gets a GCSv5 endpoint of its own, owned by the
// same identity, with an id derived from the collection's (returned, to be stored).
func placeLocked(byID map[string]*Collection, c *Collection) []*Collection {
	switch {
	case !c.GCSv5() || c.EndpointID != "":
		return nil
	case c.EntityType == GCSEndpoint:
		c.EndpointID = c.ID
		return nil
	case c.EntityType == GuestCollection:
		host, ok := byID[c.HostEndpointID]
		if !ok {
			return nil
		}
		made := placeLocked(byID, host)
		c.EndpointID = host.EndpointID
		return made
	}
	e := &Collection{ID: ids.NameUUID("endpoint:" + c.ID), DisplayName: c.DisplayName + " endpoint", EntityType: GCSEndpoint,
		OwnerID: c.OwnerID, HighAssurance: c.HighAssurance}
	e.EndpointID = e.ID
	if existing, ok := byID[e.ID]; ok {
		e = existing
	} else {
		// Derived like the endpoint's id, so loading the same world twice gives the same state.
		e.Roles = []Role{{ID: ids.NameUUID("role:" + e.ID), PrincipalType: "identity", Principal: e.OwnerID, Role: Administrator}}
	}
	c.EndpointID = e.ID
	return []*Collection{e}
}

func (s *Collections) check(c Collection) error {
	if !ids.IsUUID(c.ID) || !ids.IsUUID(c.OwnerID) {
		return invalid("collection id and owner_id must be UUIDs")
	}
	if !slices.Contains(entityTypes, c.EntityType) {
		return invalid("entity_type must be one of %v", entityTypes)
	}
	if c.EndpointID != "" && (!c.GCSv5() || !ids.IsUUID(c.EndpointID)) {
		return invalid("endpoint_id names the GCSv5 endpoint of a GCSv5 collection: a UUID")
	}
	return nil
}

func clone(c Collection) Collection {
	c.Roles = slices.Clone(c.Roles)
	c.Rules = slices.Clone(c.Rules)
	c.Files = slices.Clone(c.Files)
	return c
}

// Get returns a collection by id.
func (s *Collections) Get(id string) (Collection, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.byID[id]
	if !ok {
		return Collection{}, false
	}
	return clone(*c), true
}

// Restore replaces the content (the outbox empties).
func (s *Collections) Restore(list []Collection) error {
	m := make(map[string]*Collection, len(list))
	for _, c := range list {
		if err := s.check(c); err != nil {
			return err
		}
		stored := clone(c)
		m[c.ID] = &stored
	}
	// A world written without endpoints gets them, as the control plane makes them.
	for _, c := range slices.Collect(maps.Values(m)) {
		for _, made := range placeLocked(m, c) {
			m[made.ID] = made
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID = m
	s.outbox = nil
	return nil
}

// Snapshot returns every collection sorted by id.
func (s *Collections) Snapshot() []Collection {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Collection, 0, len(s.byID))
	for _, c := range s.byID {
		out = append(out, clone(*c))
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// Outbox returns the notifications sent so far, oldest first.
func (s *Collections) Outbox() []Notification {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.outbox)
}
