// Package ids makes the identifiers the mock hands out.
package ids

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"slices"
	"strings"
)

// UUID returns a random (version 4) UUID in the lowercase hyphenated form the services use.
func UUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return format(b, 4)
}

// NameUUID returns the name-based (version 5, SHA-1) UUID of a name: ids the mock derives from
// others stay the same every time they are derived.
func NameUUID(name string) string {
	sum := sha1.Sum([]byte(name))
	var b [16]byte
	copy(b[:], sum[:16])
	return format(b, 5)
}

// format writes 16 bytes as a UUID of a version (RFC 9562 variant).
func format(b [16]byte, version byte) string {
	b[6] = (b[6] & 0x0f) | version<<4
	b[8] = (b[8] & 0x3f) | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	hex.Encode(out[9:13], b[4:6])
	hex.Encode(out[14:18], b[6:8])
	hex.Encode(out[19:23], b[8:10])
	hex.Encode(out[24:], b[10:])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
}

// Token returns an opaque random string for access tokens and debug ids.
func Token(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// IsUUID reports whether s is a hyphenated UUID.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// Index keys copies of items by their id: a store's content restored from a dump.
func Index[T any](items []T, id func(*T) string, copy func(*T) T) map[string]*T {
	m := make(map[string]*T, len(items))
	for i := range items {
		c := copy(&items[i])
		m[id(&c)] = &c
	}
	return m
}

// Sorted returns copies of a store's items ordered by id: a dump that reads the same each time.
func Sorted[T any](m map[string]*T, id func(*T) string, copy func(*T) T) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, copy(v))
	}
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(id(&a), id(&b)) })
	return out
}
