/**
 * OpenAI's `encoding_format: base64` for embeddings: the vector's float32 values,
 * little-endian, in base64 (about a quarter of the JSON floats' size).
 */
export function embeddingToBase64(v: number[] | string): string {
  if (typeof v === 'string') return v;
  const buf = Buffer.allocUnsafe(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i]!, i * 4);
  return buf.toString('base64');
}

/** The floats of a base64 embedding (as the OpenAI SDK decodes them); null when it is not whole float32 values. */
export function embeddingFromBase64(v: number[] | string): number[] | null {
  if (typeof v !== 'string') return v;
  const buf = Buffer.from(v, 'base64');
  if (buf.length % 4 !== 0) return null;
  const out = new Array<number>(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
