// Package engine validates flow definitions (Globus's dialect of the Amazon States Language) and,
// as the runs capability grows, interprets them. This file holds the checks every create, update
// and POST /flows/validate runs (reference flow-engine.md §1, §5).
package engine

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
)

// SupportedTypes are the state types Globus Flows accepts.
var SupportedTypes = []string{"Action", "Pass", "Wait", "Choice", "ExpressionEval", "Fail", "CreateWebInput", "AwaitWebInput"}

// rejectedTypes are ASL state types that Globus explicitly rejects.
var rejectedTypes = []string{"Task", "Parallel", "Map", "Succeed"}

func loc(parts ...any) []any { return append([]any{"definition"}, parts...) }

func fieldErr(msg, typ string, parts ...any) apierr.FieldError {
	return apierr.FieldError{Loc: loc(parts...), Msg: msg, Type: typ}
}

// CheckStructure reports the schema-level problems of a definition: what the real service reports
// as 422 UNPROCESSABLE_ENTITY, one entry per problem with its location.
func CheckStructure(def map[string]any) []apierr.FieldError {
	var errs []apierr.FieldError
	startAt, hasStart := def["StartAt"]
	start, startIsString := startAt.(string)
	if !hasStart {
		errs = append(errs, fieldErr("field required", "value_error.missing", "StartAt"))
	} else if !startIsString {
		errs = append(errs, fieldErr("str type expected", "type_error.str", "StartAt"))
	}
	rawStates, hasStates := def["States"]
	states, statesIsObject := rawStates.(map[string]any)
	switch {
	case !hasStates:
		errs = append(errs, fieldErr("field required", "value_error.missing", "States"))
	case !statesIsObject:
		errs = append(errs, fieldErr("value is not a valid dict", "type_error.dict", "States"))
	case len(states) == 0:
		errs = append(errs, fieldErr("a flow needs at least one state", "value_error", "States"))
	}
	for k := range def {
		if k != "StartAt" && k != "States" && k != "Comment" {
			errs = append(errs, fieldErr("extra fields not permitted", "value_error.extra", k))
		}
	}
	if startIsString && statesIsObject && len(states) > 0 {
		if _, ok := states[start]; !ok {
			errs = append(errs, fieldErr(fmt.Sprintf("StartAt names no state: %q", start), "value_error", "StartAt"))
		}
	}
	for _, name := range sortedKeys(states) {
		errs = append(errs, checkState(name, states[name], states)...)
	}
	return errs
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func checkState(name string, raw any, states map[string]any) []apierr.FieldError {
	state, ok := raw.(map[string]any)
	if !ok {
		return []apierr.FieldError{fieldErr("value is not a valid dict", "type_error.dict", "States", name)}
	}
	if len(name) > 128 {
		return []apierr.FieldError{fieldErr("state names may be at most 128 characters", "value_error", "States", name)}
	}
	typ, _ := state["Type"].(string)
	if typ == "" {
		return []apierr.FieldError{fieldErr("Discriminator 'Type' is missing in value", "value_error.discriminated_union.missing_discriminator", "States", name)}
	}
	if slices.Contains(rejectedTypes, typ) || !slices.Contains(SupportedTypes, typ) {
		return []apierr.FieldError{fieldErr(
			fmt.Sprintf("State type %q is not supported; supported types are %s", typ, strings.Join(SupportedTypes, ", ")),
			"value_error.discriminated_union.invalid_discriminator", "States", name, "Type")}
	}
	var errs []apierr.FieldError
	add := func(msg, typ string, parts ...any) {
		errs = append(errs, fieldErr(msg, typ, append([]any{"States", name}, parts...)...))
	}
	target := func(v any, parts ...any) {
		s, ok := v.(string)
		if !ok {
			add("str type expected", "type_error.str", parts...)
			return
		}
		if _, ok := states[s]; !ok {
			add(fmt.Sprintf("%q names no state", s), "value_error", parts...)
		}
	}
	if _, ok := state["OutputPath"]; ok {
		add("OutputPath is not supported; use ResultPath", "value_error.extra", "OutputPath")
	}
	next, hasNext := state["Next"]
	end, _ := state["End"].(bool)
	switch typ {
	case "Choice", "Fail":
		if hasNext || state["End"] != nil {
			add(fmt.Sprintf("A state of type '%s' may not have Next or End", typ), "value_error")
		}
	default:
		if hasNext == end {
			add(fmt.Sprintf(`A state of type '%s' must be defined as either terminal ("End": true) or transitional ("Next": "NextStateId")`, typ), "value_error")
		} else if hasNext {
			target(next, "Next")
		}
	}
	for _, key := range []string{"InputPath", "ResultPath"} {
		if v, ok := state[key]; ok && !(v == nil && key == "ResultPath") {
			if _, isStr := v.(string); !isStr {
				add("a JSONPath string expected", "type_error.str", key)
			}
		}
	}
	if p, ok := state["Parameters"]; ok {
		if _, isObj := p.(map[string]any); !isObj {
			add("value is not a valid dict", "type_error.dict", "Parameters")
		}
	}
	switch typ {
	case "Action":
		checkHandler(state, add)
		nonNegative(state, "WaitTime", add)
		_, hasParams := state["Parameters"]
		_, hasInput := state["InputPath"]
		if hasParams == hasInput {
			add("exactly one of Parameters or InputPath is required", "value_error")
		}
	case "CreateWebInput", "AwaitWebInput":
		if _, ok := state["Parameters"]; !ok {
			add("field required", "value_error.missing", "Parameters")
		}
	}
	switch typ {
	case "Action", "CreateWebInput", "AwaitWebInput":
		if c, ok := state["Catch"]; ok {
			if _, isList := c.([]any); !isList {
				add("value is not a valid list", "type_error.list", "Catch")
			}
			eachObject(c, "Catch", add, func(i int, cm map[string]any) {
				if eq, ok := cm["ErrorEquals"].([]any); !ok || len(eq) == 0 {
					add("ErrorEquals must be a non-empty list", "value_error", "Catch", i, "ErrorEquals")
				}
				target(cm["Next"], "Catch", i, "Next")
			})
		}
	case "ExpressionEval":
		if _, ok := state["Parameters"]; !ok {
			add("field required", "value_error.missing", "Parameters")
		}
		if _, ok := state["ResultPath"]; !ok {
			add("field required", "value_error.missing", "ResultPath")
		}
	case "Wait":
		n := 0
		for _, k := range []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"} {
			if _, ok := state[k]; ok {
				n++
			}
		}
		if n != 1 {
			add("exactly one of Seconds, SecondsPath, Timestamp or TimestampPath is required", "value_error")
		}
		nonNegative(state, "Seconds", add)
		if v, ok := state["Timestamp"]; ok {
			if _, isTime := timestamp(v); !isTime {
				add("Timestamp must be an RFC 3339 timestamp", "value_error", "Timestamp")
			}
		}
		for _, k := range []string{"SecondsPath", "TimestampPath"} {
			if v, ok := state[k]; ok {
				if _, isStr := v.(string); !isStr {
					add("a JSONPath string expected", "type_error.str", k)
				}
			}
		}
	case "Fail":
		for _, pair := range [][2]string{{"Error", "ErrorPath"}, {"Cause", "CausePath"}} {
			_, a := state[pair[0]]
			_, b := state[pair[1]]
			if a && b {
				add(fmt.Sprintf("%s and %s are mutually exclusive", pair[0], pair[1]), "value_error", pair[1])
			}
			for _, k := range pair {
				if v, ok := state[k]; ok {
					if _, isStr := v.(string); !isStr {
						add("str type expected", "type_error.str", k)
					}
				}
			}
		}
	case "Choice":
		choices, ok := state["Choices"].([]any)
		if !ok || len(choices) == 0 {
			add("Choices must be a non-empty list", "value_error", "Choices")
		}
		eachObject(choices, "Choices", add, func(i int, cm map[string]any) {
			if _, ok := cm["Next"]; ok {
				target(cm["Next"], "Choices", i, "Next")
			}
			checkRule(cm, true, func(msg string, parts ...any) {
				add(msg, "value_error", parts...)
			}, "Choices", i)
		})
		if d, ok := state["Default"]; ok {
			target(d, "Default")
		}
	}
	return errs
}

