// client.mjs: drives a running ror server with fhir-kit-client, a FHIR client written by others, and
// checks what it gets back.
//
//   node client.mjs BASE_URL FIXTURES.json
//
// FIXTURES.json is an array of resources of one type (ids are ignored: the server assigns them). The
// script creates them all, tagged with a run-specific tag, reads each back, searches for them by that
// tag two per page following every `next` link, updates one with If-Match, reads the old version,
// walks the instance, type and system history (paging the type history), deletes one and reads it
// again (410 Gone). Each step prints one line; any failure prints why and exits 1.

import fs from 'node:fs';
import { Client } from 'fhir-kit-client';

const [baseUrl, fixturesFile] = process.argv.slice(2);
if (!baseUrl || !fixturesFile) {
  process.stderr.write('usage: node client.mjs BASE_URL FIXTURES.json\n');
  process.exit(2);
}
const fixtures = JSON.parse(fs.readFileSync(fixturesFile, 'utf8'));
if (!Array.isArray(fixtures) || fixtures.length < 3) {
  process.stderr.write('client.mjs: FIXTURES.json must be an array of at least 3 resources\n');
  process.exit(2);
}
const type = fixtures[0].resourceType;

const client = new Client({ baseUrl });
const run = `run-${process.pid}-${Date.now()}`;
const tag = { system: 'urn:ror:conformance:client', code: run };
let steps = 0;

class CheckError extends Error {}

function check(cond, msg) {
  if (!cond) throw new CheckError(msg);
}

function step(name, detail = '') {
  steps++;
  process.stdout.write(`ok ${steps} ${name}${detail ? ': ' + detail : ''}\n`);
}

function links(bundle) {
  return Object.fromEntries((bundle.link ?? []).map((l) => [l.relation, l.url]));
}

async function expectStatus(promise, status, what) {
  try {
    await promise;
  } catch (err) {
    const got = err?.response?.status;
    check(got === status, `${what}: expected HTTP ${status}, got ${got ?? err.message}`);
    const body = err.response.data;
    check(body?.resourceType === 'OperationOutcome', `${what}: the ${status} body is not an OperationOutcome`);
    return body;
  }
  throw new CheckError(`${what}: expected HTTP ${status}, the call succeeded`);
}

// pages follows every next link from first, at most limit pages, and returns the pages.
async function pages(first, limit) {
  const out = [first];
  let page = first;
  for (;;) {
    const next = client.nextPage({ bundle: page });
    if (!next) return out;
    check(out.length < limit, `more than ${limit} pages: the next links do not end`);
    page = await next;
    out.push(page);
  }
}

