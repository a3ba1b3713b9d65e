// Package exactjson decodes JSON with field names that match exactly. encoding/json matches an
// object key to a struct field case-insensitively when no field has the exact name, so
// {"Label": ...} would set a field tagged "label" past every check the contract makes on
// "label". The Globus services match names exactly: a key that differs from a field only by
// case is an unknown field, ignored by a lenient decode and refused by a strict one.
//
// Decode walks the JSON alongside the target type (struct fields by their json names, embedded
// structs included; maps, slices, arrays and pointers; it stops at json.Unmarshaler and
// encoding.TextUnmarshaler types and at interfaces, whose keys Go code reads exactly) without
// decoding it, and drops the keys that match a field only case-insensitively. Only when it drops
// one is a new document made, of the kept members' bytes; otherwise the input is decoded as is.
package exactjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
)

// Options are the encoding/json decoder settings a caller uses.
type Options struct {
	UseNumber             bool // numbers decode into interfaces as json.Number
	DisallowUnknownFields bool // an unknown key, one that matches a field only by case included, is an error
}

// Decode reads one JSON value from data into v, which must be a non-nil pointer, with field
// names that match exactly; keys that match a field only by case are dropped.
func Decode(data []byte, v any) error { return Options{}.Decode(data, v) }

// Decode reads one JSON value from data into v with exact field names and these options.
// Anything but white space after the value is an error.
func (o Options) Decode(data []byte, v any) error {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		out, err := exact(data, rv.Type().Elem(), o.DisallowUnknownFields)
		if err != nil {
			return err
		}
		data = out
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if o.UseNumber {
		dec.UseNumber()
	}
	if o.DisallowUnknownFields {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("json: invalid data after the top-level value")
	}
	return nil
}

// exact returns data without the keys that match a field of t only by case (the same slice
// when there are none). Data that is not valid JSON is returned as it is: decoding it reports
// the error.
func exact(data []byte, t reflect.Type, strict bool) ([]byte, error) {
	if !walked(t) {
		return data, nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		fs := fieldsOf(t)
		return rewrite(data, '{', strict, func(key []byte) (reflect.Type, bool, error) {
			if ft, ok := fs.byName[string(key)]; ok {
				return ft, true, nil
			}
			if !fs.folds(string(key)) {
				return nil, true, nil // unknown: the decoder ignores or refuses it
			}
			if strict {
				return nil, false, fmt.Errorf("json: unknown field %q", key)
			}
			return nil, false, nil
		})
	case reflect.Map:
		return rewrite(data, '{', strict, func([]byte) (reflect.Type, bool, error) { return t.Elem(), true, nil })
	case reflect.Slice, reflect.Array:
		return rewrite(data, '[', strict, func([]byte) (reflect.Type, bool, error) { return t.Elem(), true, nil })
	}
	return data, nil
}

// rewrite goes through the members of an object (open '{') or the elements of an array ('[')
// without decoding them. member says, for each key (nil in an array), the type its value
// decodes into (nil: leave the value as it is) and whether to keep it. The result is data
// itself unless a member was dropped or a value rewritten; then the kept members are spliced.
func rewrite(data []byte, open byte, strict bool, member func(key []byte) (reflect.Type, bool, error)) ([]byte, error) {
	closer := byte('}')
	if open == '[' {
		closer = ']'
	}
	sc := scanner{data: data}
	if sc.space(); !sc.take(open) {
		return data, nil
	}
	if sc.space(); sc.take(closer) {
		return data, nil
	}
	var out []byte // nil while nothing has changed
	first, last, kept := sc.i, sc.i, 0
	for {
		sc.space()
		begin := sc.i
		var key []byte
		if open == '{' {
			var ok bool
			if key, ok = sc.key(); !ok {
				return data, nil
			}
			if sc.space(); !sc.take(':') {
				return data, nil
			}
			sc.space()
		}
		at := sc.i
		if !sc.value() {
			return data, nil
		}
		value := data[at:sc.i]
		ft, keep, err := member(key)
		if err != nil {
			return nil, err
		}
		rewritten := value
		if keep && ft != nil {
			if rewritten, err = exact(value, ft, strict); err != nil {
				return nil, err
			}
		}
		if out == nil && keep && sameSlice(rewritten, value) {
			last = sc.i
			kept++
		} else {
			if out == nil {
				// Every member so far is kept as it is: copy them in one piece.
				out = append(append(make([]byte, 0, len(data)), open), data[first:last]...)
			}
			if keep {
				if kept > 0 {
					out = append(out, ',')
				}
				out = append(append(out, data[begin:at]...), rewritten...)
				kept++
			}
		}
		if sc.space(); sc.take(',') {
			continue
		}
		if !sc.take(closer) {
			return data, nil
		}
		break
	}
	if out == nil {
		return data, nil
	}
	return append(out, closer), nil
}

