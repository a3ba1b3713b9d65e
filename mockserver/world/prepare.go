package world

import (
	"slices"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/mockserver/registered"
	"github.com/globus-conformance/kit/mockserver/runs"
	"github.com/globus-conformance/kit/mockserver/transfer"
	"github.com/globus-conformance/kit/mockserver/webinputs"
)

// Problems are what makes a world unusable, each located in the document (flows[0].title).
type Problems []apierr.FieldError

// maxProblems bounds the problems reported about one world: enough to fix a hand-written file
// in one go, few enough to read.
const maxProblems = 20

func (p Problems) Error() string {
	parts := make([]string, len(p))
	for i, f := range p {
		parts[i] = apierr.Path(f.Loc) + ": " + f.Msg
	}
	return strings.Join(parts, "; ")
}

// Prepare returns the world as the mock loads it: what a hand-written world leaves out filled in
// as the operations that create each object fill it (empty lists, the world clock's reading as
// every missing timestamp, ...), then checked, so that nothing in it makes the mock answer
// outside its contract or hold what its operations refuse. wall is the wall time, which a clock
// that follows it reads. w itself is left as it is; the error is Problems.
func (w World) Prepare(wall time.Time) (World, error) {
	w = w.complete(wall)
	if p := w.check(wall); len(p) > 0 {
		return World{}, p
	}
	return w, nil
}

// complete fills what a hand-written world may leave out; every list it changes is a copy.
func (w World) complete(wall time.Time) World {
	if w.Clock.Frozen && w.Clock.Now.IsZero() {
		w.Clock.Now = wall.UTC().Truncate(time.Microsecond) // frozen now, as POST /_mock/clock/freeze {} does
	}
	now, _ := w.Clock.Reading(wall)
	w.State.Complete(now)
	w.Collections = slices.Clone(w.Collections)
	for i := range w.Collections {
		w.Collections[i].Complete(now)
	}
	w.Flows = slices.Clone(w.Flows)
	byID := map[string]*flows.Flow{}
	for i := range w.Flows {
		w.Flows[i].Complete(now)
		byID[w.Flows[i].ID] = &w.Flows[i]
	}
	w.Runs = slices.Clone(w.Runs)
	for i := range w.Runs {
		var title string
		var updated time.Time
		if f, ok := byID[w.Runs[i].FlowID]; ok {
			title, updated = f.Title, f.UpdatedAt
		}
		w.Runs[i].Complete(now, title, updated)
	}
	w.Registered = slices.Clone(w.Registered)
	for i := range w.Registered {
		w.Registered[i].Complete(now)
	}
	w.WebInputs = slices.Clone(w.WebInputs)
	for i := range w.WebInputs {
		w.WebInputs[i].Complete(now)
	}
	return w
}

// directory answers the collections' questions about principals from the world itself.
type directory struct{ identities, groups map[string]bool }

var _ transfer.Directory = directory{}

func (d directory) IdentityExists(id string) bool { return d.identities[id] }
func (d directory) IsGroup(id string) bool        { return d.groups[id] }

// check reports what a completed world may not hold, at most maxProblems of it.
func (w World) check(wall time.Time) Problems {
	var p Problems
	if at, ok := w.Clock.Reading(wall); !ok || !clock.InRange(at) {
		field := "offset_seconds"
		if w.Clock.Frozen {
			field = "now"
		}
		p = append(p, apierr.Problem([]any{"clock", field}, "the clock would show a time outside %s .. %s",
			clock.Earliest.Format(time.RFC3339), clock.Latest.Format(time.RFC3339)))
	}
	p = append(p, w.State.Check()...)

	dir := directory{identities: set(w.Identities, func(i auth.Identity) string { return i.ID }),
		groups: set(w.Groups, func(g auth.Group) string { return g.ID })}
	for _, c := range w.Clients {
		dir.identities[c.ID] = true
	}
	hosts := set(w.Collections, func(c transfer.Collection) string { return c.ID })
	subscriptions := set(w.Subscriptions, func(s auth.Subscription) string { return s.ID })
	policies := set(w.Policies, func(pol auth.Policy) string { return pol.ID })
	known := func(errs []apierr.FieldError, field, id string, among map[string]bool, what string) []apierr.FieldError {
		if id != "" && !among[id] {
			errs = append(errs, apierr.Problem([]any{field}, "is not %s of the world", what))
		}
		return errs
	}

	checkList(&p, "collections", "id", w.Collections, func(c transfer.Collection) string { return c.ID },
		func(c transfer.Collection) []apierr.FieldError { return c.Check(dir, hosts) })
	checkList(&p, "flows", "id", w.Flows, func(f flows.Flow) string { return f.ID }, func(f flows.Flow) []apierr.FieldError {
		errs := f.Check()
		if !ids.IsUUID(f.ID) {
			errs = append(errs, apierr.Problem([]any{"id"}, "must be a UUID"))
		}
		if kind, id := auth.ParsePrincipal(f.Owner); kind == auth.IdentityPrincipal {
			errs = known(errs, "flow_owner", id, dir.identities, "an identity")
		}
		errs = known(errs, "subscription_id", f.SubscriptionID, subscriptions, "a subscription")
		return known(errs, "authentication_policy_id", f.AuthenticationPolicyID, policies, "a policy")
	})
	checkList(&p, "runs", "run_id", w.Runs, func(r runs.Record) string { return r.ID }, runs.Record.Check)
	for i, m := range w.ActionMocks {
		p = append(p, apierr.FieldsOf([]any{"action_mocks", i}, m.Check())...)
	}
	checkList(&p, "registered_apis", "id", w.Registered, func(a registered.API) string { return a.ID }, func(a registered.API) []apierr.FieldError {
		return known(a.Check(), "subscription_id", a.SubscriptionID, subscriptions, "a subscription")
	})
	checkList(&p, "web_inputs", "id", w.WebInputs, func(wi webinputs.WebInput) string { return wi.ID }, webinputs.WebInput.Check)
	if len(p) > maxProblems {
		p = p[:maxProblems]
	}
	return p
}

// checkList adds the problems of every object of a list, located in it, and of an id that an
// earlier object of the list has.
func checkList[T any](p *Problems, list, idField string, objects []T, id func(T) string, check func(T) []apierr.FieldError) {
	seen := map[string]bool{}
	for i, o := range objects {
		*p = append(*p, apierr.Within([]any{list, i}, check(o))...)
		if seen[id(o)] {
			*p = append(*p, apierr.Problem([]any{list, i, idField}, "appears twice"))
		}
		seen[id(o)] = true
	}
}

// set is the set of the objects' ids.
func set[T any](objects []T, id func(T) string) map[string]bool {
	m := make(map[string]bool, len(objects))
	for _, o := range objects {
		m[id(o)] = true
	}
	return m
}
