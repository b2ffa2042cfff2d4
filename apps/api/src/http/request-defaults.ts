type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

/** The schemas a schema contains, by the keywords the generator writes. */
function subschemas(schema: Json): unknown[] {
  const nested: unknown[] = [];
  for (const key of ["items", "additionalProperties", "not"]) nested.push(schema[key]);
  for (const key of ["oneOf", "anyOf", "allOf", "prefixItems"]) {
    if (Array.isArray(schema[key])) nested.push(...schema[key]);
  }
  if (isObject(schema.properties)) nested.push(...Object.values(schema.properties));
  return nested.filter(isObject);
}

/** Every component a schema refers to, directly or through others. */
function referencedComponents(roots: unknown[], components: Json): Set<string> {
  const seen = new Set<string>();
  const visit = (schema: unknown) => {
    if (!isObject(schema)) return;
    const ref = typeof schema.$ref === "string" ? schema.$ref.replace("#/components/schemas/", "") : undefined;
    if (ref !== undefined) {
      if (seen.has(ref)) return;
      seen.add(ref);
      visit(components[ref]);
      return;
    }
    for (const nested of subschemas(schema)) visit(nested);
  };
  for (const root of roots) visit(root);
  return seen;
}

function describeDefaults(schema: Json): void {
  if ("default" in schema) {
    const note = `Default: \`${JSON.stringify(schema.default)}\`.`;
    const said = typeof schema.description === "string" ? schema.description : "";
    schema.description = said === "" ? note : `${said}${/[.!?]$/.test(said) ? "" : "."} ${note}`;
    delete schema.default;
  }
  for (const nested of subschemas(schema)) describeDefaults(nested as Json);
}

/**
 * Request bodies' defaults become words in their descriptions. openapi-typescript, with its default
 * settings, makes every property that has a `default` required in a component schema (it cannot tell
 * a request's from a response's), so `{type, name, url}` would not compile as a new monitor: the
 * server fills these in, and `required` already says what a client must send.
 */
export function moveRequestDefaults<D extends { paths?: unknown; components?: unknown }>(document: D): D {
  const components = ((document.components as Json | undefined)?.schemas ?? {}) as Json;
  const bodies = Object.values((document.paths ?? {}) as Record<string, Json>).flatMap((item) =>
    Object.values(item).flatMap((operation) => {
      const content = isObject(operation) && isObject(operation.requestBody) ? operation.requestBody.content : {};
      return Object.values(isObject(content) ? content : {}).map((media) => (media as Json).schema);
    }),
  );
  for (const body of bodies) if (isObject(body)) describeDefaults(body);
  for (const name of referencedComponents(bodies, components)) describeDefaults(components[name] as Json);
  return document;
}