// nonNegative checks that a duration of a state, when given, is a number of seconds, 0 or more.
func nonNegative(state map[string]any, key string, add func(msg, typ string, parts ...any)) {
	if v, ok := state[key]; ok {
		if f, isNum := number(v); !isNum || f.Sign() < 0 {
			add(key+" must be a non-negative number", "value_error", key)
		}
	}
}

// durations are the number-of-seconds fields of each state type, which analysis bounds.
var durations = map[string]string{"Wait": "Seconds", "Action": "WaitTime"}

// maxSeconds is MaxWaitSeconds, to compare with numbers however large.
var maxSeconds = new(big.Float).SetInt64(MaxWaitSeconds)

// eachObject calls fn for every object of a list field, and reports the elements that are not.
func eachObject(list any, key string, add func(msg, typ string, parts ...any), fn func(i int, m map[string]any)) {
	items, _ := list.([]any)
	for i, raw := range items {
		m, ok := raw.(map[string]any)
		if !ok {
			add("value is not a valid dict", "type_error.dict", key, i)
			continue
		}
		fn(i, m)
	}
}

// Analyze reports problems of a structurally valid definition that only analysis finds: what the
// real service reports as 422 FLOW_VALIDATION_FAILED (reference flows-api.md §16.8): invalid
// JSONPaths and expressions, writes to $._context, and states unreachable from StartAt.
func Analyze(def map[string]any) []apierr.FieldError {
	errs := analyzeData(def)
	return append(errs, unreachable(def)...)
}

