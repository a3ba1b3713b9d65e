package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Expressions (`.=` keys; reference flow-engine.md §2 "Expressions", §2b). Globus evaluates a
// Python expression subset over the run state; the mock evaluates it with Starlark, whose
// expression syntax is that subset (comprehensions, dict and list literals, conditional
// expressions, string methods, len/str, negative indexes). Before evaluation the syntax tree is
// rewritten so that
//   - `a.b` reads key b of a JSON object (and still reaches string methods),
//   - `` `$.x` `` (backtick JSONPath) reads the run state through a JSONPath,
//   - every operator and call goes through a guard that bounds the size of what it builds,
// and evaluation runs under a step limit and a time limit. A malicious expression therefore fails
// with an ExpressionError instead of hanging or exhausting memory.

// Limits of one expression evaluation.
const (
	MaxExpressionSteps = 1_000_000
	MaxExpressionSize  = 1 << 20 // elements plus string bytes any one value may hold
	MaxExpressionTime  = 2 * time.Second
)

// ExpressionError is an expression that did not parse or failed to evaluate.
type ExpressionError struct {
	Expr string
	Err  string
}

// reads is what an evaluation may have read: the names the expression mentions and the JSONPaths
// it looked up. It decides whether a result or an error shows private values.
type reads struct {
	names map[string]bool
	paths []string
}

func (e *ExpressionError) Error() string {
	return fmt.Sprintf("expression %q failed: %s", e.Expr, e.Err)
}

var exprOptions = &syntax.FileOptions{}

// CheckExpression reports a syntax error in an expression without evaluating it.
func CheckExpression(src string) error {
	rewritten, err := rewriteBackticks(src)
	if err != nil {
		return &ExpressionError{Expr: src, Err: err.Error()}
	}
	if _, err := exprOptions.ParseExpr("expression", rewritten, 0); err != nil {
		return &ExpressionError{Expr: src, Err: trimPos(err.Error())}
	}
	return nil
}

func trimPos(msg string) string {
	// "expression:1:5: got ..." → "1:5: got ..."
	return strings.TrimPrefix(msg, "expression:")
}

// Eval evaluates an expression over the run state and the run context and returns a JSON value.
func Eval(src string, state any, ctx map[string]any) (any, error) {
	v, _, err := evaluate(src, state, ctx)
	return v, err
}

// evaluate is Eval that also tells what the expression read.
func evaluate(src string, state any, ctx map[string]any) (any, reads, error) {
	g := &guard{state: state, ctx: ctx}
	var names map[string]bool
	fail := func(err error) (any, reads, error) {
		rd := reads{names: names, paths: g.paths}
		var ee *ExpressionError
		if errors.As(err, &ee) {
			return nil, rd, err
		}
		msg := err.Error()
		var evalErr *starlark.EvalError
		if errors.As(err, &evalErr) {
			msg = evalErr.Msg
		}
		return nil, rd, &ExpressionError{Expr: src, Err: trimPos(msg)}
	}
	rewritten, err := rewriteBackticks(src)
	if err != nil {
		return fail(err)
	}
	expr, err := exprOptions.ParseExpr("expression", rewritten, 0)
	if err != nil {
		return fail(err)
	}
	expr = g.rewrite(expr)
	names = referenced(expr)
	env := environment(state, ctx, names)
	thread := &starlark.Thread{Name: "expression"}
	thread.SetLocal(guardKey, g)
	thread.SetMaxExecutionSteps(MaxExpressionSteps)
	thread.OnMaxSteps = func(t *starlark.Thread) {
		t.Cancel(fmt.Sprintf("the expression exceeded the limit of %d evaluation steps", MaxExpressionSteps))
	}
	timer := time.AfterFunc(MaxExpressionTime, func() {
		thread.Cancel(fmt.Sprintf("the expression exceeded the time limit of %s", MaxExpressionTime))
	})
	defer timer.Stop()
	v, err := starlark.EvalExprOptions(exprOptions, thread, expr, env)
	if err != nil {
		return fail(err)
	}
	out, err := fromStarlark(v, MaxExpressionSize)
	if err != nil {
		return fail(err)
	}
	return out, reads{names: names, paths: g.paths}, nil
}

