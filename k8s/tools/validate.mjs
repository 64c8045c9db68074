// Validates Kubernetes manifests (the output of `kustomize build`, or a test fixture) object by object, for its kind:
//  1. the kind's JSON schema (kubernetes-models for the core kinds; @kubernetes-models/strimzi-kafka-operator,
//     cloudnative-pg and prometheus-operator for the operators' CRDs): types, required fields, enums, formats;
//  2. the kind's TypeScript type, compiled with `tsc --strict`: a field the kind does not have (a typo such as
//     `readinesProbe`, which the API server would silently drop) is an error, at any depth; Keycloak's kinds have
//     only this check, against keycloak-operator.d.ts;
//  3. the platform's rules across objects (rules() below): probes, resources, a Service, HPA, PDB and
//     ServiceMonitor per workload, every reference (Secret, ConfigMap, Service, Kafka, Cluster, Keycloak) resolves,
//     with --production: no Secret written in the manifests at all, three instances and backups per database,
//     three brokers.
//
//   node validate.mjs [--production] [--external a,b] FILE...                 exit 0 when valid, 1 with the problems
//   node validate.mjs [--external a,b] --fixtures-of BUILD_DIR FIXTURE...    each fixture (a valid build with one
//                                                                            thing broken) must fail as it expects
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));

// apiVersion/kind -> [module of the model, class/interface name]; a kind not listed here is an error
const CORE = "kubernetes-models";
const KINDS = {
  "v1/Namespace": [`${CORE}/v1/Namespace`, "Namespace"],
  "v1/ConfigMap": [`${CORE}/v1/ConfigMap`, "ConfigMap"],
  "v1/Secret": [`${CORE}/v1/Secret`, "Secret"],
  "v1/Service": [`${CORE}/v1/Service`, "Service"],
  "apps/v1/Deployment": [`${CORE}/apps/v1/Deployment`, "Deployment"],
  "autoscaling/v2/HorizontalPodAutoscaler": [`${CORE}/autoscaling/v2/HorizontalPodAutoscaler`, "HorizontalPodAutoscaler"],
  "policy/v1/PodDisruptionBudget": [`${CORE}/policy/v1/PodDisruptionBudget`, "PodDisruptionBudget"],
  "networking.k8s.io/v1/NetworkPolicy": [`${CORE}/networking.k8s.io/v1/NetworkPolicy`, "NetworkPolicy"],
  "networking.k8s.io/v1/Ingress": [`${CORE}/networking.k8s.io/v1/Ingress`, "Ingress"],
  "kafka.strimzi.io/v1/Kafka": ["@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/Kafka", "Kafka"],
  "kafka.strimzi.io/v1/KafkaNodePool": ["@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaNodePool", "KafkaNodePool"],
  "kafka.strimzi.io/v1/KafkaTopic": ["@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaTopic", "KafkaTopic"],
  "postgresql.cnpg.io/v1/Cluster": ["@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster", "Cluster"],
  "postgresql.cnpg.io/v1/ScheduledBackup": ["@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/ScheduledBackup", "ScheduledBackup"],
  "monitoring.coreos.com/v1/ServiceMonitor": ["@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor", "ServiceMonitor"],
  // no JSON schema in any reachable registry: the TypeScript check only (keycloak-operator.d.ts)
  "k8s.keycloak.org/v2alpha1/Keycloak": [null, "Keycloak", "../keycloak-operator.js"],
  "k8s.keycloak.org/v2alpha1/KeycloakRealmImport": [null, "KeycloakRealmImport", "../keycloak-operator.js"],
};

// Secrets the cluster's operators write, by the object that makes them
const GENERATED_SECRETS = (objs) => [
  ...objs.filter((o) => o.kind === "Cluster").flatMap((o) => [`${o.metadata.name}-app`, `${o.metadata.name}-superuser`]),
  ...objs.filter((o) => o.kind === "Keycloak").map((o) => `${o.metadata.name}-initial-admin`),
];