// sameSlice reports whether exact returned its input unchanged.
func sameSlice(a, b []byte) bool { return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) }

// scanner reads JSON just enough to find keys and the extent of values; it does not check
// what decoding checks later.
type scanner struct {
	data []byte
	i    int
}

func (sc *scanner) space() {
	for sc.i < len(sc.data) {
		switch sc.data[sc.i] {
		case ' ', '\t', '\r', '\n':
			sc.i++
		default:
			return
		}
	}
}

func (sc *scanner) take(c byte) bool {
	if sc.i < len(sc.data) && sc.data[sc.i] == c {
		sc.i++
		return true
	}
	return false
}

// str skips a string and reports whether it holds an escape.
func (sc *scanner) str() (escaped, ok bool) {
	if !sc.take('"') {
		return false, false
	}
	for sc.i < len(sc.data) {
		switch sc.data[sc.i] {
		case '"':
			sc.i++
			return escaped, true
		case '\\':
			escaped = true
			sc.i++
		}
		sc.i++
	}
	return false, false
}

// key reads an object key, unescaped as the decoder compares it.
func (sc *scanner) key() ([]byte, bool) {
	at := sc.i
	escaped, ok := sc.str()
	if !ok {
		return nil, false
	}
	if !escaped {
		return sc.data[at+1 : sc.i-1], true
	}
	var k string
	if json.Unmarshal(sc.data[at:sc.i], &k) != nil {
		return nil, false
	}
	return []byte(k), true
}

// value skips one value: a string, an object or array (nesting counted), or a literal.
func (sc *scanner) value() bool {
	if sc.i >= len(sc.data) {
		return false
	}
	switch sc.data[sc.i] {
	case '"':
		_, ok := sc.str()
		return ok
	case '{', '[':
		depth := 0
		for sc.i < len(sc.data) {
			switch sc.data[sc.i] {
			case '"':
				if _, ok := sc.str(); !ok {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			sc.i++
			if depth == 0 {
				return true
			}
		}
		return false
	}
	at := sc.i
	for sc.i < len(sc.data) {
		switch sc.data[sc.i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return sc.i > at
		}
		sc.i++
	}
	return sc.i > at
}

// fields are the JSON names of a struct's fields, as encoding/json finds them.
type fields struct {
	byName map[string]reflect.Type
	names  []string
}

// folds reports whether key matches a field name case-insensitively (encoding/json's folding
// is bytes.EqualFold).
func (fs fields) folds(key string) bool {
	for _, n := range fs.names {
		if strings.EqualFold(n, key) {
			return true
		}
	}
	return false
}

var (
	fieldCache sync.Map // reflect.Type -> fields
	walkCache  sync.Map // reflect.Type -> bool
)

// fieldsOf lists a struct's fields level by level, as encoding/json does: untagged embedded
// structs lend their fields, and a name found at a shallower level wins.
func fieldsOf(t reflect.Type) fields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(fields)
	}
	fs := fields{byName: map[string]reflect.Type{}}
	level := []reflect.Type{t}
	seen := map[reflect.Type]bool{}
	for len(level) > 0 {
		var next []reflect.Type
		found := map[string]reflect.Type{}
		for _, st := range level {
			if seen[st] {
				continue
			}
			seen[st] = true
			for i := range st.NumField() {
				sf := st.Field(i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if (!sf.IsExported() && !sf.Anonymous) || (sf.Anonymous && !sf.IsExported() && ft.Kind() != reflect.Struct) {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, ft)
					continue
				}
				if name == "" {
					name = sf.Name
				}
				if _, taken := fs.byName[name]; !taken {
					found[name] = sf.Type
				}
			}
		}
		for name, ft := range found {
			fs.byName[name] = ft
			fs.names = append(fs.names, name)
		}
		level = next
	}
	fieldCache.Store(t, fs)
	return fs
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// walked reports whether values of t can hold a struct whose keys encoding/json would match
// by case: only those are walked.
func walked(t reflect.Type) bool {
	if w, ok := walkCache.Load(t); ok {
		return w.(bool)
	}
	walkCache.Store(t, true) // a recursive type is walked while its answer is computed
	w := computeWalked(t)
	walkCache.Store(t, w)
	return w
}

func computeWalked(t reflect.Type) bool {
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) ||
		t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Array:
		return walked(t.Elem())
	case reflect.Struct:
		return true
	}
	return false
}
