package restore

import (
	"regexp"
	"strings"
)

// A context describes one kind of YAML node of an OpenAPI 3.0 document as
// far as the reconstruction needs to know it: which keys a mapping may hold
// (and what kind of value each key takes), or what the items of a sequence
// are.
//
// The flattened seed has lost all indentation, so the only way to know where
// a mapping ends is to know which keys it may contain. The contexts below are
// a subset of the OpenAPI 3.0 grammar that covers everything the seed uses.
type context struct {
	name string
	list bool // a sequence rather than a mapping

	// Mappings: keys with a fixed meaning.
	fields map[string]*valueSpec
	// Mappings whose keys are names (paths, schema names, property names,
	// response codes...): mapKey tells whether a key is a plausible name
	// and mapVal what its value is.
	mapKey func(key string) bool
	mapVal *valueSpec

	// refCloses: once a "$ref" key has been read, the mapping is complete
	// (OpenAPI 3.0 ignores siblings of $ref, and the seed never has any), so
	// a following key belongs to an enclosing node.
	refCloses bool
	// schema: the mapping is a Schema Object; which keys are allowed also
	// depends on the schema's "type" (see allowedByType).
	schema bool

	// Sequences: what an item is.
	item *valueSpec
}

// A valueSpec is what the value of a key (or the item of a sequence) is:
// either a scalar or a node described by a context.
type valueSpec struct {
	scalar bool
	ctx    *context
}

var scalar = &valueSpec{scalar: true}

func node(c *context) *valueSpec { return &valueSpec{ctx: c} }

var (
	ctxRoot, ctxInfo, ctxContact, ctxTags, ctxTag, ctxPaths, ctxPathItem,
	ctxOperation, ctxParams, ctxParam, ctxRequestBody, ctxResponses,
	ctxResponse, ctxContent, ctxMediaType, ctxSchema, ctxInnerSchema, ctxProperties,
	ctxStrings, ctxSecurity, ctxSecReq, ctxExternalDocs, ctxServers,
	ctxServer, ctxComponents, ctxSchemas, ctxRequestBodies,
	ctxSecuritySchemes, ctxSecurityScheme *context
)

var (
	identRe      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	quotedNameRe = regexp.MustCompile(`^"[^"]+"$`)
	statusRe     = regexp.MustCompile(`^"?[1-5]([0-9][0-9]|XX)"?$`)
	mediaTypeRe  = regexp.MustCompile(`^[a-z]+/[A-Za-z0-9.+*-]+$`)
)

func isName(k string) bool { return identRe.MatchString(k) || quotedNameRe.MatchString(k) }

func isPath(k string) bool {
	return strings.HasPrefix(k, "/") || strings.HasPrefix(k, `"/`)
}

