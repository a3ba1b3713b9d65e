package registered

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// Calling a registered API from an Action state (docs.globus.org "Registered APIs": a Handler
// {"Type": "RegisteredAPI", "Id": ...}): the state's Parameters nest the request's inputs under
// the place they go — "path", "query", "header" and "body" — and the request goes to the
// destination's method and URL template.

// Request is one call of a registered API.
type Request struct {
	Method  string
	URL     string
	Header  map[string]string
	Body    any
	HasBody bool
}

var placements = []string{"path", "query", "header", "body"}

// parameters lists the specification's parameters at a place (OpenAPI "in").
func (a API) parameters(in string) (names, required []string, schemas map[string]any) {
	schemas = map[string]any{}
	list, _ := a.Target.Specification["parameters"].([]any)
	for _, raw := range list {
		p, _ := raw.(map[string]any)
		if p["in"] != in {
			continue
		}
		name, _ := p["name"].(string)
		names = append(names, name)
		if req, _ := p["required"].(bool); req || in == "path" {
			required = append(required, name)
		}
		if s, ok := p["schema"]; ok {
			schemas[name] = s
		} else {
			schemas[name] = map[string]any{}
		}
	}
	return names, required, schemas
}

// Request builds the call an Action state's Parameters ask for.
func (a API) Request(params map[string]any) (Request, error) {
	for k := range params {
		if !slices.Contains(placements, k) {
			return Request{}, fmt.Errorf("Parameters of a registered API call take path, query, header and body; %q is not one of them", k)
		}
	}
	section := func(name string) (map[string]any, error) {
		v, ok := params[name]
		if !ok {
			return map[string]any{}, nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("Parameters.%s must be an object", name)
		}
		return m, nil
	}
	req := Request{Method: strings.ToUpper(a.Target.Destination.Method), URL: a.Target.Destination.URL, Header: map[string]string{}}
	path, err := section("path")
	if err != nil {
		return Request{}, err
	}
	for name, v := range path {
		req.URL = strings.ReplaceAll(req.URL, "{"+name+"}", url.PathEscape(fmt.Sprint(v)))
	}
	if i := strings.Index(req.URL, "{"); i >= 0 {
		j := strings.Index(req.URL[i:], "}")
		if j > 0 {
			return Request{}, fmt.Errorf("Parameters.path.%s is required by the destination %s", req.URL[i+1:i+j], a.Target.Destination.URL)
		}
	}
	query, err := section("query")
	if err != nil {
		return Request{}, err
	}
	_, requiredQuery, _ := a.parameters("query")
	for _, name := range requiredQuery {
		if _, ok := query[name]; !ok {
			return Request{}, fmt.Errorf("Parameters.query.%s is required by the registered API", name)
		}
	}
	if len(query) > 0 {
		values := url.Values{}
		keys := make([]string, 0, len(query))
		for k := range query {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch v := query[k].(type) {
			case []any:
				for _, item := range v {
					values.Add(k, fmt.Sprint(item))
				}
			default:
				values.Add(k, fmt.Sprint(v))
			}
		}
		sep := "?"
		if strings.Contains(req.URL, "?") {
			sep = "&"
		}
		req.URL += sep + values.Encode()
	}
	header, err := section("header")
	if err != nil {
		return Request{}, err
	}
	for k, v := range header {
		req.Header[k] = fmt.Sprint(v)
	}
	req.Body, req.HasBody = params["body"]
	return req, nil
}

// StateInputSchema is the JSON Schema of the Parameters a call takes, from the specification.
func (a API) StateInputSchema() map[string]any {
	props := map[string]any{}
	var required []any
	for _, in := range []string{"path", "query", "header"} {
		names, req, schemas := a.parameters(in)
		if len(names) == 0 {
			continue
		}
		sec := map[string]any{"type": "object", "properties": schemas}
		if len(req) > 0 {
			sec["required"] = req
			required = append(required, in)
		}
		props[in] = sec
	}
	if rb, ok := a.Target.Specification["requestBody"].(map[string]any); ok {
		content, _ := rb["content"].(map[string]any)
		media, _ := content["application/json"].(map[string]any)
		schema, ok := media["schema"]
		if !ok {
			schema = map[string]any{}
		}
		props["body"] = schema
		if req, _ := rb["required"].(bool); req {
			required = append(required, "body")
		}
	}
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// DataTemplates says how a call's request is made from the state's Parameters and what becomes
// of the response: a 2XX body is the action's result; anything else raises ActionUnableToRun.
func (a API) DataTemplates() map[string]any {
	request := map[string]any{}
	for _, in := range placements {
		request[in] = map[string]any{"$T_ref": "$." + in}
	}
	return map[string]any{
		"request": map[string]any{"template": request},
		"response": map[string]any{
			"2XX":     map[string]any{"template": map[string]any{"$T_ref": "$.body"}, "type": "success"},
			"default": map[string]any{"template": map[string]any{"cause": map[string]any{"$T_ref": "$.body"}, "exception": "ActionUnableToRun"}, "type": "failure"},
		},
	}
}

// Scope is what the operation's OpenAPI security requirement asks of a caller: the scopes of its
// first OAuth 2 or OpenID Connect requirement (listed in the requirement, else every scope its
// scheme's flows declare), space-separated. The mock calls the destination with a token minted for
// them on the run user's behalf; with none, the call carries no token.
func (a API) Scope() string {
	reqs, _ := a.Target.Specification["security"].([]any)
	schemes, _ := a.Target.Components["securitySchemes"].(map[string]any)
	for _, raw := range reqs {
		req, _ := raw.(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(req)) {
			scheme, _ := schemes[name].(map[string]any)
			if t, _ := scheme["type"].(string); t != "oauth2" && t != "openIdConnect" {
				continue
			}
			var scopes []string
			listed, _ := req[name].([]any)
			for _, s := range listed {
				if str, ok := s.(string); ok {
					scopes = append(scopes, str)
				}
			}
			if len(scopes) == 0 {
				flows, _ := scheme["flows"].(map[string]any)
				for _, f := range flows {
					flow, _ := f.(map[string]any)
					declared, _ := flow["scopes"].(map[string]any)
					for s := range declared {
						if !slices.Contains(scopes, s) {
							scopes = append(scopes, s)
						}
					}
				}
				sort.Strings(scopes)
			}
			if len(scopes) > 0 {
				return strings.Join(scopes, " ")
			}
		}
	}
	return ""
}
