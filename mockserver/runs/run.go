// Package runs is the Flows service's run store and the scheduler that executes runs with the
// engine, asynchronously and on the mock clock. It is pure domain code (no net/http).
//
// Run roles (docs.globus.org "Globus Flows — Permissions"; reference flows-api.md §4, §12): the
// run_owner (who started it) ⊃ run_managers ⊃ run_monitors. The flow's own run_managers and
// run_monitors lists give flow_run_manager / flow_run_monitor on every run of the flow; other flow
// roles give nothing. A caller who holds no role on a run gets 404, as for a missing one.
package runs

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/globus-conformance/kit/mockserver/flows"
)

// Run statuses (OAS FlowRun.status).
const (
	Active    = "ACTIVE"
	Inactive  = "INACTIVE"
	Succeeded = "SUCCEEDED"
	Failed    = "FAILED"
	Ended     = "ENDED"
)

// Terminal reports whether a status is final (the release conflict message lists these).
func Terminal(status string) bool {
	return status == Succeeded || status == Failed || status == Ended
}

// Entry is one run log entry (reference flows-api.md §8).
type Entry struct {
	Time        time.Time      `json:"time"`
	Code        string         `json:"code"`
	Description string         `json:"description"`
	Details     map[string]any `json:"details"`
}

// Record is a stored run: its metadata, the definition snapshot it executes, its state and its
// log. Everything is JSON so that a run survives a dump and a load.
type Record struct {
	ID              string         `json:"run_id"`
	FlowID          string         `json:"flow_id"`
	FlowTitle       string         `json:"flow_title"`
	FlowLastUpdated time.Time      `json:"flow_last_updated"`
	Definition      map[string]any `json:"definition"`
	InputSchema     map[string]any `json:"input_schema"`
	Owner           string         `json:"run_owner"`
	Managers        []string       `json:"run_managers"`
	Monitors        []string       `json:"run_monitors"`
	Label           string         `json:"label"`
	Tags            []string       `json:"tags"`
	Notify          []string       `json:"activity_notification_policy"`
	Status          string         `json:"status"`
	Details         map[string]any `json:"details"`
	StartTime       time.Time      `json:"start_time"`
	CompletionTime  *time.Time     `json:"completion_time,omitempty"`

	// Execution.
	Context  map[string]any    `json:"context"`            // $._context
	State    any               `json:"state"`              // the run state (payload)
	Current  string            `json:"current,omitempty"`  // the state to execute next
	WakeAt   *time.Time        `json:"wake_at,omitempty"`  // a Wait state sleeps until then
	Private  []engine.Location `json:"private,omitempty"`  // locations of private values in State
	Steps    int               `json:"steps"`              // states executed so far
	Log      []Entry           `json:"log"`                //
	Sequence int               `json:"sequence,omitempty"` // bumped by every change, for the scheduler

	// The starter, as action providers see them.
	Token     string   `json:"token,omitempty"`
	Scopes    []string `json:"scopes,omitempty"`
	AllScopes bool     `json:"all_scopes,omitempty"`
	// ClientID is the client the starter's token was issued to: the run's consents are the
	// user's consents to that client.
	ClientID    string   `json:"client_id,omitempty"`
	IdentityIDs []string `json:"identity_ids,omitempty"`
	GroupIDs    []string `json:"group_ids,omitempty"`
	// RoleTokens are the access tokens the run input's _tokens gave for RunAs roles, by role:
	// kept apart from the state, so no document shows them.
	RoleTokens map[string]string `json:"role_tokens,omitempty"`
	// Action is the action an Action state waits on.
	Action *PendingAction `json:"action,omitempty"`
	// Awaiting is the web input an AwaitWebInput state waits on.
	Awaiting string `json:"awaiting,omitempty"`
}

// PendingAction is an action started by the current Action state.
type PendingAction struct {
	URL      string `json:"url"`
	ActionID string `json:"action_id"`
	// Scope is the provider's scope, for which the mock mints the tokens it calls the provider with.
	Scope    string    `json:"scope,omitempty"`
	Deadline time.Time `json:"deadline"`
	// Private are the locations of the private values of the action's body, Texts those values
	// as text: what the provider answers is shown without them.
	Private []engine.Location `json:"private,omitempty"`
	Texts   []string          `json:"private_texts,omitempty"`
	// WebInputID is the web input through which an INACTIVE action (Wait For User Selection)
	// waits for people.
	WebInputID string `json:"web_input_id,omitempty"`
	// Token and IdentityID are the RunAs role's token and identity the action was started with
	// (empty: the run's user's).
	Token      string `json:"token,omitempty"`
	IdentityID string `json:"identity_id,omitempty"`
}

// run is a record and the lock that guards it.
type run struct {
	mu sync.Mutex
	Record
	notify Notifier
	// onEnd runs when the run ends, under its lock: it must not call back into the run.
	onEnd func(runID string, now time.Time)
}

// Notifier sends the e-mail of activity_notification_policy (the mock's outbox).
type Notifier func(to, subject, body, runID string)

// notifyLocked tells the run's owner about a status the run's policy asks to hear about.
func (r *run) notifyLocked(status string) {
	if r.notify == nil || !slices.Contains(r.Notify, status) {
		return
	}
	to, _ := r.Context["email"].(string)
	if to == "" {
		return
	}
	label := r.Label
	if label == "" {
		label = r.ID
	}
	r.notify(to, fmt.Sprintf("Globus Flows run %s is %s", label, status),
		fmt.Sprintf("The run %s of the flow %q is now %s.", r.ID, r.FlowTitle, status), r.ID)
}

