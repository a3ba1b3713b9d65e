package engine

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Run input validation (reference flows-api.md §7.1): the body of POST /flows/{id}/run and
// validate_run is checked against the flow's input_schema with a JSON Schema validator
// (santhosh-tekuri/jsonschema); each problem is reported with its location as a JSONPath and a
// message in the style of Python's jsonschema, which the real service uses.

var schemaCache sync.Map // schema JSON → *jsonschema.Schema

func compileSchema(schema map[string]any) (*jsonschema.Schema, error) {
	b, err := json.Marshal(schema)
	if err != nil {
		return nil, err
	}
	key := string(b)
	if v, ok := schemaCache.Load(key); ok {
		return v.(*jsonschema.Schema), nil
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(key))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("input_schema.json", doc); err != nil {
		return nil, fmt.Errorf("invalid JSON Schema: %v", err)
	}
	compiled, err := c.Compile("input_schema.json")
	if err != nil {
		return nil, fmt.Errorf("invalid JSON Schema: %v", err)
	}
	schemaCache.Store(key, compiled)
	return compiled, nil
}

// CheckInputSchema compiles an input schema; an invalid schema is refused when the flow is
// created, not when it is run.
func CheckInputSchema(schema map[string]any) error {
	_, err := compileSchema(schema)
	return err
}

var printer = message.NewPrinter(language.English)

// ValidateInput checks a run body against an input schema (nil or empty: anything goes).
func ValidateInput(schema map[string]any, body any) []apierr.FieldError {
	if len(schema) == 0 {
		return nil
	}
	compiled, err := compileSchema(schema)
	if err != nil {
		return []apierr.FieldError{{Loc: []any{"$"}, Msg: err.Error(), Type: "InvalidActionInput"}}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return []apierr.FieldError{{Loc: []any{"$"}, Msg: err.Error(), Type: "InvalidActionInput"}}
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		return []apierr.FieldError{{Loc: []any{"$"}, Msg: err.Error(), Type: "InvalidActionInput"}}
	}
	verr, ok := compiled.Validate(inst).(*jsonschema.ValidationError)
	if !ok || verr == nil {
		return nil
	}
	var out []apierr.FieldError
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		msg := inputMessage(e.ErrorKind, valueAt(inst, e.InstanceLocation))
		if slices.ContainsFunc(e.InstanceLocation, func(k string) bool { return strings.HasPrefix(k, "_private") }) {
			msg = privateInputMessage(e.ErrorKind)
		}
		out = append(out, apierr.FieldError{Loc: []any{instancePath(e.InstanceLocation)}, Msg: msg, Type: "InvalidActionInput"})
	}
	walk(verr)
	sort.SliceStable(out, func(i, j int) bool { return fmt.Sprint(out[i].Loc[0]) < fmt.Sprint(out[j].Loc[0]) })
	return out
}

// instancePath renders an instance location as a JSONPath: $.a.b[0].
func instancePath(loc []string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, p := range loc {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
		} else {
			b.WriteString("." + p)
		}
	}
	return b.String()
}

func pyRepr(v any) string {
	switch x := v.(type) {
	case string:
		return "'" + x + "'"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// inputMessage phrases a schema violation as Python's jsonschema does.
func inputMessage(k jsonschema.ErrorKind, value any) string {
	switch e := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("%s is not of type %s", pyRepr(value), quoteAll(e.Want))
	case *kind.Required:
		return fmt.Sprintf("%s is a required property", quoteAll(e.Missing))
	case *kind.Enum:
		return fmt.Sprintf("%s is not one of %s", pyRepr(e.Got), pyRepr(e.Want))
	case *kind.Const:
		return fmt.Sprintf("%s was expected", pyRepr(e.Want))
	case *kind.AdditionalProperties:
		return fmt.Sprintf("Additional properties are not allowed (%s unexpected)", quoteAll(e.Properties))
	case *kind.MinLength:
		return fmt.Sprintf("the value is shorter than %d characters", e.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("the value is longer than %d characters", e.Want)
	case *kind.Minimum:
		return fmt.Sprintf("%s is less than the minimum of %s", ratString(e.Got), ratString(e.Want))
	case *kind.Maximum:
		return fmt.Sprintf("%s is greater than the maximum of %s", ratString(e.Got), ratString(e.Want))
	}
	return k.LocalizedString(printer)
}

// privateInputMessage phrases a schema violation of a value below a "_private" key without the
// value: errors never repeat private values.
func privateInputMessage(k jsonschema.ErrorKind) string {
	switch e := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("the private value is not of type %s", quoteAll(e.Want))
	case *kind.Required, *kind.AdditionalProperties, *kind.Const:
		return inputMessage(k, nil) // names properties or the schema's value, not the input's
	}
	keyword := k.KeywordPath()
	return fmt.Sprintf("the private value fails the input schema's %q keyword", strings.Join(keyword, "/"))
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// valueAt finds the instance value at a location.
func valueAt(v any, loc []string) any {
	for _, p := range loc {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
