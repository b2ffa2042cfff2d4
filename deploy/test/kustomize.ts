import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

/**
 * Renders a kustomization the way `kustomize build` does, for the subset of kustomize that
 * deploy/k8s uses, so `pnpm test` checks the real output without a kustomize binary. A field outside
 * the subset throws instead of being ignored, so the manifests cannot drift past what is checked.
 */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are walked generically; the schema tests type them.
  [field: string]: any;
};

type NameReference = { kind: string; fieldSpecs: { kind: string; path: string }[] };

interface Rendered {
  objects: K8sObject[];
  nameReferences: NameReference[];
}

const SUPPORTED = new Set([
  "apiVersion",
  "kind",
  "resources",
  "namespace",
  "nameSuffix",
  "labels",
  "patches",
  "images",
  "configurations",
]);

/** Kustomize's own name references that these manifests rely on (its builtin list is longer). */
const BUILTIN_REFERENCES: NameReference[] = [
  {
    kind: "ConfigMap",
    fieldSpecs: [{ kind: "Deployment", path: "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name" }],
  },
  {
    kind: "Secret",
    fieldSpecs: [
      { kind: "Deployment", path: "spec/template/spec/containers/env/valueFrom/secretKeyRef/name" },
      { kind: "Job", path: "spec/template/spec/containers/env/valueFrom/secretKeyRef/name" },
    ],
  },
  { kind: "Deployment", fieldSpecs: [{ kind: "HorizontalPodAutoscaler", path: "spec/scaleTargetRef/name" }] },
];

/** List fields Kubernetes merges by a key in a strategic merge patch; every other list is replaced. */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  ports: "containerPort",
};

/** Where kustomize puts `labels` with includeSelectors (beside metadata.labels, which every object gets). */
const SELECTOR_PATHS: Record<string, string[]> = {
  Deployment: ["spec/selector/matchLabels", "spec/template/metadata/labels"],
  Job: ["spec/template/metadata/labels"],
  Service: ["spec/selector"],
  PodDisruptionBudget: ["spec/selector/matchLabels"],
  NetworkPolicy: [
    "spec/podSelector/matchLabels",
    "spec/ingress/from/podSelector/matchLabels",
    "spec/egress/to/podSelector/matchLabels",
  ],
};

function readYaml(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]?.message}`);
    return doc.toJS();
  });
}

export function kustomize(dir: string): K8sObject[] {
  return render(dir).objects;
}

function render(dir: string): Rendered {
  const [k] = readYaml(path.join(dir, "kustomization.yaml")) as Record<string, unknown>[];
  if (!k) throw new Error(`${dir}: empty kustomization`);
  const unknown = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unknown.length) throw new Error(`${dir}: fields the test's renderer does not know: ${unknown.join(", ")}`);

  const objects: K8sObject[] = [];
  const nameReferences = [...BUILTIN_REFERENCES];
  for (const file of (k.configurations as string[] | undefined) ?? []) {
    const [config] = readYaml(path.join(dir, file)) as { nameReference: NameReference[] }[];
    nameReferences.push(...(config?.nameReference ?? []));
  }
  for (const entry of (k.resources as string[] | undefined) ?? []) {
    const target = path.join(dir, entry);
    if (statSync(target).isDirectory()) {
      const child = render(target);
      objects.push(...child.objects);
      nameReferences.push(...child.nameReferences);
    } else {
      objects.push(...(readYaml(target) as K8sObject[]));
    }
  }

  for (const patch of (k.patches as { path?: string; patch?: string }[] | undefined) ?? []) {
    const docs = patch.path
      ? readYaml(path.join(dir, patch.path))
      : parseAllDocuments(patch.patch ?? "").map((d) => d.toJS());
    for (const doc of docs as K8sObject[]) applyPatch(objects, doc, dir);
  }
  if (typeof k.nameSuffix === "string") rename(objects, k.nameSuffix, nameReferences);
  for (const label of (k.labels as { pairs: Record<string, string>; includeSelectors?: boolean }[] | undefined) ?? []) {
    addLabels(objects, label.pairs, label.includeSelectors ?? false);
  }
  if (typeof k.namespace === "string") {
    for (const object of objects) object.metadata.namespace = k.namespace;
  }
  for (const image of (k.images as { name: string; newName?: string; newTag?: string }[] | undefined) ?? []) {
    setImage(objects, image);
  }
  return { objects, nameReferences };
}