// access is what a caller holds on a run.
type access struct {
	owner, manager, monitor, flowManager, flowMonitor bool
}

func (a access) canView() bool {
	return a.owner || a.manager || a.monitor || a.flowManager || a.flowMonitor
}

func (a access) canManage() bool { return a.owner || a.manager || a.flowManager }

// canResume: flow_run_managers manage runs "except the ability to resume" (docs Permissions).
func (a access) canResume() bool { return a.owner || a.manager }

// roles lists the caller's roles, each including the ones below it.
func (a access) roles() []string {
	var out []string
	if a.owner {
		out = append(out, "run_owner")
	}
	if a.owner || a.manager {
		out = append(out, "run_manager")
	}
	if a.owner || a.manager || a.monitor {
		out = append(out, "run_monitor")
	}
	if a.flowManager {
		out = append(out, "flow_run_manager")
	}
	if a.flowManager || a.flowMonitor {
		out = append(out, "flow_run_monitor")
	}
	return out
}

func (a access) role() string {
	switch {
	case a.owner:
		return "run_owner"
	case a.manager:
		return "run_manager"
	case a.flowManager:
		return "flow_run_manager"
	case a.monitor:
		return "run_monitor"
	default:
		return "flow_run_monitor"
	}
}

func anyIn(list []string, principals map[string]bool) bool {
	return slices.ContainsFunc(list, func(p string) bool { return principals[p] })
}

// accessLocked computes the caller's access; flowManagers and flowMonitors are the flow's lists.
func (r *run) accessLocked(principals map[string]bool, flowManagers, flowMonitors []string) access {
	return access{
		owner:       principals[r.Owner],
		manager:     anyIn(r.Managers, principals),
		monitor:     anyIn(r.Monitors, principals),
		flowManager: anyIn(flowManagers, principals),
		flowMonitor: anyIn(flowMonitors, principals),
	}
}

// Document is the run as a caller sees it (OAS FlowRun, reference flows-api.md §4).
type Document struct {
	RunID              string         `json:"run_id"`
	ActionID           string         `json:"action_id"`
	FlowID             string         `json:"flow_id"`
	FlowTitle          string         `json:"flow_title"`
	FlowLastUpdated    Timestamp      `json:"flow_last_updated"`
	StartTime          Timestamp      `json:"start_time"`
	CompletionTime     *Timestamp     `json:"completion_time,omitempty"`
	Label              string         `json:"label"`
	Status             string         `json:"status"`
	DisplayStatus      string         `json:"display_status"`
	Details            map[string]any `json:"details"`
	RunOwner           string         `json:"run_owner"`
	CreatedBy          string         `json:"created_by"`
	RunManagers        []string       `json:"run_managers"`
	RunMonitors        []string       `json:"run_monitors"`
	ManageBy           []string       `json:"manage_by"`
	MonitorBy          []string       `json:"monitor_by"`
	UserRole           string         `json:"user_role"`
	UserRoles          []string       `json:"user_roles"`
	Tags               []string       `json:"tags"`
	BlockingWebInputID *string        `json:"blocking_web_input_id"`
	NotificationPolicy map[string]any `json:"activity_notification_policy"`
	FlowDescription    *FlowEmbed     `json:"flow_description,omitempty"`
}

// FlowEmbed is the flow_description of GET /runs/{id}?include_flow_description=true.
type FlowEmbed struct {
	ID        string `json:"id"`
	FlowOwner string `json:"flow_owner"`
	// CreatedBy and GlobusAuthScope are not in the OpenAPI's FlowEmbed, but the recorded
	// description carries them (SDK fixture get_run), and the scope is what starts the flow.
	CreatedBy       string     `json:"created_by"`
	GlobusAuthScope string     `json:"globus_auth_scope"`
	CreatedAt       Timestamp  `json:"created_at"`
	UpdatedAt       Timestamp  `json:"updated_at"`
	DeletedAt       *Timestamp `json:"deleted_at,omitempty"`
	Title           string     `json:"title"`
	Subtitle        string     `json:"subtitle"`
	Description     string     `json:"description"`
	Keywords        []string   `json:"keywords"`
}

// Timestamp is the Flows service's timestamp form (microseconds and an explicit +00:00).
type Timestamp = flows.Timestamp

// renderLocked builds the caller's view of the run. Role lists are shown to managers only.
func (r *run) renderLocked(a access) Document {
	d := Document{
		RunID: r.ID, ActionID: r.ID, FlowID: r.FlowID, FlowTitle: r.FlowTitle,
		FlowLastUpdated: Timestamp(r.FlowLastUpdated), StartTime: Timestamp(r.StartTime),
		Label: r.Label, Status: r.Status, DisplayStatus: r.Status,
		Details:  r.detailsLocked(), // replaced, never changed in place
		RunOwner: r.Owner, CreatedBy: r.Owner,
		RunManagers: []string{}, RunMonitors: []string{}, ManageBy: []string{}, MonitorBy: []string{},
		UserRole: a.role(), UserRoles: a.roles(), Tags: slices.Clone(r.Tags),
		NotificationPolicy: map[string]any{"status": slices.Clone(r.Notify)},
	}
	if r.CompletionTime != nil {
		ts := Timestamp(*r.CompletionTime)
		d.CompletionTime = &ts
	}
	if id := r.blockingLocked(); id != "" {
		d.BlockingWebInputID = &id
	}
	if a.canManage() {
		d.RunManagers, d.RunMonitors = slices.Clone(r.Managers), slices.Clone(r.Monitors)
		d.ManageBy, d.MonitorBy = slices.Clone(r.Managers), slices.Clone(r.Monitors)
	}
	return d
}
