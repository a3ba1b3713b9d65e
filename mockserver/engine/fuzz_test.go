package engine

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// Fuzz targets: no definition, expression or path may panic the engine, and the properties the
// runs layer relies on hold. `make fuzz` runs each briefly; FUZZTIME=5m for a long run.

var fuzzNow = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func fuzzState() map[string]any {
	return map[string]any{"a": 1.0, "s": "text", "list": []any{1.0, "two", map[string]any{"x": true}}, "obj": map[string]any{"k": nil}}
}

func fuzzContext() map[string]any {
	return map[string]any{"run_id": "r", "flow_id": "f", "username": "alice@example.org", "email": "alice@example.org"}
}

func FuzzDefinition(f *testing.F) {
	for _, seed := range []string{
		`{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}`,
		`{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericGreaterThan": 0, "Next": "E"}], "Default": "F"}, "E": {"Type": "ExpressionEval", "Parameters": {"v.=": "a + 1"}, "ResultPath": "$.v", "End": true}, "F": {"Type": "Fail", "Error": "X"}}}`,
		`{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.a", "Next": "A"}, "A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string.$": "$.s"}, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}], "End": true}, "P": {"Type": "Pass", "InputPath": "$.list[2]", "ResultPath": "$.out", "End": true}}}`,
		`{"StartAt": "Q", "States": {"Q": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection"}, "ResultPath": "$.q", "Next": "R"}, "R": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.q.web_input_id"}, "End": true}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var def map[string]any
		if json.Unmarshal(data, &def) != nil || def == nil {
			return
		}
		if len(CheckStructure(def)) > 0 || len(Analyze(def)) > 0 {
			return
		}
		// A definition that passes analysis runs: every transition names a state.
		states := def["States"].(map[string]any)
		var state any = fuzzState()
		var private []Location
		name, _ := def["StartAt"].(string)
		for range 50 {
			r := Step(def, name, state, private, fuzzContext(), fuzzNow)
			if r.Fail != nil || r.End || r.Action != nil || r.WebInput != nil || r.Await != "" || !r.WaitUntil.IsZero() {
				return
			}
			if _, ok := states[r.Next]; !ok {
				t.Fatalf("state %q moved to %q, which the definition does not have", name, r.Next)
			}
			name, state, private = r.Next, r.State, r.Private
		}
	})
}

func FuzzExpression(f *testing.F) {
	for _, seed := range []string{"a + 1", "s.upper() if a > 0 else 'no'", "[x * 2 for x in range(10)]", "`$.list[0]` + 1",
		"pathsplit('/a/b/c')[1]", "getattr('obj.k', 'd')", "'x' * 1000000", "len(list) == 3 and is_present('a')"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if CheckExpression(src) != nil {
			return
		}
		v, err := Eval(src, fuzzState(), fuzzContext())
		if err == nil {
			// Whatever an expression returns is a JSON value the run state can hold.
			if _, jerr := json.Marshal(v); jerr != nil {
				t.Fatalf("%q gave %#v, which is not JSON: %v", src, v, jerr)
			}
		}
	})
}

func FuzzJSONPath(f *testing.F) {
	for _, seed := range []string{"$", "$.a", "$.list[1]", "$.obj.k", "$.new.deep", "$['s']", "$.list[*]", "$..x", "$._context.run_id", "$.list[-1]"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		_ = CheckPath(p)
		_, _ = Lookup(p, fuzzState(), fuzzContext())
		_ = Present(p, fuzzState(), fuzzContext())
		if CheckResultPath(p) != nil {
			return
		}
		// What a ResultPath stores is what the same path reads back.
		out, err := Put(fuzzState(), p, "stored")
		if err != nil {
			return
		}
		got, err := Lookup(p, out, fuzzContext())
		if err != nil || !reflect.DeepEqual(got, "stored") {
			t.Fatalf("Put %q then Lookup gave %#v, %v", p, got, err)
		}
	})
}
