#!/usr/bin/env node
// Extracts the OpenAI schemas the wire-format tests validate against (and every
// schema they reference) from OpenAI's published OpenAPI document into
// test/fixtures/openai-schemas.json, so the tests run on any machine.
//   pnpm --filter @conduit/gateway schemas:extract [path/to/openai-openapi.yaml]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOTS = [
  'CreateChatCompletionResponse',
  'CreateChatCompletionStreamResponse',
  'CreateCompletionResponse',
  'CreateEmbeddingResponse',
  'ListModelsResponse',
  'Model',
  'ErrorResponse',
];

const here = path.dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? path.join(here, '..', '..', '..', '..', 'shared', 'specs', 'openai-openapi.yaml');
const doc = parse(readFileSync(source, 'utf8'), { maxAliasCount: -1 });
const all = doc.components.schemas;
const defs = {};
const visit = (name) => {
  if (defs[name]) return;
  if (!all[name]) throw new Error(`schema ${name} not found`);
  defs[name] = all[name];
  JSON.stringify(all[name], (k, v) => {
    if (k === '$ref' && typeof v === 'string') visit(v.split('/').pop());
    return v;
  });
};
ROOTS.forEach(visit);
// The document is OpenAPI 3.1 but still carries 3.0's `nullable`; turn it into JSON Schema.
const denull = (node) => {
  if (Array.isArray(node)) return node.map(denull);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'nullable') out[k] = denull(v);
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'], ...(out.enum ? { enum: [...out.enum, null] } : {}) };
  return { anyOf: [out, { type: 'null' }] };
};
const out = denull(JSON.parse(JSON.stringify({ $defs: defs }).replaceAll('#/components/schemas/', '#/$defs/')));
out.$comment = `Extracted from OpenAI's OpenAPI document (openai/openai-openapi, MIT licence) by scripts/extract-openai-schemas.mjs. Roots: ${ROOTS.join(', ')}.`;
const target = path.join(here, '..', 'test', 'fixtures', 'openai-schemas.json');
writeFileSync(target, JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${Object.keys(defs).length} schemas to ${path.relative(process.cwd(), target)}`);
