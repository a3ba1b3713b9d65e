package registered

import (
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Complete fills what Create fills in a registered API of a world: empty role lists, now as
// created_timestamp and created_timestamp as updated_timestamp.
func (a *API) Complete(now time.Time) {
	for _, l := range []*[]string{&a.Roles.Owners, &a.Roles.Administrators, &a.Roles.Viewers} {
		if *l == nil {
			*l = []string{}
		}
	}
	if a.Created.IsZero() {
		a.Created = now
	}
	if a.Updated.IsZero() {
		a.Updated = a.Created
	}
}

// Check reports what a registered API of a world may not hold: what Create refuses, and no
// owner (nobody could manage it). Locations are the API's.
func (a API) Check() []apierr.FieldError {
	var errs []apierr.FieldError
	if !ids.IsUUID(a.ID) {
		errs = append(errs, apierr.Problem([]any{"id"}, "must be a UUID"))
	}
	if n := len([]rune(a.Name)); n < 1 || n > 128 {
		errs = append(errs, apierr.Problem([]any{"name"}, "must have 1 to 128 characters"))
	}
	errs = append(errs, apierr.FieldsOf(nil, checkTarget(a.Target))...)
	errs = append(errs, apierr.FieldsOf(nil, checkRoleList("owners", a.Roles.Owners))...)
	errs = append(errs, apierr.FieldsOf(nil, checkRoleList("administrators", a.Roles.Administrators))...)
	errs = append(errs, apierr.FieldsOf(nil, checkRoleList("viewers", a.Roles.Viewers))...)
	if len(a.Roles.Owners) == 0 {
		errs = append(errs, apierr.Missing("roles", "owners"))
	}
	if a.SubscriptionID == "" {
		errs = append(errs, apierr.Missing("subscription_id"))
	}
	return errs
}
