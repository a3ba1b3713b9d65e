package runs

import (
	"slices"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Complete fills what Start fills in a run of a world: empty lists, the default notification
// policy, now as start_time (and as completion_time of a finished run), and the title and
// last update of its flow (given when the world holds it).
func (r *Record) Complete(now time.Time, flowTitle string, flowUpdated time.Time) {
	for _, l := range []*[]string{&r.Managers, &r.Monitors, &r.Tags} {
		if *l == nil {
			*l = []string{}
		}
	}
	if r.Notify == nil {
		r.Notify = []string{"INACTIVE"}
	}
	if r.InputSchema == nil {
		r.InputSchema = map[string]any{}
	}
	if r.Details == nil {
		r.Details = map[string]any{}
	}
	if r.Context == nil {
		r.Context = map[string]any{}
	}
	if r.State == nil {
		r.State = map[string]any{}
	}
	if r.Log == nil {
		r.Log = []Entry{}
	}
	if r.StartTime.IsZero() {
		r.StartTime = now
	}
	if r.FlowTitle == "" {
		r.FlowTitle = flowTitle
	}
	if r.FlowLastUpdated.IsZero() {
		r.FlowLastUpdated = flowUpdated
		if flowUpdated.IsZero() {
			r.FlowLastUpdated = r.StartTime
		}
	}
	if Terminal(r.Status) && r.CompletionTime == nil {
		end := r.StartTime
		r.CompletionTime = &end
	}
}

// Check reports what a run of a world may not hold: ids that are not UUIDs, a status its
// documents cannot show, an owner that is not an identity URN, role lists Start refuses, and no
// definition, or, for a run still going, no state of it to go on from. Locations are the run's.
func (r Record) Check() []apierr.FieldError {
	var errs []apierr.FieldError
	bad := func(msg string, loc ...any) { errs = append(errs, apierr.Problem(loc, "%s", msg)) }
	if !ids.IsUUID(r.ID) {
		bad("must be a UUID", "run_id")
	}
	if !ids.IsUUID(r.FlowID) {
		bad("must be a UUID", "flow_id")
	}
	if !slices.Contains(statuses, r.Status) {
		bad("must be one of ACTIVE, INACTIVE, SUCCEEDED, FAILED, ENDED", "status")
	}
	if kind, _ := auth.ParsePrincipal(r.Owner); kind != auth.IdentityPrincipal {
		bad("must be an identity URN", "run_owner")
	}
	errs = append(errs, flows.CheckPrincipals("run_managers", "RunManager", &r.Managers, auth.BadPrincipal)...)
	errs = append(errs, flows.CheckPrincipals("run_monitors", "RunMonitor", &r.Monitors, auth.BadPrincipal)...)
	if r.Definition == nil {
		return append(errs, apierr.Missing("definition"))
	}
	errs = append(errs, apierr.Within([]any{"definition"}, engine.CheckStructure(r.Definition))...)
	if states, _ := r.Definition["States"].(map[string]any); (r.Status == Active || r.Status == Inactive) && states[r.Current] == nil {
		bad("must name a state of the definition to go on from, while the run is "+r.Status, "current")
	}
	return errs
}
