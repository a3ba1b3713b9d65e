package engine

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"
)

// Choice rules (reference flow-engine.md "Choice state"; the States Language's comparison
// operators). A typed comparison whose Variable holds a value of another type is false, not an
// error; a Variable that selects nothing is an error except for IsPresent.

// comparisonKinds maps each comparison operator (without its Path suffix) to its value type.
var comparisonKinds = map[string]string{
	"StringEquals": "string", "StringLessThan": "string", "StringGreaterThan": "string",
	"StringLessThanEquals": "string", "StringGreaterThanEquals": "string", "StringMatches": "string",
	"NumericEquals": "number", "NumericLessThan": "number", "NumericGreaterThan": "number",
	"NumericLessThanEquals": "number", "NumericGreaterThanEquals": "number",
	"BooleanEquals":   "boolean",
	"TimestampEquals": "timestamp", "TimestampLessThan": "timestamp", "TimestampGreaterThan": "timestamp",
	"TimestampLessThanEquals": "timestamp", "TimestampGreaterThanEquals": "timestamp",
}

// typeTests are the operators that test the Variable's type or presence; their operand is a boolean.
var typeTests = map[string]bool{
	"IsNull": true, "IsPresent": true, "IsNumeric": true, "IsString": true, "IsBoolean": true, "IsTimestamp": true,
}

// ruleOperator finds the one operator of a comparison rule; "" when there is none.
func ruleOperator(rule map[string]any) (op string, count int) {
	for k := range rule {
		base := strings.TrimSuffix(k, "Path")
		if _, ok := comparisonKinds[base]; ok && (k == base || base != "StringMatches") {
			op = k
			count++
		} else if typeTests[k] {
			op = k
			count++
		}
	}
	return op, count
}

// checkRule reports the problems of a Choice rule, at loc (relative to the state).
func checkRule(rule map[string]any, top bool, add func(msg string, parts ...any), parts ...any) {
	_, hasNext := rule["Next"]
	if top && !hasNext {
		add("a top-level choice rule needs Next", append(parts, "Next")...)
	}
	if !top && hasNext {
		add("a nested choice rule may not have Next", append(parts, "Next")...)
	}
	combinators := 0
	for _, c := range []string{"And", "Or", "Not"} {
		if _, ok := rule[c]; ok {
			combinators++
		}
	}
	op, ops := ruleOperator(rule)
	_, hasVar := rule["Variable"]
	switch {
	case combinators > 1 || (combinators == 1 && (ops > 0 || hasVar)):
		add("a choice rule must be exactly one of And, Or, Not or a comparison", parts...)
		return
	case combinators == 1:
		for _, c := range []string{"And", "Or"} {
			if v, ok := rule[c]; ok {
				list, isList := v.([]any)
				if !isList || len(list) == 0 {
					add(c+" must be a non-empty list of choice rules", append(parts, c)...)
					return
				}
				for i, r := range list {
					m, ok := r.(map[string]any)
					if !ok {
						add("value is not a valid dict", append(parts, c, i)...)
						continue
					}
					checkRule(m, false, add, append(parts, c, i)...)
				}
			}
		}
		if v, ok := rule["Not"]; ok {
			m, isObj := v.(map[string]any)
			if !isObj {
				add("Not must be a choice rule", append(parts, "Not")...)
				return
			}
			checkRule(m, false, add, append(parts, "Not")...)
		}
		return
	}
	if _, ok := rule["Variable"].(string); !ok {
		add("a comparison needs a Variable (a JSONPath)", append(parts, "Variable")...)
	}
	if ops != 1 {
		add("a comparison needs exactly one operator, such as StringEquals or NumericLessThanPath", parts...)
		return
	}
	operand := rule[op]
	switch {
	case typeTests[op]:
		if _, ok := operand.(bool); !ok {
			add(op+" takes a boolean", append(parts, op)...)
		}
	case strings.HasSuffix(op, "Path") && comparisonKinds[op] == "":
		if _, isStr := operand.(string); !isStr {
			add(op+" takes a JSONPath", append(parts, op)...)
		}
	default:
		if !hasKind(operand, comparisonKinds[op]) {
			add(fmt.Sprintf("%s takes a %s", op, comparisonKinds[op]), append(parts, op)...)
		}
	}
}