func init() {
	for _, c := range []**context{&ctxRoot, &ctxInfo, &ctxContact, &ctxTags,
		&ctxTag, &ctxPaths, &ctxPathItem, &ctxOperation, &ctxParams, &ctxParam,
		&ctxRequestBody, &ctxResponses, &ctxResponse, &ctxContent,
		&ctxMediaType, &ctxSchema, &ctxInnerSchema, &ctxProperties, &ctxStrings, &ctxSecurity,
		&ctxSecReq, &ctxExternalDocs, &ctxServers, &ctxServer, &ctxComponents,
		&ctxSchemas, &ctxRequestBodies, &ctxSecuritySchemes,
		&ctxSecurityScheme} {
		*c = &context{}
	}

	*ctxRoot = context{name: "document", fields: map[string]*valueSpec{
		"openapi": scalar, "info": node(ctxInfo), "tags": node(ctxTags),
		"paths": node(ctxPaths), "security": node(ctxSecurity),
		"externalDocs": node(ctxExternalDocs), "servers": node(ctxServers),
		"components": node(ctxComponents),
	}}
	*ctxInfo = context{name: "info", fields: map[string]*valueSpec{
		"title": scalar, "version": scalar, "description": scalar,
		"termsOfService": scalar, "contact": node(ctxContact),
	}}
	*ctxContact = context{name: "contact", fields: map[string]*valueSpec{
		"name": scalar, "url": scalar, "email": scalar,
	}}
	*ctxTags = context{name: "tags", list: true, item: node(ctxTag)}
	*ctxTag = context{name: "tag", fields: map[string]*valueSpec{
		"name": scalar, "description": scalar, "externalDocs": node(ctxExternalDocs),
	}}
	*ctxExternalDocs = context{name: "externalDocs", fields: map[string]*valueSpec{
		"description": scalar, "url": scalar,
	}}
	*ctxServers = context{name: "servers", list: true, item: node(ctxServer)}
	*ctxServer = context{name: "server", fields: map[string]*valueSpec{
		"url": scalar, "description": scalar,
	}}

	*ctxPaths = context{name: "paths", mapKey: isPath, mapVal: node(ctxPathItem)}
	op := node(ctxOperation)
	*ctxPathItem = context{name: "path item", fields: map[string]*valueSpec{
		"get": op, "put": op, "post": op, "delete": op, "options": op,
		"head": op, "patch": op, "trace": op,
		"summary": scalar, "description": scalar, "parameters": node(ctxParams),
	}}
	*ctxOperation = context{name: "operation", fields: map[string]*valueSpec{
		"summary": scalar, "description": scalar, "operationId": scalar,
		"parameters": node(ctxParams), "requestBody": node(ctxRequestBody),
		"responses": node(ctxResponses), "tags": node(ctxStrings),
		"security": node(ctxSecurity), "deprecated": scalar,
	}}
	*ctxParams = context{name: "parameters", list: true, item: node(ctxParam)}
	*ctxParam = context{name: "parameter", refCloses: true, fields: map[string]*valueSpec{
		"$ref": scalar, "name": scalar, "in": scalar, "description": scalar,
		"required": scalar, "deprecated": scalar, "allowEmptyValue": scalar,
		"style": scalar, "explode": scalar, "schema": node(ctxSchema),
	}}
	*ctxRequestBody = context{name: "requestBody", refCloses: true, fields: map[string]*valueSpec{
		"$ref": scalar, "description": scalar, "content": node(ctxContent),
		"required": scalar,
	}}
	*ctxResponses = context{name: "responses",
		mapKey: func(k string) bool { return k == "default" || statusRe.MatchString(k) },
		mapVal: node(ctxResponse)}
	*ctxResponse = context{name: "response", refCloses: true, fields: map[string]*valueSpec{
		"$ref": scalar, "description": scalar, "content": node(ctxContent),
	}}
	*ctxContent = context{name: "content", mapKey: mediaTypeRe.MatchString, mapVal: node(ctxMediaType)}
	*ctxMediaType = context{name: "media type", fields: map[string]*valueSpec{
		"schema": node(ctxSchema), "example": scalar,
	}}

	sch := node(ctxSchema)
	*ctxSchema = context{name: "schema", refCloses: true, schema: true, fields: map[string]*valueSpec{
		"$ref": scalar, "type": scalar, "format": scalar, "title": scalar,
		"description": scalar, "default": scalar, "enum": node(ctxStrings),
		"required": node(ctxStrings), "items": sch, "properties": node(ctxProperties),
		"additionalProperties": sch, "nullable": scalar, "readOnly": scalar,
		"writeOnly": scalar, "example": scalar, "pattern": scalar,
		"minimum": scalar, "maximum": scalar, "minLength": scalar,
		"maxLength": scalar, "minItems": scalar, "maxItems": scalar,
	}}
	// Item and map-value schemas. The seed was generated from protobuf
	// definitions, where the comment of a repeated or map field describes
	// the array or map itself; the schema of its items or values never
	// carries a description or title of its own. A description following
	// such a schema therefore belongs to the enclosing schema.
	inner := node(ctxInnerSchema)
	*ctxInnerSchema = context{name: "item schema", refCloses: true, schema: true, fields: map[string]*valueSpec{}}
	for k, v := range ctxSchema.fields {
		if k != "description" && k != "title" {
			ctxInnerSchema.fields[k] = v
		}
	}
	ctxSchema.fields["items"] = inner
	ctxSchema.fields["additionalProperties"] = inner
	ctxInnerSchema.fields["items"] = inner
	ctxInnerSchema.fields["additionalProperties"] = inner
	*ctxProperties = context{name: "properties", mapKey: isName, mapVal: sch}
	*ctxStrings = context{name: "list of strings", list: true, item: scalar}

	*ctxSecurity = context{name: "security", list: true, item: node(ctxSecReq)}
	*ctxSecReq = context{name: "security requirement", mapKey: isName, mapVal: node(ctxStrings)}

	*ctxComponents = context{name: "components", fields: map[string]*valueSpec{
		"schemas": node(ctxSchemas), "requestBodies": node(ctxRequestBodies),
		"securitySchemes": node(ctxSecuritySchemes),
	}}
	*ctxSchemas = context{name: "schemas", mapKey: isName, mapVal: sch}
	*ctxRequestBodies = context{name: "requestBodies", mapKey: isName, mapVal: node(ctxRequestBody)}
	*ctxSecuritySchemes = context{name: "securitySchemes", mapKey: isName, mapVal: node(ctxSecurityScheme)}
	*ctxSecurityScheme = context{name: "security scheme", fields: map[string]*valueSpec{
		"type": scalar, "description": scalar, "name": scalar, "in": scalar,
		"scheme": scalar, "bearerFormat": scalar,
	}}
}

// allowedByType reports whether a schema whose "type" is typ may hold key.
// It keeps, for example, a property called "properties" or "items" from being
// read as a keyword of the preceding string property.
func allowedByType(typ, key string) bool {
	switch typ {
	case "string", "integer", "number", "boolean":
		return key != "properties" && key != "additionalProperties" && key != "items" && key != "required"
	case "array":
		return key != "properties" && key != "additionalProperties" && key != "format" && key != "enum" && key != "required"
	case "object":
		return key != "items" && key != "format" && key != "enum"
	}
	return true
}
