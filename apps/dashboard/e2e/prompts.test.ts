import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, signIn, type Stack, STACK_ADMIN, STACK_DEVELOPER, startStack } from './stack';

// The portal's Prompts page: a developer creates a versioned prompt template by clicking.
describe.skipIf(!chromiumPath)('portal prompts (headless Chromium, real gateway)', () => {
  let stack: Stack;
  let developer: { context: BrowserContext; page: Page };

  beforeAll(async () => {
    stack = await startStack();
    developer = await signIn(stack.browser, stack.dashboardUrl, STACK_DEVELOPER);
  }, 120_000);
  afterAll(() => stack?.stop());

  it('the developer creates a prompt with a first version; it is listed with version 1 and a curl snippet', async () => {
    const { page } = developer;
    await page.goto(`${stack.dashboardUrl}/t/demo`);
    await page.getByRole('link', { name: 'Prompts' }).first().click();
    await page.waitForURL(/\/t\/demo\/prompts$/);
    await page.getByText('No prompts yet.').waitFor();

    await page.getByLabel('Slug').fill('support-reply');
    await page.getByLabel('Name', { exact: true }).fill('Support reply');
    await page.getByLabel('Model').selectOption('demo-chat');
    await page.getByLabel('System message (optional)').fill('You are a friendly support agent.');
    await page.getByLabel('User message template').fill('Answer this customer: {{question}}');
    // an invalid schema is refused with a message that says how to fix it
    await page.getByLabel('Input JSON Schema').fill('{"type": "object",');
    await page.getByRole('button', { name: 'Create prompt' }).click();
    await page.getByRole('alert').filter({ hasText: 'The input JSON Schema is not valid JSON' }).waitFor();

    await page.getByLabel('Input JSON Schema').fill('{"type":"object","required":["question"],"properties":{"question":{"type":"string"}}}');
    await page.getByRole('button', { name: 'Create prompt' }).click();
    await page.getByText('Prompt “Support reply” created with version 1, which is active.').waitFor();

    const card = page.getByRole('article', { name: /Support reply/ });
    await card.getByText('version 1').first().waitFor();
    await card.getByRole('cell', { name: 'demo-chat', exact: true }).waitFor();
    await card.getByRole('cell', { name: 'question', exact: true }).waitFor();
    await card.getByRole('button', { name: 'Copy curl for support-reply' }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`${stack.gatewayUrl}/v1/prompts/support-reply/run`);
    expect(copied).toContain('"question"');
  });

  it('the developer adds a version without activating it, then makes it active', async () => {
    const { page } = developer;
    const card = page.getByRole('article', { name: /Support reply/ });
    await card.getByText('Add a version').click();
    await card.getByLabel('User message template').fill('Answer briefly: {{question}}');
    await card.getByLabel('Note (optional)').fill('shorter answers');
    await card.getByLabel('Make it the active version').uncheck();
    await card.getByRole('button', { name: 'Add version' }).click();
    await page.getByText('New version of “support-reply” added. It is not active yet').waitFor();
    await card.getByRole('cell', { name: 'shorter answers' }).waitFor();

    await card.getByLabel('Active version', { exact: true }).selectOption('2');
    await card.getByRole('button', { name: 'Make active' }).click();
    await page.getByText('Version 2 of “support-reply” is now active.').waitFor();
    await card.getByText('version 2', { exact: true }).waitFor();
  });

  it('a viewer sees the prompts and how to call them, read-only', async () => {
    const admin = await signIn(stack.browser, stack.dashboardUrl, STACK_ADMIN);
    await admin.page.goto(`${stack.dashboardUrl}/admin/members?tenant=demo`);
    await admin.page.getByLabel('Email').fill('vera@demo.test');
    await admin.page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await admin.page.getByLabel('Password for a new account').fill('vera-password-1234');
    await admin.page.getByRole('button', { name: 'Add member' }).click();
    await admin.page.getByText('vera@demo.test is now viewer of demo (account created).').waitFor();
    await admin.context.close();

    const viewer = await signIn(stack.browser, stack.dashboardUrl, { email: 'vera@demo.test', password: 'vera-password-1234' });
    await viewer.page.goto(`${stack.dashboardUrl}/t/demo/prompts`);
    await viewer.page.getByText('You are a viewer in this tenant').waitFor();
    const card = viewer.page.getByRole('article', { name: /Support reply/ });
    await card.getByText('version 2', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Copy curl for support-reply' }).waitFor();
    expect(await viewer.page.getByRole('button', { name: 'Create prompt' }).count()).toBe(0);
    expect(await card.getByText('Add a version').count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Make active' }).count()).toBe(0);
    await viewer.context.close();
  });
});