function id(o) {
  return `${o?.kind ?? "?"}/${o?.metadata?.name ?? "?"}`;
}

function load(file) {
  const docs = yaml.loadAll(fs.readFileSync(file, "utf8")).filter((d) => d != null);
  return docs;
}

async function schemaProblems(objs) {
  const problems = [];
  for (const o of objs) {
    const key = `${o.apiVersion}/${o.kind}`;
    const entry = KINDS[key];
    if (!entry) {
      problems.push(`${id(o)}: unknown kind ${key} (validate.mjs KINDS lists the kinds it can check)`);
      continue;
    }
    if (!entry[0]) continue;
    const mod = await import(entry[0]);
    try {
      new mod[entry[1]](o).validate();
    } catch (e) {
      problems.push(`${id(o)}: ${e.message.replace(/\n/g, "; ")}`);
    }
  }
  return problems;
}

// One TypeScript program for every set of objects: each object becomes `export const oN: IKind = {...};`
function typeProblems(sets) {
  const dir = path.join(here, "build");
  fs.mkdirSync(dir, { recursive: true });
  const files = [];
  const lineMaps = new Map();
  sets.forEach((set, s) => {
    const imports = new Map();
    const body = [];
    const lines = []; // [first line, object] per object
    let line = 0;
    const header = [];
    set.objs.forEach((o, i) => {
      const entry = KINDS[`${o.apiVersion}/${o.kind}`];
      if (!entry) return;
      const mod = entry[2] ?? entry[0];
      const type = `I${entry[1]}`;
      const key = `${mod}|${type}`;
      if (!imports.has(key)) imports.set(key, `import type { ${type} as T${imports.size} } from "${mod}";`);
      const alias = [...imports.keys()].indexOf(key);
      const text = `export const o${i}: T${alias} = ${JSON.stringify(o, null, 2)};`;
      body.push({ text, o });
    });
    header.push(...imports.values());
    line = header.length;
    const out = [...header];
    for (const b of body) {
      lines.push([line, b.o]);
      out.push(b.text);
      line += b.text.split("\n").length;
    }
    const file = path.join(dir, `set${s}.ts`);
    fs.writeFileSync(file, out.join("\n") + "\n");
    files.push(file);
    lineMaps.set(path.resolve(file), { lines, set: s });
  });
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const bySet = sets.map(() => []);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "; ");
    const map = d.file && lineMaps.get(path.resolve(d.file.fileName));
    if (!map) {
      // a problem in the tooling itself (a model's module path): fail every set
      bySet.forEach((p) => p.push(`type check: ${message}`));
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    let owner = null;
    for (const [first, o] of map.lines) if (first <= line) owner = o;
    const field = d.file.getFullText().slice(d.start, d.start + d.length).split("\n")[0];
    bySet[map.set].push(`${id(owner)}: ${field ? `at ${field}: ` : ""}${message}`);
  }
  return bySet;
}

