package jsonw

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// reference is what encoding/json writes, HTML escaping off, as the mock's answers are written.
func reference(t testing.TB, v any) (string, error) {
	t.Helper()
	b, err := Reflect(nil, v)
	return string(b), err
}

func TestValueMatchesEncodingJSON(t *testing.T) {
	type other struct {
		A string `json:"a"`
	}
	cases := map[string]any{
		"nil":                 nil,
		"plain string":        "hello",
		"escapes":             "q\"b\\s/\b\f\n\r\t\x00\x01\x1f\x7f<>&",
		"invalid utf-8":       "a\xffb\xc3",
		"line separators":     "a\u2028b\u2029c",
		"multibyte":           "héllo wörld ☃ 𝄞",
		"integers":            []any{0, -1, int64(math.MaxInt64), int32(-7)},
		"floats":              []any{0.0, -0.0, 1.5, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, -2.5e-10, math.MaxFloat64, math.SmallestNonzeroFloat64},
		"float32":             []any{float32(1.1), float32(1e21), float32(1e-7)},
		"numbers as decoded":  []any{json.Number("1"), json.Number("-0.5e+10"), json.Number("12.0"), json.Number("")},
		"nested":              map[string]any{"b": []any{true, false, nil}, "a": map[string]any{"z": "1", "": "empty key", "é": 2.0}},
		"nil map and slices":  map[string]any{"m": map[string]any(nil), "s": []any(nil), "ss": []string(nil), "es": []string{}},
		"strings":             []string{"x", "y\n"},
		"unknown type":        other{A: "<b>"},
		"keys needing escape": map[string]any{"a\"b": 1.0, "<k>": 2.0, "\u2028": 3.0},
	}
	for name, v := range cases {
		t.Run(name, func(t *testing.T) {
			want, werr := reference(t, v)
			got, err := Value(nil, v)
			if (err != nil) != (werr != nil) {
				t.Fatalf("error %v, encoding/json's %v", err, werr)
			}
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("differs from encoding/json (-want +got):\n%s", diff)
			}
		})
	}
}

// appender writes itself as encoding/json would write it.
type appender struct{ S string }

func (a appender) AppendJSON(b []byte) ([]byte, error) {
	return append(String(append(b, `{"S":`...), a.S), '}'), nil
}

func TestValueRefusesWhatEncodingJSONRefuses(t *testing.T) {
	for _, v := range []any{math.NaN(), math.Inf(1), []any{1.0, math.Inf(-1)}, json.Number("1.2.3"), json.Number("01")} {
		if _, err := Value(nil, v); err == nil {
			t.Errorf("Value(%v) wrote it; encoding/json refuses it", v)
		}
		if _, err := reference(t, v); err == nil {
			t.Errorf("encoding/json wrote %v; the test's premise is wrong", v)
		}
	}
}

func TestSizeIsTheEncodedLength(t *testing.T) {
	v := map[string]any{"a": []any{"x\n", 1.5, map[string]any{"b": nil}}}
	want, _ := reference(t, v)
	got, err := Size(v)
	if err != nil || got != len(want) {
		t.Errorf("Size = %d, %v; want %d", got, err, len(want))
	}
}

// FuzzValue decodes arbitrary JSON (with and without exact numbers) and checks that writing it
// back gives what encoding/json gives.
func FuzzValue(f *testing.F) {
	for _, seed := range []string{`{"a": [1, 2.5, "x"], "b": {"c": null, "d": true}}`, `"\u2028<&>\ud800"`, `[1e-7, 1e21, -0]`, `{"é": "\u0000"}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, exact := range []bool{false, true} {
			dec := json.NewDecoder(bytes.NewReader(data))
			if exact {
				dec.UseNumber()
			}
			var v any
			if dec.Decode(&v) != nil {
				return
			}
			want, werr := reference(t, v)
			got, err := Value(nil, v)
			if (err != nil) != (werr != nil) {
				t.Fatalf("error %v, encoding/json's %v", err, werr)
			}
			if string(got) != want {
				t.Fatalf("differs from encoding/json:\n got %s\nwant %s", got, want)
			}
		}
	})
}

// FuzzString checks string escaping on any bytes, valid UTF-8 or not.
func FuzzString(f *testing.F) {
	for _, seed := range []string{"plain", "\x00\x1f\"\\", "\xff\xfe", "\u2028\u2029", "<script>&"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := reference(t, s)
		if got := String(nil, s); string(got) != want {
			t.Fatalf("String(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

func TestSpecial8FindsEveryByteThatNeedsCare(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := range 8 {
			s := []byte("abcdefgh")
			s[pos] = byte(c)
			careful := c < 0x20 || c == '"' || c == '\\' || c >= 0x80
			if careful && !special8(binary.LittleEndian.Uint64(s)) {
				t.Errorf("special8 misses byte %#x at %d", c, pos)
			}
			if !careful && special8(binary.LittleEndian.Uint64(s)) {
				t.Errorf("special8 flags plain byte %#x at %d", c, pos)
			}
		}
	}
}

func BenchmarkString(b *testing.B) {
	s := "https://auth.globus.org/scopes/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f/flow_6f1c2d8e_3b1a_4f5e_9c2d_1a2b3c4d5e6f_user"
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf = String(buf[:0], s)
	}
}