func hasKind(v any, kind string) bool {
	switch kind {
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := number(v)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "timestamp":
		_, ok := timestamp(v)
		return ok
	}
	return false
}

func number(v any) (*big.Float, bool) {
	switch x := v.(type) {
	case json.Number:
		f, _, err := big.ParseFloat(string(x), 10, 128, big.ToNearestEven)
		return f, err == nil
	case float64:
		return big.NewFloat(x), true
	case int:
		return big.NewFloat(float64(x)), true
	case int64:
		return big.NewFloat(float64(x)), true
	}
	return nil, false
}

func timestamp(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// evalRule evaluates a Choice rule against the state.
func evalRule(rule map[string]any, state any, ctx map[string]any) (bool, error) {
	if list, ok := rule["And"].([]any); ok {
		for _, r := range list {
			m, _ := r.(map[string]any)
			ok, err := evalRule(m, state, ctx)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	}
	if list, ok := rule["Or"].([]any); ok {
		for _, r := range list {
			m, _ := r.(map[string]any)
			ok, err := evalRule(m, state, ctx)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	if not, ok := rule["Not"].(map[string]any); ok {
		ok, err := evalRule(not, state, ctx)
		return !ok && err == nil, err
	}
	variable, _ := rule["Variable"].(string)
	op, _ := ruleOperator(rule)
	if op == "IsPresent" {
		want, _ := rule[op].(bool)
		return Present(variable, state, ctx) == want, nil
	}
	value, err := Lookup(variable, state, ctx)
	if err != nil {
		return false, &StateError{Name: ErrRuntime, Cause: "Invalid path " + variable + ": " + err.Error()}
	}
	if typeTests[op] {
		want, _ := rule[op].(bool)
		var is bool
		switch op {
		case "IsNull":
			is = value == nil
		case "IsNumeric":
			_, is = number(value)
		case "IsString":
			_, is = value.(string)
		case "IsBoolean":
			_, is = value.(bool)
		case "IsTimestamp":
			_, is = timestamp(value)
		}
		return is == want, nil
	}
	operand := rule[op]
	base := op
	if kind := comparisonKinds[op]; kind == "" {
		base = strings.TrimSuffix(op, "Path")
		p, _ := operand.(string)
		if operand, err = Lookup(p, state, ctx); err != nil {
			return false, &StateError{Name: ErrRuntime, Cause: "Invalid path " + p + ": " + err.Error()}
		}
	}
	return compare(base, value, operand), nil
}

// compare applies a typed comparison; values of the wrong type compare false.
func compare(op string, a, b any) bool {
	var c int
	switch comparisonKinds[op] {
	case "string":
		x, ok1 := a.(string)
		y, ok2 := b.(string)
		if !ok1 || !ok2 {
			return false
		}
		if op == "StringMatches" {
			return globMatch(y, x)
		}
		c = strings.Compare(x, y)
	case "number":
		x, ok1 := number(a)
		y, ok2 := number(b)
		if !ok1 || !ok2 {
			return false
		}
		c = x.Cmp(y)
	case "boolean":
		x, ok1 := a.(bool)
		y, ok2 := b.(bool)
		return ok1 && ok2 && x == y
	case "timestamp":
		x, ok1 := timestamp(a)
		y, ok2 := timestamp(b)
		if !ok1 || !ok2 {
			return false
		}
		c = x.Compare(y)
	}
	switch {
	case strings.HasSuffix(op, "GreaterThanEquals"):
		return c >= 0
	case strings.HasSuffix(op, "LessThanEquals"):
		return c <= 0
	case strings.HasSuffix(op, "GreaterThan"):
		return c > 0
	case strings.HasSuffix(op, "LessThan"):
		return c < 0
	}
	return c == 0
}

// globMatch is StringMatches: "*" matches any run of characters, "\*" a literal star.
func globMatch(pattern, s string) bool {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch {
		case pattern[i] == '\\' && i+1 < len(pattern):
			i++
			b.WriteString(regexp.QuoteMeta(string(pattern[i])))
		case pattern[i] == '*':
			b.WriteString("(?s:.*)")
		default:
			b.WriteString(regexp.QuoteMeta(string(pattern[i])))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(s)
}