// rewriteBackticks turns “ `$.path` “ outside string literals into _jsonpath("$.path").
func rewriteBackticks(src string) (string, error) {
	if !strings.Contains(src, "`") {
		return src, nil
	}
	var b strings.Builder
	var quote byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(src) {
				i++
				b.WriteByte(src[i])
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
			b.WriteByte(c)
		case c == '`':
			end := strings.IndexByte(src[i+1:], '`')
			if end < 0 {
				return "", fmt.Errorf("unterminated backtick JSONPath")
			}
			path := src[i+1 : i+1+end]
			if err := CheckPath(path); err != nil {
				return "", err
			}
			b.WriteString("_jsonpath(" + strconv.Quote(path) + ")")
			i += end + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// guard holds what the rewritten expression calls back into, and the JSONPaths it looked up.
type guard struct {
	state any
	ctx   map[string]any
	paths []string
}

// lookup reads the run state through a JSONPath for the expression.
func (g *guard) lookup(p string) (any, error) {
	g.paths = append(g.paths, p)
	return Lookup(p, g.state, g.ctx)
}

// guardKey holds an evaluation's guard in its thread, where the builtins find it.
const guardKey = "guard"

func ident(name string) *syntax.Ident { return &syntax.Ident{Name: name} }

func strLit(s string) *syntax.Literal {
	return &syntax.Literal{Token: syntax.STRING, Raw: strconv.Quote(s), Value: s}
}

func call(fn string, args ...syntax.Expr) *syntax.CallExpr {
	return &syntax.CallExpr{Fn: ident(fn), Args: args}
}

// rewrite routes attribute access, binary operators and calls through the guard's builtins.
func (g *guard) rewrite(e syntax.Expr) syntax.Expr {
	switch x := e.(type) {
	case *syntax.DotExpr:
		return call("_attr", g.rewrite(x.X), strLit(x.Name.Name))
	case *syntax.BinaryExpr:
		x.X, x.Y = g.rewrite(x.X), g.rewrite(x.Y)
		if x.Op == syntax.AND || x.Op == syntax.OR {
			return x // short-circuit operators build nothing
		}
		return call("_op", strLit(x.Op.String()), x.X, x.Y)
	case *syntax.CallExpr:
		fn := g.rewrite(x.Fn)
		args := []syntax.Expr{fn}
		for _, a := range x.Args {
			if bin, ok := a.(*syntax.BinaryExpr); ok && bin.Op == syntax.EQ {
				bin.Y = g.rewrite(bin.Y) // keyword argument: name=value
				args = append(args, bin)
				continue
			}
			args = append(args, g.rewrite(a))
		}
		return &syntax.CallExpr{Fn: ident("_call"), Args: args}
	case *syntax.ParenExpr:
		x.X = g.rewrite(x.X)
	case *syntax.UnaryExpr:
		if x.X != nil {
			x.X = g.rewrite(x.X)
		}
	case *syntax.CondExpr:
		x.Cond, x.True, x.False = g.rewrite(x.Cond), g.rewrite(x.True), g.rewrite(x.False)
	case *syntax.ListExpr:
		for i := range x.List {
			x.List[i] = g.rewrite(x.List[i])
		}
	case *syntax.TupleExpr:
		for i := range x.List {
			x.List[i] = g.rewrite(x.List[i])
		}
	case *syntax.DictExpr:
		for _, entry := range x.List {
			if de, ok := entry.(*syntax.DictEntry); ok {
				de.Key, de.Value = g.rewrite(de.Key), g.rewrite(de.Value)
			}
		}
	case *syntax.Comprehension:
		x.Body = g.rewrite(x.Body)
		for _, cl := range x.Clauses {
			switch c := cl.(type) {
			case *syntax.ForClause:
				c.X = g.rewrite(c.X)
			case *syntax.IfClause:
				c.Cond = g.rewrite(c.Cond)
			}
		}
	case *syntax.DictEntry:
		x.Key, x.Value = g.rewrite(x.Key), g.rewrite(x.Value)
	case *syntax.IndexExpr:
		x.X, x.Y = g.rewrite(x.X), g.rewrite(x.Y)
	case *syntax.SliceExpr:
		x.X = g.rewrite(x.X)
		if x.Lo != nil {
			x.Lo = g.rewrite(x.Lo)
		}
		if x.Hi != nil {
			x.Hi = g.rewrite(x.Hi)
		}
		if x.Step != nil {
			x.Step = g.rewrite(x.Step)
		}
	case *syntax.LambdaExpr:
		x.Body = g.rewrite(x.Body)
	}
	return e
}

// environment is the expression's global names: the top-level keys of the run state it refers
// to (converting only those: a state may be large), _context, the Globus functions, and the
// guard's hooks.
func environment(state any, ctx map[string]any, names map[string]bool) starlark.StringDict {
	env := make(starlark.StringDict, len(names)+len(builtins))
	if obj, ok := state.(map[string]any); ok {
		for name := range names {
			v, found := obj[name]
			if name == ContextKey && ctx != nil {
				v, found = ctx, true
			}
			if !found || !isIdentifier(name) {
				continue
			}
			if sv, err := toStarlark(v); err == nil {
				env[name] = sv
			}
		}
	}
	for name, b := range builtins {
		env[name] = b
	}
	return env
}

// referenced is every name an expression mentions.
func referenced(expr syntax.Expr) map[string]bool {
	names := map[string]bool{}
	syntax.Walk(expr, func(n syntax.Node) bool {
		if id, ok := n.(*syntax.Ident); ok {
			names[id.Name] = true
		}
		return true
	})
	return names
}

// builtins are the functions of every expression, made once; those that need the evaluation's
// guard take it from the thread.
var builtins = func() starlark.StringDict {
	type method func(*guard, *starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)
	guarded := func(name string, m method) *starlark.Builtin {
		return starlark.NewBuiltin(name, func(t *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return m(t.Local(guardKey).(*guard), t, b, args, kwargs)
		})
	}
	return starlark.StringDict{
		"_attr":      guarded("_attr", (*guard).attr),
		"_op":        guarded("_op", (*guard).op),
		"_call":      guarded("_call", (*guard).call),
		"_jsonpath":  guarded("_jsonpath", (*guard).jsonpath),
		"is_present": guarded("is_present", (*guard).isPresent),
		"getattr":    guarded("getattr", (*guard).getattr),
		"pathsplit":  starlark.NewBuiltin("pathsplit", pathsplit),
		"range":      starlark.NewBuiltin("range", boundedRange),
	}
}()

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// readOnlyMethods are the methods an expression may call; mutating methods are refused so that no
// expression can grow a value in place.
var readOnlyMethods = map[string]bool{
	// str
	"capitalize": true, "count": true, "endswith": true, "find": true, "format": true, "index": true,
	"isalnum": true, "isalpha": true, "isdigit": true, "islower": true, "isspace": true, "istitle": true,
	"isupper": true, "join": true, "lower": true, "lstrip": true, "partition": true, "removeprefix": true,
	"removesuffix": true, "replace": true, "rfind": true, "rindex": true, "rpartition": true, "rsplit": true,
	"rstrip": true, "split": true, "splitlines": true, "startswith": true, "strip": true, "title": true,
	"upper": true,
	// dict
	"get": true, "items": true, "keys": true, "values": true,
}

// attr reads key name of a JSON object, or a read-only method of a value.
func (g *guard) attr(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	x, name := args[0], string(args[1].(starlark.String))
	if d, ok := x.(*starlark.Dict); ok {
		if v, found, _ := d.Get(starlark.String(name)); found {
			return v, nil
		}
		if !readOnlyMethods[name] {
			return nil, fmt.Errorf("the object has no property %q", name)
		}
	}
	if !readOnlyMethods[name] {
		return nil, fmt.Errorf("%s has no attribute %q", x.Type(), name)
	}
	hasAttrs, ok := x.(starlark.HasAttrs)
	if !ok {
		return nil, fmt.Errorf("%s has no attribute %q", x.Type(), name)
	}
	v, err := hasAttrs.Attr(name)
	if err != nil || v == nil {
		return nil, fmt.Errorf("%s has no attribute %q", x.Type(), name)
	}
	return v, nil
}

// op applies a binary operator after checking that its result stays within the size limit.
func (g *guard) op(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	opName, x, y := string(args[0].(starlark.String)), args[1], args[2]
	tok, ok := binaryTokens[opName]
	if !ok {
		return nil, fmt.Errorf("operator %s is not supported", opName)
	}
	switch tok {
	case syntax.STAR:
		if err := checkRepeat(x, y); err != nil {
			return nil, err
		}
	case syntax.PLUS, syntax.PERCENT, syntax.PIPE:
		if sizeOf(x, MaxExpressionSize)+sizeOf(y, MaxExpressionSize) > MaxExpressionSize {
			return nil, errTooLarge
		}
	default:
		// Comparisons and membership walk both operands: bound the walk.
		if sizeOf(x, MaxExpressionSize)+sizeOf(y, MaxExpressionSize) > MaxExpressionSize {
			return nil, errTooLarge
		}
	}
	switch tok {
	case syntax.EQL, syntax.NEQ, syntax.LT, syntax.GT, syntax.LE, syntax.GE:
		ok, err := starlark.Compare(tok, x, y)
		return starlark.Bool(ok), err
	}
	return starlark.Binary(tok, x, y)
}

var binaryTokens = func() map[string]syntax.Token {
	m := map[string]syntax.Token{}
	for _, t := range []syntax.Token{syntax.PLUS, syntax.MINUS, syntax.STAR, syntax.SLASH, syntax.SLASHSLASH,
		syntax.PERCENT, syntax.AMP, syntax.PIPE, syntax.CIRCUMFLEX, syntax.LTLT, syntax.GTGT, syntax.EQL, syntax.NEQ,
		syntax.LT, syntax.GT, syntax.LE, syntax.GE, syntax.IN, syntax.NOT_IN} {
		m[t.String()] = t
	}
	return m
}()

var errTooLarge = fmt.Errorf("the expression builds a value larger than the limit of %d elements", MaxExpressionSize)

func checkRepeat(x, y starlark.Value) error {
	n, seq := y, x
	if _, ok := x.(starlark.Int); ok {
		n, seq = x, y
	}
	count, ok := n.(starlark.Int)
	if !ok {
		return nil
	}
	times, ok := count.Int64()
	if !ok {
		return errTooLarge
	}
	if l, ok := seq.(starlark.Sequence); ok && times > 0 && int64(l.Len())*times > MaxExpressionSize {
		return errTooLarge
	}
	if s, ok := seq.(starlark.String); ok && times > 0 && int64(len(s))*times > MaxExpressionSize {
		return errTooLarge
	}
	return nil
}

// call invokes a function after bounding the size of its receiver and arguments.
func (g *guard) call(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	fn := args[0]
	total := 0
	if m, ok := fn.(*starlark.Builtin); ok && m.Receiver() != nil {
		total += sizeOf(m.Receiver(), MaxExpressionSize)
		if err := checkStringMethod(m, args[1:]); err != nil {
			return nil, err
		}
	}
	for _, a := range args[1:] {
		total += sizeOf(a, MaxExpressionSize)
	}
	for _, kv := range kwargs {
		total += sizeOf(kv[1], MaxExpressionSize)
	}
	if total > MaxExpressionSize {
		return nil, errTooLarge
	}
	return starlark.Call(thread, fn, args[1:], kwargs)
}

// checkStringMethod bounds the methods whose result can outgrow their inputs.
func checkStringMethod(m *starlark.Builtin, args starlark.Tuple) error {
	recv, ok := m.Receiver().(starlark.String)
	if !ok {
		return nil
	}
	switch m.Name() {
	case "replace":
		if len(args) >= 2 {
			old, _ := args[0].(starlark.String)
			repl, _ := args[1].(starlark.String)
			n := strings.Count(string(recv), string(old))
			if int64(len(recv))+int64(n)*int64(len(repl)) > MaxExpressionSize {
				return errTooLarge
			}
		}
	case "join":
		if len(args) == 1 {
			if seq, ok := args[0].(starlark.Sequence); ok && int64(len(recv))*int64(seq.Len()) > MaxExpressionSize {
				return errTooLarge
			}
		}
	}
	return nil
}

// sizeOf counts elements and string bytes of a value, following shared references every time
// they occur (that is what printing or comparing it costs), and stops once past limit.
func sizeOf(v starlark.Value, limit int) int {
	n := 0
	var walk func(starlark.Value, int)
	walk = func(v starlark.Value, depth int) {
		if n > limit {
			return
		}
		if depth > 64 {
			n = limit + 1
			return
		}
		switch x := v.(type) {
		case starlark.String:
			n += len(x)
		case *starlark.List:
			n += x.Len()
			for i := 0; i < x.Len() && n <= limit; i++ {
				walk(x.Index(i), depth+1)
			}
		case starlark.Tuple:
			n += len(x)
			for _, e := range x {
				walk(e, depth+1)
			}
		case *starlark.Dict:
			n += x.Len()
			for _, kv := range x.Items() {
				if n > limit {
					return
				}
				walk(kv[0], depth+1)
				walk(kv[1], depth+1)
			}
		default:
			n++
		}
	}
	walk(v, 0)
	return n
}

// boundedRange is range() refusing to describe more than the size limit.
func boundedRange(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	r, err := starlark.Call(thread, starlark.Universe["range"], args, kwargs)
	if err != nil {
		return nil, err
	}
	if s, ok := r.(starlark.Sequence); ok && s.Len() > MaxExpressionSize {
		return nil, errTooLarge
	}
	return r, nil
}

// jsonpath reads the run state through a JSONPath (the backtick form).
func (g *guard) jsonpath(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	v, err := g.lookup(string(args[0].(starlark.String)))
	if err != nil {
		return nil, err
	}
	return toStarlark(v)
}

// dottedPath turns "a.b[0]" into the JSONPath "$.a.b[0]".
func dottedPath(name string) string {
	if strings.HasPrefix(name, "$") {
		return name
	}
	return "$." + name
}

// isPresent is Globus's is_present('dotted.name').
func (g *guard) isPresent(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &name); err != nil {
		return nil, err
	}
	return starlark.Bool(Present(dottedPath(name), g.state, g.ctx)), nil
}

// getattr is Globus's getattr('dotted.name', default): the value, or the default (None).
func (g *guard) getattr(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var def starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &name, &def); err != nil {
		return nil, err
	}
	v, err := g.lookup(dottedPath(name))
	if err != nil {
		return def, nil
	}
	return toStarlark(v)
}

