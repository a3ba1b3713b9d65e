package steps

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/cucumber/godog"
)

// Steps about Transfer collections, roles and ACL rules. Collections are named in the scenario
// ({collection:Name}); rules and roles made through steps are named too ({rule:Name}, {role:Name}).

var transferTimestamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$`)

var entityTypes = map[string]string{
	"guest": "GCSv5_guest_collection", "mapped": "GCSv5_mapped_collection",
	"GCP guest": "GCP_guest_collection", "GCP mapped": "GCP_mapped_collection",
}

func registerTransferSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^an? (guest|mapped|GCP guest|GCP mapped) collection "([^"]*)" owned by ((?:the |an? )?[\w-]+)$`, func(kind, name, owner string) error {
		return w(func(s *scenario) error { return s.addCollection(kind, name, owner, "") })
	})
	st(`^an? (guest|mapped|GCP guest|GCP mapped) collection "([^"]*)" owned by ((?:the |an? )?[\w-]+) on "([^"]*)"$`, func(kind, name, owner, host string) error {
		return w(func(s *scenario) error { return s.addCollection(kind, name, owner, host) })
	})
	st(`^((?:the |an? )?[\w-]+) has given ((?:the |an? )?[\w-]+) the role "([^"]*)" on "([^"]*)"$`, func(who, to, role, col string) error {
		return w(func(s *scenario) error {
			body := fmt.Sprintf(`{"DATA_TYPE": "role", "principal_type": "identity", "principal": "{%s.id}", "role": "%s"}`, to, role)
			// Named "<persona> <role>" ({role:bob activity_monitor}) whatever the cast calls them.
			return s.transferCreate(who, "role", s.persona(to)+" "+role, col, body, "id", s.roles, true)
		})
	})
	st(`^((?:the |an? )?[\w-]+) has created a rule "([^"]*)" on "([^"]*)" with:$`, func(who, name, col string, doc *godog.DocString) error {
		return w(func(s *scenario) error {
			return s.transferCreate(who, "access", name, col, doc.Content, "access_id", s.rules, true)
		})
	})
	st(`^((?:the |an? )?[\w-]+) creates a rule "([^"]*)" on "([^"]*)" with:$`, func(who, name, col string, doc *godog.DocString) error {
		return w(func(s *scenario) error {
			return s.transferCreate(who, "access", name, col, doc.Content, "access_id", s.rules, false)
		})
	})
	st(`^((?:the |an? )?[\w-]+) (may|may not) (read|write) "([^"]*)" on "([^"]*)"$`, func(who, verb, what, path, col string) error {
		return w(func(s *scenario) error { return s.checkAccess(who, verb == "may", what, path, col) })
	})
	st(`^the outbox has a message to "([^"]*)" that says "([^"]*)"$`, func(to, text string) error {
		return w(func(s *scenario) error { return s.outboxHas(to, text) })
	})
	st(`^the outbox is empty$`, func() error {
		return w(func(s *scenario) error { return s.outboxHas("", "") })
	})
	st(`^the next (\d+) requests? of "([^"]*)" fail with status (\d+)$`, func(n int, op string, status int) error {
		return w(func(s *scenario) error {
			return s.control(http.MethodPost, "/_mock/faults", map[string]any{"operation": op, "status": status, "times": n}, nil)
		})
	})
	st(`^((?:the |an? )?[\w-]+) has created (\d+) rules for ((?:the |an? )?[\w-]+) on "([^"]*)"$`, func(who string, n int, to, col string) error {
		return w(func(s *scenario) error {
			for i := range n {
				body := fmt.Sprintf(`{"principal_type": "identity", "principal": "{%s.id}", "path": "/bulk/%d/", "permissions": "r"}`, to, i)
				if err := s.transferCreate(who, "access", fmt.Sprintf("bulk%d", i), col, body, "access_id", s.rules, true); err != nil {
					return err
				}
			}
			return nil
		})
	})
	st(`^((?:the |an? )?[\w-]+) creates a rule "([^"]*)" on "([^"]*)" with a path of (\d+) "([^"]*)" characters$`, func(who, name, col string, n int, char string) error {
		return w(func(s *scenario) error {
			body := fmt.Sprintf(`{"principal_type": "identity", "principal": "{bob.id}", "path": "/%s/", "permissions": "r"}`, strings.Repeat(char, n))
			return s.transferCreate(who, "access", name, col, body, "access_id", s.rules, false)
		})
	})
	st(`^the response field "([^"]*)" matches the Transfer timestamp format$`, func(path string) error {
		return w(func(s *scenario) error {
			v, _ := lookup(s.last.doc, path)
			if str, ok := v.(string); !ok || !transferTimestamp.MatchString(str) {
				return fmt.Errorf("field %q = %v, want a timestamp like 2024-12-16T21:30:15+00:00", path, v)
			}
			return nil
		})
	})
	st(`^the collection "([^"]*)" holds:$`, func(col string, table *godog.Table) error {
		return w(func(s *scenario) error { return s.seedFiles(col, table) })
	})
	st(`^the collection "([^"]*)" (has|has no) "([^"]*)"$`, func(col, verb, path string) error {
		return w(func(s *scenario) error { return s.hasFile(col, path, verb == "has") })
	})
	st(`^the listed rules are "([^"]*)"$`, func(names string) error {
		return w(func(s *scenario) error { return s.listedRules(names) })
	})
}

