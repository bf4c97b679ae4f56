import { CONFIG_CHANGES_CHANNEL, type ConfigChange } from '@conduit/contracts';
import { Redis } from 'ioredis';
import { ADMIN, json, startTestGateway, type TestGateway } from '../support.js';

export interface Reply {
  status: number;
  body: any;
}

/** A signed-in caller of the admin API (token null = anonymous). */
export class Caller {
  constructor(
    readonly url: string,
    readonly token: string | null,
    readonly userId: string | null = null,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await json(res) };
  }
  get(path: string) {
    return this.call('GET', path);
  }
  post(path: string, body: unknown = {}) {
    return this.call('POST', path, body);
  }
  patch(path: string, body: unknown) {
    return this.call('PATCH', path, body);
  }
  put(path: string, body: unknown) {
    return this.call('PUT', path, body);
  }
  del(path: string) {
    return this.call('DELETE', path);
  }
}

export async function signIn(gw: TestGateway, email: string, password: string): Promise<Caller> {
  const res = await fetch(`${gw.url}/admin/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = await json(res);
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(body)}`);
  return new Caller(gw.url, body.accessToken, body.user.id);
}

export const PASSWORD = 'a-long-test-password-42';

/**
 * A tenant with one member per role, created through the API by the platform admin.
 */
export async function tenantWithMembers(gw: TestGateway, platform: Caller, slug: string, opts: { plan?: string; settings?: object } = {}) {
  const created = await platform.post('/admin/tenants', { slug, name: `Tenant ${slug}`, plan: opts.plan ?? 'basic', settings: opts.settings ?? {} });
  if (created.status !== 201) throw new Error(`tenant ${slug}: ${created.status} ${JSON.stringify(created.body)}`);
  const tenantId: string = created.body.tenant.id;
  const callers: Record<'owner' | 'admin' | 'developer' | 'viewer', Caller> = {} as never;
  for (const role of ['owner', 'admin', 'developer', 'viewer'] as const) {
    const email = `${role}@${slug}.test`;
    const add = await platform.post(`/admin/tenants/${tenantId}/members`, { email, role, password: PASSWORD, name: `${role} of ${slug}` });
    if (add.status !== 201) throw new Error(`member ${email}: ${add.status} ${JSON.stringify(add.body)}`);
    callers[role] = await signIn(gw, email, PASSWORD);
  }
  return { id: tenantId, slug, ...callers };
}

export async function startAdminGateway(env: Record<string, string> = {}) {
  const gw = await startTestGateway(env);
  const platform = await signIn(gw, ADMIN.email, ADMIN.password);
  return { gw, platform, anonymous: new Caller(gw.url, null) };
}

/** Subscribes to the config-change channel of a gateway and collects what is published. */
export async function listenForChanges(gw: TestGateway) {
  const sub = new Redis(gw.config.REDIS_URL);
  const channel = `${gw.config.REDIS_PREFIX}:${CONFIG_CHANGES_CHANNEL}`;
  const received: ConfigChange[] = [];
  sub.on('message', (ch, message) => {
    if (ch === channel) received.push(JSON.parse(message) as ConfigChange);
  });
  await sub.subscribe(channel);
  return {
    received,
    /** waits (up to a second) for a message matching `match` */
    async waitFor(match: (c: ConfigChange) => boolean, timeoutMs = 1000): Promise<ConfigChange> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find(match);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching config change within ${timeoutMs} ms; got ${JSON.stringify(received)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    clear() {
      received.length = 0;
    },
    close: () => sub.quit(),
  };
}