// pathsplit splits a path into [head, tail]; Globus's home root "/~/" is never split.
func pathsplit(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var p string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &p); err != nil {
		return nil, err
	}
	head, tail := PathSplit(p)
	return starlark.NewList([]starlark.Value{starlark.String(head), starlark.String(tail)}), nil
}

// PathSplit is Python's os.path.split, keeping Globus's home root "/~/" whole.
func PathSplit(p string) (string, string) {
	i := strings.LastIndex(p, "/")
	head, tail := p[:i+1], p[i+1:]
	if trimmed := strings.TrimRight(head, "/"); trimmed != "" {
		head = trimmed
	}
	if head == "/~" {
		head = "/~/"
	}
	return head, tail
}

// toStarlark converts a JSON value (numbers as json.Number or float64) into a frozen Starlark value.
func toStarlark(v any) (starlark.Value, error) {
	switch x := v.(type) {
	case nil:
		return starlark.None, nil
	case bool:
		return starlark.Bool(x), nil
	case string:
		return starlark.String(x), nil
	case json.Number:
		if i, ok := new(big.Int).SetString(string(x), 10); ok {
			return starlark.MakeBigInt(i), nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, err
		}
		return starlark.Float(f), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return starlark.MakeInt64(int64(x)), nil
		}
		return starlark.Float(x), nil
	case int:
		return starlark.MakeInt(x), nil
	case int64:
		return starlark.MakeInt64(x), nil
	case []any:
		elems := make([]starlark.Value, len(x))
		for i, e := range x {
			sv, err := toStarlark(e)
			if err != nil {
				return nil, err
			}
			elems[i] = sv
		}
		l := starlark.NewList(elems)
		l.Freeze()
		return l, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		d := starlark.NewDict(len(x))
		for _, k := range keys {
			sv, err := toStarlark(x[k])
			if err != nil {
				return nil, err
			}
			_ = d.SetKey(starlark.String(k), sv)
		}
		d.Freeze()
		return d, nil
	}
	return nil, fmt.Errorf("unsupported value of type %T", v)
}

