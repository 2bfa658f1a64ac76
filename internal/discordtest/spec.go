package discordtest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// requestSchemas is the part of Discord's OpenAPI spec (spec/openapi.json.gz,
// see spec/README.md) that describes the requests the fake serves, as one
// JSON Schema document: spec/requests.json, written by gen_requests.go.
// Checking requests against it with a JSON Schema validator, rather than
// against the whole spec with an OpenAPI library, keeps cold builds fast.
//
//go:generate go run gen_requests.go
//go:embed spec/requests.json
var requestSchemas []byte

// requestSchemasURL names the document inside the schema compiler.
const requestSchemasURL = "https://stretchbot.invalid/discordtest/requests.json"

// openAPI checks requests against the spec's request schemas. It is built
// once per process (loadOpenAPI) and shared by every Fake; it is safe for
// concurrent use.
type openAPI struct {
	ops map[string]*operation // by "METHOD /template"
	// loadTime is how long compiling the schemas took, logged by the
	// package's tests to keep an eye on it.
	loadTime time.Duration
}

// operation is one served route's request schema.
type operation struct {
	schema *jsonschema.Schema
	// queryTypes is the JSON type of each declared query parameter
	// ("boolean", "integer", ...), to decode its text before validating.
	queryTypes map[string]string
}

// loadOpenAPI compiles the request schemas the first time it is called and
// returns the same checker afterwards.
var loadOpenAPI = sync.OnceValues(func() (*openAPI, error) {
	start := time.Now()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(requestSchemas))
	if err != nil {
		return nil, fmt.Errorf("decoding spec/requests.json: %w", err)
	}
	c := jsonschema.NewCompiler()
	// Formats are not asserted (JSON Schema 2020-12's default), as before:
	// the spec's "snowflake" and "int32" formats carry a pattern or bounds
	// where they matter.
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(requestSchemasURL, doc); err != nil {
		return nil, fmt.Errorf("spec/requests.json: %w", err)
	}
	root, _ := doc.(map[string]any)
	names, _ := root["x-routes"].(map[string]any)
	defs, _ := root["$defs"].(map[string]any)
	o := &openAPI{ops: map[string]*operation{}}
	for _, r := range routes {
		key := r.method + " " + r.template
		name, ok := names[key].(string)
		if !ok {
			return nil, fmt.Errorf("spec/requests.json has no operation %s, which the fake serves: run go generate ./internal/discordtest", key)
		}
		sch, err := c.Compile(requestSchemasURL + "#/$defs/" + name)
		if err != nil {
			return nil, fmt.Errorf("compiling the request schema of %s: %w", key, err)
		}
		op := &operation{schema: sch, queryTypes: map[string]string{}}
		query := asMap(asMap(asMap(defs[name])["properties"])["query"])
		for p, s := range asMap(query["properties"]) {
			op.queryTypes[p] = jsonType(asMap(s)["type"])
		}
		o.ops[key] = op
	}
	o.loadTime = time.Since(start)
	return o, nil
})

// jsonType is the non-null type a schema's "type" names ("string" when it
// names none).
func jsonType(t any) string {
	switch t := t.(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && s != "null" {
				return s
			}
		}
	}
	return "string"
}

// check validates one request of a served route against the spec: path and
// query parameters and the JSON body, seen together as one object
// {"path": ..., "query": ..., "body": ...}. For multipart/form-data requests
// body is the payload_json part, checked as the operation's application/json
// body: the spec describes multipart bodies as the JSON body's fields plus
// files[n] parts, which is not how discordgo (or Discord's documentation)
// sends them, and Discord reads payload_json as the JSON body. Headers are
// not checked: the served operations declare none, and the token is checked
// by hand. It returns nil when the request conforms, else a 400/50035 error
// whose tree holds the validator's messages.
func (o *openAPI) check(method, template string, params map[string]string, query url.Values, body []byte) *APIError {
	op := o.ops[method+" "+template]
	path := map[string]any{}
	for k, v := range params {
		path[k] = v
	}
	q := map[string]any{}
	for k, vs := range query {
		q[k] = queryValue(vs[0], op.queryTypes[k])
	}
	req := map[string]any{"path": path, "query": q}
	if len(body) > 0 {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
		if err != nil {
			return errInvalidJSON()
		}
		req["body"] = v
	}
	err := op.schema.Validate(req)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		var fe formErrors
		fe.add("", "OPENAPI_INVALID", "openapi: "+err.Error())
		return fe.apiError()
	}
	return specError(ve)
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// queryValue decodes a query parameter's text as its declared type, the
// way OpenAPI's form style does; text that is not of that type stays a
// string, which the schema then refuses.
func queryValue(s, typ string) any {
	switch typ {
	case "boolean":
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	case "integer", "number":
		if jsonNumber.MatchString(s) {
			return json.Number(s)
		}
	}
	return s
}

// specError turns the validator's error into Discord's Invalid Form Body
// error, each message under the path of the offending field: a body field
// at its path in the body, a path or query parameter under its name, as
// Discord files them.
func specError(ve *jsonschema.ValidationError) *APIError {
	var fe formErrors
	for _, f := range relevantFailures(flatten(ve.DetailedOutput(), nil)) {
		fe.add(f.path, f.code, "openapi: "+f.msg)
	}
	if len(fe.tree) == 0 {
		// The validator said no without saying why; still a rejection.
		fe.add("", "OPENAPI_INVALID", "openapi: request does not match the spec")
	}
	return fe.apiError()
}

// schemaFailure is one leaf of the validator's output.
type schemaFailure struct {
	instancePath    []string // in the request object: "body", "data", "tts"
	keywordLocation string   // in the schema: ".../properties/tts/type"
	reason          string   // "got string, want boolean"
}

