package auth

import (
	"maps"
	"slices"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Projects (Auth API /v2/api/projects). A project's administrators are the identities it names
// and the members of the groups it names; they, and only they, see the project and manage the
// authentication policies in it. A policy whose project_id names no project of the directory
// keeps the older rule of its creator administering it, so that worlds without projects work.

// Project is a Globus Auth project.
type Project struct {
	ID            string   `json:"id"`
	DisplayName   string   `json:"display_name"`
	ContactEmail  string   `json:"contact_email"`
	AdminIDs      []string `json:"admin_ids,omitempty"`
	AdminGroupIDs []string `json:"admin_group_ids,omitempty"`
}

// ProjectInput is a create or update body; nil fields are "not given". An update replaces a list
// it is given.
type ProjectInput struct {
	DisplayName   *string   `json:"display_name"`
	ContactEmail  *string   `json:"contact_email"`
	AdminIDs      *[]string `json:"admin_ids"`
	AdminGroupIDs *[]string `json:"admin_group_ids"`
}

func cloneProject(p Project) Project {
	p.AdminIDs = slices.Clone(p.AdminIDs)
	p.AdminGroupIDs = slices.Clone(p.AdminGroupIDs)
	return p
}

func projectNotFound(id string) error {
	return apierr.New(apierr.NotFound, "NOT_FOUND", "No project with id %s", id)
}

// applyLocked validates an input against a project and writes it: both names are required, and
// a project keeps at least one administrator, each an identity or a group the directory knows.
func (in ProjectInput) applyLocked(d *Directory, p *Project) error {
	if in.DisplayName != nil {
		p.DisplayName = *in.DisplayName
	}
	if in.ContactEmail != nil {
		p.ContactEmail = *in.ContactEmail
	}
	if in.AdminIDs != nil {
		p.AdminIDs = distinct(*in.AdminIDs)
	}
	if in.AdminGroupIDs != nil {
		p.AdminGroupIDs = distinct(*in.AdminGroupIDs)
	}
	switch {
	case p.DisplayName == "":
		return badInput("display_name is required")
	case p.ContactEmail == "":
		return badInput("contact_email is required")
	case len(p.AdminIDs) == 0 && len(p.AdminGroupIDs) == 0:
		return badInput("a project needs admin_ids or admin_group_ids")
	}
	for _, id := range p.AdminIDs {
		if _, ok := d.identities[id]; !ok {
			return badInput("admin_ids: no identity with id %s", id)
		}
	}
	for _, id := range p.AdminGroupIDs {
		if _, ok := d.groups[id]; !ok {
			return badInput("admin_group_ids: no group with id %s", id)
		}
	}
	return nil
}

// distinct is a list without its repeats, in the order given: naming an administrator twice
// makes them no more an administrator.
func distinct(l []string) []string {
	var out []string
	for _, v := range l {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// administers reports whether the caller is an administrator of the project: an identity of the
// caller's identity set is named, or the caller is a member of a group named.
func (p Project) administers(c Caller) bool {
	return slices.ContainsFunc(c.IdentitySet, func(i Identity) bool { return slices.Contains(p.AdminIDs, i.ID) }) ||
		slices.ContainsFunc(c.GroupIDs, func(g string) bool { return slices.Contains(p.AdminGroupIDs, g) })
}

// projectOfLocked returns the caller's view of a project: found, and administered by the caller.
func (d *Directory) projectOfLocked(c Caller, id string) (Project, error) {
	p, ok := d.projects[id]
	if !ok || !p.administers(c) {
		return Project{}, projectNotFound(id)
	}
	return p, nil
}

// CreateProject creates a project; its creator need not be among its administrators.
func (d *Directory) CreateProject(in ProjectInput) (Project, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := Project{ID: ids.UUID()}
	if err := in.applyLocked(d, &p); err != nil {
		return Project{}, err
	}
	d.projects[p.ID] = p
	return cloneProject(p), nil
}

// Projects lists the projects the caller administers, by id.
func (d *Directory) Projects(c Caller) []Project {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return visible(d.projects, func(p Project) bool { return p.administers(c) }, cloneProject)
}

// visible is the copies of the things of m the caller may see, in the order of their ids (the
// keys of m).
func visible[T any](m map[string]T, sees func(T) bool, clone func(T) T) []T {
	out := []T{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if sees(m[k]) {
			out = append(out, clone(m[k]))
		}
	}
	return out
}

// GetProject returns a project the caller administers (404 otherwise, as for a missing one).
func (d *Directory) GetProject(c Caller, id string) (Project, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	p, err := d.projectOfLocked(c, id)
	return cloneProject(p), err
}

// UpdateProject changes a project the caller administers.
func (d *Directory) UpdateProject(c Caller, id string, in ProjectInput) (Project, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.projectOfLocked(c, id)
	if err != nil {
		return Project{}, err
	}
	next := cloneProject(p)
	if err := in.applyLocked(d, &next); err != nil {
		return Project{}, err
	}
	d.projects[id] = next
	return cloneProject(next), nil
}

// DeleteProject removes a project the caller administers and returns it. A project that still
// has policies stays (409): deleting it would leave policies no one administers, and resources
// that name them locked.
func (d *Directory) DeleteProject(c Caller, id string) (Project, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.projectOfLocked(c, id)
	if err != nil {
		return Project{}, err
	}
	for _, pol := range d.policies {
		if pol.ProjectID == id {
			return Project{}, apierr.New(apierr.Conflict, "CONFLICT", "project %s still has policies: delete them first", id)
		}
	}
	delete(d.projects, id)
	return cloneProject(p), nil
}

// ProjectAdmins returns the identities and groups that administer a project, for its document.
func (d *Directory) ProjectAdmins(p Project) ([]Identity, []Group) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var people []Identity
	for _, id := range p.AdminIDs {
		if i, ok := d.identities[id]; ok {
			people = append(people, i)
		}
	}
	var groups []Group
	for _, id := range p.AdminGroupIDs {
		if g, ok := d.groups[id]; ok {
			groups = append(groups, cloneGroup(g))
		}
	}
	return people, groups
}

// adminOfLocked reports whether the caller administers a policy: through its project when the
// directory knows the project, else as its creator.
func (d *Directory) adminOfLocked(p Policy, c Caller) bool {
	if proj, ok := d.projects[p.ProjectID]; ok {
		return proj.administers(c)
	}
	return slices.ContainsFunc(c.IdentitySet, func(i Identity) bool { return slices.Contains(p.Admins, i.ID) })
}

// mayPlaceLocked refuses to put a policy in a project the directory knows unless the caller
// administers it (403: the caller named the project, so hiding it would only mislead).
func (d *Directory) mayPlaceLocked(projectID string, c Caller) error {
	if proj, ok := d.projects[projectID]; ok && !proj.administers(c) {
		return apierr.New(apierr.Forbidden, "FORBIDDEN", "You are not an administrator of project %s", projectID)
	}
	return nil
}
