package mockserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/globus-conformance/kit/mockserver/world"
)

// StateFile keeps a server's state across restarts for people who use the standalone mock during
// development: the state is read at start and written at an interval and on shutdown, each time
// to a temporary file in the same directory that is then renamed over the old one, so a crash
// never leaves half a file.
type StateFile struct {
	Path string
}

// Check refuses, before the mock serves, a path it could not save to (a missing or read-only
// directory, a directory as the file): otherwise the state would be lost at the first save.
func (f StateFile) Check() error {
	if fi, err := os.Stat(f.Path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory: name a file in it", f.Path)
	}
	dir := filepath.Dir(f.Path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the directory %s does not exist: create it first", dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	probe, err := os.CreateTemp(dir, "."+filepath.Base(f.Path)+".*")
	if err != nil {
		return fmt.Errorf("the directory %s is not writable: %w", dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// Load reads the saved world; ok is false when there is no file yet. A file that is not a world
// is refused with an error that says so, and is left as it is.
func (f StateFile) Load() (w world.World, ok bool, err error) {
	data, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return world.World{}, false, nil
	}
	if err != nil {
		return world.World{}, false, err
	}
	if w, err = world.Parse(data); err == nil {
		w, err = w.Prepare(time.Now())
	}
	if err != nil {
		return world.World{}, false, fmt.Errorf("the state file %s is not a saved state (%v); it was left untouched: fix it, or move it away to start afresh", f.Path, err)
	}
	return w, true, nil
}

// Save writes the server's state atomically.
func (f StateFile) Save(s *Server) error {
	s.Settle()
	data, err := world.Encode(s.Dump())
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), "."+filepath.Base(f.Path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone already after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.Path)
}

// Keep saves the state every interval until ctx ends, then once more. Failures go to the log;
// the last one is returned.
func (f StateFile) Keep(ctx context.Context, s *Server, interval time.Duration) error {
	var last error
	save := func() {
		if err := f.Save(s); err != nil {
			s.log.Error("saving the state failed", "file", f.Path, "error", err)
			last = err
		}
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			save()
		case <-ctx.Done():
			save()
			return last
		}
	}
}
