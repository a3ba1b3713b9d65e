// Package jsonw appends JSON to byte slices without reflection, byte for byte as encoding/json
// writes it with HTML escaping off (the mock's answers, like the real services', keep <, > and &).
// The mock's busiest answers (flow and run documents, pages of them) are written with it: encoding
// them through reflection was more than half the cost of a flow listing. Anything this package does
// not know is handed to encoding/json, so the output never differs; the tests compare the two.
package jsonw

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Appender is a document that writes its own JSON.
type Appender interface {
	AppendJSON(b []byte) ([]byte, error)
}

const hex = "0123456789abcdef"

// plain marks the ASCII bytes written as they are.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// String appends s as a JSON string: invalid UTF-8 becomes U+FFFD, U+2028 and U+2029 are escaped
// (as encoding/json does for JSONP), <, > and & are not.
func String(b []byte, s string) []byte {
	b = append(b, '"')
	i := 0
	// The string's bytes, read in place (never written), eight at a time.
	bytes8 := unsafe.Slice(unsafe.StringData(s), len(s))
	for i+8 <= len(bytes8) && !special8(binary.LittleEndian.Uint64(bytes8[i:])) {
		i += 8
	}
	for i < len(s) && s[i] < utf8.RuneSelf && plain[s[i]] {
		i++
	}
	if i == len(s) { // the common case: nothing to escape
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// special8 reports whether any of eight bytes may need escaping: a control character, a quote, a
// backslash or a byte of a multi-byte character. It looks at the eight at once (a false alarm only
// sends the bytes through the careful loop).
func special8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	control := (x - 0x20*ones) & ^x & highs
	q := x ^ ('"' * ones)
	quote := (q - ones) & ^q & highs
	bs := x ^ ('\\' * ones)
	backslash := (bs - ones) & ^bs & highs
	return control|quote|backslash|x&highs != 0
}

// Strings appends a list of strings; nil is null, as encoding/json writes a nil slice.
func Strings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = String(b, s)
	}
	return append(b, ']')
}

// OptionalString appends a string, or null for none.
func OptionalString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return String(b, *s)
}

// Key appends an object key and its colon, preceded by a comma unless it is the object's first.
func Key(b []byte, name string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = String(b, name)
	return append(b, ':')
}

// Bool appends true or false.
func Bool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// Int appends an integer.
func Int(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// Float appends a float64 as encoding/json does: shortest form, exponent only for very small or
// very large magnitudes. NaN and infinities are not JSON and are refused.
func Float(b []byte, f float64) ([]byte, error) { return float(b, f, 64) }

func float(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, bits)}
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// e-09 becomes e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// Value appends a JSON value as decoded by encoding/json (maps with sorted keys, slices, strings,
// numbers, booleans, nil), and anything else through encoding/json itself.
func Value(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return String(b, x), nil
	case bool:
		return Bool(b, x), nil
	case float64:
		return Float(b, x)
	case float32:
		return float(b, float64(x), 32)
	case int:
		return Int(b, int64(x)), nil
	case int64:
		return Int(b, x), nil
	case int32:
		return Int(b, int64(x)), nil
	case json.Number:
		if x == "" {
			return append(b, '0'), nil
		}
		if isNumber(x) {
			return append(b, x...), nil
		}
	case map[string]any:
		if x == nil {
			return append(b, "null"...), nil
		}
		return object(b, x)
	case []any:
		return list(b, x, Value)
	case []string:
		return Strings(b, x), nil
	case Appender:
		if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return append(b, "null"...), nil // as encoding/json writes a nil pointer
		}
		return x.AppendJSON(b)
	}
	return Reflect(b, v)
}

// List appends a list of documents that write themselves; nil is null, as encoding/json writes a
// nil slice.
func List[D Appender](b []byte, docs []D) ([]byte, error) {
	return list(b, docs, func(b []byte, d D) ([]byte, error) { return d.AppendJSON(b) })
}

// list appends the elements of a list, each written by write; nil is null.
func list[T any](b []byte, xs []T, write func([]byte, T) ([]byte, error)) ([]byte, error) {
	if xs == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	var err error
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = write(b, x); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

func object(b []byte, m map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	var err error
	for i, k := range keys {
		b = Key(b, k, i == 0)
		if b, err = Value(b, m[k]); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// Reflect appends v as encoding/json writes it through reflection, HTML escaping off: what this
// package does not know goes through it, and tests compare the package's output with it.
func Reflect(b []byte, v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return b, err
	}
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...), nil
}

// isNumber reports whether s is a JSON number (what encoding/json requires of a json.Number).
func isNumber(s json.Number) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i == len(s)
}

var buffers = sync.Pool{New: func() any { return new([]byte) }}

// Size is the length of v's JSON encoding (what a size limit on a run's state counts), measured in
// a reused buffer.
func Size(v any) (int, error) {
	p := buffers.Get().(*[]byte)
	b, err := Value((*p)[:0], v)
	n := len(b)
	if cap(b) <= 1<<20 {
		*p = b[:0]
		buffers.Put(p)
	}
	return n, err
}