async function main() {
  const cs = await client.capabilityStatement();
  check(cs.resourceType === 'CapabilityStatement', `metadata answered ${cs.resourceType}`);
  check(cs.fhirVersion === '4.0.1', `metadata fhirVersion is ${cs.fhirVersion}, want 4.0.1`);
  step('capabilities', `fhirVersion ${cs.fhirVersion}`);

  // create
  const created = [];
  for (const f of fixtures) {
    const body = structuredClone(f);
    delete body.id;
    body.meta = { ...(body.meta ?? {}), tag: [...(body.meta?.tag ?? []), tag] };
    delete body.meta.versionId;
    delete body.meta.lastUpdated;
    const res = await client.create({ resourceType: type, body });
    check(res.resourceType === type, `create answered ${res.resourceType}`);
    check(typeof res.id === 'string' && res.id !== '', 'create: no id in the answer');
    check(res.meta?.versionId === '1', `create: versionId ${res.meta?.versionId}, want 1`);
    const http = Client.httpFor(res).response;
    check(http.status === 201, `create: HTTP ${http.status}, want 201`);
    check((http.headers.get('location') ?? '').includes(`${type}/${res.id}/_history/1`), `create: Location header ${http.headers.get('location')}`);
    created.push(res);
  }
  step('create', `${created.length} ${type}`);

  // read
  for (const c of created) {
    const r = await client.read({ resourceType: type, id: c.id });
    check(r.id === c.id && r.meta?.versionId === '1', `read ${type}/${c.id}: got id ${r.id} version ${r.meta?.versionId}`);
    check(JSON.stringify(r.meta.tag) === JSON.stringify(c.meta.tag), `read ${type}/${c.id}: tags differ from the create answer`);
  }
  step('read', `${created.length} resources`);

  // search with paging
  const first = await client.search({ resourceType: type, searchParams: { _tag: `${tag.system}|${tag.code}`, _count: 2 } });
  check(first.resourceType === 'Bundle' && first.type === 'searchset', `search answered ${first.resourceType} ${first.type}`);
  check(links(first).self, 'search: no self link');
  const all = await pages(first, created.length + 2);
  const seen = all.flatMap((p) => (p.entry ?? []).filter((e) => e.search?.mode !== 'include').map((e) => e.resource.id));
  check(all.every((p) => (p.entry ?? []).length <= 2), 'search: a page holds more than _count=2 entries');
  check(new Set(seen).size === seen.length, `search: an id appears twice across pages: ${seen.join(',')}`);
  const want = created.map((c) => c.id).sort();
  check(JSON.stringify([...seen].sort()) === JSON.stringify(want), `search: found ${seen.sort().join(',')}, want ${want.join(',')}`);
  for (const p of all) {
    for (const e of p.entry ?? []) {
      check(e.fullUrl && e.fullUrl.endsWith(`${type}/${e.resource.id}`), `search: entry fullUrl ${e.fullUrl}`);
      check(e.search?.mode === 'match', `search: entry mode ${e.search?.mode}`);
    }
  }
  step('search', `${seen.length} matches over ${all.length} pages of 2`);

  // update with If-Match
  const target = created[0];
  const changed = structuredClone(await client.read({ resourceType: type, id: target.id }));
  changed.meta = { tag: changed.meta.tag };
  changed.extension = [...(changed.extension ?? [])];
  if ('name' in changed && typeof changed.name === 'string') changed.name = `${changed.name} (mis à jour)`;
  else changed.language = 'fr-FR';
  const updated = await client.update({ resourceType: type, id: target.id, body: changed, options: { headers: { 'If-Match': 'W/"1"' } } });
  check(updated.meta?.versionId === '2', `update: versionId ${updated.meta?.versionId}, want 2`);
  await expectStatus(
    client.update({ resourceType: type, id: target.id, body: changed, options: { headers: { 'If-Match': 'W/"1"' } } }),
    412,
    'update with a stale If-Match',
  );
  step('update', `${type}/${target.id} now version 2; stale If-Match refused with 412`);

  // vread
  const v1 = await client.vread({ resourceType: type, id: target.id, version: '1' });
  check(v1.meta?.versionId === '1', `vread: versionId ${v1.meta?.versionId}`);
  step('vread', `${type}/${target.id}/_history/1`);

  // history: instance, type (paged), system
  const ih = await client.history({ resourceType: type, id: target.id });
  check(ih.resourceType === 'Bundle' && ih.type === 'history', `instance history answered ${ih.resourceType} ${ih.type}`);
  const versions = (ih.entry ?? []).map((e) => e.resource?.meta?.versionId);
  check(JSON.stringify(versions) === JSON.stringify(['2', '1']), `instance history versions ${versions}, want 2,1 (newest first)`);
  for (const e of ih.entry) check(e.request?.method && e.request?.url, 'instance history: an entry without request');
  step('instance history', `versions ${versions.join(',')}`);

  const th = await client.request(`${type}/_history?_count=2`);
  check(th.resourceType === 'Bundle' && th.type === 'history', `type history answered ${th.resourceType} ${th.type}`);
  const thPages = await pages(th, 10000);
  const thKeys = thPages.flatMap((p) => (p.entry ?? []).map((e) => `${e.resource?.id ?? e.request?.url}@${e.resource?.meta?.versionId}`));
  check(new Set(thKeys).size === thKeys.length, 'type history: an entry appears twice across pages');
  for (const c of created) check(thKeys.includes(`${c.id}@1`), `type history misses ${type}/${c.id} version 1`);
  check(thKeys.includes(`${target.id}@2`), `type history misses ${type}/${target.id} version 2`);
  step('type history', `${thKeys.length} entries over ${thPages.length} pages of 2`);

  const sh = await client.history({ options: {} });
  check(sh.resourceType === 'Bundle' && sh.type === 'history', `system history answered ${sh.resourceType} ${sh.type}`);
  check((sh.entry ?? []).length > 0, 'system history is empty');
  step('system history', `${sh.entry.length} entries on the first page`);

  // delete, then read answers 410 Gone
  const victim = created[created.length - 1];
  await client.delete({ resourceType: type, id: victim.id });
  await expectStatus(client.read({ resourceType: type, id: victim.id }), 410, `read of deleted ${type}/${victim.id}`);
  step('delete', `${type}/${victim.id}; a later read answers 410`);
  await expectStatus(client.read({ resourceType: type, id: 'does-not-exist-' + run }), 404, 'read of an unknown id');
  step('not found', 'unknown id answers 404');
}

try {
  await main();
  process.stdout.write(`client: ${steps} steps passed\n`);
} catch (err) {
  const detail = err?.response ? ` (HTTP ${err.response.status}: ${JSON.stringify(err.response.data).slice(0, 2000)})` : '';
  const what = err instanceof CheckError || err?.response ? err.message : err?.stack ?? err;
  process.stdout.write(`not ok ${steps + 1}: ${what}${detail}\n`);
  process.exit(1);
}
