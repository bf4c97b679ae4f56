'use client';

import { useRef, useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';

interface ModelChoice {
  name: string;
  displayName: string;
  price: { inputPerMTokUsd: string; outputPerMTokUsd: string } | null;
}

interface Message {
  role: 'user' | 'assistant';
  content: string;
}

interface Figures {
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: string;
  costSource?: 'gateway' | 'list price';
  firstTokenMs?: number;
  totalMs?: number;
  provider?: string;
  requestId?: string;
}

export function Playground({ tenant, models, gatewayUrl }: { tenant: string; models: ModelChoice[]; gatewayUrl: string }) {
  const [apiKey, setApiKey] = useState('');
  const [model, setModel] = useState(models[0]?.name ?? '');
  const [stream, setStream] = useState(true);
  const [prompt, setPrompt] = useState('');
  const [messages, setMessages] = useState<Message[]>([]);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);

  if (models.length === 0) {
    return (
      <p className="mt-6 rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
        No chat model is available to this tenant yet. Request access on the Models page.
      </p>
    );
  }

  async function send(event: React.FormEvent) {
    event.preventDefault();
    if (!apiKey.trim()) return setError('Paste one of your API keys first (create one on the Keys page).');
    if (!prompt.trim()) return setError('Type a message to send.');
    setError(null);
    const history: Message[] = [...messages, { role: 'user', content: prompt.trim() }];
    setMessages([...history, { role: 'assistant', content: '' }]);
    setPrompt('');
    setBusy(true);
    const controller = new AbortController();
    abort.current = controller;
    const started = performance.now();
    const result: Figures = {};
    let answer = '';
    const show = () => setMessages([...history, { role: 'assistant', content: answer }]);
    try {
      const response = await fetch(`/t/${encodeURIComponent(tenant)}/playground/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey: apiKey.trim(), model, stream, messages: history }),
        signal: controller.signal,
      });
      result.provider = response.headers.get('x-conduit-provider') ?? undefined;
      result.requestId = response.headers.get('x-request-id') ?? undefined;
      if (!response.ok) {
        const text = await response.text();
        let message = text;
        try {
          message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
        } catch {}
        throw new Error(explain(response.status, message));
      }
      if (!stream) {
        const json = (await response.json()) as { choices?: { message?: { content?: string } }[]; usage?: { prompt_tokens?: number; completion_tokens?: number } };
        answer = json.choices?.[0]?.message?.content ?? '';
        result.firstTokenMs = Math.round(performance.now() - started);
        result.promptTokens = json.usage?.prompt_tokens;
        result.completionTokens = json.usage?.completion_tokens;
        const cost = response.headers.get('x-conduit-cost-usd');
        if (cost) Object.assign(result, { costUsd: cost, costSource: 'gateway' as const });
        show();
      } else {
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            for (const line of frame.split('\n')) {
              if (!line.startsWith('data:')) continue;
              const data = line.slice(5).trim();
              if (data === '[DONE]') continue;
              const chunk = JSON.parse(data) as {
                choices?: { delta?: { content?: string } }[];
                usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
                error?: { message?: string };
              };
              if (chunk.error) throw new Error(`The gateway stopped the stream: ${chunk.error.message ?? 'unknown error'}`);
              const delta = chunk.choices?.[0]?.delta?.content;
              if (delta) {
                result.firstTokenMs ??= Math.round(performance.now() - started);
                answer += delta;
                show();
              }
              if (chunk.usage) {
                result.promptTokens = chunk.usage.prompt_tokens;
                result.completionTokens = chunk.usage.completion_tokens;
              }
            }
          }
        }
      }
      result.totalMs = Math.round(performance.now() - started);
      const price = models.find((m) => m.name === model)?.price;
      if (!result.costUsd && price && result.promptTokens !== undefined) {
        const usd = (result.promptTokens * Number(price.inputPerMTokUsd) + (result.completionTokens ?? 0) * Number(price.outputPerMTokUsd)) / 1e6;
        Object.assign(result, { costUsd: usd.toFixed(6), costSource: 'list price' as const });
      }
      setFigures(result);
    } catch (e) {
      if ((e as Error).name === 'AbortError') setError('Stopped.');
      else setError(e instanceof Error ? e.message : String(e));
      setMessages(answer ? [...history, { role: 'assistant', content: answer }] : history);
    } finally {
      setBusy(false);
      abort.current = null;
    }
  }

  return (
    <div className="mt-6 grid gap-6 lg:grid-cols-[18rem_1fr]">
      <aside className="space-y-4 rounded-xl border border-zinc-200 bg-white p-4 shadow-xs">
        <div>
          <label htmlFor="pg-key" className="block text-sm font-medium text-zinc-700">API key</label>
          <input id="pg-key" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder="cdt_…" className={`mt-1 font-mono ${inputClass}`} />
          <p className="mt-1 text-xs text-zinc-500">Kept in this page only; reloading forgets it.</p>
        </div>
        <div>
          <label htmlFor="pg-model" className="block text-sm font-medium text-zinc-700">Model</label>
          <select id="pg-model" value={model} onChange={(e) => setModel(e.target.value)} className={`mt-1 ${inputClass}`}>
            {models.map((m) => (
              <option key={m.name} value={m.name}>{m.name}</option>
            ))}
          </select>
        </div>
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input type="checkbox" checked={stream} onChange={(e) => setStream(e.target.checked)} />
          Stream the answer
        </label>
        <CopyButton
          label="Copy as curl"
          value={curlFor(gatewayUrl, model, stream, messages.length > 0 ? messages.filter((m) => m.content) : [{ role: 'user', content: prompt || 'Hello!' }])}
        />
        {figures ? (
          <dl aria-label="Last call" className="grid grid-cols-2 gap-x-3 gap-y-1 border-t border-zinc-200 pt-3 text-sm">
            <dt className="text-zinc-500">Prompt tokens</dt>
            <dd className="text-right font-mono">{figures.promptTokens ?? '—'}</dd>
            <dt className="text-zinc-500">Completion tokens</dt>
            <dd className="text-right font-mono">{figures.completionTokens ?? '—'}</dd>
            <dt className="text-zinc-500">Cost{figures.costSource === 'list price' ? ' (list price)' : ''}</dt>
            <dd className="text-right font-mono">{figures.costUsd ? `$${figures.costUsd}` : '—'}</dd>
            <dt className="text-zinc-500">First token</dt>
            <dd className="text-right font-mono">{figures.firstTokenMs !== undefined ? `${figures.firstTokenMs} ms` : '—'}</dd>
            <dt className="text-zinc-500">Total latency</dt>
            <dd className="text-right font-mono">{figures.totalMs} ms</dd>
            <dt className="text-zinc-500">Provider</dt>
            <dd className="text-right font-mono">{figures.provider ?? '—'}</dd>
            {figures.requestId ? (
              <>
                <dt className="text-zinc-500">Request id</dt>
                <dd className="truncate text-right font-mono text-xs" title={figures.requestId}>{figures.requestId}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </aside>

      <section aria-label="Conversation" className="flex min-h-96 flex-col rounded-xl border border-zinc-200 bg-white shadow-xs">
        <ol aria-live="polite" className="flex-1 space-y-3 p-4">
          {messages.length === 0 ? <li className="text-sm text-zinc-500">Send a message to start.</li> : null}
          {messages.map((m, i) => (
            <li key={i} className={m.role === 'user' ? 'ml-auto max-w-[85%] rounded-lg bg-indigo-600 px-3 py-2 text-sm text-white' : 'max-w-[85%] rounded-lg bg-zinc-100 px-3 py-2 text-sm whitespace-pre-wrap text-zinc-900'}>
              <span className="sr-only">{m.role === 'user' ? 'You: ' : 'Assistant: '}</span>
              {m.content || (busy && i === messages.length - 1 ? '…' : '')}
            </li>
          ))}
        </ol>
        {error ? (
          <p role="alert" className="mx-4 mb-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{error}</p>
        ) : null}
        <form onSubmit={send} className="flex gap-2 border-t border-zinc-200 p-3">
          <label htmlFor="pg-prompt" className="sr-only">Message</label>
          <textarea
            id="pg-prompt"
            rows={2}
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
            placeholder="Ask something… (Enter sends, Shift+Enter for a new line)"
            className={inputClass}
          />
          {busy ? (
            <button type="button" onClick={() => abort.current?.abort()} className={secondaryButtonClass}>Stop</button>
          ) : (
            <button type="submit" className={primaryButtonClass}>Send</button>
          )}
          {!busy && messages.length > 0 ? (
            <button type="button" onClick={() => { setMessages([]); setFigures(null); }} className={secondaryButtonClass}>Clear</button>
          ) : null}
        </form>
      </section>
    </div>
  );
}

function explain(status: number, message: string): string {
  if (status === 401) return `The gateway refused the key (${message}). Check that you pasted the whole secret and that the key is active.`;
  if (status === 403) return `${message} — request access on the Models page.`;
  if (status === 429) return `${message} — a rate limit or quota was reached; wait and try again, or request a quota increase.`;
  return `HTTP ${status}: ${message}`;
}

/** The conversation as a curl command (the key stays a variable, never the secret). */
function curlFor(gateway: string, model: string, stream: boolean, messages: Message[]): string {
  const body = JSON.stringify({ model, messages, ...(stream ? { stream: true } : {}) });
  return `curl ${stream ? '-N ' : ''}${gateway}/v1/chat/completions \\\n  -H "Authorization: Bearer $CONDUIT_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${body.replace(/'/g, "'\\''")}'`;
}