function labelsMatch(selector, labels) {
  return selector && Object.keys(selector).length > 0
    && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

// The platform's rules over one build
function rules(objs, { production, external }) {
  const p = [];
  const named = (kind) => new Map(objs.filter((o) => o.kind === kind).map((o) => [o.metadata?.name, o]));
  const deployments = named("Deployment");
  const services = named("Service");
  const configMaps = named("ConfigMap");
  const secrets = new Set([...named("Secret").keys(), ...GENERATED_SECRETS(objs), ...external]);
  const kafkas = named("Kafka");
  const clusters = named("Cluster");
  const keycloaks = named("Keycloak");
  const secretRef = (owner, name, where) => {
    if (!secrets.has(name)) p.push(`${id(owner)}: ${where} references the Secret ${name}, which nothing creates`);
  };

  if (production) {
    for (const o of objs.filter((x) => x.kind === "Secret")) {
      p.push(`${id(o)}: a Secret written in the manifests (this overlay must reference Secrets by name only)`);
    }
    for (const [name, c] of clusters) {
      if ((c.spec?.instances ?? 1) < 3) p.push(`${id(c)}: ${c.spec?.instances ?? 1} instance(s) in production (want 3)`);
      if (!c.spec?.backup?.barmanObjectStore) p.push(`${id(c)}: no backup.barmanObjectStore in production`);
      if (!objs.some((o) => o.kind === "ScheduledBackup" && o.spec?.cluster?.name === name)) p.push(`${id(c)}: no ScheduledBackup in production`);
    }
    const brokers = objs.filter((o) => o.kind === "KafkaNodePool" && (o.spec?.roles ?? []).includes("broker"))
      .reduce((n, o) => n + (o.spec?.replicas ?? 0), 0);
    if (brokers < 3) p.push(`Kafka: ${brokers} broker(s) in production (want 3)`);
  }
  for (const [name, d] of deployments) {
    const pod = d.spec?.template;
    const containers = pod?.spec?.containers ?? [];
    for (const c of containers) {
      const where = `${id(d)} container ${c.name}`;
      if (c.readinessProbe?.httpGet?.path !== "/q/health/ready") p.push(`${where}: readinessProbe must GET /q/health/ready`);
      if (c.livenessProbe?.httpGet?.path !== "/q/health/live") p.push(`${where}: livenessProbe must GET /q/health/live`);
      for (const k of ["requests", "limits"]) {
        for (const r of ["cpu", "memory"]) {
          if (c.resources?.[k]?.[r] == null) p.push(`${where}: resources.${k}.${r} missing`);
        }
      }
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) secretRef(d, e.valueFrom.secretKeyRef.name, `env ${e.name}`);
        if (e.valueFrom?.configMapKeyRef && !configMaps.has(e.valueFrom.configMapKeyRef.name)) {
          p.push(`${where}: env ${e.name} references the ConfigMap ${e.valueFrom.configMapKeyRef.name}, which nothing creates`);
        }
        if (/PASSWORD|SECRET|KEY$/.test(e.name) && e.value != null) {
          p.push(`${where}: env ${e.name} has its value inline; take it from a Secret (secretKeyRef)`);
        }
      }
      for (const f of c.envFrom ?? []) {
        if (f.configMapRef && !configMaps.has(f.configMapRef.name)) p.push(`${where}: envFrom references the ConfigMap ${f.configMapRef.name}, which nothing creates`);
        if (f.secretRef) secretRef(d, f.secretRef.name, "envFrom");
      }
    }
    for (const v of pod?.spec?.volumes ?? []) {
      if (v.configMap && !configMaps.has(v.configMap.name)) p.push(`${id(d)}: volume ${v.name} references the ConfigMap ${v.configMap.name}, which nothing creates`);
      if (v.secret) secretRef(d, v.secret.secretName, `volume ${v.name}`);
    }
    const podLabels = pod?.metadata?.labels;
    if (d.spec?.replicas != null) p.push(`${id(d)}: spec.replicas set, but its HorizontalPodAutoscaler owns the count (each apply would reset it)`);
    if (![...services.values()].some((s) => labelsMatch(s.spec?.selector, podLabels))) p.push(`${id(d)}: no Service selects its pods`);
    const hpas = objs.filter((o) => o.kind === "HorizontalPodAutoscaler" && o.spec?.scaleTargetRef?.kind === "Deployment" && o.spec.scaleTargetRef.name === name);
    if (hpas.length !== 1) p.push(`${id(d)}: ${hpas.length} HorizontalPodAutoscalers (want 1)`);
    if (!objs.some((o) => o.kind === "PodDisruptionBudget" && labelsMatch(o.spec?.selector?.matchLabels, podLabels))) p.push(`${id(d)}: no PodDisruptionBudget selects its pods`);
    const svc = [...services.values()].find((s) => labelsMatch(s.spec?.selector, podLabels));
    if (svc && !objs.some((o) => o.kind === "ServiceMonitor" && labelsMatch(o.spec?.selector?.matchLabels, svc.metadata?.labels)
        && (o.spec.endpoints ?? []).some((e) => e.path === "/q/metrics"))) {
      p.push(`${id(d)}: no ServiceMonitor scrapes /q/metrics of the Service ${svc.metadata.name}`);
    }
    if (!objs.some((o) => o.kind === "NetworkPolicy" && labelsMatch(o.spec?.podSelector?.matchLabels, podLabels)
        && (o.spec.policyTypes ?? []).includes("Ingress") && (o.spec.policyTypes ?? []).includes("Egress") && !o.spec.ingress && !o.spec.egress)) {
      p.push(`${id(d)}: no default-deny NetworkPolicy selects its pods`);
    }
  }
  for (const s of services.values()) {
    const target = [...deployments.values()].find((d) => labelsMatch(s.spec?.selector, d.spec?.template?.metadata?.labels));
    if (!target) {
      p.push(`${id(s)}: its selector matches no Deployment's pods`);
      continue;
    }
    const ports = target.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
    for (const sp of s.spec.ports ?? []) {
      const t = sp.targetPort ?? sp.port;
      if (!ports.some((cp) => cp.name === t || cp.containerPort === t)) p.push(`${id(s)}: targetPort ${t} is no port of ${id(target)}`);
    }
  }
  for (const o of objs) {
    const sp = o.spec ?? {};
    switch (o.kind) {
      case "HorizontalPodAutoscaler":
        if (!deployments.has(sp.scaleTargetRef?.name)) p.push(`${id(o)}: scales the Deployment ${sp.scaleTargetRef?.name}, which does not exist`);
        if (sp.minReplicas > sp.maxReplicas) p.push(`${id(o)}: minReplicas above maxReplicas`);
        break;
      case "KafkaTopic":
      case "KafkaNodePool":
        if (!kafkas.has(o.metadata?.labels?.["strimzi.io/cluster"])) p.push(`${id(o)}: label strimzi.io/cluster names no Kafka of this build`);
        break;
      case "ScheduledBackup":
        if (!clusters.has(sp.cluster?.name)) p.push(`${id(o)}: backs up the Cluster ${sp.cluster?.name}, which does not exist`);
        if (sp.method === "barmanObjectStore" && !clusters.get(sp.cluster?.name)?.spec?.backup?.barmanObjectStore) p.push(`${id(o)}: the Cluster ${sp.cluster?.name} has no backup.barmanObjectStore`);
        break;
      case "Cluster": {
        const s3 = sp.backup?.barmanObjectStore?.s3Credentials;
        for (const k of ["accessKeyId", "secretAccessKey"]) if (s3?.[k]) secretRef(o, s3[k].name, `backup s3Credentials.${k}`);
        break;
      }
      case "Keycloak":
        for (const k of ["usernameSecret", "passwordSecret"]) if (sp.db?.[k]) secretRef(o, sp.db[k].name, `db.${k}`);
        if (sp.http?.tlsSecret) secretRef(o, sp.http.tlsSecret, "http.tlsSecret");
        if (!sp.http?.tlsSecret && !sp.http?.httpEnabled) p.push(`${id(o)}: neither http.tlsSecret nor http.httpEnabled`);
        break;
      case "KeycloakRealmImport":
        if (!keycloaks.has(sp.keycloakCRName)) p.push(`${id(o)}: keycloakCRName ${sp.keycloakCRName} names no Keycloak of this build`);
        break;
      case "Ingress":
        for (const t of sp.tls ?? []) secretRef(o, t.secretName, "tls");
        for (const r of sp.rules ?? []) for (const path of r.http?.paths ?? []) {
          const name = path.backend?.service?.name;
          if (!services.has(name)) p.push(`${id(o)}: routes to the Service ${name}, which does not exist`);
        }
        break;
      default:
    }
  }
  return p;
}

