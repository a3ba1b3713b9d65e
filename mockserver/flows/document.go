package flows

import (
	"time"

	"github.com/globus-conformance/kit/mockserver/jsonw"
)

// Document is the flow document as a caller sees it (reference flows-api.md §3, OAS FlowResponse).
type Document struct {
	ID                     string         `json:"id"`
	Definition             map[string]any `json:"definition"`
	InputSchema            map[string]any `json:"input_schema"`
	GlobusAuthScope        string         `json:"globus_auth_scope"`
	ScopesByRunAs          []string       `json:"globus_auth_scopes_by_RunAs"`
	UserRole               string         `json:"user_role"`
	UserRoles              []string       `json:"user_roles"`
	Viewers                []string       `json:"flow_viewers"`
	Starters               []string       `json:"flow_starters"`
	Administrators         []string       `json:"flow_administrators"`
	RunManagers            []string       `json:"run_managers"`
	RunMonitors            []string       `json:"run_monitors"`
	Owner                  string         `json:"flow_owner"`
	CreatedBy              string         `json:"created_by"`
	CreatedAt              Timestamp      `json:"created_at"`
	UpdatedAt              Timestamp      `json:"updated_at"`
	DeletedAt              *Timestamp     `json:"deleted_at,omitempty"`
	Deleted                bool           `json:"DELETED,omitempty"`
	Synchronous            bool           `json:"synchronous"`
	LogSupported           bool           `json:"log_supported"`
	Types                  []string       `json:"types"`
	APIVersion             string         `json:"api_version"`
	Title                  string         `json:"title"`
	Subtitle               string         `json:"subtitle"`
	Description            string         `json:"description"`
	Keywords               []string       `json:"keywords"`
	PrincipalURN           string         `json:"principal_urn"`
	GlobusAuthUsername     string         `json:"globus_auth_username"`
	ActionURL              string         `json:"action_url"`
	FlowURL                string         `json:"flow_url"`
	VisibleTo              []string       `json:"visible_to"`
	RunnableBy             []string       `json:"runnable_by"`
	AdministeredBy         []string       `json:"administered_by"`
	IsHighAssurance        bool           `json:"is_high_assurance"`
	SubscriptionID         *string        `json:"subscription_id"`
	AuthenticationPolicyID *string        `json:"authentication_policy_id"`

	definitionJSON, inputSchemaJSON []byte // Definition and InputSchema as JSON, when the flow has them written
}

