import { describe, expect, it } from 'vitest';
import { embeddingFromBase64, embeddingToBase64 } from './embedding-encoding';

describe('embedding encodings', () => {
  it('round-trips floats through base64 as float32 little-endian, and leaves the other form alone', () => {
    const v = [0.5, -1.25, 3.1415927, 0];
    const b64 = embeddingToBase64(v);
    expect(b64).toBe(Buffer.from(new Float32Array(v).buffer).toString('base64'));
    expect(embeddingFromBase64(b64)).toEqual(v.map(Math.fround));
    expect(embeddingToBase64(b64)).toBe(b64);
    expect(embeddingFromBase64(v)).toBe(v);
  });

  it('refuses base64 that is not whole float32 values', () => {
    expect(embeddingFromBase64(Buffer.from([1, 2, 3]).toString('base64'))).toBeNull();
  });
});