// ignoredReason matches the validator's summaries of a union or of the
// whole validation, which say nothing about a field.
var ignoredReason = regexp.MustCompile(`^'?(anyOf|allOf|oneOf|validation)'? failed(, none matched)?$`)

// flatten collects the leaves of the validator's detailed output.
func flatten(u *jsonschema.OutputUnit, out []schemaFailure) []schemaFailure {
	if u.Error != nil {
		if reason := u.Error.String(); !ignoredReason.MatchString(reason) {
			out = append(out, schemaFailure{
				instancePath:    pointerTokens(u.InstanceLocation),
				keywordLocation: u.KeywordLocation,
				reason:          reason,
			})
		}
	}
	for i := range u.Errors {
		out = flatten(&u.Errors[i], out)
	}
	return out
}

// pointerTokens splits a JSON pointer (RFC 6901) into its unescaped tokens.
func pointerTokens(p string) []string {
	if p == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}

// fieldPath is where Discord files an error about the request object's
// instance path: body fields by their path in the body, parameters by name.
func fieldPath(instance []string) string {
	if len(instance) == 0 {
		return ""
	}
	return joinPath(instance[1:]...)
}

// failure is one schema failure placed in Discord's error tree.
type failure struct {
	path, code, msg string
}

var (
	quoted       = regexp.MustCompile(`'([^']+)'`)
	valueMustBe  = regexp.MustCompile(`^value must be (.+)$`)
	typeKeywords = regexp.MustCompile(`/properties/type/(enum|const)$`)
	branchType   = regexp.MustCompile(`^(.*/(?:oneOf|anyOf)/\d+)(?:/\$ref)?/type$`)
)

// relevantFailures picks the failures that explain a rejection. Discord's
// spec describes components, callbacks and webhook bodies as unions
// (oneOf/anyOf), so a wrong button style also fails every other union
// branch: "value must be 3" for the type of a string select, "missing
// property 'options'", and so on. A branch whose "type" discriminator (or
// JSON type) does not match is one the request never meant, so its failures
// are dropped; if that leaves nothing, every failure is kept. Failures at
// one path are merged ("value must be one of 1, 2, 3").
func relevantFailures(fs []schemaFailure) []failure {
	var wrong []string
	for _, f := range fs {
		kw := f.keywordLocation
		if loc := typeKeywords.FindStringIndex(kw); loc != nil && len(f.instancePath) > 0 && f.instancePath[len(f.instancePath)-1] == "type" {
			wrong = append(wrong, strings.TrimSuffix(kw[:loc[0]], "/$ref"))
		} else if m := branchType.FindStringSubmatch(kw); m != nil {
			wrong = append(wrong, m[1])
		}
	}
	inWrong := func(kw string) bool {
		for _, w := range wrong {
			if kw == w || strings.HasPrefix(kw, w+"/") {
				return true
			}
		}
		return false
	}
	var kept []schemaFailure
	for _, f := range fs {
		if !inWrong(f.keywordLocation) {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		kept = fs
	}

	type key struct{ path, code string }
	msgs := map[key][]string{}
	var order []key
	add := func(k key, m string) {
		if _, seen := msgs[k]; !seen {
			order = append(order, k)
		}
		for _, old := range msgs[k] {
			if old == m {
				return
			}
		}
		msgs[k] = append(msgs[k], m)
	}
	for _, f := range kept {
		path := fieldPath(f.instancePath)
		keyword := f.keywordLocation[strings.LastIndex(f.keywordLocation, "/")+1:]
		if keyword == "required" && len(f.instancePath) == 0 {
			// Only the body can be missing from the request object.
			add(key{"", "BASE_TYPE_REQUIRED"}, "a request body is required")
			continue
		}
		if keyword == "required" {
			// Discord reports a missing field at the field itself.
			for _, m := range quoted.FindAllStringSubmatch(f.reason, -1) {
				add(key{joinPath(path, m[1]), "BASE_TYPE_REQUIRED"}, "this field is required")
			}
			continue
		}
		add(key{path, keywordCode(keyword)}, f.reason)
	}
	out := make([]failure, 0, len(order))
	for _, k := range order {
		out = append(out, failure{path: k.path, code: k.code, msg: mergeMessages(msgs[k])})
	}
	return out
}

// mergeMessages joins the messages for one field, folding the one-per-branch
// "value must be N" of an enum written as oneOf of consts into one list.
func mergeMessages(ms []string) string {
	var values, rest []string
	for _, m := range ms {
		if v := valueMustBe.FindStringSubmatch(m); v != nil {
			values = append(values, strings.TrimPrefix(v[1], "one of "))
		} else {
			rest = append(rest, m)
		}
	}
	sort.Strings(values)
	switch len(values) {
	case 0:
	case 1:
		rest = append(rest, "value must be "+values[0])
	default:
		rest = append(rest, "value must be one of "+strings.Join(values, ", "))
	}
	return strings.Join(rest, "; ")
}

// keywordCode names a JSON-schema keyword's failure with the code Discord
// uses for the same kind of error.
func keywordCode(keyword string) string {
	switch keyword {
	case "const", "enum", "oneOf", "anyOf":
		return "BASE_TYPE_CHOICES"
	case "maxLength", "minLength", "maxItems", "minItems":
		return "BASE_TYPE_BAD_LENGTH"
	case "maximum", "exclusiveMaximum":
		return "NUMBER_TYPE_MAX"
	case "minimum", "exclusiveMinimum":
		return "NUMBER_TYPE_MIN"
	case "type":
		return "BASE_TYPE_INVALID"
	}
	return "OPENAPI_" + strings.ToUpper(keyword)
}
