import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, type Stack, STACK_ADMIN, STACK_DEVELOPER, startStack } from './stack';

// `npm test` sets CHROMIUM_PATH when it finds Chromium; CI installs Debian's.
describe.skipIf(!chromiumPath)('dashboard sign-in (headless Chromium, real gateway)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it('sends a signed-out visitor to the sign-in page', async () => {
    const page = await stack.browser.newPage();
    await page.goto(`${stack.dashboardUrl}/admin`);
    await page.waitForURL(/\/sign-in/);
    await expect(page.getByLabel('Email').isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('shows a clear error for a wrong password', async () => {
    const page = await stack.browser.newPage();
    await page.goto(`${stack.dashboardUrl}/sign-in`);
    await page.getByLabel('Email').fill(STACK_ADMIN.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email or password is not correct.').waitFor();
    expect(page.url()).toContain('/sign-in');
    await page.close();
  });

  it('signs the admin in to the console shell, and out again', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.dashboardUrl}/sign-in`);
    await page.getByLabel('Email').fill(STACK_ADMIN.email);
    await page.getByLabel('Password').fill(STACK_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin$/);
    await page.getByText(STACK_ADMIN.email).first().waitFor();
    // navigation for what is coming
    for (const item of ['Tenants', 'Providers', 'Approvals', 'Audit log']) {
      await expect(page.getByRole('link', { name: item }).first().isVisible()).resolves.toBe(true);
    }
    // tokens live in httpOnly cookies, out of reach of page scripts
    const cookies = await context.cookies();
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.every((c) => c.httpOnly)).toBe(true);
    expect(await page.evaluate(() => document.cookie)).toBe('');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${stack.dashboardUrl}/admin`);
    await page.waitForURL(/\/sign-in/);
    await context.close();
  });

  it('takes a developer to their tenant portal, not the admin console', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.dashboardUrl}/sign-in`);
    await page.getByLabel('Email').fill(STACK_DEVELOPER.email);
    await page.getByLabel('Password').fill(STACK_DEVELOPER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/t\/demo/);
    await page.getByText(STACK_DEVELOPER.email).first().waitFor();
    await page.goto(`${stack.dashboardUrl}/admin`);
    await page.waitForURL((url) => !url.pathname.startsWith('/admin'));
    await context.close();
  });
});