// AppendJSON writes the document as encoding/json would, without reflection, using the flow's
// definition and input schema as written when they were stored (document_test compares the two).
func (d Document) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = jsonw.String(b, d.ID)
	b = append(b, `,"definition":`...)
	if b, err = appendObject(b, d.Definition, d.definitionJSON); err != nil {
		return b, err
	}
	b = append(b, `,"input_schema":`...)
	if b, err = appendObject(b, d.InputSchema, d.inputSchemaJSON); err != nil {
		return b, err
	}
	b = appendString(b, `,"globus_auth_scope":`, d.GlobusAuthScope)
	b = appendStrings(b, `,"globus_auth_scopes_by_RunAs":`, d.ScopesByRunAs)
	b = appendString(b, `,"user_role":`, d.UserRole)
	b = appendStrings(b, `,"user_roles":`, d.UserRoles)
	b = appendStrings(b, `,"flow_viewers":`, d.Viewers)
	b = appendStrings(b, `,"flow_starters":`, d.Starters)
	b = appendStrings(b, `,"flow_administrators":`, d.Administrators)
	b = appendStrings(b, `,"run_managers":`, d.RunManagers)
	b = appendStrings(b, `,"run_monitors":`, d.RunMonitors)
	b = appendString(b, `,"flow_owner":`, d.Owner)
	b = appendString(b, `,"created_by":`, d.CreatedBy)
	b = appendTimestamp(b, `,"created_at":`, d.CreatedAt)
	b = appendTimestamp(b, `,"updated_at":`, d.UpdatedAt)
	if d.DeletedAt != nil {
		b = appendTimestamp(b, `,"deleted_at":`, *d.DeletedAt)
	}
	if d.Deleted {
		b = appendBool(b, `,"DELETED":`, true)
	}
	b = appendBool(b, `,"synchronous":`, d.Synchronous)
	b = appendBool(b, `,"log_supported":`, d.LogSupported)
	b = appendStrings(b, `,"types":`, d.Types)
	b = appendString(b, `,"api_version":`, d.APIVersion)
	b = appendString(b, `,"title":`, d.Title)
	b = appendString(b, `,"subtitle":`, d.Subtitle)
	b = appendString(b, `,"description":`, d.Description)
	b = appendStrings(b, `,"keywords":`, d.Keywords)
	b = appendString(b, `,"principal_urn":`, d.PrincipalURN)
	b = appendString(b, `,"globus_auth_username":`, d.GlobusAuthUsername)
	b = appendString(b, `,"action_url":`, d.ActionURL)
	b = appendString(b, `,"flow_url":`, d.FlowURL)
	b = appendStrings(b, `,"visible_to":`, d.VisibleTo)
	b = appendStrings(b, `,"runnable_by":`, d.RunnableBy)
	b = appendStrings(b, `,"administered_by":`, d.AdministeredBy)
	b = appendBool(b, `,"is_high_assurance":`, d.IsHighAssurance)
	b = appendOptional(b, `,"subscription_id":`, d.SubscriptionID)
	b = appendOptional(b, `,"authentication_policy_id":`, d.AuthenticationPolicyID)
	return append(b, '}'), nil
}

// The helpers below take a field's key as written JSON (`,"title":`).

func appendString(b []byte, key, s string) []byte {
	return jsonw.String(append(b, key...), s)
}

func appendStrings(b []byte, key string, ss []string) []byte {
	return jsonw.Strings(append(b, key...), ss)
}

func appendBool(b []byte, key string, v bool) []byte {
	return jsonw.Bool(append(b, key...), v)
}

func appendOptional(b []byte, key string, s *string) []byte {
	return jsonw.OptionalString(append(b, key...), s)
}

func appendTimestamp(b []byte, key string, t Timestamp) []byte {
	return AppendQuotedTimestamp(append(b, key...), time.Time(t))
}

// appendObject writes a definition or input schema from its stored JSON when there is one.
func appendObject(b []byte, m map[string]any, encoded []byte) ([]byte, error) {
	if m != nil && encoded != nil {
		return append(b, encoded...), nil
	}
	return jsonw.Value(b, m)
}

// Timestamp renders times as the Flows service does: microseconds and an explicit +00:00.
type Timestamp time.Time

// Format is the Flows timestamp layout.
const Format = "2006-01-02T15:04:05.000000+00:00"

// MarshalText writes the Flows timestamp form (as text, so the encoder need not re-check it).
func (t Timestamp) MarshalText() ([]byte, error) {
	return AppendTimestamp(make([]byte, 0, len(Format)), time.Time(t)), nil
}

// AppendTimestamp appends t in the Flows form; written out by hand because formatting with a
// layout was a tenth of the cost of a flow listing.
func AppendTimestamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	pad := func(b []byte, n, width int) []byte {
		var d [9]byte
		for i := width - 1; i >= 0; i-- {
			d[i] = byte('0' + n%10)
			n /= 10
		}
		return append(b, d[:width]...)
	}
	b = pad(b, year, 4)
	b = append(b, '-')
	b = pad(b, int(month), 2)
	b = append(b, '-')
	b = pad(b, day, 2)
	b = append(b, 'T')
	b = pad(b, hour, 2)
	b = append(b, ':')
	b = pad(b, minute, 2)
	b = append(b, ':')
	b = pad(b, sec, 2)
	b = append(b, '.')
	b = pad(b, t.Nanosecond()/1000, 6)
	return append(b, "+00:00"...)
}

