package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/jsonw"
	"github.com/globus-conformance/kit/mockserver/transfer"
)

// Transfer handlers: endpoints, endpoint roles and ACL rules (reference transfer-acl-and-auth.md
// §1, §2). Times are shown as Transfer shows them: seconds and an explicit +00:00.

const transferTime = "2006-01-02T15:04:05+00:00"

// transferTimestamp writes t in the Transfer form: the Flows form without its microseconds
// (written by hand: formatting with a layout was a tenth of the cost of a rule list).
func transferTimestamp(t time.Time) string {
	var buf [len(flows.Format)]byte
	b := flows.AppendTimestamp(buf[:0], t) // 2006-01-02T15:04:05.000000+00:00
	return string(append(b[:len("2006-01-02T15:04:05")], "+00:00"...))
}

// who is the caller as Transfer sees it.
func who(c *call) transfer.Who {
	w := transfer.Who{GroupIDs: c.caller.GroupIDs}
	for _, i := range c.caller.IdentitySet {
		w.IdentityIDs = append(w.IdentityIDs, i.ID)
	}
	return w
}

// resource is the request path as Transfer reports it (without the version prefix).
func resource(c *call) string { return strings.TrimPrefix(c.r.URL.Path, "/v0.10") }

// result is Transfer's result document.
func result(c *call, code, message string) map[string]any {
	return map[string]any{"DATA_TYPE": "result", "code": code, "message": message, "request_id": c.requestID, "resource": resource(c)}
}

// selectFields keeps only the fields a `fields` query parameter names (DATA_TYPE always). A
// document is any JSON object value; without `fields` it is returned as it is.
func selectFields[D any](c *call, doc D) any { return fieldsOf(c).selectFrom(doc) }

// fields are the names a `fields` query parameter asks for; none means every field.
type fields []string

func fieldsOf(c *call) fields {
	f := c.r.URL.Query().Get("fields")
	if f == "" {
		return nil
	}
	var out fields
	for _, name := range strings.Split(f, ",") {
		out = append(out, strings.TrimSpace(name))
	}
	return out
}

func (f fields) selectFrom(doc any) any {
	if f == nil {
		return doc
	}
	all, ok := doc.(map[string]any)
	if !ok {
		b, _ := json.Marshal(doc)
		_ = json.Unmarshal(b, &all)
	}
	out := map[string]any{"DATA_TYPE": all["DATA_TYPE"]}
	for _, name := range f {
		if v, ok := all[name]; ok {
			out[name] = v
		}
	}
	return out
}

func (s *Server) getEndpoint(c *call) (int, any, error) {
	doc, err := s.endpointDoc(c.param("endpoint_id"), who(c))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, selectFields(c, doc), nil
}

func canEditRules(role string) bool {
	return role == transfer.Administrator || role == transfer.AccessManager
}

// accessDocument is an access rule as Transfer shows it (a struct: encoding a map sorts its
// keys, which was most of the cost of a rule list).
type accessDocument struct {
	DataType       string  `json:"DATA_TYPE"`
	ID             *string `json:"id"`
	RoleID         *string `json:"role_id"`
	RoleType       *string `json:"role_type"`
	PrincipalType  string  `json:"principal_type"`
	Principal      string  `json:"principal"`
	Path           string  `json:"path"`
	Permissions    string  `json:"permissions"`
	CreateTime     *string `json:"create_time"`
	ExpirationDate *string `json:"expiration_date"`
}

// AppendJSON writes the rule without reflection (rule lists are Transfer's busiest answer).
func (d accessDocument) AppendJSON(b []byte) ([]byte, error) {
	b = jsonw.String(append(b, `{"DATA_TYPE":`...), d.DataType)
	b = jsonw.OptionalString(append(b, `,"id":`...), d.ID)
	b = jsonw.OptionalString(append(b, `,"role_id":`...), d.RoleID)
	b = jsonw.OptionalString(append(b, `,"role_type":`...), d.RoleType)
	b = jsonw.String(append(b, `,"principal_type":`...), d.PrincipalType)
	b = jsonw.String(append(b, `,"principal":`...), d.Principal)
	b = jsonw.String(append(b, `,"path":`...), d.Path)
	b = jsonw.String(append(b, `,"permissions":`...), d.Permissions)
	b = jsonw.OptionalString(append(b, `,"create_time":`...), d.CreateTime)
	b = jsonw.OptionalString(append(b, `,"expiration_date":`...), d.ExpirationDate)
	return append(b, '}'), nil
}

// accessList is the access_list document; DATA holds rule documents, or maps of the fields asked.
type accessList struct {
	DataType string `json:"DATA_TYPE"`
	Endpoint string `json:"endpoint"`
	Length   int    `json:"length"`
	Data     []any  `json:"DATA"`
}

