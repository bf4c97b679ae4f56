import { describe, expect, it } from 'vitest';
import { luhnValid, redact, redactText } from '../src/usage/redact.js';
import { toStorableJson } from '../src/usage/usage.repository.js';

describe('redaction of logged bodies', () => {
  it('removes API keys and tokens of the usual providers, and bearer credentials', () => {
    const text = [
      'openai sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123',
      'anthropic sk-ant-api03-AbCdEfGhIjKlMnOpQrSt_uvw',
      'conduit cdt_3kF9xQ2aZZZZZZZZZZZZZZZZZZZZ',
      'google AIzaSyA1234567890abcdefghijklmnopqrstu',
      'aws AKIAIOSFODNN7EXAMPLE',
      'github ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'Authorization: Bearer abc123def456ghi789',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    ].join('\n');
    const out = redactText(text);
    for (const secret of ['sk-proj-', 'sk-ant-', 'cdt_3kF9', 'AIzaSy', 'AKIAIOSF', 'ghp_', 'abc123def', 'eyJhbGci']) expect(out).not.toContain(secret);
    expect(out).toContain('Bearer [REDACTED]');
    expect(out.split('\n')[0]).toBe('openai [REDACTED]');
  });

  it('removes e-mail addresses and card numbers that pass the Luhn check, not other numbers', () => {
    expect(redactText('write to jane.doe+ai@mail.example.co.uk please')).toBe('write to [REDACTED_EMAIL] please');
    expect(redactText('card 4111 1111 1111 1111 exp 12/30')).toBe('card [REDACTED_CARD] exp 12/30');
    expect(redactText('card 5500-0000-0000-0004')).toBe('card [REDACTED_CARD]');
    expect(redactText('order 1234567890123 of 2026')).toBe('order 1234567890123 of 2026'); // not a valid card number
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('replaces values under secret-named keys whole, walks arrays and objects, and leaves the rest alone', () => {
    const body = {
      model: 'gpt-4o',
      temperature: 0.2,
      headers: { Authorization: 'anything at all', 'x-api-key': 'k', accept: 'json' },
      messages: [{ role: 'user', content: 'hi, I am bob@example.com' }],
      password: 'hunter2',
      nested: { api_key: { deep: 'x' }, list: [1, true, null] },
    };
    expect(redact(body)).toEqual({
      model: 'gpt-4o',
      temperature: 0.2,
      headers: { Authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', accept: 'json' },
      messages: [{ role: 'user', content: 'hi, I am [REDACTED_EMAIL]' }],
      password: '[REDACTED]',
      nested: { api_key: '[REDACTED]', list: [1, true, null] },
    });
    expect(body.password).toBe('hunter2'); // the input is not modified
  });

  it('always returns something PostgreSQL can store: no NUL, no lone surrogates, no cycles', () => {
    const cyclic: Record<string, unknown> = { a: 'x\u0000y', b: 'bad \ud800 surrogate', ok: '😀' };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ a: 'xy', b: 'bad \ufffd surrogate', ok: '😀', self: '[REDACTED]' });
  });

  it('serialises events for PostgreSQL without NUL characters or lone surrogates, keeping escaped backslashes intact', () => {
    const json = toStorableJson([{ a: 'x\u0000y', b: '\\u0000 literal', c: 'lone \udc00', d: '😀' }]);
    expect(JSON.parse(json)).toEqual([{ a: 'xy', b: '\\u0000 literal', c: 'lone \ufffd', d: '😀' }]);
  });
});
