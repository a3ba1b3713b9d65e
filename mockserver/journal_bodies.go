package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/url"
	"regexp"
)

// The journal keeps the first bodyKeep bytes of each request and answer body; a listing with
// ?bodies=true shows them with every token and secret masked, so a journal read over a shared
// screen or pasted into a bug report gives no credential away.
const bodyKeep = 16 << 10

// mask is what a secret is shown as.
const mask = "***"

// secretKeys are the JSON keys whose values are credentials, at any depth.
var secretKeys = map[string]bool{"access_token": true, "refresh_token": true, "id_token": true, "client_secret": true,
	"code_verifier": true, "password": true, "token": true, "secret": true}

// secretParams are the form parameters that are credentials (a token request's code too).
var secretParams = map[string]bool{"client_secret": true, "code": true, "code_verifier": true, "refresh_token": true,
	"token": true, "password": true, "access_token": true}

// secretText masks what looks like a credential in a body that could not be parsed (cut short).
var secretText = regexp.MustCompile(`("(?:access_token|refresh_token|id_token|client_secret|code_verifier|password|token|secret)"\s*:\s*)"[^"]*"?` +
	`|\b((?:client_secret|code|code_verifier|refresh_token|token|password|access_token)=)[^&\s]*` + `|\btok-[A-Za-z0-9_.-]+`)

// tap keeps the start of a request body as the handler reads it.
type tap struct {
	io.ReadCloser
	into *rawBody
}

func (t tap) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	t.into.keep(p[:n])
	return n, err
}

// keep appends what fits of a part of the body.
func (b *rawBody) keep(p []byte) {
	b.size += len(p)
	if room := bodyKeep - len(b.data); room > 0 {
		b.data = append(b.data, p[:min(room, len(p))]...)
	}
}

// shown is the body as a listing shows it: JSON as JSON, a form as its encoded text, anything
// else (or a body cut short) as text; each with its secrets masked. Nil when there was none.
func (b rawBody) shown() any {
	if b.size == 0 {
		return nil
	}
	cut := b.size > len(b.data)
	mt, _, _ := mime.ParseMediaType(b.contentType)
	if !cut {
		switch mt {
		case "application/json":
			var v any
			d := json.NewDecoder(bytes.NewReader(b.data))
			d.UseNumber()
			if d.Decode(&v) == nil {
				return maskJSON(v)
			}
		case "application/x-www-form-urlencoded":
			if q, err := url.ParseQuery(string(b.data)); err == nil {
				for k, vs := range q {
					if secretParams[k] {
						for i := range vs {
							vs[i] = mask
						}
					}
				}
				return q.Encode()
			}
		}
	}
	text := secretText.ReplaceAllStringFunc(string(b.data), func(m string) string {
		sub := secretText.FindStringSubmatch(m)
		switch {
		case sub[1] != "":
			return sub[1] + `"` + mask + `"`
		case sub[2] != "":
			return sub[2] + mask
		}
		return mask
	})
	if cut {
		text += fmt.Sprintf("… (%d bytes in all)", b.size)
	}
	return text
}

// maskJSON replaces the values of secret keys, at any depth.
func maskJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if secretKeys[k] {
				if _, isString := val.(string); isString {
					x[k] = mask
					continue
				}
			}
			x[k] = maskJSON(val)
		}
	case []any:
		for i := range x {
			x[i] = maskJSON(x[i])
		}
	}
	return v
}
