import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** An encrypted secret as stored in ProviderCredential. */
export interface SealedSecret {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  authTag: Uint8Array;
  keyId: string;
}

/**
 * Parses `CONDUIT_ENCRYPTION_KEYS`: comma-separated `keyId:base64key` pairs, the first
 * one is used to encrypt; all can decrypt (so keys rotate without downtime). Each key is
 * 32 bytes (AES-256). A plain passphrase is also accepted and stretched with SHA-256.
 */
export function parseEncryptionKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0) throw new Error('each encryption key must look like "<keyId>:<base64 32-byte key>"');
    const id = part.slice(0, idx);
    const raw = part.slice(idx + 1);
    let key = Buffer.from(raw, 'base64');
    if (key.length !== 32) key = createHash('sha256').update(raw).digest();
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('no encryption key given');
  return keys;
}

/** AES-256-GCM with a key id, for provider credentials at rest. */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  constructor(spec: string | Map<string, Buffer>) {
    this.keys = typeof spec === 'string' ? parseEncryptionKeys(spec) : spec;
    this.currentKeyId = this.keys.keys().next().value as string;
  }

  seal(plaintext: string, aad = ''): SealedSecret {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    if (aad) cipher.setAAD(Buffer.from(aad));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: this.currentKeyId };
  }

  open(sealed: SealedSecret, aad = ''): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`encryption key "${sealed.keyId}" is not configured (CONDUIT_ENCRYPTION_KEYS)`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv));
    if (aad) decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(sealed.authTag));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext)), decipher.final()]).toString('utf8');
  }
}

/** Last four characters, for display ("…abcd"); never more. */
export function secretHint(secret: string): string {
  return secret.length >= 12 ? secret.slice(-4) : '';
}
