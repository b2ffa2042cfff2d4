import { readdirSync } from "node:fs";
import path from "node:path";
import * as keda from "@kubernetes-models/keda/keda.sh/v1alpha1";
import * as appsV1 from "kubernetes-models/apps/v1";
import * as autoscalingV2 from "kubernetes-models/autoscaling/v2";
import * as batchV1 from "kubernetes-models/batch/v1";
import * as networkingV1 from "kubernetes-models/networking.k8s.io/v1";
import * as policyV1 from "kubernetes-models/policy/v1";
import * as coreV1 from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { CHECK_LANES } from "../../packages/queue/src/lanes.ts";
import { CHECKS_GROUP, checksStreamKey } from "../../packages/queue/src/names.ts";
import { type AppName, appOfImage, DEPLOY, ENV_KEYS, SHUTDOWN_DEADLINE_MS, servedPorts } from "./apps.ts";
import { type K8sObject, kustomize } from "./kustomize.ts";

type Model = new (data: never) => { validate(): void };
const MODELS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  "apps/v1": appsV1,
  "batch/v1": batchV1,
  "autoscaling/v2": autoscalingV2,
  "policy/v1": policyV1,
  "networking.k8s.io/v1": networkingV1,
  "keda.sh/v1alpha1": keda,
};

/** Ranges a worker must never reach: where PostgreSQL and the rest of the cluster live. */
const PRIVATE_V4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"];

const OVERLAYS = readdirSync(path.join(DEPLOY, "k8s/overlays"));

interface Container {
  app: AppName;
  owner: K8sObject;
  // biome-ignore lint/suspicious/noExplicitAny: a pod template's container, as written.
  spec: any;
  /** Literal and ConfigMap values; a Secret's value is "<secret name>/<key>". */
  env: Record<string, string>;
  secrets: Record<string, string>;
}

function containersOf(objects: K8sObject[]): Container[] {
  const data = (name: string) => objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === name)?.data;
  return objects
    .filter((o) => o.kind === "Deployment" || o.kind === "Job")
    .flatMap((owner) =>
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      owner.spec.template.spec.containers.map((spec: any) => {
        const env: Record<string, string> = {};
        const secrets: Record<string, string> = {};
        for (const entry of spec.env ?? []) {
          const { configMapKeyRef: cm, secretKeyRef: secret } = entry.valueFrom ?? {};
          if (secret) secrets[entry.name] = secret.name;
          if (cm) {
            const value = data(cm.name)?.[cm.key];
            if (value === undefined) throw new Error(`${owner.metadata.name}: ${cm.name}/${cm.key} is not rendered`);
            env[entry.name] = value;
          } else env[entry.name] = secret ? `${secret.name}/${secret.key}` : entry.value;
        }
        return { app: appOfImage(spec.image), owner, spec, env, secrets };
      }),
    );
}

function portNumber(container: Container, port: string | number): number {
  if (typeof port === "number") return port;
  const found = container.spec.ports?.find((p: { name: string }) => p.name === port);
  if (!found) throw new Error(`${container.owner.metadata.name}: no port named ${port}`);
  return found.containerPort;
}

