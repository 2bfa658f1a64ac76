package specgen

import (
	"fmt"
	"strings"
)

// Allowance is a known, deliberate difference between the spec and what
// Discord accepts from the bot: a narrow change to one schema, with the
// reason it is right. There is no switch to turn the OpenAPI check off.
type Allowance struct {
	// pointer is a JSON pointer into the spec ("/components/schemas/X/...").
	Pointer string
	// apply changes the object found there.
	Apply func(node map[string]any) error
	// reason says why Discord accepts what the spec refuses, with a source.
	Reason string
}

// Allowances are the known-benign deviations: requests that discordgo
// sends, that real Discord accepts, and that the spec is stricter about.
var Allowances = []Allowance{
	{
		Pointer: "/paths/~1webhooks~1{webhook_id}~1{webhook_token}~1messages~1{message_id}",
		Apply:   allowPathValue("message_id", "@original"),
		Reason: "Discord's docs (Receiving and Responding: Get/Edit/Delete Original Interaction Response) " +
			"address the initial response as messages/@original, and discordgo's InteractionResponseEdit " +
			"and InteractionResponseDelete do; the spec types message_id as a snowflake only.",
	},
	{
		Pointer: "/components/schemas/ApplicationCommandUpdateRequest/properties/default_member_permissions",
		Apply:   allowDecimalString,
		Reason: "Discord's docs (Application Command Object) type default_member_permissions as ?string, " +
			"permissions being bit sets serialized as strings everywhere in the API; discordgo sends it " +
			"with the ,string option (\"32\"). The spec only allows an integer or null.",
	},
	{
		Pointer: "/components/schemas/MessageAttachmentRequest/properties/id",
		Apply:   allowUploadIndex,
		Reason: "Discord's docs (Reference: Uploading Files) give a new upload's attachment id as the " +
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
			// The fake reads a parameter's type to decode it, so the
			// widened schema keeps one.
			pm["schema"] = map[string]any{"type": "string", "anyOf": []any{pm["schema"], map[string]any{"const": value}}}
			return nil
		}
		return fmt.Errorf("no path parameter %q", name)
	}
}

// applyAllowances applies allowances to the decoded spec.
func applyAllowances(spec map[string]any) error {
	for _, a := range Allowances {
		node, err := lookupPointer(spec, a.Pointer)
		if err != nil {
			return fmt.Errorf("allowance %s: %w", a.Pointer, err)
		}
		if err := a.Apply(node); err != nil {
			return fmt.Errorf("allowance %s: %w", a.Pointer, err)
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
