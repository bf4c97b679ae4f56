// `node --import ./portkey-pin-hono.mjs …/@portkey-ai/gateway/build/start-server.js`
// @portkey-ai/gateway 1.15.2 declares @hono/node-server ^1.3.3, but with
// @hono/node-server ≥ 1.14 every streamed chat completion fails with
// "TypeError: immutable" (Portkey-AI/gateway#1389, #1550). This points Portkey's
// imports of @hono/node-server at the 1.13.8 pinned in bench/package.json.
import { register } from 'node:module';

register('./portkey-pin-hono-hooks.mjs', import.meta.url);
