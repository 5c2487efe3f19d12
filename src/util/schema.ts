import * as v from "valibot";
import { UserError } from "../errors/user-error.js";

/**
 * Checking input against a valibot schema, and the same schema as JSON Schema for the OpenAPI
 * document: one definition of what a request may hold, for the check and for the docs.
 */
export type AnySchema = v.GenericSchema;

/** Keys that would reach Object.prototype when spread or assigned: refused anywhere in input. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function forbiddenKeyPath(value: unknown, path: string, depth = 0): string | null {
  if (value === null || typeof value !== "object" || depth > 100) return null;
  for (const [k, x] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(k)) return here;
    const deeper = forbiddenKeyPath(x, here, depth + 1);
    if (deeper) return deeper;
  }
  return null;
}

/**
 * The input as the schema's output, or a 400 naming the bad field's path (`details.path`) and
 * what was expected, so a person can fix the one field.
 */
export function parseWith<S extends AnySchema>(schema: S, input: unknown, code = "invalid_request", what = "the request"): v.InferOutput<S> {
  const bad = forbiddenKeyPath(input, "");
  if (bad) throw new UserError(code, `${bad}: "${bad.split(".").pop()}" is not allowed as a key`, 400, { path: bad });
  const r = v.safeParse(schema, input);
  if (r.success) return r.output;
  const issue = r.issues[0];
  const path = v.getDotPath(issue) ?? "";
  throw new UserError(code, `${path ? `${path}: ` : `${what}: `}${issue.message}`, 400, {
    path,
    issues: r.issues.slice(0, 10).map((i) => ({ path: v.getDotPath(i) ?? "", message: i.message })),
  });
}

/** A JSON object of name → value (valibot's record alone would take an array as one). */
export function dict<K extends v.GenericSchema<string, string>, V extends AnySchema>(key: K, value: V, message = "an object of name → value") {
  return v.pipe(
    v.custom<Record<string, unknown>>((x) => x !== null && typeof x === "object" && !Array.isArray(x), message),
    v.record(key, value),
  );
}

type Json = Record<string, unknown>;
interface Node {
  type: string;
  kind?: string;
  requirement?: unknown;
  description?: string;
  pipe?: Node[];
  entries?: Record<string, Node>;
  item?: Node;
  items?: Node[];
  options?: unknown[];
  wrapped?: Node;
  key?: Node;
  value?: Node;
  literal?: unknown;
}

/**
 * JSON Schema (2020-12, as OpenAPI 3.1 uses) of the valibot schema kinds this project uses:
 * objects, arrays, tuples, records, strings, numbers, booleans, picklists, literals, unions,
 * variants, optional/nullable/nullish, and the range, length, pattern and description actions.
 */
export function toJsonSchema(schema: AnySchema): Json {
  return convert(schema as unknown as Node);
}

function convert(n: Node): Json {
  // v.pipe(s, ...actions) is s with `pipe: [s, ...actions]`; s may be a pipe itself
  const out = n.pipe ? convert(n.pipe[0]) : base(n);
  for (const a of (n.pipe ?? []).slice(1)) {
    if (a.kind === "schema") Object.assign(out, convert(a));
    else if (a.type === "min_value") out.minimum = a.requirement;
    else if (a.type === "max_value") out.maximum = a.requirement;
    else if (a.type === "integer") out.type = "integer";
    else if (a.type === "min_length") out[out.type === "array" ? "minItems" : "minLength"] = a.requirement;
    else if (a.type === "max_length") out[out.type === "array" ? "maxItems" : "maxLength"] = a.requirement;
    else if (a.type === "regex") out.pattern = (a.requirement as RegExp).source;
    else if (a.type === "description") out.description = a.description;
  }
  return out;
}

function base(n: Node): Json {
  let out: Json;
  switch (n.type) {
    case "object":
    case "strict_object":
    case "loose_object": {
      const entries = Object.entries(n.entries ?? {});
      out = {
        type: "object",
        properties: Object.fromEntries(entries.map(([k, s]) => [k, convert(s)])),
        required: entries.filter(([, s]) => s.type !== "optional" && s.type !== "exact_optional" && s.type !== "nullish").map(([k]) => k),
      };
      if (n.type === "strict_object") out.additionalProperties = false;
      if ((out.required as string[]).length === 0) delete out.required;
      break;
    }
    case "array":
      out = { type: "array", items: convert(n.item!) };
      break;
    case "tuple":
      out = { type: "array", prefixItems: n.items!.map(convert), minItems: n.items!.length, maxItems: n.items!.length };
      break;
    case "record":
      out = { type: "object", additionalProperties: convert(n.value!) };
      if (n.key?.type === "picklist") out.propertyNames = { enum: n.key.options };
      break;
    case "string":
      out = { type: "string" };
      break;
    case "number":
      out = { type: "number" };
      break;
    case "boolean":
      out = { type: "boolean" };
      break;
    case "picklist":
      out = { enum: n.options };
      break;
    case "literal":
      out = { const: n.literal };
      break;
    case "union":
      out = { anyOf: (n.options as Node[]).map(convert) };
      break;
    case "variant":
      out = { oneOf: (n.options as Node[]).map(convert) };
      break;
    case "optional":
    case "exact_optional":
      out = convert(n.wrapped!);
      break;
    case "nullable":
    case "nullish":
      out = { anyOf: [convert(n.wrapped!), { type: "null" }] };
      break;
    case "unknown":
    case "any":
    case "custom":
      out = {};
      break;
    default:
      throw new Error(`toJsonSchema: no JSON Schema for valibot "${n.type}"; add it here`);
  }
  return out;
}
