package webinputs

import (
	"slices"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Complete fills what Create fills in a web input of a world: now as created_timestamp and
// created_timestamp as edited_timestamp, open, a table context (of no rows), empty role and
// option lists. Every list it changes is a copy.
func (w *WebInput) Complete(now time.Time) {
	if w.Created.IsZero() {
		w.Created = now
	}
	if w.Edited.IsZero() {
		w.Edited = w.Created
	}
	if w.Status == "" {
		w.Status = Open
	}
	if w.Context.Style == "" {
		w.Context.Style = "table"
	}
	if w.Context.Style == "table" && w.Context.Rows == nil {
		w.Context.Rows = []Row{} // a table shows its rows, none too (the dump leaves an empty list out)
	}
	w.Options = slices.Clone(w.Options)
	for _, l := range []*[]string{&w.Respondents, &w.Viewers} {
		if *l == nil {
			*l = []string{}
		}
	}
	if w.Options == nil {
		w.Options = []Option{}
	}
}

// Check reports what a web input of a world may not hold: ids that are not UUIDs, a status,
// style or principal its documents cannot show, and a closed web input without closed_timestamp.
// Locations are the web input's.
func (w WebInput) Check() []apierr.FieldError {
	var errs []apierr.FieldError
	bad := func(msg string, loc ...any) { errs = append(errs, apierr.Problem(loc, "%s", msg)) }
	for _, id := range []struct{ field, id string }{{"id", w.ID}, {"flow_id", w.FlowID}, {"run_id", w.RunID}} {
		if !ids.IsUUID(id.id) {
			bad("must be a UUID", id.field)
		}
	}
	if w.Status != Open && w.Status != Closed {
		bad("must be open or closed", "status")
	}
	if w.Status == Closed && w.ClosedAt == nil {
		errs = append(errs, apierr.Missing("closed_timestamp"))
	}
	if w.Context.Style != "table" && w.Context.Style != "text" {
		bad("must be table or text", "context", "presentation_style")
	}
	for i, o := range w.Options {
		if !ids.IsUUID(o.ID) {
			bad("must be a UUID", "options", i, "option_id")
		}
	}
	if kind, _ := auth.ParsePrincipal(w.Creator); kind != auth.IdentityPrincipal {
		bad("must be an identity URN", "creator_urn")
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"respondent_urns", w.Respondents}, {"viewer_urns", w.Viewers}} {
		for i, p := range l.list {
			if kind, _ := auth.ParsePrincipal(p); kind != auth.IdentityPrincipal && kind != auth.GroupPrincipal {
				bad("must be an identity or group URN", l.field, i)
			}
		}
	}
	return errs
}
