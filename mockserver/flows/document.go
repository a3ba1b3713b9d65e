package flows

import (
	"time"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/engine"
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

// FlowURL is the flow's web address as the real service reports it.
func FlowURL(id string) string { return "https://flows.globus.org/flows/" + id }

// render builds the caller's view. Role lists are shown only to administrators and the owner;
// others see empty lists. __Private_Parameters are removed for callers below administrator.
func render(f *Flow, a Access, listing bool) Document {
	// The document may share the flow's lists: a stored flow's lists are replaced, never changed
	// in place (an update works on a copy).
	g := f
	d := Document{
		ID: g.ID, Definition: g.Definition, InputSchema: g.InputSchema,
		GlobusAuthScope: auth.FlowScope(g.ID), ScopesByRunAs: []string{},
		Owner: g.Owner, CreatedBy: g.CreatedBy,
		CreatedAt: Timestamp(g.CreatedAt), UpdatedAt: Timestamp(g.UpdatedAt),
		Types: []string{"Action"}, APIVersion: "1.0", LogSupported: true,
		Title: g.Title, Subtitle: g.Subtitle, Description: g.Description, Keywords: g.Keywords,
		PrincipalURN: auth.IdentityURN(g.ID), GlobusAuthUsername: g.ID + "@clients.auth.globus.org",
		ActionURL: FlowURL(g.ID), FlowURL: FlowURL(g.ID),
		Viewers: []string{}, Starters: []string{}, Administrators: []string{}, RunManagers: []string{}, RunMonitors: []string{},
		VisibleTo: []string{}, RunnableBy: []string{}, AdministeredBy: []string{},
		IsHighAssurance: g.AuthenticationPolicyID != "",
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
	} else if engine.HasPrivate(d.Definition) {
		d.Definition = deepCopy(d.Definition)
		engine.StripPrivate(d.Definition)
	}
	if listing && d.IsHighAssurance {
		d.Definition, d.InputSchema = nil, nil
	}
	d.UserRoles = []string{}
	for r := Viewer; r <= a.Role; r++ {
		d.UserRoles = append(d.UserRoles, roleNames[r])
	}
	if a.RunMonitor {
		d.UserRoles = append(d.UserRoles, "flow_run_monitor")
	}
	if a.RunManager {
		d.UserRoles = append(d.UserRoles, "flow_run_manager")
	}
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

func stripPrivate(def map[string]any) {
	states, _ := def["States"].(map[string]any)
	for _, st := range states {
		state, ok := st.(map[string]any)
		if !ok {
			continue
		}
		params, ok := state["Parameters"].(map[string]any)
		if !ok {
			continue
		}
		if names, ok := params["__Private_Parameters"].([]any); ok {
			for _, n := range names {
				if s, ok := n.(string); ok {
					delete(params, s)
					delete(params, s+".$")
					delete(params, s+".=")
				}
			}
		}
		delete(params, "__Private_Parameters")
	}
}
