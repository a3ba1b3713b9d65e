package transfer

import (
	"math"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
)

// Each collection holds an in-memory file tree that the Transfer action providers (ls, stat,
// mkdir, delete, transfer) act on, under the collection's access rules and roles. Paths are
// absolute; "/~/" is the collection's root; a directory listing shows direct children.

// File is a file or directory of a collection.
type File struct {
	Path     string    `json:"path"`
	Type     string    `json:"type"` // "file" or "dir"
	Size     int64     `json:"size"`
	Modified time.Time `json:"last_modified"`
}

// Name is the last component of the path.
func (f File) Name() string { return path.Base(f.Path) }

// CleanPath makes a path canonical: absolute, no trailing slash (but "/"), "/~/" as the root.
func CleanPath(p string) (string, error) {
	if !strings.HasPrefix(p, "/") {
		return "", apierr.New(apierr.BadRequest, "ClientError.BadRequest", "Path '%s' must be absolute", p)
	}
	c := path.Clean(p)
	// "~" at the top is the home directory, which is the collection's root here, so a top-level
	// directory named "~" cannot exist: every leading "/~" goes.
	for c == "/~" || strings.HasPrefix(c, "/~/") {
		c = path.Clean("/" + strings.TrimPrefix(c, "/~"))
	}
	return c, nil
}

func notFoundPath(p string) error {
	return apierr.New(apierr.NotFound, "ClientError.NotFound", "Path '%s' not found", p)
}

// findLocked returns the entry at a clean path; "/" is always a directory.
func (c *Collection) findLocked(p string) (File, bool) {
	if p == "/" {
		return File{Path: "/", Type: "dir"}, true
	}
	i := slices.IndexFunc(c.Files, func(f File) bool { return f.Path == p })
	if i < 0 {
		return File{}, false
	}
	return c.Files[i], true
}

// access checks that the caller may read (or write) a path of a collection.
func (s *Collections) accessLocked(c *Collection, w Who, p string, write bool) error {
	roles := s.effectiveLocked(c, w, 0)
	if hasAny(roles, Administrator, AccessManager) {
		return nil
	}
	dir := p
	if !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	now := s.now()
	read, wr := false, false
	for _, r := range c.Rules {
		if r.live(now) && w.matches(r.PrincipalType, r.Principal) && strings.HasPrefix(dir, r.Path) {
			read = true
			wr = wr || r.Permissions == "rw"
		}
	}
	if (write && !wr) || !read {
		what := "read"
		if write {
			what = "write"
		}
		return apierr.New(apierr.Forbidden, "PermissionDenied", "No %s permission on path '%s' of endpoint %s", what, p, c.ID)
	}
	return nil
}

// fileOp finds a collection and checks access to a path.
func (s *Collections) fileOpLocked(id string, w Who, p string, write bool) (*Collection, string, error) {
	c, ok := s.byID[id]
	if !ok {
		return nil, "", endpointNotFound(id)
	}
	clean, err := CleanPath(p)
	if err != nil {
		return nil, "", err
	}
	if err := s.accessLocked(c, w, clean, write); err != nil {
		return nil, "", err
	}
	return c, clean, nil
}

// Stat returns the entry at a path.
func (s *Collections) Stat(id string, w Who, p string) (File, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, clean, err := s.fileOpLocked(id, w, p, false)
	if err != nil {
		return File{}, err
	}
	f, ok := c.findLocked(clean)
	if !ok {
		return File{}, notFoundPath(p)
	}
	return f, nil
}

// List returns the direct children of a directory, by name.
func (s *Collections) List(id string, w Who, p string) ([]File, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, clean, err := s.fileOpLocked(id, w, p, false)
	if err != nil {
		return nil, err
	}
	f, ok := c.findLocked(clean)
	if !ok {
		return nil, notFoundPath(p)
	}
	if f.Type != "dir" {
		return nil, apierr.New(apierr.BadRequest, "ClientError.BadRequest", "Path '%s' is not a directory", p)
	}
	var out []File
	for _, e := range c.Files {
		if path.Dir(e.Path) == clean && e.Path != clean {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Path < out[b].Path })
	return out, nil
}

// Mkdir creates a directory whose parent exists.
func (s *Collections) Mkdir(id string, w Who, p string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, clean, err := s.fileOpLocked(id, w, p, true)
	if err != nil {
		return err
	}
	if _, ok := c.findLocked(clean); ok {
		return apierr.New(apierr.Conflict, "ExternalError.MkdirFailed.Exists", "Path '%s' already exists", p)
	}
	if parent, ok := c.findLocked(path.Dir(clean)); !ok || parent.Type != "dir" {
		return notFoundPath(path.Dir(clean))
	}
	c.Files = append(slices.Clone(c.Files), File{Path: clean, Type: "dir", Modified: s.now()})
	return nil
}

// Delete removes paths; a non-empty directory needs recursive.
func (s *Collections) Delete(id string, w Who, paths []string, recursive bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	files := slices.Clone(s.byIDFilesLocked(id))
	for _, p := range paths {
		c, clean, err := s.fileOpLocked(id, w, p, true)
		if err != nil {
			return err
		}
		f, ok := c.findLocked(clean)
		if !ok || clean == "/" {
			return notFoundPath(p)
		}
		inside := func(e File) bool { return e.Path == clean || strings.HasPrefix(e.Path, clean+"/") }
		if f.Type == "dir" && !recursive && slices.ContainsFunc(files, func(e File) bool { return strings.HasPrefix(e.Path, clean+"/") }) {
			return apierr.New(apierr.Conflict, "ExternalError.DeleteFailed", "Directory '%s' is not empty and recursive is false", p)
		}
		files = slices.DeleteFunc(files, inside)
	}
	s.byID[id].Files = files
	return nil
}