async function validate(set, options) {
  return [...(await schemaProblems(set.objs)), ...set.typeProblems, ...rules(set.objs, options)];
}

// A fixture breaks one thing in a valid build (tools/build/<build>.yaml): `remove` drops objects, `patch` applies
// JSON Patch operations (add, replace, remove, move) to one object, `add` appends objects; the check must then
// report a problem containing `expect`.
function pointer(path) {
  return path.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}
function applyOp(doc, op) {
  const at = (path) => {
    const keys = pointer(path);
    const last = keys.pop();
    let parent = doc;
    for (const k of keys) {
      parent = parent?.[Array.isArray(parent) ? Number(k) : k];
      if (parent == null) throw new Error(`fixture: no ${path}`);
    }
    return [parent, Array.isArray(parent) && last !== "-" ? Number(last) : last];
  };
  const get = (path) => { const [p, k] = at(path); if (!(k in p)) throw new Error(`fixture: no ${path}`); return p[k]; };
  const remove = (path) => { const [p, k] = at(path); const v = get(path); Array.isArray(p) ? p.splice(k, 1) : delete p[k]; return v; };
  const add = (path, v) => { const [p, k] = at(path); if (Array.isArray(p)) (k === "-" ? p.push(v) : p.splice(k, 0, v)); else p[k] = v; };
  switch (op.op) {
    case "add": add(op.path, op.value); break;
    case "replace": get(op.path); { const [p, k] = at(op.path); p[k] = op.value; } break;
    case "remove": remove(op.path); break;
    case "move": add(op.path, remove(op.from)); break;
    default: throw new Error(`fixture: unknown op ${op.op}`);
  }
}
function breakBuild(fixture, buildDir) {
  const objs = load(path.join(buildDir, `${fixture.build}.yaml`));
  let out = objs.filter((o) => !(fixture.remove ?? []).includes(id(o)));
  if ((fixture.remove ?? []).some((r) => !objs.some((o) => id(o) === r))) throw new Error(`fixture: remove names an object the build does not have`);
  for (const patch of fixture.patch ? [fixture.patch] : []) {
    const target = out.find((o) => id(o) === patch.object);
    if (!target) throw new Error(`fixture: the build has no ${patch.object}`);
    patch.ops.forEach((op) => applyOp(target, op));
  }
  out = out.concat(fixture.add ?? []);
  return out;
}