function applyPatch(objects: K8sObject[], patch: K8sObject, dir: string): void {
  const target = objects.find((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name);
  if (!target) throw new Error(`${dir}: patch for ${patch.kind}/${patch.metadata.name} matches nothing`);
  const builtIn = !target.apiVersion.includes(".") || target.apiVersion.includes(".k8s.io/");
  Object.assign(target, merge(target, patch, builtIn));
}

/** A strategic merge patch: maps merge, lists of built-in kinds merge by their key, other lists are replaced. */
function merge(base: unknown, patch: unknown, builtIn: boolean, field = ""): unknown {
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!builtIn || !key || !Array.isArray(base)) return patch;
    const merged = [...base] as Record<string, unknown>[];
    for (const item of patch as Record<string, unknown>[]) {
      const at = merged.findIndex((existing) => existing[key] === item[key]);
      if (at === -1) merged.push(item);
      else merged[at] = merge(merged[at], item, builtIn) as Record<string, unknown>;
    }
    return merged;
  }
  if (!isMap(patch) || !isMap(base)) return patch;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$")) throw new Error(`patch directive ${key} is not supported by the test's renderer`);
    merged[key] = key in base ? merge(base[key], value, builtIn, key) : value;
  }
  return merged;
}

function rename(objects: K8sObject[], suffix: string, references: NameReference[]): void {
  const renamed = new Map<string, string>();
  for (const object of objects) {
    const name = `${object.metadata.name}${suffix}`;
    renamed.set(`${object.kind}/${object.metadata.name}`, name);
    object.metadata.name = name;
  }
  for (const reference of references) {
    for (const spec of reference.fieldSpecs) {
      for (const object of objects.filter((o) => o.kind === spec.kind)) {
        update(object, spec.path.split("/"), (old) => renamed.get(`${reference.kind}/${old}`) ?? old);
      }
    }
  }
}

function addLabels(objects: K8sObject[], pairs: Record<string, string>, includeSelectors: boolean): void {
  for (const object of objects) {
    object.metadata.labels = { ...object.metadata.labels, ...pairs };
    if (!includeSelectors) continue;
    for (const at of SELECTOR_PATHS[object.kind] ?? []) {
      update(object, at.split("/"), (labels) => ({ ...labels, ...pairs }), true);
    }
  }
}

function setImage(objects: K8sObject[], image: { name: string; newName?: string; newTag?: string }): void {
  for (const object of objects) {
    update(object, ["spec", "template", "spec", "containers", "image"], (current: string) => {
      const [name, tag] = current.split(/:(?=[^/]+$)/);
      if (name !== image.name) return current;
      return `${image.newName ?? name}:${image.newTag ?? tag ?? "latest"}`;
    });
  }
}

/** Applies `change` at `fields` under `node`, through lists; `create` makes a missing last map. */
// biome-ignore lint/suspicious/noExplicitAny: walks any manifest shape.
function update(node: any, fields: string[], change: (value: any) => unknown, create = false): void {
  if (Array.isArray(node)) {
    for (const item of node) update(item, fields, change, create);
    return;
  }
  if (!isMap(node)) return;
  const [field, ...rest] = fields as [string, ...string[]];
  if (rest.length === 0) {
    if (field in node || create) node[field] = change(node[field]);
    return;
  }
  if (field in node) update(node[field], rest, change, create);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
