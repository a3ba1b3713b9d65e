package mockserver

import (
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver/transfer"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// cliEndpointFields are the fields of the endpoint document that `globus endpoint show` (its
// STANDARD_FIELDS and GCP_FIELDS, and res["is_globus_connect"], which picks between them) and
// the CLI's Endpointish (entity_type, owner_id, gcs_manager_url, high_assurance, subscription_id,
// behind `globus collection show`) read, with the JSON types Transfer gives them ("string|null"
// allows both).
var cliEndpointFields = map[string]string{
	"display_name": "string", "id": "string", "owner_string": "string", "description": "string|null",
	"shareable": "boolean", "keywords": "string|null", "info_link": "string|null", "contact_email": "string|null",
	"organization": "string|null", "department": "string|null", "contact_info": "string|null", "public": "boolean",
	"default_directory": "string|null", "force_encryption": "boolean", "subscription_id": "string|null",
	"canonical_name": "string", "local_user_info_available": "boolean|null", "gcp_connected": "boolean|null",
	"gcp_paused": "boolean|null", "is_globus_connect": "boolean", "tlsftp_server": "string|null",
	"gcs_manager_url": "string|null", "entity_type": "string", "owner_id": "string", "high_assurance": "boolean",
}

// TestEndpointDocumentsCarryWhatTheCLIReads: every entity type's document has each field the CLI
// reads, with its type; GCSv5 entities belong to their endpoint as the CLI expects (owner_id is
// the GCSv5 endpoint's id, and its gcs_manager_url an https URL); Globus Connect Personal ones to
// their user.
func TestEndpointDocumentsCarryWhatTheCLIReads(t *testing.T) {
	s := newTestServer(t)
	add := func(c transfer.Collection) string {
		t.Helper()
		c.OwnerID = aliceID
		out, err := s.AddCollection(c)
		require.NoError(t, err)
		return out.ID
	}
	mapped := add(transfer.Collection{DisplayName: "M", EntityType: transfer.MappedCollection})
	gcpMapped := add(transfer.Collection{DisplayName: "P", EntityType: transfer.GCPMappedCollection})
	get := func(id string) map[string]any {
		t.Helper()
		status, doc := do(t, s, "GET", "/v0.10/endpoint/"+id, "tok-alice", "")
		require.Equal(t, 200, status, doc)
		return doc
	}
	endpointOf := get(mapped)["owner_id"].(string)
	cases := []struct {
		name, id, owner string
		gcs             bool
	}{
		{"GCSv5 mapped collection", mapped, endpointOf, true},
		{"GCSv5 guest collection", add(transfer.Collection{DisplayName: "G", EntityType: transfer.GuestCollection, HostEndpointID: mapped}), endpointOf, true},
		{"GCSv5 endpoint", endpointOf, endpointOf, true},
		{"GCP mapped collection", gcpMapped, aliceID, false},
		{"GCP guest collection", add(transfer.Collection{DisplayName: "Q", EntityType: transfer.GCPGuestCollection, HostEndpointID: gcpMapped}), aliceID, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := get(c.id)
			got := map[string]string{}
			for field, want := range cliEndpointFields {
				v, ok := doc[field]
				switch {
				case !ok:
					got[field] = "missing"
				case strings.Contains(want, jsonType(v)):
					got[field] = want
				default:
					got[field] = jsonType(v)
				}
			}
			if diff := cmp.Diff(cliEndpointFields, got); diff != "" {
				t.Errorf("fields the CLI reads (-want +got):\n%s", diff)
			}
			require.Equal(t, c.owner, doc["owner_id"])
			require.Equal(t, !c.gcs, doc["is_globus_connect"])
			if c.gcs {
				require.True(t, strings.HasPrefix(doc["gcs_manager_url"].(string), "https://"), "the CLI requires an https gcs_manager_url")
				require.Equal(t, "GCSv5_endpoint", get(doc["owner_id"].(string))["entity_type"], "owner_id names the GCSv5 endpoint")
			}
		})
	}
}
