package listing

import "slices"

// Index keeps each owner's items in a listing's default order, updated on every change, so the
// default listing (the caller's own items, newest first) pages through a slice instead of
// scanning and sorting the whole store: its cost does not grow with the store.
//
// Items are kept oldest first (key ascending) so that new items append at the end; Page reads
// from the end. key compares two items by the listing's sort key, ties broken by id the other way
// round, so reading backwards gives "key DESC, id ASC" exactly as Sort does for a DESC criterion.
type Index[T any] struct {
	owners map[string][]T
	key    func(a, b T) int // the order oldest first
	same   func(a, b T) bool
}

// NewIndex returns an empty index ordered by key; same tells two versions of an item apart.
func NewIndex[T any](key func(a, b T) int, same func(a, b T) bool) *Index[T] {
	return &Index[T]{owners: map[string][]T{}, key: key, same: same}
}

// Add files an item under its owner.
func (x *Index[T]) Add(owner string, item T) {
	list := x.owners[owner]
	i, _ := slices.BinarySearchFunc(list, item, x.key)
	x.owners[owner] = slices.Insert(list, i, item)
}

// Remove takes an item (as it was filed) out.
func (x *Index[T]) Remove(owner string, item T) {
	list := x.owners[owner]
	i, _ := slices.BinarySearchFunc(list, item, x.key)
	for j := i; j < len(list) && x.key(list[j], item) == 0; j++ {
		if x.same(list[j], item) {
			x.owners[owner] = slices.Delete(list, j, j+1)
			return
		}
	}
	// Not where its key says: find it anyway, so the index never keeps a stale item.
	if j := slices.IndexFunc(list, func(o T) bool { return x.same(o, item) }); j >= 0 {
		x.owners[owner] = slices.Delete(list, j, j+1)
	}
}

// Len is how many items an owner has.
func (x *Index[T]) Len(owner string) int { return len(x.owners[owner]) }

// Page returns an owner's items newest first from offset, at most n.
func (x *Index[T]) Page(owner string, offset, n int) []T {
	list := x.owners[owner]
	var out []T
	for i := len(list) - 1 - offset; i >= 0 && len(out) < n; i-- {
		out = append(out, list[i])
	}
	return out
}

// Build replaces the content with items filed under their owners, sorting once (adding a
// million items one by one would move the slices a million times).
func (x *Index[T]) Build(items []T, owner func(T) string) {
	x.owners = map[string][]T{}
	for _, it := range items {
		x.owners[owner(it)] = append(x.owners[owner(it)], it)
	}
	for _, list := range x.owners {
		slices.SortFunc(list, x.key)
	}
}
