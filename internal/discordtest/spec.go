package discordtest

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// specGzip is Discord's OpenAPI 3.1 description of its HTTP API, gzipped
// (see spec/README.md for where it comes from, spec/LICENSE for its licence).
// It is embedded so that tests need nothing outside the repository.
//
//go:embed spec/openapi.json.gz
var specGzip []byte

// specServer is the API root the spec's paths are relative to (its
// servers[0]). The fake serves v9 too, which discordgo v0.29.0 uses; the v9
// and v10 request formats of the routes the fake serves are the same, so
// every request is checked as a v10 one.
const specServer = "https://discord.com/api/v10"

// openAPI checks requests against the spec. It is built once per process
// (loadOpenAPI) and shared by every Fake; it is safe for concurrent use.
type openAPI struct {
	v     validator.Validator
	items map[string]*v3.PathItem // by route template
	// loadTime is how long parsing the spec and compiling its schemas took,
	// logged by the package's tests to keep an eye on it.
	loadTime time.Duration
}

// loadOpenAPI parses the embedded spec the first time it is called and
// returns the same validator afterwards: parsing and compiling the schemas
// takes about a second (several under -race), too much for every Fake.
var loadOpenAPI = sync.OnceValues(func() (*openAPI, error) {
	start := time.Now()
	doc, err := servedSpec()
	if err != nil {
		return nil, err
	}
	d, err := libopenapi.NewDocument(doc)
	if err != nil {
		return nil, fmt.Errorf("parsing the OpenAPI spec: %w", err)
	}
	model, err := d.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("building the OpenAPI model: %w", err)
	}
	// Security is not checked from the spec: the fake checks the exact
	// "Bot <token>" value by hand, which the spec cannot express (it only
	// says a BotToken header is wanted, and interaction routes need none).
	v := validator.NewValidatorFromV3Model(&model.Model, config.WithoutSecurityValidation())
	o := &openAPI{v: v, items: map[string]*v3.PathItem{}}
	for _, r := range routes {
		item, ok := model.Model.Paths.PathItems.Get(r.template)
		if !ok || item.GetOperations().GetOrZero(strings.ToLower(r.method)) == nil {
			return nil, fmt.Errorf("the OpenAPI spec has no operation %s %s, which the fake serves", r.method, r.template)
		}
		o.items[r.template] = item
	}
	o.loadTime = time.Since(start)
	return o, nil
})

// servedSpec returns the embedded spec cut down to what the fake needs: the
// paths it serves, without their responses (only requests are checked) and
// with JSON request bodies only. The validator compiles every schema of
// every operation up front, which for the whole spec takes several seconds
// (tens under -race); the components stay whole, so every schema a served
// request refers to is there.
func servedSpec() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(specGzip))
	if err != nil {
		return nil, fmt.Errorf("reading the embedded OpenAPI spec: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("reading the embedded OpenAPI spec: %w", err)
	}
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("decoding the embedded OpenAPI spec: %w", err)
	}
	all, _ := spec["paths"].(map[string]any)
	served := map[string]any{}
	for _, r := range routes {
		item, ok := all[r.template].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("the OpenAPI spec has no path %s, which the fake serves", r.template)
		}
		for _, op := range item {
			m, ok := op.(map[string]any)
			if !ok {
				continue
			}
			delete(m, "responses")
			// Bodies are always checked as JSON (see check), so the
			// urlencoded and multipart variants, each compiled on its
			// own, would only slow the start.
			if content := asMap(asMap(m["requestBody"])["content"]); content != nil {
				for mt := range content {
					if mt != "application/json" {
						delete(content, mt)
					}
				}
			}
		}
		served[r.template] = item
	}
	spec["paths"] = served
	if err := applyAllowances(spec); err != nil {
		return nil, err
	}
	return json.Marshal(spec)
}

