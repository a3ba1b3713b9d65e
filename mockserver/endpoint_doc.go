package mockserver

import (
	"crypto/sha1"
	"encoding/hex"
	"slices"

	"github.com/globus-conformance/kit/mockserver/transfer"
)

// The endpoint document (GET /v0.10/endpoint/{id}): every field the SDKs and the CLI read, with
// the types Transfer gives them (SDK fixture get_endpoint; the JS SDK's EndpointDocument; what
// `globus endpoint show` and `globus collection show` read). In Transfer a GCSv5 endpoint's own
// client identity owns the endpoint and its collections: their owner_id is the endpoint's id and
// non_functional_endpoint_id names it too; the GCSv5 endpoint itself is non-functional (it
// holds no data). Globus Connect Personal collections are owned by their user.

// gcsVersion is the Globus Connect Server version GCSv5 documents report.
const gcsVersion = "5.4.80"

// gcsHost is the DNS name the mock gives a GCSv5 endpoint or collection: GCS names collections
// "g-" (guest) or "m-" (mapped) plus six hex digits under their endpoint's subdomain of
// data.globus.org. The mock does not serve the GCS Manager API at these names.
func gcsHost(prefix, id, endpointID string) string {
	sum := func(s string) string { h := sha1.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
	ep := sum(endpointID)
	return prefix + sum(id)[:6] + "." + ep[6:10] + ".data.globus.org"
}

// endpointDoc is the endpoint document of a collection as a caller sees it.
func (s *Server) endpointDoc(id string, w transfer.Who) (map[string]any, error) {
	col, ok := s.collections.Get(id)
	roles, err := s.collections.EffectiveRoles(id, w)
	if err != nil || !ok {
		return nil, err
	}
	if roles == nil {
		roles = []string{} // the contract's array: a caller with no role gets [], never null
	}
	owner := ""
	if ids := s.dir.Identities([]string{col.OwnerID}, nil); len(ids) > 0 {
		owner = ids[0].Username
	}
	p := col.Profile
	doc := map[string]any{
		"DATA_TYPE": "endpoint", "DATA": []any{}, "id": col.ID, "display_name": col.DisplayName,
		"name": col.ID, "canonical_name": col.ID, "entity_type": col.EntityType,
		"owner_id": col.OwnerID, "owner_string": owner, "username": owner,
		"description": nilIfEmpty(p.Description), "organization": nilIfEmpty(p.Organization), "department": nilIfEmpty(p.Department),
		"keywords": nilIfEmpty(p.Keywords), "contact_email": nilIfEmpty(p.ContactEmail), "contact_info": nilIfEmpty(p.ContactInfo),
		"info_link": nilIfEmpty(p.InfoLink), "user_message": nil, "user_message_link": nil,
		"default_directory": nilIfEmpty(p.DefaultDirectory), "force_encryption": p.ForceEncryption, "public": p.Public,
		"subscription_id": nil, "subscription_admin_verified": false, "french_english_bilingual": false,
		"guest_collection_activity_notification_policy": nil, "disable_verify": false, "disable_anonymous_writes": false,
		"force_verify": false, "mfa_required": false, "requester_pays": false,
		// GCSv4 fields Transfer still sends.
		"activated": false, "expires_in": 0, "expire_time": nil, "myproxy_server": nil, "myproxy_dn": nil,
		"oauth_server": nil, "s3_url": nil, "s3_owner_activated": false, "local_user_info_available": nil,
		"is_globus_connect": col.GlobusConnectPersonal(), "globus_connect_setup_key": nil,
		"gcp_connected": nil, "gcp_paused": nil, "gcs_version": nil, "gcs_manager_url": nil, "https_server": nil, "tlsftp_server": nil,
		"host_endpoint": nil, "host_endpoint_id": nil, "host_endpoint_display_name": nil, "host_path": nil,
		"sharing_target_endpoint": nil, "sharing_target_root_path": nil,
		"mapped_collection_id": nil, "mapped_collection_display_name": nil,
		"non_functional": false, "non_functional_endpoint_id": nil, "non_functional_endpoint_display_name": nil,
		"shareable":     col.EntityType == transfer.MappedCollection || col.EntityType == transfer.GCPMappedCollection,
		"acl_available": col.ACLAvailable(), "acl_editable": col.ACLAvailable() && slices.ContainsFunc(roles, canEditRules),
		"in_use": false, "my_effective_roles": roles,
		"network_use": nil, "location": nil, "max_concurrency": nil, "preferred_concurrency": nil, "max_parallelism": nil, "preferred_parallelism": nil,
		"high_assurance": col.HighAssurance, "authentication_timeout_mins": nil, "authentication_policy_id": nil,
		"authentication_assurance_timeout": nil, "acl_max_expiration_period_mins": nil,
		"auto_delete_timeout": nil, "last_accessed_time": nil, "skip_auto_delete": nil,
		"restrict_transfers_to_high_assurance": nil, "associated_flow_policy": nil, "preserve_modtime": nil,
	}
	if col.GlobusConnectPersonal() {
		doc["gcp_connected"], doc["gcp_paused"] = true, false
	}
	if col.GCSv5() && col.EndpointID != "" {
		doc["owner_id"] = col.EndpointID
		doc["gcs_version"] = gcsVersion
		doc["gcs_manager_url"] = "https://" + gcsHost("", col.EndpointID, col.EndpointID)
		doc["network_use"] = "normal"
		if col.EntityType == transfer.GCSEndpoint {
			doc["non_functional"] = true
		} else {
			prefix := "m-"
			if col.Guest() {
				prefix = "g-"
			}
			host := gcsHost(prefix, col.ID, col.EndpointID)
			doc["https_server"], doc["tlsftp_server"] = "https://"+host, "tlsftp://"+host+":443"
			doc["non_functional_endpoint_id"] = col.EndpointID
			if e, ok := s.collections.Get(col.EndpointID); ok {
				doc["non_functional_endpoint_display_name"] = e.DisplayName
			}
		}
	}
	if col.Guest() {
		doc["skip_auto_delete"] = false
	}
	if host, ok := s.collections.Get(col.HostEndpointID); ok {
		doc["host_endpoint_id"], doc["sharing_target_endpoint"] = host.ID, host.ID
		doc["host_endpoint_display_name"] = host.DisplayName
		doc["mapped_collection_id"], doc["mapped_collection_display_name"] = host.ID, host.DisplayName
		doc["host_path"], doc["sharing_target_root_path"] = "/", "/"
	}
	return doc, nil
}
