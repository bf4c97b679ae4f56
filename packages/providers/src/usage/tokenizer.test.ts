import { describe, expect, it } from 'vitest';
import { countPromptTokens, countTokens, loadTokenizer } from './tokenizer';

describe('tokenizer fallback (gpt-tokenizer, offline)', () => {
  it('counts exactly once loaded, with the model’s encoding', async () => {
    await loadTokenizer();
    expect(countTokens('Hello, world!', 'gpt-4o')).toBe(4);
    expect(countTokens('Hello, world!', 'gpt-4')).toBe(4);
    expect(countTokens('', 'gpt-4o')).toBe(0);
    // o200k and cl100k differ on longer text
    const text = 'Tokenizers disagree about antidisestablishmentarianism and emoji 🎉🎉.';
    expect(countTokens(text, 'gpt-4o')).not.toBe(countTokens(text, 'gpt-3.5-turbo'));
  });

  it('counts chat prompts with per-message framing, images and tools', async () => {
    await loadTokenizer();
    const base = countPromptTokens({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] });
    expect(base).toBe(3 + 3 + 1);
    const withImage = countPromptTokens({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] }],
    });
    expect(withImage).toBe(base + 85);
    const withTools = countPromptTokens({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hello' }],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    });
    expect(withTools).toBeGreaterThan(base + 8);
  });
});
