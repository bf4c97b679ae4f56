import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvider } from '../registry';
import { ProviderError } from '../core/errors';
import { startSimulator } from '../simulators';
import type { SimulatorHandle } from '../simulators';
import { LightAbortController } from './abort';

describe('LightAbortSignal', () => {
  it('runs each listener once, in order, skips removed ones and ignores late ones', () => {
    const ac = new LightAbortController();
    const seen: string[] = [];
    const a = () => seen.push('a');
    const b = () => seen.push('b');
    const c = () => {
      seen.push('c');
      ac.signal.removeEventListener('abort', d);
    };
    const d = () => seen.push('d');
    ac.signal.addEventListener('abort', a);
    ac.signal.addEventListener('abort', a); // a duplicate is ignored
    ac.signal.addEventListener('abort', b);
    ac.signal.removeEventListener('abort', b);
    ac.signal.addEventListener('abort', c);
    ac.signal.addEventListener('abort', d);
    const reason = new Error('gone');
    ac.abort(reason);
    ac.abort(new Error('again'));
    ac.signal.addEventListener('abort', () => seen.push('late'));
    expect(seen).toEqual(['a', 'c']);
    expect(ac.signal.aborted).toBe(true);
    expect(ac.signal.reason).toBe(reason);
  });

  it('defaults the reason to an AbortError', () => {
    const ac = new LightAbortController();
    ac.abort();
    expect((ac.signal.reason as DOMException).name).toBe('AbortError');
  });
});

describe('adapters with a LightAbortSignal', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'openai' });
  });
  afterAll(() => sim.close());

  it('abort a non-streamed call and a stream like an AbortSignal does', async () => {
    const a = createProvider({ type: 'openai', baseUrl: sim.baseUrl, apiKey: 'k' });
    sim.reset();
    sim.script({ latencyMs: 2000 });
    const ac = new LightAbortController();
    setTimeout(() => ac.abort(new Error('client left')), 100);
    const err = await a.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).category).toBe('aborted');

    sim.reset();
    sim.script({ tokensPerSecond: 20 });
    const ac2 = new LightAbortController();
    let got = 0;
    const err2 = await (async () => {
      for await (const _ of a.chatStream({ model: 'm', messages: [{ role: 'user', content: 'a b c d e f g h i j' }] }, { signal: ac2.signal })) {
        if (++got === 2) ac2.abort();
      }
    })().catch((e: unknown) => e);
    expect((err2 as ProviderError).category).toBe('aborted');
    expect(got).toBe(2);
    for (let i = 0; i < 50 && !sim.requests[0]!.clientClosedEarly; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sim.requests[0]!.clientClosedEarly).toBe(true);
  });
});