func (s *scenario) addCollection(kind, name, owner, host string) error {
	if !s.target.ControlPlane() {
		return s.configuredCollection(kind, name, owner, host)
	}
	ownerID, err := s.identityID(owner)
	if err != nil {
		return err
	}
	in := map[string]any{"display_name": name, "entity_type": entityTypes[kind], "owner_id": ownerID}
	if host != "" {
		hostID, _, err := named("collection", s.collections, host)
		if err != nil {
			return err
		}
		in["host_endpoint_id"] = hostID
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := s.control(http.MethodPost, "/_mock/collections", in, &out); err != nil {
		return err
	}
	s.collections[name] = out.ID
	return nil
}

// configuredCollection binds a scenario's collection to one the target's config offers: of the
// kind, owned by the persona, on the named host, not yet used by the scenario. Without one the
// scenario needs the control plane.
func (s *scenario) configuredCollection(kind, name, owner, host string) error {
	hostID := ""
	if host != "" {
		var err error
		if hostID, _, err = named("collection", s.collections, host); err != nil {
			return err
		}
	}
	for _, c := range s.target.Collections() {
		used := slices.Contains(slices.Collect(maps.Values(s.collections)), c.ID)
		if c.Kind == kind && c.Owner == s.persona(owner) && (hostID == "" || c.Host == hostID) && !used {
			s.collections[name] = c.ID
			return nil
		}
	}
	return ErrNoControlPlane
}

// transferCreate posts a role or rule document to a named collection and names what it made.
func (s *scenario) transferCreate(who, resource, name, col, body, idField string, into map[string]string, must bool) error {
	if err := s.send(who, http.MethodPost, "/v0.10/endpoint/{collection:"+col+"}/"+resource, &body); err != nil {
		return err
	}
	if s.last.status == http.StatusCreated {
		id, _ := lookup(s.last.doc, idField)
		into[name] = fmt.Sprint(id)
		colID, _, _ := named("collection", s.collections, col)
		s.remember(who, fmt.Sprintf("DELETE /v0.10/endpoint/%s/%s/%v", colID, resource, id))
	} else if must {
		return fmt.Errorf("creating %s %q: status %d: %s", resource, name, s.last.status, truncate(s.last.body))
	}
	return nil
}

// checkAccess asks the control plane whether a persona (or "anonymous") may read or write a path.
func (s *scenario) checkAccess(who string, want bool, what, path, col string) error {
	colID, _, err := named("collection", s.collections, col)
	if err != nil {
		return err
	}
	q := url.Values{"path": {path}}
	if who != "anonymous" {
		id, err := s.identityID(who)
		if err != nil {
			return err
		}
		q.Set("identity_id", id)
	}
	var out map[string]bool
	if err := s.control(http.MethodGet, "/_mock/collections/"+colID+"/access?"+q.Encode(), nil, &out); err != nil {
		return err
	}
	if out[what] != want {
		return fmt.Errorf("%s may %s %s on %s: %v, want %v", who, what, path, col, out[what], want)
	}
	return nil
}

func (s *scenario) outboxHas(to, text string) error {
	var out struct {
		Messages []struct {
			To      string `json:"to"`
			Message string `json:"message"`
		} `json:"messages"`
	}
	if err := s.control(http.MethodGet, "/_mock/outbox", nil, &out); err != nil {
		return err
	}
	if to == "" {
		if len(out.Messages) > 0 {
			return fmt.Errorf("the outbox has %d messages", len(out.Messages))
		}
		return nil
	}
	for _, m := range out.Messages {
		if m.To == to && strings.Contains(m.Message, text) {
			return nil
		}
	}
	return fmt.Errorf("no message to %q saying %q in the outbox: %+v", to, text, out.Messages)
}

// listedRules compares the rules of the last access_list with named rules; implicit rules show
// as "implicit:<role_type>".
func (s *scenario) listedRules(names string) error {
	byID := map[string]string{}
	for n, id := range s.rules {
		byID[id] = n
	}
	data, _ := lookup(s.last.doc, "DATA")
	list, _ := data.([]any)
	var got []string
	for _, r := range list {
		id, _ := lookup(r, "id")
		if id == nil {
			rt, _ := lookup(r, "role_type")
			got = append(got, fmt.Sprintf("implicit:%v", rt))
			continue
		}
		n, ok := byID[fmt.Sprint(id)]
		if !ok {
			n = "?" + fmt.Sprint(id)
		}
		got = append(got, n)
	}
	if strings.Join(got, ", ") != strings.Join(splitList(names), ", ") {
		return fmt.Errorf("listed rules %q, want %q", got, splitList(names))
	}
	return nil
}

// seedFiles adds files (path | type | size) to a collection through the control plane.
func (s *scenario) seedFiles(col string, table *godog.Table) error {
	colID, _, err := named("collection", s.collections, col)
	if err != nil {
		return err
	}
	var files []map[string]any
	for i, row := range table.Rows {
		if i == 0 {
			continue
		}
		f := map[string]any{"path": row.Cells[0].Value, "type": row.Cells[1].Value}
		if len(row.Cells) > 2 && row.Cells[2].Value != "" {
			var size int64
			fmt.Sscan(row.Cells[2].Value, &size)
			f["size"] = size
		}
		files = append(files, f)
	}
	return s.control(http.MethodPost, "/_mock/collections/"+colID+"/files", map[string]any{"files": files}, nil)
}

// hasFile checks a collection's file tree through the control plane.
func (s *scenario) hasFile(col, path string, want bool) error {
	colID, _, err := named("collection", s.collections, col)
	if err != nil {
		return err
	}
	var out struct {
		Files []struct {
			Path string `json:"path"`
		} `json:"files"`
	}
	if err := s.control(http.MethodGet, "/_mock/collections/"+colID+"/files", nil, &out); err != nil {
		return err
	}
	var paths []string
	found := false
	for _, f := range out.Files {
		paths = append(paths, f.Path)
		found = found || f.Path == path
	}
	if found != want {
		return fmt.Errorf("collection %s: %q present = %v, want %v; files: %v", col, path, found, want, paths)
	}
	return nil
}
