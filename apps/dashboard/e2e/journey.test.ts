import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, signIn, type Stack, STACK_ADMIN, STACK_DEVELOPER, startStack } from './stack';

// The journey of issue #8: a developer gets a key and access to an
// approval-required model, an admin approves, the playground streams through it.
describe.skipIf(!chromiumPath)('dashboard journey (headless Chromium, real gateway and worker)', () => {
  let stack: Stack;
  let developer: { context: BrowserContext; page: Page };
  let admin: { context: BrowserContext; page: Page };
  let secret = '';

  beforeAll(async () => {
    stack = await startStack({ worker: true });
    developer = await signIn(stack.browser, stack.dashboardUrl, STACK_DEVELOPER);
    admin = await signIn(stack.browser, stack.dashboardUrl, STACK_ADMIN);
  }, 120_000);
  afterAll(() => stack?.stop());

  it('the admin creates a tenant and a developer, who signs in to that tenant', async () => {
    const { page } = admin;
    await page.goto(`${stack.dashboardUrl}/admin/tenants`);
    await page.getByLabel('Tenant name').fill('Acme Labs');
    await page.getByLabel('Slug').fill('acme');
    await page.getByLabel('Plan').selectOption('pro');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByText('Tenant “Acme Labs” created (/t/acme).').waitFor();
    await page.getByRole('cell', { name: 'acme', exact: true }).waitFor();

    await page.getByRole('row').filter({ hasText: 'Acme Labs' }).getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(/\/admin\/members\?tenant=acme/);
    await page.getByLabel('Email').fill('ada@acme.test');
    await page.getByLabel('Role', { exact: true }).selectOption('developer');
    await page.getByLabel('Password for a new account').fill('ada-password-1234');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('ada@acme.test is now developer of acme (account created).').waitFor();

    const ada = await signIn(stack.browser, stack.dashboardUrl, { email: 'ada@acme.test', password: 'ada-password-1234' });
    await ada.page.waitForURL(/\/t\/acme/);
    await ada.page.getByText('Acme Labs').first().waitFor();
    await ada.context.close();
  });

  it('the developer creates a key, sees the secret once and copies it', async () => {
    const { page } = developer;
    await page.goto(`${stack.dashboardUrl}/t/demo/keys`);
    await page.getByLabel('Key name').fill('e2e-playground');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: /Copy the secret of “e2e-playground” now/ }).waitFor();
    secret = await page.getByLabel('New API key secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    // listed by prefix, never the secret
    await page.getByRole('cell', { name: 'e2e-playground', exact: true }).waitFor();
    expect(await page.content()).toContain(secret); // still shown in the one-time panel…
    await page.reload();
    await page.getByRole('cell', { name: 'e2e-playground', exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret); // …and gone after a reload
  });

  it('the developer asks for access to an approval-required model', async () => {
    const { page } = developer;
    await page.goto(`${stack.dashboardUrl}/t/demo/models`);
    await page.getByLabel('Model', { exact: true }).selectOption('demo-reasoning');
    await page.getByLabel('Reason').first().fill('Evaluating long reasoning answers for the support bot.');
    await page.getByRole('button', { name: 'Request access' }).click();
    await page.getByText('Access to demo-reasoning requested.').waitFor();
    const mine = page.getByRole('region', { name: 'My requests' });
    await mine.getByText('Access to demo-reasoning').waitFor();
    await mine.getByText('pending').waitFor();
  });

  it('the admin approves it from the approvals queue, with a note', async () => {
    const { page } = admin;
    await page.goto(`${stack.dashboardUrl}/admin/approvals`);
    const item = page.getByRole('listitem', { name: `Access to demo-reasoning from ${STACK_DEVELOPER.email}` });
    await item.getByLabel('Note to the requester').fill('Approved for the evaluation.');
    await item.getByRole('button', { name: 'Approve' }).click();
    // it leaves the queue for the decided list, with the reviewer and the note
    const decided = page.getByRole('region', { name: 'Recently decided' });
    await decided.getByRole('cell', { name: 'Approved for the evaluation.' }).waitFor();
    await decided.getByText(STACK_ADMIN.email).waitFor();
    expect(await item.count()).toBe(0);
  });

  it("the developer sees the approval and the playground streams an answer with the new key", async () => {
    const { page } = developer;
    await page.goto(`${stack.dashboardUrl}/t/demo/models`);
    await page.getByRole('region', { name: 'My requests' }).getByText('approved', { exact: true }).waitFor();

    await page.goto(`${stack.dashboardUrl}/t/demo/playground`);
    await page.getByLabel('API key').fill(secret);
    await page.getByLabel('Model').selectOption('demo-reasoning');
    await page.getByLabel('Message').fill('Say hello to the browser test.');
    await page.getByRole('button', { name: 'Send' }).click();
    const figures = page.getByRole('definition');
    await page.getByText('Total latency').waitFor({ timeout: 30_000 });
    const answer = await page.getByRole('region', { name: 'Conversation' }).locator('li').nth(1).innerText();
    expect(answer.replace('Assistant:', '').trim().length).toBeGreaterThan(0);
    const values = await figures.allInnerTexts();
    expect(Number(values[0])).toBeGreaterThan(0); // prompt tokens
    expect(Number(values[1])).toBeGreaterThan(0); // completion tokens
    expect(values[2]).toMatch(/^\$\d/); // cost

    // the conversation as curl, with the key as a variable and never the secret
    await page.getByRole('button', { name: 'Copy as curl' }).click();
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toContain(`${stack.gatewayUrl}/v1/chat/completions`);
    expect(curl).toContain('$CONDUIT_API_KEY');
    expect(curl).toContain('Say hello to the browser test.');
    expect(curl).not.toContain(secret);
  }, 60_000);

  it('after the worker runs, the usage charts and the request log show that call', async () => {
    const { page } = developer;
    const deadline = Date.now() + 30_000;
    for (;;) {
      await page.goto(`${stack.dashboardUrl}/t/demo/usage?range=24h`);
      const totals = page.getByLabel('Totals for the period');
      await totals.waitFor();
      const text = await totals.innerText();
      if (/Requests\s*[1-9]/.test(text)) break;
      if (Date.now() > deadline) throw new Error(`usage never showed the call: ${text}`);
      await page.waitForTimeout(1000);
    }
    await page.getByRole('img', { name: 'Requests and errors over time' }).locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByRole('region', { name: 'Top models' }).getByText('demo-reasoning').waitFor();

    await page.goto(`${stack.dashboardUrl}/t/demo/requests`);
    const row = page.getByRole('row').filter({ hasText: 'demo-reasoning' });
    await row.first().waitFor();
    await row.first().getByRole('link', { name: /Details of request/ }).click();
    await page.getByRole('heading', { name: 'Request detail' }).waitFor();
    await page.getByText('Streamed').waitFor();

    // filters narrow the log: no errors yet
    await page.getByLabel('Status').selectOption('error');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No requests match.').waitFor();
  }, 60_000);

  it("the admin's overview charts the platform's traffic with the top tenants", async () => {
    const { page } = admin;
    await page.goto(`${stack.dashboardUrl}/admin?range=24h`);
    await page.getByRole('region', { name: 'Top tenants' }).getByText('Demo tenant').waitFor();
    await page.getByRole('region', { name: 'Top keys' }).getByText('e2e-playground (Demo tenant)').waitFor();
    await page.getByRole('img', { name: 'Tokens over time' }).locator('.recharts-area').first().waitFor();

    // and every change of the journey is in the audit log
    await page.goto(`${stack.dashboardUrl}/admin/audit?action=tenant.*`);
    await page.getByRole('cell', { name: 'tenant.create' }).waitFor();
  });

  it('the admin adds a provider with a credential and tests the connection', async () => {
    // a fake OpenAI-compatible upstream that lists one model for the right key
    const upstream = http.createServer((req, res) => {
      const ok = req.url === '/v1/models' && req.headers.authorization === 'Bearer sk-test-secret-1234';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { object: 'list', data: [{ id: 'fake-model', object: 'model' }] } : { error: { message: 'bad key' } }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    try {
      const { page } = admin;
      await page.goto(`${stack.dashboardUrl}/admin/providers`);
      const form = page.getByRole('region', { name: 'Add a provider' });
      await form.getByLabel('Name').fill('Local compatible');
      await form.getByLabel('Slug').fill('local-compat');
      await form.getByLabel('Type').selectOption('openai_compatible');
      await form.getByLabel('Base URL').fill(`http://127.0.0.1:${port}/v1`);
      await form.getByLabel('API key (optional)').fill('sk-test-secret-1234');
      await form.getByRole('button', { name: 'Add provider' }).click();
      await page.getByText('Provider “Local compatible” added with its credential').waitFor();
      const card = page.getByRole('region', { name: /Local compatible/ });
      await card.getByText('…1234').waitFor(); // only the hint, never the secret
      expect(await page.content()).not.toContain('sk-test-secret-1234');
      await card.getByRole('button', { name: 'Test connection to Local compatible' }).click();
      await card.getByText(/Connected in \d+ ms \(HTTP 200\); 1 models listed\./).waitFor({ timeout: 20_000 });
      await card.getByText('Models: fake-model').waitFor();
    } finally {
      upstream.close();
    }
  }, 40_000);

  it("the admin changes a tenant's cache and retention settings", async () => {
    const { page } = admin;
    await page.goto(`${stack.dashboardUrl}/admin/settings?tenant=acme`);
    await page.getByLabel('Retention (days)').fill('30');
    await page.getByLabel('Cache TTL (seconds)').fill('600');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.reload();
    expect(await page.getByLabel('Retention (days)').inputValue()).toBe('30');
    expect(await page.getByLabel('Cache TTL (seconds)').inputValue()).toBe('600');
  });

  it('the admin sets a monthly budget; the developer sees it against their usage', async () => {
    const { page } = admin;
    await page.goto(`${stack.dashboardUrl}/admin/quotas?tenant=demo`);
    const form = page.getByRole('region', { name: 'Add a quota or budget' });
    await form.getByLabel('Metric', { exact: true }).selectOption('cost');
    await form.getByLabel('Per', { exact: true }).selectOption('month');
    await form.getByLabel('Limit', { exact: true }).fill('5');
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Budget added; the gateway enforces it from the next request.').waitFor();
    await page.getByRole('meter', { name: '$5 budget per month · whole tenant' }).waitFor();

    await developer.page.goto(`${stack.dashboardUrl}/t/demo/usage`);
    const meter = developer.page.getByRole('meter', { name: '$5 budget per month · whole tenant' });
    await meter.waitFor();
    expect(await meter.getAttribute('aria-valuemax')).toBe('5');
  });

  it('the admin adds a model to the catalogue with a deployment and a price', async () => {
    const { page } = admin;
    await page.goto(`${stack.dashboardUrl}/admin/models`);
    const create = page.getByRole('region', { name: 'Add a model' });
    await create.getByLabel('Public name').fill('e2e-chat');
    await create.getByLabel('Display name').fill('E2E chat');
    await create.getByRole('button', { name: 'Add model' }).click();
    await page.getByText('Model e2e-chat created. Add a deployment so it can be served.').waitFor();
    await page.getByRole('link', { name: 'e2e-chat' }).click();
    const detail = page.getByRole('region', { name: /e2e-chat/ });
    await detail.getByText('None: calls to this model fail until a deployment serves it.').waitFor();
    await detail.getByLabel('Provider').selectOption({ label: 'Built-in simulator (simulator)' });
    await detail.getByLabel('Upstream model').fill('sim-chat');
    await detail.getByRole('button', { name: 'Add deployment' }).click();
    await detail.getByRole('cell', { name: 'sim-chat' }).waitFor();
    await detail.getByLabel('Input', { exact: true }).fill('1.5');
    await detail.getByLabel('Output', { exact: true }).fill('4');
    await detail.getByRole('button', { name: 'Set new price' }).click();
    await detail.getByText(/input \$1\.5\d*, output \$4/).waitFor();
    // a header rule: requests with x-tier: beta go to the simulator deployment
    const rule = detail.getByRole('form', { name: 'Add a routing rule' });
    await rule.getByLabel('Rule name').fill('beta users');
    await rule.getByLabel('Condition type').selectOption('header');
    await rule.getByLabel('Header name').fill('x-tier');
    await rule.getByLabel('Equals').fill('beta');
    await rule.getByLabel('simulator · sim-chat').check();
    await rule.getByRole('button', { name: 'Add rule' }).click();
    await rule.getByText('Rule beta users added: matching requests go to 1 deployment(s).').waitFor();
    const rules = detail.getByRole('list', { name: 'Routing rules' });
    await rules.getByText('header x-tier = "beta"').waitFor();
    await rules.getByRole('button', { name: 'Disable rule beta users' }).click();
    await detail.getByText('Rule beta users disabled: its requests use the model\'s strategy.').waitFor();
    await rules.getByRole('button', { name: 'Enable rule beta users' }).waitFor();
    // a prompt-pattern rule, then deleted (after confirming)
    await rule.getByLabel('Rule name').fill('translations');
    await rule.getByLabel('Condition type').selectOption('prompt_pattern');
    await rule.getByLabel('Pattern (regular expression)').fill('^translate');
    await rule.getByLabel('simulator · sim-chat').check();
    await rule.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByText('prompt matches /^translate/').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await rules.getByRole('button', { name: 'Delete rule translations' }).click();
    await detail.getByText('Rule translations deleted.').waitFor();
    expect(await rules.getByText('translations').count()).toBe(0);
    await rules.getByText('beta users').waitFor();
  });

  it('the developer rotates a key (new secret shown once) and revokes another', async () => {
    const { page } = developer;
    await page.goto(`${stack.dashboardUrl}/t/demo/keys`);
    await page.getByLabel('Key name').fill('to-rotate');
    await page.getByRole('button', { name: 'Create key' }).click();
    const first = await page.getByLabel('New API key secret').inputValue();
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'to-rotate', exact: true }) });
    await row.first().getByLabel('Old secret keeps working for').selectOption('0');
    await row.first().getByRole('button', { name: 'Rotate to-rotate' }).click();
    await page.waitForFunction((old) => {
      const input = document.querySelector<HTMLInputElement>('#new-secret');
      return input && input.value !== old;
    }, first);
    const rotated = await page.getByLabel('New API key secret').inputValue();
    expect(rotated).not.toBe(first);
    secret = rotated; // the playground key from here on (e2e-playground is revoked next)

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke e2e-playground' }).click();
    await page.getByText('Key revoked. Calls with it are refused from now on.').waitFor();
    await page.getByLabel('Show revoked keys').check();
    await page.getByRole('row').filter({ hasText: 'e2e-playground' }).getByText('revoked').waitFor();
  });

  it('a quota-increase request rejected with a note shows the note to the developer', async () => {
    await developer.page.goto(`${stack.dashboardUrl}/t/demo/models`);
    const form = developer.page.getByRole('region', { name: 'Request a quota increase' });
    await form.getByLabel('Metric').selectOption('tokens');
    await form.getByLabel('Per').selectOption('day');
    await form.getByLabel('New limit').fill('5000000');
    await form.getByLabel('Reason').fill('Batch summarisation next week.');
    await form.getByRole('button', { name: 'Request increase' }).click();
    await developer.page.getByText('Quota increase requested.').waitFor();

    await admin.page.goto(`${stack.dashboardUrl}/admin/approvals`);
    const item = admin.page.getByRole('listitem', { name: `Quota: 5000000 tokens per day from ${STACK_DEVELOPER.email}` });
    await item.getByRole('button', { name: 'Reject' }).click();
    await item.getByRole('alert').filter({ hasText: 'Add a note saying why' }).waitFor(); // a rejection needs a reason
    await item.getByLabel('Note to the requester').fill('Use the batch API instead.');
    await item.getByRole('button', { name: 'Reject' }).click();
    await admin.page.getByRole('region', { name: 'Recently decided' }).getByRole('cell', { name: 'Use the batch API instead.' }).waitFor();

    await developer.page.reload();
    const mine = developer.page.getByRole('region', { name: 'My requests' });
    await mine.getByText('rejected', { exact: true }).waitFor();
    await mine.getByText('“Use the batch API instead.”', { exact: false }).waitFor();
  });

  it("a tenant admin reviews their tenant's requests in the portal", async () => {
    await admin.page.goto(`${stack.dashboardUrl}/admin/members?tenant=acme`);
    await admin.page.getByLabel('Email').fill('owen@acme.test');
    await admin.page.getByLabel('Role', { exact: true }).selectOption('admin');
    await admin.page.getByLabel('Password for a new account').fill('owen-password-1234');
    await admin.page.getByRole('button', { name: 'Add member' }).click();
    await admin.page.getByText('owen@acme.test is now admin of acme (account created).').waitFor();

    const ada = await signIn(stack.browser, stack.dashboardUrl, { email: 'ada@acme.test', password: 'ada-password-1234' });
    await ada.page.goto(`${stack.dashboardUrl}/t/acme/models`);
    await ada.page.getByLabel('Model', { exact: true }).selectOption('demo-reasoning');
    await ada.page.getByLabel('Reason').first().fill('Trying it for Acme.');
    await ada.page.getByRole('button', { name: 'Request access' }).click();
    await ada.page.getByText('Access to demo-reasoning requested.').waitFor();
    // a developer has nothing to review
    expect(await ada.page.getByRole('heading', { name: /Requests to review/ }).count()).toBe(0);

    const owen = await signIn(stack.browser, stack.dashboardUrl, { email: 'owen@acme.test', password: 'owen-password-1234' });
    await owen.page.goto(`${stack.dashboardUrl}/t/acme/models`);
    const item = owen.page.getByRole('listitem', { name: 'Access to demo-reasoning from ada@acme.test' });
    await item.getByRole('button', { name: 'Approve' }).click();
    await owen.page.getByRole('heading', { name: 'Requests to review (0)' }).waitFor();

    await ada.page.reload();
    await ada.page.getByRole('region', { name: 'My requests' }).getByText('approved', { exact: true }).waitFor();
    await ada.context.close();
    await owen.context.close();
  });

  // CONDUIT_SCREENSHOTS=docs/screenshots pnpm vitest run --project dashboard — refreshes the README's pictures
  it.skipIf(!process.env.CONDUIT_SCREENSHOTS)('screenshots of the main pages', async () => {
    const dir = path.resolve(__dirname, '..', '..', '..', process.env.CONDUIT_SCREENSHOTS ?? '');
    const shots: [Page, string, string][] = [
      [admin.page, '/admin?range=24h', 'admin-overview'],
      [admin.page, '/admin/tenants', 'admin-tenants'],
      [admin.page, '/admin/approvals', 'admin-approvals'],
      [admin.page, '/admin/requests?tenant=demo', 'admin-request-logs'],
      [admin.page, '/admin/audit', 'admin-audit-log'],
      [admin.page, '/admin/providers', 'admin-providers'],
      [admin.page, '/admin/quotas?tenant=demo', 'admin-quotas'],
      [admin.page, '/admin/models', 'admin-models'],
      [admin.page, '/admin/settings?tenant=demo', 'admin-settings'],
      [developer.page, '/t/demo/keys', 'portal-keys'],
      [developer.page, '/t/demo/models', 'portal-models'],
      [developer.page, '/t/demo/usage?range=24h', 'portal-usage'],
      [developer.page, '/t/demo/quickstart', 'portal-quickstart'],
    ];
    for (const [page, url, name] of shots) {
      await page.goto(`${stack.dashboardUrl}${url}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(600); // chart animations
      await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
    }
    // narrow screens: the sidebar stacks above the content, tables scroll sideways
    await developer.page.setViewportSize({ width: 390, height: 844 });
    await developer.page.goto(`${stack.dashboardUrl}/t/demo/usage?range=24h`);
    await developer.page.waitForLoadState('networkidle');
    await developer.page.waitForTimeout(600);
    await developer.page.screenshot({ path: path.join(dir, 'portal-usage-mobile.png'), fullPage: false });
    await developer.page.setViewportSize({ width: 1280, height: 900 });
    // the playground, mid-conversation
    const { page } = developer;
    await page.goto(`${stack.dashboardUrl}/t/demo/playground`);
    await page.getByLabel('API key').fill(secret);
    await page.getByLabel('Model').selectOption('demo-chat');
    await page.getByLabel('Message').fill('What does Conduit do?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Total latency').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(dir, 'portal-playground.png'), fullPage: true });
  }, 120_000);
});

