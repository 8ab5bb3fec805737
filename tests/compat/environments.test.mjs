// Wire-compatibility test: the official Anthropic TypeScript SDK (pinned in package.json)
// driving Berth's environments API through `client.beta.environments`.
//
// Usage:  BERTH_URL=http://127.0.0.1:8080 BERTH_TOKEN=pt-... node --test environments.test.mjs
//   (or ./run.sh). BERTH_TOKEN must be an admin token: the test deletes what it creates.
//
// The test only ever touches environments it created itself (a unique name prefix per run),
// so it works against a server that holds other data. Everything it created is deleted in
// the `after` hook.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { VERSION as SDK_VERSION } from '@anthropic-ai/sdk/version';

const BERTH_URL = (process.env.BERTH_URL ?? '').replace(/\/+$/, '');
const BERTH_TOKEN = process.env.BERTH_TOKEN ?? '';
if (!BERTH_URL || !BERTH_TOKEN) {
  throw new Error('BERTH_URL (e.g. http://127.0.0.1:8080) and BERTH_TOKEN (an admin pt-... token) must be set');
}

const RUN = `compat-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
const PAGE_COUNT = 45;
const PAGE_SIZE = 10;
const MAX_LIST_REQUESTS = 20_000; // guard against a server that never stops paginating

const ID_RE = /^env_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/; // env_ + UUIDv7 as 32 lowercase hex
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const REQUEST_ID_RE = /^[\x21-\x7e]{1,128}$/;
const ENV_KEYS = [
  'archived',
  'archived_at',
  'config',
  'created_at',
  'description',
  'id',
  'metadata',
  'name',
  'status',
  'type',
  'updated_at',
].sort();

// ---------------------------------------------------------------------------------------
// A fetch wrapper that records every exchange so that wire-level facts the SDK hides
// (status codes, headers, raw list pages) can be asserted too.

/** @type {{method: string, url: URL, status: number, headers: Headers, body: any}[]} */
const exchanges = [];
let listRequests = 0;

async function recordingFetch(input, init = {}) {
  const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
  const method = (init.method ?? 'GET').toUpperCase();
  if (method === 'GET' && /\/environments$/.test(url.pathname) && ++listRequests > MAX_LIST_REQUESTS) {
    throw new Error(`more than ${MAX_LIST_REQUESTS} list requests: pagination does not terminate`);
  }
  const res = await fetch(input, init);
  const text = await res.clone().text();
  let body = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* keep the text */
  }
  exchanges.push({ method, url, status: res.status, headers: res.headers, body });
  return res;
}

function lastExchange(method, pathSuffix) {
  for (let i = exchanges.length - 1; i >= 0; i--) {
    const x = exchanges[i];
    if (x.method === method && x.url.pathname.endsWith(pathSuffix)) return x;
  }
  assert.fail(`no recorded ${method} ...${pathSuffix}`);
}

function makeClient(token) {
  return new Anthropic({
    baseURL: BERTH_URL,
    authToken: token,
    // Retries would hide server errors (the SDK retries 408, 409, 429 and 5xx by default).
    maxRetries: 0,
    timeout: 30_000,
    fetch: recordingFetch,
  });
}

const client = makeClient(BERTH_TOKEN);

// ---------------------------------------------------------------------------------------
// helpers

function assertWireBasics(x, expectedStatus) {
  assert.equal(x.status, expectedStatus, `${x.method} ${x.url.pathname}: HTTP status`);
  assert.match(x.headers.get('content-type') ?? '', /^application\/json\b/i, 'content-type is JSON');
  const rid = x.headers.get('x-request-id');
  assert.ok(rid && REQUEST_ID_RE.test(rid), `x-request-id response header present (got ${rid})`);
}

function assertEnvironmentShape(env) {
  assert.deepEqual(Object.keys(env).sort(), ENV_KEYS, 'environment object has exactly the documented keys');
  assert.match(env.id, ID_RE, 'id is env_ + 32 lowercase hex digits of a UUIDv7');
  assert.equal(env.type, 'environment');
  assert.equal(typeof env.name, 'string');
  assert.equal(typeof env.description, 'string');
  assert.match(env.created_at, TS_RE, 'created_at is RFC 3339 UTC with 6 fractional digits');
  assert.match(env.updated_at, TS_RE, 'updated_at is RFC 3339 UTC with 6 fractional digits');
  assert.ok(!Number.isNaN(Date.parse(env.created_at)), 'created_at parses');
  assert.ok(env.updated_at >= env.created_at, 'updated_at >= created_at');
  if (env.archived) {
    assert.equal(env.status, 'archived');
    assert.match(env.archived_at, TS_RE, 'archived_at format');
  } else {
    assert.equal(env.status, 'ready');
    assert.equal(env.archived_at, null);
  }
}

/** Plain JSON copy: strips the SDK's non-enumerable _request_id and any prototype. */
const plain = (v) => JSON.parse(JSON.stringify(v));

/** Iterate the auto-paginated list; returns {items, pages} where pages are the raw bodies. */
async function listAll(params) {
  const start = exchanges.length;
  const items = [];
  const seen = new Set();
  for await (const env of client.beta.environments.list(params)) {
    assert.ok(!seen.has(env.id), `list returned ${env.id} twice`);
    seen.add(env.id);
    items.push(plain(env));
  }
  const pages = exchanges
    .slice(start)
    .filter((x) => x.method === 'GET' && /\/v1\/environments$/.test(x.url.pathname));
  return { items, pages };
}

function assertPagesWellFormed(pages, params) {
  assert.ok(pages.length >= 1, 'at least one list request');
  let prevNext = null;
  pages.forEach((p, i) => {
    assertWireBasics(p, 200);
    const q = p.url.searchParams;
    assert.equal(q.get('limit'), String(params.limit), `page ${i}: limit sent`);
    if (params.include_archived) assert.equal(q.get('include_archived'), 'true');
    // The SDK follows `next_page` by re-sending the first page's query plus `page`.
    assert.equal(q.get('page'), prevNext, `page ${i}: SDK sent page=<previous next_page>`);

    const b = p.body;
    const keys = Object.keys(b).sort();
    assert.deepEqual(keys, ['data', 'first_id', 'has_more', 'last_id', 'next_page'], `page ${i}: list keys`);
    assert.ok(Array.isArray(b.data), `page ${i}: data is an array`);
    assert.ok(b.data.length <= params.limit, `page ${i}: at most limit items`);
    assert.equal(typeof b.has_more, 'boolean', `page ${i}: has_more boolean`);
    if (b.data.length === 0) {
      assert.equal(b.first_id, null, `page ${i}: first_id null on empty page`);
      assert.equal(b.last_id, null, `page ${i}: last_id null on empty page`);
    } else {
      assert.equal(b.first_id, b.data[0].id, `page ${i}: first_id`);
      assert.equal(b.last_id, b.data.at(-1).id, `page ${i}: last_id`);
    }
    if (b.has_more) {
      assert.equal(b.data.length, params.limit, `page ${i}: a page with has_more is full`);
      assert.equal(b.next_page, b.last_id, `page ${i}: next_page == last_id when has_more`);
    } else {
      assert.equal(b.next_page, null, `page ${i}: next_page null when !has_more`);
    }
    prevNext = b.next_page;
  });
  assert.equal(pages.at(-1).body.has_more, false, 'last page has has_more false');
}

function assertNewestFirst(items) {
  for (let i = 1; i < items.length; i++) {
    assert.ok(items[i - 1].id > items[i].id, `list is id-descending at ${i}: ${items[i - 1].id} then ${items[i].id}`);
    assert.ok(items[i - 1].created_at >= items[i].created_at, `created_at non-increasing at ${i}`);
  }
}

// ---------------------------------------------------------------------------------------

const DOC_BODY = {
  name: 'doc-test-env',
  config: { type: 'cloud', networking: { type: 'limited' }, packages: { apt: ['curl'] } },
};

/** ids created by this run, deleted in after() */
const created = new Set();
const deleted = new Set();

let docEnv = null; // latest known state of the doc-test-env environment
/** @type {any[]} in creation order */
let paged = [];
let archivedEnv = null;

describe(`Berth environments via @anthropic-ai/sdk ${SDK_VERSION} (run ${RUN})`, () => {
  before(() => {
    console.log(`# BERTH_URL=${BERTH_URL} run prefix=${RUN}`);
  });

  after(async () => {
    const failures = [];
    for (const id of created) {
      if (deleted.has(id)) continue;
      try {
        await client.beta.environments.delete(id);
      } catch (err) {
        if (!(err instanceof Anthropic.NotFoundError)) failures.push(`${id}: ${err.message}`);
      }
    }
    if (failures.length) throw new Error(`cleanup failed for ${failures.length} environment(s):\n${failures.join('\n')}`);
  });

  it('rejects an unknown bearer token with 401 AuthenticationError', async () => {
    const bad = makeClient(`pt-compat-invalid-${randomBytes(16).toString('hex')}`);
    await assert.rejects(bad.beta.environments.list({ limit: 1 }), (err) => {
      assert.ok(err instanceof Anthropic.AuthenticationError, `expected AuthenticationError, got ${err?.constructor?.name}: ${err?.message}`);
      assert.equal(err.status, 401);
      assert.equal(err.type, 'authentication_error');
      return true;
    });
  });

  it('creates the documented example environment', async () => {
    const env = await client.beta.environments.create(structuredClone(DOC_BODY));
    created.add(env.id);
    const x = lastExchange('POST', '/v1/environments');
    assertWireBasics(x, 201);
    const location = x.headers.get('location');
    assert.ok(location && location.endsWith(`/environments/${env.id}`), `Location header points at the new environment (got ${location})`);

    const got = plain(env);
    assertEnvironmentShape(got);
    assert.deepEqual(got, {
      id: got.id,
      type: 'environment',
      name: 'doc-test-env',
      description: '',
      status: 'ready',
      config: DOC_BODY.config,
      metadata: {},
      archived: false,
      archived_at: null,
      created_at: got.created_at,
      updated_at: got.created_at,
    });
    assert.equal(got.updated_at, got.created_at, 'updated_at equals created_at on create');
    docEnv = got;
  });

  it('retrieves it unchanged', async (t) => {
    if (!docEnv) return t.skip('create failed');
    const env = await client.beta.environments.retrieve(docEnv.id);
    assertWireBasics(lastExchange('GET', `/v1/environments/${docEnv.id}`), 200);
    assert.deepEqual(plain(env), docEnv);
  });

  it('updates name, description, metadata and networking (POST, partial)', async (t) => {
    if (!docEnv) return t.skip('create failed');
    const newName = `${RUN}-doc-renamed`;
    const networking = { type: 'limited', allowed_hosts: ['example.com', '*.example.org'], allow_package_managers: true };
    const env = await client.beta.environments.update(docEnv.id, {
      name: newName,
      description: 'updated by the compat test',
      metadata: { team: 'compat', purpose: 'sdk', extra: 'x' },
      config: { type: 'cloud', networking },
    });
    assertWireBasics(lastExchange('POST', `/v1/environments/${docEnv.id}`), 200);
    const got = plain(env);
    assertEnvironmentShape(got);
    assert.deepEqual(got, {
      ...docEnv,
      name: newName,
      description: 'updated by the compat test',
      metadata: { team: 'compat', purpose: 'sdk', extra: 'x' },
      // networking replaced, packages kept because omitted
      config: { type: 'cloud', networking, packages: { apt: ['curl'] } },
      updated_at: got.updated_at,
    });
    assert.equal(got.created_at, docEnv.created_at, 'created_at unchanged');
    assert.ok(got.updated_at > docEnv.updated_at, `updated_at advanced (${docEnv.updated_at} -> ${got.updated_at})`);
    docEnv = got;

    // metadata is a patch: null and "" delete keys, others are kept; description null stores "".
    const env2 = await client.beta.environments.update(docEnv.id, {
      metadata: { purpose: null, extra: '', added: 'y' },
      description: null,
    });
    const got2 = plain(env2);
    assertEnvironmentShape(got2);
    assert.deepEqual(got2, {
      ...docEnv,
      description: '',
      metadata: { team: 'compat', added: 'y' },
      updated_at: got2.updated_at,
    });
    assert.ok(got2.updated_at > docEnv.updated_at, 'updated_at advanced on the second update');
    docEnv = got2;

    const again = await client.beta.environments.retrieve(docEnv.id);
    assert.deepEqual(plain(again), docEnv, 'retrieve after update returns the updated object');
  });

  it(`creates ${PAGE_COUNT} environments and auto-paginates them with limit ${PAGE_SIZE}, newest first`, async () => {
    for (let i = 0; i < PAGE_COUNT; i++) {
      const env = await client.beta.environments.create({
        name: `${RUN}-page-${String(i).padStart(2, '0')}`,
        config: { type: 'cloud' },
        metadata: { compat_run: RUN, index: String(i) },
      });
      created.add(env.id);
      const got = plain(env);
      assertEnvironmentShape(got);
      assert.deepEqual(got.config, { type: 'cloud' }, 'config returned as sent, no defaults injected');
      if (paged.length) assert.ok(got.id > paged.at(-1).id, 'ids strictly increase in creation order');
      paged.push(got);
    }

    const params = { limit: PAGE_SIZE };
    const { items, pages } = await listAll(params);
    assertPagesWellFormed(pages, params);
    assert.ok(pages.length >= Math.ceil(PAGE_COUNT / PAGE_SIZE), `at least ${Math.ceil(PAGE_COUNT / PAGE_SIZE)} pages fetched (got ${pages.length})`);
    assertNewestFirst(items);

    const ours = items.filter((e) => e.name.startsWith(`${RUN}-page-`));
    assert.equal(ours.length, PAGE_COUNT, `each of the ${PAGE_COUNT} environments seen exactly once`);
    assert.deepEqual(
      ours.map((e) => e.id),
      paged.map((e) => e.id).reverse(),
      'our environments come newest first',
    );
    const byId = new Map(paged.map((e) => [e.id, e]));
    for (const e of ours) assert.deepEqual(e, byId.get(e.id), `list item ${e.id} equals the create response`);
    assert.ok(docEnv == null || items.some((e) => e.id === docEnv.id), 'doc-test-env is listed');
  });

  it('archives one environment', async (t) => {
    if (paged.length !== PAGE_COUNT) return t.skip('bulk create failed');
    const target = paged[7];
    const env = await client.beta.environments.archive(target.id);
    const x = lastExchange('POST', `/v1/environments/${target.id}/archive`);
    assertWireBasics(x, 200);
    const got = plain(env);
    assertEnvironmentShape(got);
    assert.match(got.archived_at ?? '', TS_RE, 'archived_at set');
    assert.deepEqual(got, {
      ...target,
      status: 'archived',
      archived: true,
      archived_at: got.archived_at,
      updated_at: got.archived_at,
    });
    assert.equal(got.updated_at, got.archived_at, 'updated_at equals archived_at');
    assert.ok(got.archived_at > target.updated_at, 'archived_at is after the last update');
    archivedEnv = got;

    assert.deepEqual(plain(await client.beta.environments.retrieve(target.id)), got, 'retrieve shows archived ones too');

    await assert.rejects(client.beta.environments.archive(target.id), (err) => {
      assert.ok(err instanceof Anthropic.ConflictError, `archive twice: expected ConflictError, got ${err?.constructor?.name}: ${err?.message}`);
      assert.equal(err.type, 'conflict_error');
      return true;
    });
    await assert.rejects(client.beta.environments.update(target.id, { name: `${RUN}-nope` }), (err) => {
      assert.ok(err instanceof Anthropic.ConflictError, `update archived: expected ConflictError, got ${err?.constructor?.name}: ${err?.message}`);
      return true;
    });
  });

  it('lists archived environments only with include_archived', async (t) => {
    if (!archivedEnv) return t.skip('archive failed');
    const mine = (items) => items.filter((e) => e.name.startsWith(`${RUN}-page-`));

    const without = await listAll({ limit: PAGE_SIZE });
    assertPagesWellFormed(without.pages, { limit: PAGE_SIZE });
    assertNewestFirst(without.items);
    assert.ok(without.items.every((e) => !e.archived && e.status === 'ready'), 'default list has no archived environments');
    assert.ok(!without.items.some((e) => e.id === archivedEnv.id), 'archived environment absent without include_archived');
    assert.deepEqual(
      mine(without.items).map((e) => e.id),
      paged.filter((e) => e.id !== archivedEnv.id).map((e) => e.id).reverse(),
      'the other environments are still listed, newest first',
    );

    const withArchived = await listAll({ limit: PAGE_SIZE, include_archived: true });
    assertPagesWellFormed(withArchived.pages, { limit: PAGE_SIZE, include_archived: true });
    assertNewestFirst(withArchived.items);
    assert.deepEqual(
      mine(withArchived.items).map((e) => e.id),
      paged.map((e) => e.id).reverse(),
      'all environments listed with include_archived, newest first',
    );
    assert.deepEqual(
      withArchived.items.find((e) => e.id === archivedEnv.id),
      archivedEnv,
      'archived environment listed with include_archived',
    );
  });

  it('deletes an environment; retrieve then gives 404 NotFoundError', async (t) => {
    if (paged.length !== PAGE_COUNT) return t.skip('bulk create failed');
    const target = paged[3];
    const res = await client.beta.environments.delete(target.id);
    deleted.add(target.id);
    assertWireBasics(lastExchange('DELETE', `/v1/environments/${target.id}`), 200);
    assert.deepEqual(plain(res), { id: target.id, type: 'environment_deleted', deleted: true });

    await assert.rejects(client.beta.environments.retrieve(target.id), (err) => {
      assert.ok(err instanceof Anthropic.NotFoundError, `expected NotFoundError, got ${err?.constructor?.name}: ${err?.message}`);
      assert.equal(err.status, 404);
      assert.equal(err.type, 'not_found_error');
      assert.equal(typeof err.apiMessage, 'string');
      const x = lastExchange('GET', `/v1/environments/${target.id}`);
      assertWireBasics(x, 404);
      const body = x.body;
      assert.equal(body.type, 'error');
      assert.equal(body.request_id, x.headers.get('x-request-id'), 'error body request_id equals x-request-id');
      assert.equal(body.error.type, 'not_found_error');
      assert.equal(typeof body.error.message, 'string');
      assert.ok(body.error.message.length > 0, 'error message is not empty');
      assert.deepEqual(
        Object.keys(body).sort(),
        ['error', 'request_id', 'type'],
        'error body has exactly type, request_id, error',
      );
      return true;
    });

    await assert.rejects(client.beta.environments.delete(target.id), Anthropic.NotFoundError, 'deleting twice is 404');
  });

  it('archived environments can be deleted; cleanup of the doc environment', async (t) => {
    if (archivedEnv) {
      const res = await client.beta.environments.delete(archivedEnv.id);
      deleted.add(archivedEnv.id);
      assert.deepEqual(plain(res), { id: archivedEnv.id, type: 'environment_deleted', deleted: true });
    }
    if (docEnv) {
      const res = await client.beta.environments.delete(docEnv.id);
      deleted.add(docEnv.id);
      assert.deepEqual(plain(res), { id: docEnv.id, type: 'environment_deleted', deleted: true });
    }
    if (!archivedEnv && !docEnv) t.skip('nothing to delete');
  });
});