async function main(argv) {
  let production = false;
  let external = [];
  let fixturesOf = null;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--production") production = true;
    else if (argv[i] === "--external") external = argv[++i].split(",").filter(Boolean);
    else if (argv[i] === "--fixtures-of") fixturesOf = argv[++i];
    else files.push(argv[i]);
  }
  if (files.length === 0) throw new Error("no manifests given");
  const sets = files.map((file) => {
    if (!fixturesOf) return { file, objs: load(file) };
    const fixture = yaml.load(fs.readFileSync(file, "utf8"));
    if (!fixture.expect || !fixture.build) throw new Error(`${file}: a fixture needs "build" and "expect"`);
    return { file, fixture, objs: breakBuild(fixture, fixturesOf) };
  });
  typeProblems(sets).forEach((p, i) => { sets[i].typeProblems = p; });
  let failed = 0;
  for (const set of sets) {
    if (set.fixture) {
      const problems = await validate(set, { production: set.fixture.build === "production", external });
      const hit = problems.find((p) => p.includes(set.fixture.expect));
      if (!hit) {
        console.error(`${set.file}: expected a problem saying "${set.fixture.expect}", got: ${problems.length ? problems.join(" | ") : "none (the check passed it)"}`);
        failed++;
      } else {
        console.log(`${path.basename(set.file)}: refused as expected: ${hit}`);
      }
    } else {
      const problems = await validate(set, { production, external });
      if (problems.length) {
        failed++;
        console.error(`${set.file}: ${problems.length} problem(s)`);
        problems.forEach((p) => console.error(`  ${p}`));
      } else {
        const kinds = {};
        set.objs.forEach((o) => { kinds[o.kind] = (kinds[o.kind] ?? 0) + 1; });
        console.log(`${set.file}: ${set.objs.length} objects valid (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);
      }
    }
  }
  return failed;
}

main(process.argv.slice(2)).then((failed) => process.exit(failed ? 1 : 0), (e) => {
  console.error(e.stack ?? e);
  process.exit(2);
});
