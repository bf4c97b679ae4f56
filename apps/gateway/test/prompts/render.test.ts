import type { ValidateFunction } from 'ajv';
import { promptVariables } from '@conduit/contracts';
import { describe, expect, it } from 'vitest';
import { type LoadedPrompt, type LoadedVersion, pickVersion, renderMessages } from '../../src/data-plane/prompts/prompt-store.js';

const version = (n: number, content = 'x'): LoadedVersion => ({
  version: n,
  messages: [{ role: 'user', content }],
  variables: promptVariables([{ content }]),
  model: 'm',
  parameters: {},
  validate: (() => true) as unknown as ValidateFunction,
});
const prompt = (over: Partial<LoadedPrompt> = {}): LoadedPrompt => ({
  slug: 's',
  activeVersion: 1,
  abSplit: [],
  archived: false,
  versions: new Map([1, 2, 3].map((n) => [n, version(n)])),
  ...over,
});

describe('prompt rendering', () => {
  it('fills variables: strings as they are, other values as JSON, dotted paths, spaces inside braces', () => {
    const v = version(1, 'Hi {{ name }}, order {{order.id}} has {{order.items}} ({{count}}), {{flag}}');
    expect(v.variables).toEqual(['name', 'order.id', 'order.items', 'count', 'flag']);
    const [m] = renderMessages(v, { name: 'Ada', order: { id: 'A-1', items: ['x', 'y'] }, count: 0, flag: false });
    expect(m!.content).toBe('Hi Ada, order A-1 has ["x","y"] (0), false');
  });

  it('refuses an input that lacks a variable (null counts as missing), naming it', () => {
    const v = version(1, '{{a}} and {{b}}');
    expect(() => renderMessages(v, { a: 'x', b: null })).toThrow(expect.objectContaining({ code: 'prompt_input_invalid', message: expect.stringContaining('"b"') }));
  });

  it('leaves text that only looks like a variable alone', () => {
    const v = version(1, 'JSON {"a": {"b": 1}} and {single} and {{ 9bad }}');
    expect(v.variables).toEqual([]);
    expect(renderMessages(v, {})[0]!.content).toBe('JSON {"a": {"b": 1}} and {single} and {{ 9bad }}');
  });
});

describe('version choice', () => {
  it('pinned, else the A/B split by weight, else the active version', () => {
    expect(pickVersion(prompt(), 3)).toMatchObject({ version: { version: 3 }, variant: 'pinned' });
    expect(() => pickVersion(prompt(), 9)).toThrow(expect.objectContaining({ code: 'prompt_not_found' }));
    expect(pickVersion(prompt())).toMatchObject({ version: { version: 1 }, variant: 'active' });
    expect(() => pickVersion(prompt({ activeVersion: null }))).toThrow(expect.objectContaining({ code: 'prompt_not_found' }));
    const split = prompt({ abSplit: [{ version: 2, weight: 90 }, { version: 3, weight: 10 }, { version: 1, weight: 0 }] });
    expect(pickVersion(split, null, () => 0).version.version).toBe(2);
    expect(pickVersion(split, null, () => 0.899).version.version).toBe(2);
    expect(pickVersion(split, null, () => 0.9).version.version).toBe(3);
    expect(pickVersion(split, null, () => 0.9999).variant).toBe('ab');
    // a split naming only versions that no longer exist falls back to the active version
    expect(pickVersion(prompt({ abSplit: [{ version: 7, weight: 1 }] })).variant).toBe('active');
  });
});
