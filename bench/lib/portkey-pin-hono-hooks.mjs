// Module resolve hook (see portkey-pin-hono.mjs): resolve @hono/node-server from bench/.
const BENCH = new URL('../package.json', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === '@hono/node-server' || specifier.startsWith('@hono/node-server/')) {
    return next(specifier, { ...context, parentURL: BENCH });
  }
  return next(specifier, context);
}
