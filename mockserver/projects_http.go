package mockserver

import (
	"net/http"

	"github.com/globus-conformance/kit/mockserver/auth"
)

// projectDoc renders a project as Auth shows it: project_name repeats display_name, an empty
// administrator list is null, and admins expands both lists.
func (s *Server) projectDoc(p auth.Project) map[string]any {
	people, groups := s.dir.ProjectAdmins(p)
	identities := []map[string]any{}
	for _, i := range people {
		identities = append(identities, identityDoc(i))
	}
	groupDocs := []map[string]any{}
	for _, g := range groups {
		// The mock's groups have no description or organization: Groups shows those empty.
		groupDocs = append(groupDocs, map[string]any{"id": g.ID, "name": g.Name, "description": "", "organization": ""})
	}
	nullable := func(l []string) any {
		if len(l) == 0 {
			return nil
		}
		return l
	}
	return map[string]any{
		"id": p.ID, "display_name": p.DisplayName, "project_name": p.DisplayName, "contact_email": p.ContactEmail,
		"admin_ids": nullable(p.AdminIDs), "admin_group_ids": nullable(p.AdminGroupIDs),
		"admins": map[string]any{"identities": identities, "groups": groupDocs},
	}
}

func (s *Server) projectAnswer(p auth.Project, err error) (int, any, error) {
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"project": s.projectDoc(p)}, nil
}

func (s *Server) listProjects(c *call) (int, any, error) {
	list := []any{}
	for _, p := range s.dir.Projects(c.caller) {
		list = append(list, s.projectDoc(p))
	}
	return http.StatusOK, map[string]any{"projects": list}, nil
}

func (s *Server) createProject(c *call) (int, any, error) {
	in, err := wrapped[auth.ProjectInput](c, "project")
	if err != nil {
		return 0, nil, err
	}
	return s.projectAnswer(s.dir.CreateProject(in))
}

func (s *Server) getProject(c *call) (int, any, error) {
	return s.projectAnswer(s.dir.GetProject(c.caller, c.param("project_id")))
}

func (s *Server) updateProject(c *call) (int, any, error) {
	in, err := wrapped[auth.ProjectInput](c, "project")
	if err != nil {
		return 0, nil, err
	}
	return s.projectAnswer(s.dir.UpdateProject(c.caller, c.param("project_id"), in))
}

func (s *Server) deleteProject(c *call) (int, any, error) {
	return s.projectAnswer(s.dir.DeleteProject(c.caller, c.param("project_id")))
}