// fromStarlark converts an expression result back into JSON, refusing values that are not JSON
// and values larger than limit (counted as sizeOf does).
func fromStarlark(v starlark.Value, limit int) (any, error) {
	if sizeOf(v, limit) > limit {
		return nil, errTooLarge
	}
	return convertBack(v)
}

func convertBack(v starlark.Value) (any, error) {
	switch x := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case starlark.Bool:
		return bool(x), nil
	case starlark.String:
		return string(x), nil
	case starlark.Int:
		return json.Number(x.String()), nil
	case starlark.Float:
		f := float64(x)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("the result %v is not a JSON number", f)
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	case *starlark.List:
		out := make([]any, x.Len())
		for i := 0; i < x.Len(); i++ {
			e, err := convertBack(x.Index(i))
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case starlark.Tuple:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := convertBack(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case *starlark.Dict:
		out := make(map[string]any, x.Len())
		for _, kv := range x.Items() {
			k, ok := kv[0].(starlark.String)
			if !ok {
				return nil, fmt.Errorf("a JSON object key must be a string, not %s", kv[0].Type())
			}
			c, err := convertBack(kv[1])
			if err != nil {
				return nil, err
			}
			out[string(k)] = c
		}
		return out, nil
	}
	return nil, fmt.Errorf("the result of type %s is not a JSON value", v.Type())
}