func (s *Collections) byIDFilesLocked(id string) []File {
	if c, ok := s.byID[id]; ok {
		return c.Files
	}
	return nil
}

// Item is one source/destination pair of a transfer.
type Item struct {
	Source, Destination string
	Recursive           bool
}

// planned is a copy prepared by PlanCopy and applied by Copy.
type planned struct {
	files []File // destination entries to create or replace
}

// CopyPlan is a validated transfer: what it will write and how many bytes it moves.
type CopyPlan struct {
	Source, Destination string
	Bytes               int64
	Files               int
	plan                planned
}

// PlanCopy checks a transfer as the caller (read on the source, write on the destination) and
// computes what it will write. Nothing changes until Copy.
func (s *Collections) PlanCopy(src, dst string, w Who, items []Item) (CopyPlan, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	cp := CopyPlan{Source: src, Destination: dst}
	now := s.now()
	for _, it := range items {
		sc, sp, err := s.fileOpLocked(src, w, it.Source, false)
		if err != nil {
			return CopyPlan{}, err
		}
		dc, dp, err := s.fileOpLocked(dst, w, it.Destination, true)
		if err != nil {
			return CopyPlan{}, err
		}
		f, ok := sc.findLocked(sp)
		if !ok {
			return CopyPlan{}, notFoundPath(it.Source)
		}
		if parent, ok := dc.findLocked(path.Dir(dp)); dp != "/" && (!ok || parent.Type != "dir") {
			if _, planned := planDir(cp.plan.files, path.Dir(dp)); !planned {
				return CopyPlan{}, notFoundPath(path.Dir(dp))
			}
		}
		if f.Type == "file" {
			cp.plan.files = append(cp.plan.files, File{Path: dp, Type: "file", Size: f.Size, Modified: now})
			cp.Bytes = addBytes(cp.Bytes, f.Size)
			cp.Files++
			continue
		}
		if !it.Recursive {
			return CopyPlan{}, apierr.New(apierr.BadRequest, "ClientError.BadRequest", "Source '%s' is a directory: the item needs recursive", it.Source)
		}
		cp.plan.files = append(cp.plan.files, File{Path: dp, Type: "dir", Modified: now})
		for _, e := range sc.Files {
			if strings.HasPrefix(e.Path, sp+"/") || (sp == "/" && e.Path != "/") {
				rel := strings.TrimPrefix(strings.TrimPrefix(e.Path, sp), "/")
				cp.plan.files = append(cp.plan.files, File{Path: path.Join(dp, rel), Type: e.Type, Size: e.Size, Modified: now})
				if e.Type == "file" {
					cp.Bytes = addBytes(cp.Bytes, e.Size)
					cp.Files++
				}
			}
		}
	}
	return cp, nil
}

// addBytes adds a file's size to a transfer's, saturating: a transfer that large takes longer
// than any run lives anyway.
func addBytes(total, size int64) int64 {
	if size > 0 && total > math.MaxInt64-size {
		return math.MaxInt64
	}
	return total + size
}

// MaxFileSize bounds a file's size in a collection's tree (1 PiB).
const MaxFileSize = 1 << 50

func planDir(files []File, p string) (File, bool) {
	i := slices.IndexFunc(files, func(f File) bool { return f.Path == p && f.Type == "dir" })
	if i < 0 {
		return File{}, false
	}
	return files[i], true
}

// Copy applies a planned transfer: entries are created, files replaced.
func (s *Collections) Copy(cp CopyPlan) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.byID[cp.Destination]
	if !ok {
		return endpointNotFound(cp.Destination)
	}
	files := slices.Clone(c.Files)
	for _, f := range cp.plan.files {
		if f.Path == "/" {
			continue
		}
		if i := slices.IndexFunc(files, func(e File) bool { return e.Path == f.Path }); i >= 0 {
			if f.Type == "dir" && files[i].Type == "dir" {
				continue
			}
			files[i] = f
			continue
		}
		files = append(files, f)
	}
	sort.Slice(files, func(a, b int) bool { return files[a].Path < files[b].Path })
	c.Files = files
	return nil
}

// AddFiles seeds a collection's tree (control plane): parents are created as directories.
func (s *Collections) AddFiles(id string, files []File) ([]File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.byID[id]
	if !ok {
		return nil, endpointNotFound(id)
	}
	now := s.now()
	list := slices.Clone(c.Files)
	put := func(f File) {
		if i := slices.IndexFunc(list, func(e File) bool { return e.Path == f.Path }); i >= 0 {
			list[i] = f
		} else {
			list = append(list, f)
		}
	}
	for i, f := range files {
		clean, err := CleanPath(f.Path)
		if err != nil || clean == "/" {
			return nil, apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "invalid file path %q", f.Path)
		}
		if f.Type == "" {
			f.Type = "file"
		}
		if f.Type != "file" && f.Type != "dir" {
			return nil, apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "type must be file or dir")
		}
		if f.Size < 0 || f.Size > MaxFileSize {
			return nil, apierr.Located([]any{"files", i, "size"}, "size must be between 0 and %d bytes (1 PiB)", MaxFileSize)
		}
		if f.Modified.IsZero() {
			f.Modified = now
		}
		for d := path.Dir(clean); d != "/"; d = path.Dir(d) {
			if !slices.ContainsFunc(list, func(e File) bool { return e.Path == d }) {
				put(File{Path: d, Type: "dir", Modified: now})
			}
		}
		f.Path = clean
		put(f)
	}
	sort.Slice(list, func(a, b int) bool { return list[a].Path < list[b].Path })
	c.Files = list
	return slices.Clone(list), nil
}
