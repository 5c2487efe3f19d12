import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { openApiDocument } from "../../src/server/openapi.js";
import { metricRequestSchema } from "../../src/server/schemas.js";
import { dict, toJsonSchema } from "../../src/util/schema.js";

type Doc = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> };
const body = (doc: Doc, path: string, method: string) =>
  doc.paths[path][method].requestBody!.content["application/json"].schema as Record<string, Record<string, Record<string, unknown>>>;

describe("the OpenAPI document comes from the schemas the routes check with", () => {
  it("converts each valibot kind the project uses", () => {
    const s = v.object({
      a: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(9), v.description("d")),
      b: v.optional(v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(3))),
      c: v.picklist(["x", "y"]),
      d: dict(v.picklist(["mon", "tue"]), v.tuple([v.string(), v.string()])),
      e: v.nullable(v.union([v.literal(1), v.boolean()])),
      f: v.pipe(v.string(), v.regex(/^\d+$/), v.maxLength(4)),
    });
    assert.deepEqual(toJsonSchema(s), {
      type: "object",
      required: ["a", "c", "d", "e", "f"],
      properties: {
        a: { type: "integer", minimum: 1, maximum: 9, description: "d" },
        b: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 3 },
        c: { enum: ["x", "y"] },
        d: {
          type: "object",
          additionalProperties: { type: "array", prefixItems: [{ type: "string" }, { type: "string" }], minItems: 2, maxItems: 2 },
          propertyNames: { enum: ["mon", "tue"] },
        },
        e: { anyOf: [{ anyOf: [{ const: 1 }, { type: "boolean" }] }, { type: "null" }] },
        f: { type: "string", pattern: "^\\d+$", maxLength: 4 },
      },
    });
  });

  it("documents the request bodies with their bounds", () => {
    const doc = openApiDocument() as unknown as Doc;
    assert.deepEqual(body(doc, "/metrics", "post"), toJsonSchema(metricRequestSchema));
    const m = body(doc, "/metrics", "post");
    assert.deepEqual(m.required, ["metrics", "from", "to"] as never);
    assert.deepEqual(m.properties.percentiles, {
      type: "array",
      items: { type: "number", minimum: 0.001, maximum: 99.999 },
      maxItems: 20,
      description: "extra percentiles; duration rows always carry count, mean, median and p90",
    });
    const dd = body(doc, "/metrics/drilldown", "post");
    assert.deepEqual(dd.properties.page, { type: "integer", minimum: 0, maximum: 100_000 });
    const settings = body(doc, "/settings", "patch");
    assert.equal(settings.additionalProperties, false as never);
    assert.deepEqual((settings.properties.week_start as { enum: string[] }).enum, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]);
    assert.deepEqual(settings.properties.service_level_threshold_s, { type: "number", minimum: 0, maximum: 86_400 });
    assert.ok(doc.paths["/audit"].get);
    assert.ok(doc.paths["/keys/{id}"].delete);
  });
});
