package steps

import (
	"net/http"
	"slices"
	"strings"
)

// Cleanup on shared targets (a real implementation or a staging deployment): what a scenario
// made through the public API is removed afterwards, newest first, by whoever made it: runs are
// canceled and released, rules, roles, flows and policies deleted. Failures are ignored: the
// scenario's verdict is already made, and what the scenario itself removed is simply gone.

type createdResource struct {
	who   string   // persona or named token that made it
	calls []string // "METHOD path" calls that remove it, in order
}

// remember records how to remove something the scenario made.
func (s *scenario) remember(who string, calls ...string) {
	s.created = append(s.created, createdResource{who: who, calls: calls})
}

func (s *scenario) cleanup() {
	for _, f := range slices.Backward(s.undo) {
		f()
	}
	s.undo = nil
	for _, r := range slices.Backward(s.created) {
		// Whoever made it first; if the scenario moved it out of their hands (an ownership
		// taken over), each other persona in turn.
		who := append([]string{r.who}, Personas...)
		for _, c := range r.calls {
			method, path, _ := strings.Cut(c, " ")
			for _, p := range who {
				tok, err := s.token(p)
				if err != nil {
					continue
				}
				raw := s.expect.Request(method, path).WithHeader("Authorization", "Bearer "+tok).Expect().Raw()
				_ = s.report.take()
				if raw == nil || (raw.StatusCode != http.StatusForbidden && raw.StatusCode != http.StatusNotFound) {
					break
				}
			}
		}
	}
	s.created = nil
}
