package steps

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// Steps that compare two listings: what one query lists against what another lists.

func registerListingSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^((?:the |an? )?[\w-]+) gets the same listing from GET "([^"]*)" as from GET "([^"]*)"$`, func(who, path, baseline string) error {
		return w(func(s *scenario) error { return s.sameListing(who, path, baseline) })
	})
}

// listingKeys are the keys the Flows listings put their items under, and each item's identity.
var listingKeys = []struct{ key, idField string }{
	{"flows", "id"}, {"runs", "run_id"}, {"actions", "run_id"}, {"entries", "code"},
	{"web_input_summaries", "id"}, {"registered_apis", "id"},
}

// listingShape is what makes two pages the same listing: the items in order and the paging.
type listingShape struct {
	Items   []string
	Limit   any
	HasNext any
}

// sameListing lists with a baseline query and with another, and compares the two. The baseline
// must list something, or the comparison would show nothing.
func (s *scenario) sameListing(who, path, baseline string) error {
	want, err := s.listingOf(who, baseline)
	if err != nil {
		return err
	}
	if len(want.Items) == 0 {
		return fmt.Errorf("GET %s lists nothing, so it cannot show what GET %s lists", baseline, path)
	}
	got, err := s.listingOf(who, path)
	if err != nil {
		return err
	}
	if diff := cmp.Diff(want, got); diff != "" {
		return fmt.Errorf("GET %s lists differently from GET %s (-want +got):\n%s", path, baseline, diff)
	}
	return nil
}

// listingOf sends a listing request and reduces its answer to its shape.
func (s *scenario) listingOf(who, path string) (listingShape, error) {
	if err := s.send(who, http.MethodGet, path, nil); err != nil {
		return listingShape{}, err
	}
	if s.last.status != http.StatusOK {
		return listingShape{}, fmt.Errorf("GET %s answered %d: %s", path, s.last.status, truncate(s.last.body))
	}
	shape := listingShape{}
	shape.Limit, _ = lookup(s.last.doc, "limit")
	shape.HasNext, _ = lookup(s.last.doc, "has_next_page")
	for _, k := range listingKeys {
		v, _ := lookup(s.last.doc, k.key)
		list, _ := v.([]any)
		for _, item := range list {
			id, _ := lookup(item, k.idField)
			name := fmt.Sprintf("%s:%v", k.key, id)
			if at, ok := lookup(item, "time"); ok {
				name += fmt.Sprintf("@%v", at) // log entries: the code and the time tell them apart
			}
			shape.Items = append(shape.Items, name)
		}
	}
	return shape, nil
}

// registerPagingSteps adds the steps that follow markers page by page and check orders.
func registerPagingSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^((?:the |an? )?[\w-]+) pages through GET "([^"]*)" and gets the same items as from GET "([^"]*)"$`, func(who, path, baseline string) error {
		return w(func(s *scenario) error { return s.pagedListing(who, path, baseline) })
	})
	st(`^the field "([^"]*)" of the listed (flow|run) "([^"]*)" is (null|\[\]|absent)$`, func(field, kind, name, want string) error {
		return w(func(s *scenario) error { return s.listedField(field, kind, name, want) })
	})
	st(`^the listed (\w+) are sorted by "([^"]*)" (ASC|DESC)$`, func(key, field, dir string) error {
		return w(func(s *scenario) error { return s.sortedBy(key, field, dir) })
	})
}

// maxPages bounds a walk through the pages of a listing whose markers never end.
const maxPages = 100

// pagedListing follows the markers from path to the last page and compares the items, in order,
// with what baseline lists on one page: a marker must keep every filter and the order.
func (s *scenario) pagedListing(who, path, baseline string) error {
	want, err := s.listingOf(who, baseline)
	if err != nil {
		return err
	}
	if len(want.Items) < 2 {
		return fmt.Errorf("GET %s lists %d items, too few to show paging", baseline, len(want.Items))
	}
	var got []string
	next := path
	for range maxPages {
		page, err := s.listingOf(who, next)
		if err != nil {
			return err
		}
		got = append(got, page.Items...)
		if page.HasNext != true {
			if diff := cmp.Diff(want.Items, got); diff != "" {
				return fmt.Errorf("the pages of GET %s differ from GET %s (-want +got):\n%s", path, baseline, diff)
			}
			return nil
		}
		marker, _ := lookup(s.last.doc, "marker")
		base, _, _ := strings.Cut(path, "?")
		next = base + "?marker=" + url.QueryEscape(fmt.Sprint(marker))
	}
	return fmt.Errorf("GET %s still has a next page after %d pages", path, maxPages)
}

// sortedBy checks that the items of the last listing are in order of a string field.
func (s *scenario) sortedBy(key, field, dir string) error {
	v, _ := lookup(s.last.doc, key)
	list, _ := v.([]any)
	if len(list) < 2 {
		return fmt.Errorf("%s lists %d items, too few to show an order", key, len(list))
	}
	var got []string
	for _, item := range list {
		f, _ := lookup(item, field)
		got = append(got, fmt.Sprint(f))
	}
	want := slices.Clone(got)
	slices.Sort(want)
	if dir == "DESC" {
		slices.Reverse(want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		return fmt.Errorf("%s not sorted by %s %s (-want +got):\n%s", key, field, dir, diff)
	}
	return nil
}

// listedField checks a field of one item of the last listing: a flow by its title, a run by its
// scenario name. The item must be listed: a redaction check on a missing item would show nothing.
func (s *scenario) listedField(field, kind, name, want string) error {
	key, idField, id := "flows", "title", name
	if kind == "run" {
		key, idField, id = "runs", "run_id", s.runs[name]
	}
	v, _ := lookup(s.last.doc, key)
	list, _ := v.([]any)
	for _, item := range list {
		if got, _ := lookup(item, idField); fmt.Sprint(got) != id {
			continue
		}
		got, present := lookup(item, field)
		switch {
		case want == "absent" && !present, want == "null" && present && got == nil:
			return nil
		case want == "[]" && present && fmt.Sprint(got) == "[]":
			return nil
		}
		return fmt.Errorf("the listed %s %q has %s = %v (present: %v), want %s", kind, name, field, got, present, want)
	}
	return fmt.Errorf("the %s %q is not listed: %s", kind, name, truncate(s.last.body))
}
