// Validates one rendered overlay (multi-document YAML): see validate.sh.
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(process.cwd() + "/");
const yaml = require("js-yaml");
const [name, file] = process.argv.slice(2);
const docs = yaml.loadAll(readFileSync(file, "utf8")).filter(Boolean);
const faults = [];
const fault = (doc, message) => faults.push(`${doc.kind}/${doc.metadata?.name}: ${message}`);

// kubernetes-models' module path of a core kind: apps/v1 Deployment -> kubernetes-models/apps/v1/Deployment, v1 Service -> kubernetes-models/v1/Service.
// The package is ES modules only: import the model's file directly.
async function modelOf(doc) {
  const path = `${process.cwd()}/node_modules/kubernetes-models/${doc.apiVersion}/${doc.kind}.js`;
  return existsSync(path) ? (await import(pathToFileURL(path).href))[doc.kind] : undefined;
}

const custom = {
  "rabbitmq.com/v1beta1/RabbitmqCluster": (doc) => {
    if (doc.spec?.replicas !== 3) fault(doc, "needs 3 replicas (quorum queues)");
    if (!doc.spec?.resources?.requests) fault(doc, "no resource requests");
  },
  "postgresql.cnpg.io/v1/Cluster": (doc) => {
    if (!(doc.spec?.instances >= 2)) fault(doc, "needs at least 2 instances");
    if (!doc.spec?.storage?.size) fault(doc, "no storage size");
  },
  "postgresql.cnpg.io/v1/Database": (doc) => {
    if (!doc.spec?.name || !doc.spec?.owner || !doc.spec?.cluster?.name) fault(doc, "needs name, owner and cluster");
  },
};

let validated = 0;
for (const doc of docs) {
  const key = `${doc.apiVersion}/${doc.kind}`;
  if (custom[key]) {
    custom[key](doc);
    continue;
  }
  const Model = await modelOf(doc);
  if (!Model) {
    fault(doc, `no schema for ${key}`);
    continue;
  }
  if (doc.kind === "Secret" && doc.data) {
    // kustomize folds long base64 values over lines; the API server's decoder skips the line breaks, the schema's "byte" format does not.
    for (const k of Object.keys(doc.data)) doc.data[k] = doc.data[k].replace(/\s+/g, "");
  }
  try {
    new Model(doc).validate();
    validated++;
  } catch (e) {
    fault(doc, `schema: ${e.message}`);
  }
  if (doc.kind === "Deployment") {
    for (const c of doc.spec.template.spec.containers) {
      if (!c.readinessProbe?.httpGet?.path?.startsWith("/health/ready")) fault(doc, `${c.name}: readiness probe on /health/ready missing`);
      if (!c.livenessProbe?.httpGet?.path?.startsWith("/health/live")) fault(doc, `${c.name}: liveness probe on /health/live missing`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) fault(doc, `${c.name}: cpu and memory requests missing`);
      if ((c.args ?? []).includes("migrate")) fault(doc, `${c.name}: replicas must not migrate at start-up`);
    }
  }
}
for (const kind of ["Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Job"]) {
  const count = docs.filter((d) => d.kind === kind).length;
  if (count < 5) faults.push(`${name}: ${count} ${kind} objects, expected one per service and the portal (5)`);
}
if (!docs.some((d) => d.kind === "Ingress")) faults.push(`${name}: no Ingress for the portal`);

if (faults.length) {
  for (const f of faults) console.error(`FAIL ${name}: ${f}`);
  process.exit(1);
}
console.log(`ok ${name}: ${docs.length} objects, ${validated} validated against the Kubernetes schemas`);
