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
// {"Type": "RegisteredAPI", "Id": ...}): the state's Parameters are the registered API's
// state_input_schema, flat as Flows shows it (SDK fixture get_registered_api): each of the
// specification's parameters by its name, and the request body as "body". The data templates
// say where each goes: the path, query and header parameters are taken by name from the whole
// input ("$"), the body from "$.body". The request goes to the destination's method and URL
// template, whose variables are filled from the input by name.

// Request is one call of a registered API.
type Request struct {
	Method  string
	URL     string
	Header  map[string]string
	Body    any
	HasBody bool
}

// places are where the specification's parameters go (OpenAPI "in"); a cookie parameter is not
// sent.
var places = []string{"path", "query", "header"}

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

// templateVariables are the names in braces of the destination's URL template.
func (a API) templateVariables() []string {
	var out []string
	rest := a.Target.Destination.URL
	for {
		i := strings.Index(rest, "{")
		if i < 0 {
			return out
		}
		j := strings.Index(rest[i:], "}")
		if j < 0 {
			return out
		}
		out = append(out, rest[i+1:i+j])
		rest = rest[i+j+1:]
	}
}

// requestBody is the JSON schema of the specification's request body, if it has one.
func (a API) requestBody() (schema any, required, ok bool) {
	rb, ok := a.Target.Specification["requestBody"].(map[string]any)
	if !ok {
		return nil, false, false
	}
	content, _ := rb["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	schema, found := media["schema"]
	if !found {
		schema = map[string]any{}
	}
	required, _ = rb["required"].(bool)
	return schema, required, true
}

// Request builds the call an Action state's Parameters ask for.
func (a API) Request(params map[string]any) (Request, error) {
	req := Request{Method: strings.ToUpper(a.Target.Destination.Method), URL: a.Target.Destination.URL, Header: map[string]string{}}
	for _, name := range a.templateVariables() {
		v, ok := params[name]
		if !ok {
			return Request{}, fmt.Errorf("Parameters.%s is required by the destination %s", name, a.Target.Destination.URL)
		}
		req.URL = strings.ReplaceAll(req.URL, "{"+name+"}", url.PathEscape(fmt.Sprint(v)))
	}
	names, required, _ := a.parameters("query")
	for _, name := range required {
		if _, ok := params[name]; !ok {
			return Request{}, fmt.Errorf("Parameters.%s is required by the registered API", name)
		}
	}
	values := url.Values{}
	for _, name := range slices.Sorted(slices.Values(names)) {
		switch v := params[name].(type) {
		case nil:
		case []any:
			for _, item := range v {
				values.Add(name, fmt.Sprint(item))
			}
		default:
			values.Add(name, fmt.Sprint(v))
		}
	}
	if len(values) > 0 {
		sep := "?"
		if strings.Contains(req.URL, "?") {
			sep = "&"
		}
		req.URL += sep + values.Encode()
	}
	headers, required, _ := a.parameters("header")
	for _, name := range required {
		if _, ok := params[name]; !ok {
			return Request{}, fmt.Errorf("Parameters.%s is required by the registered API", name)
		}
	}
	for _, name := range headers {
		if v, ok := params[name]; ok {
			req.Header[name] = fmt.Sprint(v)
		}
	}
	req.Body, req.HasBody = params["body"]
	return req, nil
}

// StateInputSchema is the JSON Schema of the Parameters a call takes: the specification's
// parameters by name, and its request body as "body".
func (a API) StateInputSchema() map[string]any {
	props := map[string]any{}
	var required []any
	for _, in := range places {
		_, req, schemas := a.parameters(in)
		maps.Copy(props, schemas)
		for _, name := range req {
			required = append(required, name)
		}
	}
	for _, name := range a.templateVariables() {
		if _, ok := props[name]; !ok {
			props[name] = map[string]any{"type": "string"}
			required = append(required, name)
		}
	}
	if schema, req, ok := a.requestBody(); ok {
		props["body"] = schema
		if req {
			required = append(required, "body")
		}
	}
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// DataTemplates say how a call's request is made from the state's Parameters (each place takes
// its parameters by name from the whole input, the body from "body") and what becomes of the
// response: a 2XX body is the action's result; anything else raises ActionUnableToRun.
func (a API) DataTemplates() map[string]any {
	request := map[string]any{}
	for _, in := range places {
		if names, _, _ := a.parameters(in); len(names) > 0 || (in == "path" && len(a.templateVariables()) > 0) {
			request[in] = map[string]any{"$T_ref": "$"}
		}
	}
	if _, _, ok := a.requestBody(); ok {
		request["body"] = map[string]any{"$T_ref": "$.body"}
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
