package steps

import (
	"fmt"
	"net/http"
	"time"
)

// Worlds (POST /_mock/worlds): a role of the cast may work in a world of its own, the way a
// parallel test job does; its persona's token is then that world's, so every other step acts in
// that world. The worlds a scenario made are deleted after it, on every target.

// mockWorld is a world the scenario made: its id and its personas' tokens.
type mockWorld struct {
	ID     string            `json:"id"`
	Tokens map[string]string `json:"tokens"`
}

func registerWorldSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^((?:the |an? )?[\w-]+) works in a world "([^"]*)" of (?:his|her|their) own$`, func(who, name string) error {
		return w(func(s *scenario) error { return s.workIn(who, name) })
	})
	st(`^the world "([^"]*)" is (reset|deleted)$`, func(name, what string) error {
		return w(func(s *scenario) error {
			if what == "deleted" {
				return s.worldControl(name, http.MethodDelete, "", nil, nil)
			}
			return s.worldControl(name, http.MethodPost, "/reset", nil, nil)
		})
	})
	st(`^the world "([^"]*)" advances its clock by (\d+) seconds?$`, func(name string, seconds int) error {
		return w(func(s *scenario) error {
			return s.worldControl(name, http.MethodPost, "/clock/advance", map[string]any{"seconds": seconds}, nil)
		})
	})
	st(`^the clock of world "([^"]*)" is a day ahead of the clock of world "([^"]*)"$`, func(ahead, behind string) error {
		return w(func(s *scenario) error {
			a, err := s.worldClock(ahead)
			if err != nil {
				return err
			}
			b, err := s.worldClock(behind)
			if err != nil {
				return err
			}
			// wall time moves between the two readings; a minute is more than enough
			if d := a.Sub(b); d < 24*time.Hour-time.Minute || d > 24*time.Hour+time.Minute {
				return fmt.Errorf("world %s's clock is %v ahead of world %s's, want a day", ahead, d, behind)
			}
			return nil
		})
	})
}

// workIn binds a role to a world, making the world first if the scenario has not yet.
func (s *scenario) workIn(who, name string) error {
	role := roleOf(who)
	if _, ok := s.cast[role]; !ok {
		return fmt.Errorf("%q is not a role of the cast", who)
	}
	if _, ok := s.worlds[name]; !ok {
		var made mockWorld
		if err := s.control(http.MethodPost, "/_mock/worlds", nil, &made); err != nil {
			return err
		}
		s.worlds[name] = made
	}
	s.worldOf[role] = name
	return nil
}

// worldControl calls the control plane of a world the scenario made (sub: a path under
// /_mock/worlds/{id}, "" the world itself).
func (s *scenario) worldControl(name, method, sub string, in, out any) error {
	world, ok := s.worlds[name]
	if !ok {
		return fmt.Errorf("no world %q in this scenario", name)
	}
	return s.control(method, "/_mock/worlds/"+world.ID+sub, in, out)
}

// worldToken is the token of the persona playing a role that works in a world.
func (s *scenario) worldToken(who string) (string, bool) {
	role := roleOf(who)
	name, ok := s.worldOf[role]
	if !ok {
		return "", false
	}
	tok, ok := s.worlds[name].Tokens[s.cast[role]]
	return tok, ok
}

func (s *scenario) worldClock(name string) (time.Time, error) {
	var clock struct {
		Now time.Time `json:"now"`
	}
	err := s.worldControl(name, http.MethodGet, "/clock", nil, &clock)
	return clock.Now, err
}

// closeWorlds deletes the worlds the scenario made.
func (s *scenario) closeWorlds() {
	for _, world := range s.worlds {
		_ = s.control(http.MethodDelete, "/_mock/worlds/"+world.ID, nil, nil)
	}
	s.worlds = nil
}