// AppendJSON writes the list without reflection.
func (l accessList) AppendJSON(b []byte) ([]byte, error) {
	b = jsonw.String(append(b, `{"DATA_TYPE":`...), l.DataType)
	b = jsonw.String(append(b, `,"endpoint":`...), l.Endpoint)
	b = jsonw.Int(append(b, `,"length":`...), int64(l.Length))
	b, err := jsonw.Value(append(b, `,"DATA":`...), l.Data)
	if err != nil {
		return b, err
	}
	return append(b, '}'), nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// accessDoc renders a rule, explicit or implicit.
func accessDoc(v transfer.RuleView) accessDocument {
	doc := accessDocument{DataType: "access", ID: optional(v.ID), RoleID: optional(v.RoleID), RoleType: optional(v.RoleType),
		PrincipalType: v.PrincipalType, Principal: v.Principal, Path: v.Path, Permissions: v.Permissions}
	if !v.CreateTime.IsZero() {
		doc.CreateTime = optional(transferTimestamp(v.CreateTime))
	}
	if v.ExpirationDate != nil {
		doc.ExpirationDate = optional(transferTimestamp(*v.ExpirationDate))
	}
	return doc
}

func (s *Server) listAccessRules(c *call) (int, any, error) {
	id := c.param("endpoint_id")
	rules, err := s.collections.Rules(id, who(c))
	if err != nil {
		return 0, nil, err
	}
	data := make([]any, 0, len(rules))
	f := fieldsOf(c)
	for _, r := range rules {
		data = append(data, f.selectFrom(accessDoc(r)))
	}
	return http.StatusOK, accessList{"access_list", id, len(data), data}, nil
}

func (s *Server) getAccessRule(c *call) (int, any, error) {
	r, err := s.collections.Rule(c.param("endpoint_id"), c.param("rule_id"), who(c))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, selectFields(c, accessDoc(transfer.RuleView{Rule: r})), nil
}

func (s *Server) createAccessRule(c *call) (int, any, error) {
	var in transfer.RuleInput
	if err := c.decode(&in); err != nil {
		return 0, nil, err
	}
	r, err := s.collections.AddRule(c.param("endpoint_id"), who(c), in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"DATA_TYPE": "access_create_result", "code": "Created",
		"message": "Access rule created successfully.", "access_id": r.ID, "request_id": c.requestID, "resource": resource(c)}, nil
}

func (s *Server) updateAccessRule(c *call) (int, any, error) {
	var in transfer.RuleInput
	if err := c.decode(&in); err != nil {
		return 0, nil, err
	}
	ruleID := c.param("rule_id")
	if _, err := s.collections.UpdateRule(c.param("endpoint_id"), ruleID, who(c), in); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, result(c, "Updated", "Access rule '"+ruleID+"' updated successfully"), nil
}

func (s *Server) deleteAccessRule(c *call) (int, any, error) {
	ruleID := c.param("rule_id")
	if err := s.collections.DeleteRule(c.param("endpoint_id"), ruleID, who(c)); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, result(c, "Deleted", "Access rule '"+ruleID+"' deleted successfully"), nil
}

func roleDoc(r transfer.Role) map[string]any {
	return map[string]any{"DATA_TYPE": "role", "id": r.ID, "principal_type": r.PrincipalType, "principal": r.Principal, "role": r.Role}
}

func (s *Server) listRoles(c *call) (int, any, error) {
	roles, err := s.collections.Roles(c.param("endpoint_id"), who(c))
	if err != nil {
		return 0, nil, err
	}
	data := make([]map[string]any, 0, len(roles))
	for _, r := range roles {
		data = append(data, roleDoc(r))
	}
	return http.StatusOK, map[string]any{"DATA_TYPE": "role_list", "DATA": data}, nil
}

func (s *Server) getRole(c *call) (int, any, error) {
	r, err := s.collections.Role(c.param("endpoint_id"), c.param("role_id"), who(c))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, roleDoc(r), nil
}

func (s *Server) createRole(c *call) (int, any, error) {
	var in transfer.RoleInput
	if err := c.decode(&in); err != nil {
		return 0, nil, err
	}
	r, err := s.collections.AddRole(c.param("endpoint_id"), who(c), in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, roleDoc(r), nil
}

func (s *Server) deleteRole(c *call) (int, any, error) {
	roleID := c.param("role_id")
	if err := s.collections.DeleteRole(c.param("endpoint_id"), roleID, who(c)); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, result(c, "Deleted", "Role '"+roleID+"' deleted successfully"), nil
}