describe.for(OVERLAYS)("deploy/k8s/overlays/%s", (overlay) => {
  const objects = kustomize(path.join(DEPLOY, "k8s/overlays", overlay));
  const containers = containersOf(objects);
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const workers = containers.filter((c) => c.app === "worker");

  it("renders objects that validate against the Kubernetes and KEDA schemas", () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const model = MODELS[object.apiVersion]?.[object.kind] as Model | undefined;
      expect(model, `${object.apiVersion} ${object.kind} has no schema here`).toBeDefined();
      expect(() => new (model as Model)(object as never).validate(), object.metadata.name).not.toThrow();
    }
    const ids = objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives every container only variables its app's config schema reads, and workers no database or keys", () => {
    for (const container of containers) {
      expect(container.spec.envFrom, "envFrom would pass unlisted variables").toBeUndefined();
      const unknown = Object.keys(container.env).filter((key) => !ENV_KEYS[container.app].has(key));
      expect(unknown, container.owner.metadata.name).toEqual([]);
    }
    expect(workers.length).toBeGreaterThan(0);
    for (const worker of workers) {
      expect(Object.keys(worker.env)).not.toContain("DATABASE_URL");
      expect(Object.keys(worker.env)).not.toContain("ENCRYPTION_KEY");
    }
  });

  it("probes /healthz and /readyz on ports the apps serve, and scrapes /metrics where it is served", () => {
    for (const container of containers.filter((c) => c.app !== "migrate")) {
      const name = container.owner.metadata.name;
      const served = servedPorts(container.app, container.env);
      const { livenessProbe, readinessProbe, startupProbe } = container.spec;
      expect(livenessProbe.httpGet.path, name).toBe("/healthz");
      expect(startupProbe.httpGet.path, name).toBe("/healthz");
      expect(readinessProbe.httpGet.path, name).toBe("/readyz");
      for (const probe of [livenessProbe, readinessProbe, startupProbe]) {
        expect(served.health, name).toContain(portNumber(container, probe.httpGet.port));
      }
      const annotations = container.owner.spec.template.metadata.annotations;
      expect(annotations["prometheus.io/scrape"], name).toBe("true");
      expect(annotations["prometheus.io/path"], name).toBe("/metrics");
      expect(Number(annotations["prometheus.io/port"]), name).toBe(served.metrics);
    }
  });

  it("lets every pod drain past the apps' shutdown deadline, non-root on a read-only root, with resources", () => {
    for (const container of containers) {
      const pod = container.owner.spec.template.spec;
      const name = container.owner.metadata.name;
      if (container.owner.kind === "Deployment") {
        // The grace period counts from the start of the preStop hook, before SIGTERM is sent.
        const [, preStopSeconds] = container.spec.lifecycle?.preStop?.exec?.command ?? [];
        const drainMs = SHUTDOWN_DEADLINE_MS + Number(preStopSeconds ?? 0) * 1000;
        expect(pod.terminationGracePeriodSeconds * 1000, name).toBeGreaterThan(drainMs);
      }
      expect(pod.securityContext.runAsNonRoot, name).toBe(true);
      expect(container.spec.securityContext, name).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(container.spec.resources.requests, name).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.spec.resources.limits.memory, name).toBeDefined();
    }
  });

  it("selects each workload's own pods", () => {
    for (const deployment of byKind("Deployment")) {
      expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    }
    const podLabels = byKind("Deployment").map((d) => d.spec.template.metadata.labels);
    const selects = (selector: Record<string, string>) =>
      podLabels.filter((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v)).length;
    for (const service of byKind("Service")) expect(selects(service.spec.selector), service.metadata.name).toBe(1);
    for (const pdb of byKind("PodDisruptionBudget")) expect(selects(pdb.spec.selector.matchLabels)).toBe(1);
    // Two regions' workers are told apart by their region label.
    for (const worker of workers) expect(selects(worker.owner.spec.selector.matchLabels)).toBe(1);
  });

  it("scales each region's workers with KEDA on that region's checks streams' lag (its ping checks' too), never to zero", () => {
    for (const worker of workers) {
      const deployment = worker.owner;
      expect(deployment.spec.replicas, "KEDA owns the replica count").toBeUndefined();
      const scaled = byKind("ScaledObject").filter((s) => s.spec.scaleTargetRef.name === deployment.metadata.name);
      expect(scaled).toHaveLength(1);
      const spec = scaled[0]?.spec;
      expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
      expect(spec.maxReplicaCount).toBeGreaterThan(spec.minReplicaCount);
      expect(spec.cooldownPeriod).toBeGreaterThan(0);
      const streams = CHECK_LANES.map((lane) =>
        checksStreamKey(worker.env.REDIS_PREFIX ?? "upf", worker.env.REGION ?? "", lane),
      );
      expect(spec.triggers.map((t: { metadata: { stream: string } }) => t.metadata.stream)).toEqual(streams);
      for (const trigger of spec.triggers) {
        expect(trigger.type).toBe("redis-streams");
        expect(trigger.metadata.consumerGroup).toBe(CHECKS_GROUP);
        expect(Number(trigger.metadata.lagCount)).toBeGreaterThan(0);
        // A regional cluster reaches the central Redis across the internet: over TLS.
        expect(trigger.metadata.enableTLS).toBe(overlay.startsWith("regional") ? "true" : "false");
        const auth = byKind("TriggerAuthentication").find((a) => a.metadata.name === trigger.authenticationRef.name);
        expect(auth, trigger.authenticationRef.name).toBeDefined();
        // KEDA reads the list as the region's own Redis user: the Secret of the worker's REDIS_URL.
        for (const ref of auth?.spec.secretTargetRef ?? []) expect(ref.name).toBe(worker.secrets.REDIS_URL);
      }
    }
  });

  it("lets workers reach Redis, DNS and the public internet only", () => {
    for (const worker of workers) {
      const labels = worker.owner.spec.template.metadata.labels;
      const policies = byKind("NetworkPolicy").filter(
        (p) =>
          p.spec.policyTypes.includes("Egress") &&
          Object.entries(p.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v),
      );
      expect(policies.length, worker.owner.metadata.name).toBeGreaterThan(0);
      for (const rule of policies.flatMap((p) => p.spec.egress)) {
        expect(rule.to?.length, "a rule without `to` allows every destination").toBeGreaterThan(0);
        for (const peer of rule.to) {
          if (peer.ipBlock?.cidr === "0.0.0.0/0")
            expect(peer.ipBlock.except).toEqual(expect.arrayContaining(PRIVATE_V4));
          else if (peer.ipBlock) expect(peer.ipBlock.except).toContain("fc00::/7");
          else
            expect(Object.values(peer.podSelector.matchLabels)).toEqual([expect.stringMatching(/^(redis|kube-dns)$/)]);
        }
      }
    }
  });

  if (overlay === "central") {
    it("runs the API behind a Service with HPA and PDB, two alerters, the migration Job and every REGION's workers", () => {
      const api = byKind("Deployment").find((d) => d.metadata.name === "api");
      expect(byKind("HorizontalPodAutoscaler")[0]?.spec).toMatchObject({
        scaleTargetRef: { kind: "Deployment", name: api?.metadata.name },
        metrics: [{ resource: { name: "cpu" } }],
      });
      expect(byKind("Deployment").find((d) => d.metadata.name === "alerter")?.spec.replicas).toBe(2);
      expect(containers.filter((c) => c.app === "migrate")).toHaveLength(1);
      const regions = containers.filter((c) => c.app === "api" || c.app === "alerter").map((c) => c.env.REGIONS);
      const workerRegions = workers.map((w) => w.env.REGION).sort();
      for (const list of regions) expect(list?.split(",").sort()).toEqual(workerRegions);
    });
  } else {
    it("runs only workers in a regional cluster, against a central Redis", () => {
      expect(new Set(containers.map((c) => c.app))).toEqual(new Set(["worker"]));
      expect(byKind("ConfigMap")).toEqual([]);
    });
  }
});
