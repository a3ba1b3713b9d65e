package steps

import (
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
	for _, r := range slices.Backward(s.created) {
		tok, err := s.token(r.who)
		if err != nil {
			continue
		}
		for _, c := range r.calls {
			method, path, _ := strings.Cut(c, " ")
			s.expect.Request(method, path).WithHeader("Authorization", "Bearer "+tok).Expect()
			_ = s.report.take()
		}
	}
	s.created = nil
}