// AppendQuotedTimestamp appends t in the Flows form as a JSON string.
func AppendQuotedTimestamp(b []byte, t time.Time) []byte {
	b = AppendTimestamp(append(b, '"'), t)
	return append(b, '"')
}

// FlowURL is the flow's web address as the real service reports it.
func FlowURL(id string) string { return "https://flows.globus.org/flows/" + id }

// render builds the caller's view. Role lists are shown only to administrators and the owner;
// others see empty lists. __Private_Parameters are removed for callers below administrator.
func render(f *Flow, a Access, listing bool) Document {
	// The document may share the flow's lists: a stored flow's lists are replaced, never changed
	// in place (an update works on a copy).
	g, e := f, f.encoding()
	d := Document{
		ID: g.ID, Definition: g.Definition, InputSchema: g.InputSchema,
		GlobusAuthScope: e.scope, ScopesByRunAs: []string{},
		Owner: g.Owner, CreatedBy: g.CreatedBy,
		CreatedAt: Timestamp(g.CreatedAt), UpdatedAt: Timestamp(g.UpdatedAt),
		Types: []string{"Action"}, APIVersion: "1.0", LogSupported: true,
		Title: g.Title, Subtitle: g.Subtitle, Description: g.Description, Keywords: g.Keywords,
		PrincipalURN: e.principalURN, GlobusAuthUsername: e.username,
		ActionURL: e.url, FlowURL: e.url,
		Viewers: []string{}, Starters: []string{}, Administrators: []string{}, RunManagers: []string{}, RunMonitors: []string{},
		VisibleTo: []string{}, RunnableBy: []string{}, AdministeredBy: []string{},
		IsHighAssurance: g.AuthenticationPolicyID != "",
		definitionJSON:  e.definition, inputSchemaJSON: e.inputSchema,
	}
	if g.SubscriptionID != "" {
		d.SubscriptionID = &g.SubscriptionID
	}
	if g.AuthenticationPolicyID != "" {
		d.AuthenticationPolicyID = &g.AuthenticationPolicyID
	}
	if a.Role >= Administrator {
		d.Viewers, d.Starters, d.Administrators = g.Viewers, g.Starters, g.Administrators
		d.RunManagers, d.RunMonitors = g.RunManagers, g.RunMonitors
		d.VisibleTo, d.RunnableBy, d.AdministeredBy = g.Viewers, g.Starters, g.Administrators
	} else {
		d.Definition, d.definitionJSON = e.public, e.publicDefinition
	}
	if listing && d.IsHighAssurance {
		d.Definition, d.InputSchema = nil, nil
		d.definitionJSON, d.inputSchemaJSON = nil, nil
	}
	d.UserRoles = userRoles(a)
	switch {
	case a.Role > NoRole:
		d.UserRole = roleNames[a.Role]
	case a.RunManager:
		d.UserRole = "run_manager"
	default:
		d.UserRole = "run_monitor"
	}
	return d
}

// userRolesOf holds every user_roles list, by hierarchical role, run monitor and run manager:
// documents share them (nothing changes a document's lists).
var userRolesOf = func() (t [Owner + 1][2][2][]string) {
	for role := NoRole; role <= Owner; role++ {
		for _, monitor := range []bool{false, true} {
			for _, manager := range []bool{false, true} {
				roles := []string{}
				for r := Viewer; r <= role; r++ {
					roles = append(roles, roleNames[r])
				}
				if monitor {
					roles = append(roles, "flow_run_monitor")
				}
				if manager {
					roles = append(roles, "flow_run_manager")
				}
				t[role][b2i(monitor)][b2i(manager)] = roles
			}
		}
	}
	return t
}()

// userRoles is the user_roles list of a caller's access: each hierarchical role up to theirs,
// then flow_run_monitor and flow_run_manager.
func userRoles(a Access) []string {
	if a.Role < NoRole || a.Role > Owner {
		return []string{}
	}
	return userRolesOf[a.Role][b2i(a.RunMonitor)][b2i(a.RunManager)]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
