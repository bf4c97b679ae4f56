import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { CopyButton } from '@/components/ui/copy-button';
import { listTenantModels } from '@/lib/admin-api/portal';
import { getConfig } from '@/lib/config';
import { portalSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { requireMembership } from '@/lib/tenant';

const section = portalSections.quickstart;

export const metadata: Metadata = { title: section.label };

export default async function Page({ params }: { params: Promise<{ tenant: string }> }) {
  const membership = await requireMembership(params);
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const { GATEWAY_URL, GATEWAY_PUBLIC_URL } = getConfig();
  const gateway = GATEWAY_PUBLIC_URL ?? GATEWAY_URL;
  const models = await listTenantModels(session.accessToken, membership.tenantSlug).catch(() => []);
  const chat = models.find((m) => m.kind === 'chat' && (m.access === 'available' || m.access === 'granted'))?.name ?? 'your-model';
  const base = `/t/${encodeURIComponent(membership.tenantSlug)}`;

  const snippets = [
    {
      id: 'curl',
      title: 'curl',
      code: `curl ${gateway}/v1/chat/completions \\
  -H "Authorization: Bearer $CONDUIT_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "${chat}",
    "messages": [{"role": "user", "content": "Hello!"}]
  }'`,
    },
    {
      id: 'openai-node',
      title: 'OpenAI SDK (TypeScript)',
      code: `import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: '${gateway}/v1',
  apiKey: process.env.CONDUIT_API_KEY,
});

const stream = await client.chat.completions.create({
  model: '${chat}',
  messages: [{ role: 'user', content: 'Hello!' }],
  stream: true,
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');`,
    },
    {
      id: 'openai-python',
      title: 'OpenAI SDK (Python)',
      code: `import os
from openai import OpenAI

client = OpenAI(base_url="${gateway}/v1", api_key=os.environ["CONDUIT_API_KEY"])
reply = client.chat.completions.create(
    model="${chat}",
    messages=[{"role": "user", "content": "Hello!"}],
)
print(reply.choices[0].message.content)`,
    },
    {
      id: 'anthropic-node',
      title: 'Anthropic SDK (TypeScript)',
      code: `import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({
  baseURL: '${gateway}',
  apiKey: process.env.CONDUIT_API_KEY,
});

const message = await client.messages.create({
  model: '${chat}',
  max_tokens: 512,
  messages: [{ role: 'user', content: 'Hello!' }],
});
console.log(message.content);`,
    },
  ];

  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <ol className="mt-6 space-y-2 text-sm text-zinc-700">
        <li>
          1. Create a key on the <Link href={`${base}/keys`} className="text-indigo-600 hover:text-indigo-500">Keys page</Link> and export it:{' '}
          <code className="rounded bg-zinc-100 px-1">export CONDUIT_API_KEY=cdt_…</code>
        </li>
        <li>
          2. Point your SDK at <code className="rounded bg-zinc-100 px-1">{gateway}</code>; the model below is one this tenant may call
          (see <Link href={`${base}/models`} className="text-indigo-600 hover:text-indigo-500">Models</Link>).
        </li>
      </ol>
      <div className="mt-6 space-y-5">
        {snippets.map((s) => (
          <section key={s.id} aria-labelledby={`snippet-${s.id}`} className="rounded-xl border border-zinc-200 bg-white shadow-xs">
            <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-2">
              <h2 id={`snippet-${s.id}`} className="text-sm font-semibold text-zinc-900">{s.title}</h2>
              <CopyButton value={s.code} label={`Copy ${s.title}`} />
            </div>
            <pre className="overflow-x-auto bg-zinc-950 p-4 text-xs leading-relaxed text-zinc-100"><code>{s.code}</code></pre>
          </section>
        ))}
      </div>
    </>
  );
}
