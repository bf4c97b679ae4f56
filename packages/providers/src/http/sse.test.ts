import { describe, expect, it } from 'vitest';
import { NdjsonParser, SseParser } from './sse';

const enc = new TextEncoder();

function feedBytewise(text: string): Array<{ event: string; data: string }> {
  const p = new SseParser();
  const bytes = enc.encode(text);
  const out = [];
  for (let i = 0; i < bytes.length; i++) out.push(...p.push(bytes.subarray(i, i + 1)));
  out.push(...p.end());
  return out.map((e) => ({ event: e.event, data: e.data }));
}

describe('SseParser', () => {
  const wire = 'event: message_start\ndata: {"a":1}\n\n: comment\ndata: line1\ndata: line2\n\r\ndata:nospace\r\n\r\nevent: ping\ndata: {"héllo":"wörld €"}\r\r';

  it('parses events, multi-line data, comments and all line endings', () => {
    const p = new SseParser();
    const events = [...p.push(wire), ...p.end()].map((e) => ({ event: e.event, data: e.data }));
    expect(events).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: 'message', data: 'line1\nline2' },
      { event: 'message', data: 'nospace' },
      { event: 'ping', data: '{"héllo":"wörld €"}' },
    ]);
  });

  it('gives the same events when fed one byte at a time (split UTF-8 and CRLF)', () => {
    const p = new SseParser();
    const whole = [...p.push(enc.encode(wire)), ...p.end()].map((e) => ({ event: e.event, data: e.data }));
    expect(feedBytewise(wire)).toEqual(whole);
  });

  it('flushes a final event without a trailing blank line at end()', () => {
    const p = new SseParser();
    expect(p.push('data: [DONE]')).toEqual([]);
    expect(p.end().map((e) => e.data)).toEqual(['[DONE]']);
  });

  it('ignores events without data', () => {
    const p = new SseParser();
    expect(p.push('event: x\n\nid: 5\n\n')).toEqual([]);
  });
});

describe('NdjsonParser', () => {
  it('splits lines across chunk boundaries and skips blank lines', () => {
    const p = new NdjsonParser();
    const lines = [...p.push('{"a":1}\n{"b"'), ...p.push(':2}\r\n\n{"c":3}'), ...p.end()];
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
