package specgen

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRoutesFromSource(t *testing.T) {
	src := `package x
var routes = []*route{
	{method: "GET", template: "/users/@me", auth: true},
	{template: "/gateway", method: "GET"},
	{method: "POST"},
}`
	ops, err := RoutesFromSource("x.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Op{{"GET", "/users/@me"}, {"GET", "/gateway"}}
	if len(ops) != len(want) || ops[0] != want[0] || ops[1] != want[1] {
		t.Fatalf("ops = %v, want %v", ops, want)
	}
	if _, err := RoutesFromSource("y.go", []byte("package y")); err == nil {
		t.Fatal("a file without routes gave no error")
	}
}

// tinySpec has the three allowance targets (Generate applies them to any
// spec) and one operation of its own.
const tinySpec = `{
 "openapi": "3.1.0",
 "paths": {
  "/things/{thing_id}": {
   "parameters": [{"name": "thing_id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/SnowflakeType"}}],
   "post": {
    "operationId": "create_thing",
    "parameters": [{"name": "wait", "in": "query", "schema": {"type": "boolean"}}],
    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
    "responses": {"200": {"$ref": "#/components/responses/Huge"}}
   }
  },
  "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}": {
   "parameters": [{"name": "message_id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/SnowflakeType"}}]
  }
 },
 "components": {"schemas": {
  "SnowflakeType": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"},
  "Thing": {"type": "object", "properties": {"part": {"$ref": "#/components/schemas/Part"}, "size": {"type": "integer", "maximum": 152133}}},
  "Part": {"type": "object", "properties": {"sub": {"$ref": "#/components/schemas/Part"}}},
  "Unused": {"type": "string"},
  "ApplicationCommandUpdateRequest": {"properties": {"default_member_permissions": {"type": ["integer", "null"]}}},
  "MessageAttachmentRequest": {"properties": {"id": {"$ref": "#/components/schemas/SnowflakeType"}}}
 }}
}`

func TestGenerate(t *testing.T) {
	out, err := Generate([]byte(tinySpec), []Op{{"POST", "/things/{thing_id}"}})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Generate([]byte(tinySpec), []Op{{"POST", "/things/{thing_id}"}})
	if string(out) != string(again) {
		t.Fatal("two runs gave different output")
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	defs := doc["$defs"].(map[string]any)
	if doc["x-routes"].(map[string]any)["POST /things/{thing_id}"] != "create_thing" {
		t.Fatalf("x-routes = %v", doc["x-routes"])
	}
	// Referenced components come along (a self-reference too), the unused
	// one does not, and references point into $defs.
	for _, name := range []string{"create_thing", "Thing", "Part"} {
		if defs[name] == nil {
			t.Errorf("$defs lacks %s", name)
		}
	}
	if defs["Unused"] != nil {
		t.Error("$defs has the unreferenced Unused")
	}
	text := string(out)
	if strings.Contains(text, "#/components/") || strings.Contains(text, "Huge") {
		t.Errorf("output refers to components or keeps responses:\n%s", text)
	}
	if !strings.Contains(text, `"maximum": 152133`) {
		t.Error("numbers not kept as written")
	}
	op := defs["create_thing"].(map[string]any)["properties"].(map[string]any)
	// Parameters are written out in full, without $ref.
	thingID := op["path"].(map[string]any)["properties"].(map[string]any)["thing_id"].(map[string]any)
	if thingID["pattern"] != "^(0|[1-9][0-9]*)$" || thingID["$ref"] != nil {
		t.Errorf("path parameter schema = %v", thingID)
	}
	if op["query"].(map[string]any)["properties"].(map[string]any)["wait"].(map[string]any)["type"] != "boolean" {
		t.Errorf("query = %v", op["query"])
	}
	if op["body"].(map[string]any)["$ref"] != "#/$defs/Thing" {
		t.Errorf("body = %v", op["body"])
	}

	if _, err := Generate([]byte(tinySpec), []Op{{"DELETE", "/things/{thing_id}"}}); err == nil || !strings.Contains(err.Error(), "no operation DELETE") {
		t.Errorf("missing operation: %v", err)
	}
}

func TestAllowancesHaveReasons(t *testing.T) {
	for _, a := range Allowances {
		if a.Reason == "" {
			t.Errorf("allowance %s has no reason", a.Pointer)
		}
	}
}