// check validates one request of a served route against the spec: path and
// query parameters, headers the spec declares, and the JSON body. For
// multipart/form-data requests body is the payload_json part, checked as
// the operation's application/json body: the spec describes multipart
// bodies as the JSON body's fields plus files[n] parts, which is not how
// discordgo (or Discord's documentation) sends them, and Discord reads
// payload_json as the JSON body. It returns nil when the request conforms,
// else a 400/50035 error whose tree holds the validator's messages.
func (o *openAPI) check(method, template, path string, query url.Values, header http.Header, body []byte) *APIError {
	u := specServer + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader = http.NoBody
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return &APIError{Status: http.StatusBadRequest, Code: 0, Message: "discordtest: " + err.Error()}
	}
	req.Header = header.Clone()
	req.Header.Del("Content-Type")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ok, errs := o.v.ValidateHttpRequestSyncWithPathItem(req, o.items[template], template); !ok {
		return specError(errs)
	}
	return nil
}

// specError turns the validator's errors into Discord's Invalid Form Body
// error, each message under the path of the offending field.
func specError(errs []*verrors.ValidationError) *APIError {
	var fe formErrors
	for _, e := range errs {
		if len(e.SchemaValidationErrors) == 0 {
			msg := e.Message
			if e.Reason != "" {
				msg += ": " + e.Reason
			}
			fe.add(e.ParameterName, "OPENAPI_"+strings.ToUpper(e.ValidationType), "openapi: "+msg)
			continue
		}
		// Discord files parameter errors under the parameter's name; the
		// validator gives query failures that path, path failures none.
		for _, f := range relevantFailures(e.SchemaValidationErrors) {
			p := f.path
			if e.ParameterName != "" && p != e.ParameterName && !strings.HasPrefix(p, e.ParameterName+".") {
				p = joinPath(e.ParameterName, p)
			}
			fe.add(p, f.code, "openapi: "+f.msg)
		}
	}
	if len(fe.tree) == 0 {
		// The validator said no without saying why; still a rejection.
		fe.add("", "OPENAPI_INVALID", "openapi: request does not match the spec")
	}
	return fe.apiError()
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
func relevantFailures(fs []*verrors.SchemaValidationFailure) []failure {
	var wrong []string
	for _, f := range fs {
		kw := f.KeywordLocation
		if loc := typeKeywords.FindStringIndex(kw); loc != nil && len(f.InstancePath) > 0 && f.InstancePath[len(f.InstancePath)-1] == "type" {
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
	var kept []*verrors.SchemaValidationFailure
	for _, f := range fs {
		if !inWrong(f.KeywordLocation) {
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
		path := joinPath(f.InstancePath...)
		keyword := f.KeywordLocation[strings.LastIndex(f.KeywordLocation, "/")+1:]
		if keyword == "required" {
			// Discord reports a missing field at the field itself.
			for _, m := range quoted.FindAllStringSubmatch(f.Reason, -1) {
				add(key{joinPath(path, m[1]), "BASE_TYPE_REQUIRED"}, "this field is required")
			}
			continue
		}
		add(key{path, keywordCode(keyword)}, f.Reason)
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

// allowance is a known, deliberate difference between the spec and what
// Discord accepts from the bot: a narrow change to one schema, with the
// reason it is right. There is no switch to turn the OpenAPI check off.
type allowance struct {
	// pointer is a JSON pointer into the spec ("/components/schemas/X/...").
	pointer string
	// apply changes the object found there.
	apply func(node map[string]any) error
	// reason says why Discord accepts what the spec refuses, with a source.
	reason string
}

// allowances are the known-benign deviations: requests that discordgo
// sends, that real Discord accepts, and that the spec is stricter about.
var allowances = []allowance{
	{
		pointer: "/paths/~1webhooks~1{webhook_id}~1{webhook_token}~1messages~1{message_id}",
		apply:   allowPathValue("message_id", "@original"),
		reason: "Discord's docs (Receiving and Responding: Get/Edit/Delete Original Interaction Response) " +
			"address the initial response as messages/@original, and discordgo's InteractionResponseEdit " +
			"and InteractionResponseDelete do; the spec types message_id as a snowflake only.",
	},
	{
		pointer: "/components/schemas/ApplicationCommandUpdateRequest/properties/default_member_permissions",
		apply:   allowDecimalString,
		reason: "Discord's docs (Application Command Object) type default_member_permissions as ?string, " +
			"permissions being bit sets serialized as strings everywhere in the API; discordgo sends it " +
			"with the ,string option (\"32\"). The spec only allows an integer or null.",
	},
	{
		pointer: "/components/schemas/MessageAttachmentRequest/properties/id",
		apply:   allowUploadIndex,
		reason: "Discord's docs (Reference: Uploading Files) give a new upload's attachment id as the " +
			"integer index n of its files[n] part (\"id\": 0 in their example), and Discord accepts it; " +
			"the bot sends it so. The spec only allows a snowflake string.",
	},
}

// allowUploadIndex lets an attachment id also be the integer index of a
// files[n] part of the same request (0 to 9, the parts the spec lists).
func allowUploadIndex(schema map[string]any) error {
	if schema["$ref"] == nil {
		return fmt.Errorf("expected a $ref to SnowflakeType")
	}
	orig := map[string]any{"$ref": schema["$ref"]}
	delete(schema, "$ref")
	schema["anyOf"] = []any{orig, map[string]any{"type": "integer", "minimum": 0, "maximum": 9}}
	return nil
}

// allowDecimalString lets an integer schema also be the integer written as
// a decimal string (no sign, no leading zeros), as Discord accepts for
// 64-bit integers such as permission sets.
func allowDecimalString(schema map[string]any) error {
	if schema["type"] == nil {
		return fmt.Errorf("no type to widen")
	}
	orig := map[string]any{}
	for k, v := range schema {
		orig[k] = v
		delete(schema, k)
	}
	schema["anyOf"] = []any{orig, map[string]any{"type": "string", "pattern": "^(0|[1-9][0-9]{0,19})$"}}
	return nil
}

// allowPathValue lets the path parameter name of a path item also be the
// literal value, besides what its schema allows.
func allowPathValue(name, value string) func(item map[string]any) error {
	return func(item map[string]any) error {
		for _, p := range asList(item["parameters"]) {
			pm := asMap(p)
			if pm["name"] != name || pm["in"] != "path" {
				continue
			}
			// The validator checks path parameters by their schema's
			// type, so the widened schema keeps one.
			pm["schema"] = map[string]any{"type": "string", "anyOf": []any{pm["schema"], map[string]any{"const": value}}}
			return nil
		}
		return fmt.Errorf("no path parameter %q", name)
	}
}

// applyAllowances applies allowances to the decoded spec.
func applyAllowances(spec map[string]any) error {
	for _, a := range allowances {
		node, err := lookupPointer(spec, a.pointer)
		if err != nil {
			return fmt.Errorf("allowance %s: %w", a.pointer, err)
		}
		if err := a.apply(node); err != nil {
			return fmt.Errorf("allowance %s: %w", a.pointer, err)
		}
	}
	return nil
}

// lookupPointer finds the object at a JSON pointer (RFC 6901).
func lookupPointer(doc map[string]any, pointer string) (map[string]any, error) {
	var node any = doc
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch n := node.(type) {
		case map[string]any:
			next, ok := n[tok]
			if !ok {
				return nil, fmt.Errorf("no %q in the spec (has it changed?)", tok)
			}
			node = next
		case []any:
			var i int
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(n) {
				return nil, fmt.Errorf("no index %q in the spec (has it changed?)", tok)
			}
			node = n[i]
		default:
			return nil, fmt.Errorf("%q is not inside an object or array", tok)
		}
	}
	m, ok := node.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not an object")
	}
	return m, nil
}
