package restore

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// A small flattened document exercising the rules of the parser: key order
// decides nesting, prose with colons stays in its scalar, "$ref" closes its
// schema, item and map-value schemas take no description, a property takes
// a description or a title but not both, a title right before the next
// component schema belongs to the enclosing schema, and "default:" followed
// by "description:" is a response.
const flattened = `openapi: 3.0.0 info: title: T version: "2.0" paths: ` +
	`"/a/{id}": get: summary: Get it. operationId: A responses: "200": description: OK. content: application/json: schema: $ref: "#/components/schemas/X" ` +
	`default: description: Error. content: application/json: schema: $ref: "#/components/schemas/Y" ` +
	`parameters: - name: id in: path required: true schema: type: string ` +
	`- name: ids description: |- Some ids. in: query explode: true schema: type: array items: type: string tags: - T ` +
	`security: - K: [] components: schemas: X: type: object properties: ` +
	`v: type: string description: >- Possible values are: ["", "*"]. if-match ` +
	`m: type: object additionalProperties: type: string description: A map. ` +
	`why: $ref: "#/components/schemas/Y" description: An X. ` +
	`Y: type: object properties: a: type: integer format: int32 title: A count b: type: boolean description: B flag. title: The Y ` +
	`Z: type: string enum: - ONE - TWO default: ONE description: |- - ONE: first. - TWO: second. ` +
	`W: type: object properties: ref: $ref: "#/components/schemas/W\ rite" ` +
	`"@type": type: string additionalProperties: {}`

const want = `openapi: 3.0.0
info:
  title: T
  version: "2.0"
paths:
  "/a/{id}":
    get:
      summary: Get it.
      operationId: A
      responses:
        "200":
          description: OK.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/X"
        default:
          description: Error.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Y"
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
        - name: ids
          description: Some ids.
          in: query
          explode: true
          schema:
            type: array
            items:
              type: string
      tags:
        - T
      security:
        - K: []
components:
  schemas:
    X:
      type: object
      properties:
        v:
          type: string
          description: 'Possible values are: ["", "*"]. if-match'
        m:
          type: object
          additionalProperties:
            type: string
          description: A map.
        why:
          $ref: "#/components/schemas/Y"
      description: An X.
    Y:
      type: object
      properties:
        a:
          type: integer
          format: int32
          title: A count
        b:
          type: boolean
          description: B flag.
      title: The Y
    Z:
      type: string
      enum:
        - ONE
        - TWO
      default: ONE
      description: '- ONE: first. - TWO: second.'
    W:
      type: object
      properties:
        ref:
          $ref: "#/components/schemas/W rite"
        "@type":
          type: string
      additionalProperties: {}
`

func TestParse(t *testing.T) {
	doc, err := Parse([]byte(flattened))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != want {
		t.Errorf("Parse:\n%s\nwant:\n%s", got, want)
	}
}

// A word no open node accepts is an error; after a scalar, unknown keys are
// taken as part of the scalar's text.
func TestParseRejectsUnknownKeys(t *testing.T) {
	if _, err := Parse([]byte(`bogus: x openapi: 3.0.0`)); err == nil {
		t.Error("Parse accepted an unknown top-level key")
	}
}

func TestProtoName(t *testing.T) {
	for in, want := range map[string]string{
		"customId": "custom_id", "facebookInstantGameId": "facebook_instant_game_id",
		"gamecenterId": "gamecenter_id", "userIdOne": "user_id_one", "@type": "@type", "id": "id",
	} {
		if got := ProtoName(in); got != want {
			t.Errorf("ProtoName(%q) = %q, want %q", in, got, want)
		}
	}
}