// analyzeData checks every JSONPath and expression of every state.
func analyzeData(def map[string]any) []apierr.FieldError {
	states, _ := def["States"].(map[string]any)
	var errs []apierr.FieldError
	for _, name := range sortedKeys(states) {
		state, _ := states[name].(map[string]any)
		typ, _ := state["Type"].(string)
		add := func(msg, kind string, parts ...any) {
			errs = append(errs, apierr.FieldError{Loc: loc(append([]any{"States", name}, parts...)...), Msg: msg, Type: kind,
				Ctx: map[string]any{"field_name": fmt.Sprint(parts[len(parts)-1])}})
		}
		checkPath := func(v any, parts ...any) {
			if p, ok := v.(string); ok {
				if err := CheckPath(p); err != nil {
					add(fmt.Sprintf("Improper access to data in this %s state with expression: %s (%v)", strings.ToLower(typ), p, err), "InvalidAccessPath", parts...)
				}
			}
		}
		if key := durations[typ]; key != "" {
			// A run lives at most a year: no state of it waits longer.
			if f, ok := number(state[key]); ok && f.Cmp(maxSeconds) > 0 {
				add(fmt.Sprintf("%s must be at most %d seconds (a year, the longest a run lives)", key, MaxWaitSeconds), "value_error", key)
			}
		}
		checkPath(state["InputPath"], "InputPath")
		checkPath(state["SecondsPath"], "SecondsPath")
		checkPath(state["TimestampPath"], "TimestampPath")
		checkPath(state["ErrorPath"], "ErrorPath")
		checkPath(state["CausePath"], "CausePath")
		checkResult := func(v any, parts ...any) {
			if p, ok := v.(string); ok {
				if err := CheckResultPath(p); err != nil {
					add(fmt.Sprintf("Improper ResultPath %s: %v", p, err), "InvalidResultPath", parts...)
				}
			}
		}
		checkResult(state["ResultPath"], "ResultPath")
		if catches, ok := state["Catch"].([]any); ok {
			for i, c := range catches {
				if cm, ok := c.(map[string]any); ok {
					checkResult(cm["ResultPath"], "Catch", i, "ResultPath")
				}
			}
		}
		walkTemplate(state["Parameters"], []any{"Parameters"}, func(key string, v any, parts []any) {
			src, isStr := v.(string)
			switch {
			case key == PrivateKey:
				checkPrivateNames(v, parts, add)
			case !isStr:
				add(fmt.Sprintf("the value of %s must be a string", key), "InvalidParameter", parts...)
			case strings.HasSuffix(key, ".$"):
				checkPath(src, parts...)
			default:
				if err := CheckExpression(src); err != nil {
					add(err.Error(), "InvalidExpression", parts...)
				}
			}
		})
		if choices, ok := state["Choices"].([]any); ok {
			for i, c := range choices {
				walkRule(c, []any{"Choices", i}, checkPath)
			}
		}
	}
	return errs
}

// checkPrivateNames reports a __Private_Parameters that is not a list of parameter names: one that
// is ignored would show the values it means to hide.
func checkPrivateNames(v any, parts []any, add func(msg, kind string, parts ...any)) {
	names, ok := v.([]any)
	if !ok {
		add(PrivateKey+" must be a list of parameter names", "InvalidParameter", parts...)
		return
	}
	for i, n := range names {
		if _, ok := n.(string); !ok {
			add(PrivateKey+" lists parameter names, which are strings", "InvalidParameter", append(slices.Clone(parts), i)...)
		}
	}
}

// walkTemplate calls fn for every ".$", ".=" and __Private_Parameters key of a Parameters template.
func walkTemplate(v any, at []any, fn func(key string, v any, parts []any)) {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(t) {
			parts := append(slices.Clone(at), k)
			if strings.HasSuffix(k, ".$") || strings.HasSuffix(k, ".=") || k == PrivateKey {
				fn(k, t[k], parts)
				continue
			}
			walkTemplate(t[k], parts, fn)
		}
	case []any:
		for i, e := range t {
			walkTemplate(e, append(slices.Clone(at), i), fn)
		}
	}
}

// walkRule checks the JSONPaths of a Choice rule and its nested rules.
func walkRule(v any, at []any, checkPath func(v any, parts ...any)) {
	rule, ok := v.(map[string]any)
	if !ok {
		return
	}
	for _, k := range sortedKeys(rule) {
		parts := append(slices.Clone(at), k)
		switch {
		case k == "Variable" || (strings.HasSuffix(k, "Path") && comparisonKinds[k] == ""):
			checkPath(rule[k], parts...)
		case k == "And" || k == "Or":
			list, _ := rule[k].([]any)
			for i, r := range list {
				walkRule(r, append(parts, i), checkPath)
			}
		case k == "Not":
			walkRule(rule[k], parts, checkPath)
		}
	}
}

// unreachable reports the states no path from StartAt reaches.
func unreachable(def map[string]any) []apierr.FieldError {
	states, _ := def["States"].(map[string]any)
	start, _ := def["StartAt"].(string)
	reached := map[string]bool{}
	queue := []string{start}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if reached[n] {
			continue
		}
		state, ok := states[n].(map[string]any)
		if !ok {
			continue
		}
		reached[n] = true
		queue = append(queue, successors(state)...)
	}
	var errs []apierr.FieldError
	for _, name := range sortedKeys(states) {
		if !reached[name] {
			errs = append(errs, apierr.FieldError{Loc: loc("States", name),
				Msg: fmt.Sprintf("State %q is not reachable from StartAt", name), Type: "UnreachableState"})
		}
	}
	return errs
}

func successors(state map[string]any) []string {
	var out []string
	addStr := func(v any) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	addStr(state["Next"])
	addStr(state["Default"])
	for _, key := range []string{"Choices", "Catch"} {
		list, _ := state[key].([]any)
		for _, raw := range list {
			if m, ok := raw.(map[string]any); ok {
				addStr(m["Next"])
			}
		}
	}
	return out
}

// checkHandler checks how an Action state names what it calls: an ActionUrl, or a Handler that
// is an action provider ({"Type": "ActionProvider", "Url": ...}) or a registered API
// ({"Type": "RegisteredAPI", "Id": ...}).
func checkHandler(state map[string]any, add func(msg, typ string, loc ...any)) {
	isURL := func(v any) bool {
		u, ok := v.(string)
		return ok && (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://"))
	}
	h, hasHandler := state["Handler"]
	_, hasURL := state["ActionUrl"]
	switch {
	case hasHandler && hasURL:
		add("ActionUrl and Handler are mutually exclusive", "value_error", "Handler")
	case !hasHandler:
		if !isURL(state["ActionUrl"]) {
			add("field required: an http(s) URL", "value_error.missing", "ActionUrl")
		}
	default:
		m, _ := h.(map[string]any)
		switch m["Type"] {
		case "ActionProvider":
			if !isURL(m["Url"]) {
				add("field required: an http(s) URL", "value_error.missing", "Handler", "Url")
			}
		case "RegisteredAPI":
			if id, ok := m["Id"].(string); !ok || id == "" {
				add("field required: a registered API id", "value_error.missing", "Handler", "Id")
			}
		default:
			add(`Handler.Type must be "ActionProvider" or "RegisteredAPI"`, "value_error", "Handler", "Type")
		}
	}
}
