// Secrets at rest (connection passwords): AES-256-GCM under the server's key, each bound to the object it belongs to.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelyardError } from '../errors.js';

const FORMAT = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
export const KEY_FILE = 'secret.key';

export interface SecretBox {
  /** Encrypts `plaintext` for `context` (the owning object's id): a sealed text to store. */
  seal(plaintext: string, context: string): string;
  /**
   * The plaintext of a sealed text. Fails with 500 `secret_unreadable` when it was sealed under another key or for
   * another context, or was altered: GCM authenticates the ciphertext and the context together.
   */
  open(sealed: string, context: string): string;
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error(`The secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [FORMAT, ...[iv, body, cipher.getAuthTag()].map((part) => part.toString('base64'))].join(':');
    },
    open(sealed, context) {
      const parts = sealed.split(':');
      try {
        if (parts.length !== 4 || parts[0] !== FORMAT) throw new Error('format');
        const [iv, body, tag] = parts.slice(1).map((part) => Buffer.from(part, 'base64'));
        const decipher = createDecipheriv('aes-256-gcm', key, iv!);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag!);
        return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
      } catch {
        // Never say more: the sealed text and the key stay out of messages and logs.
        throw new ModelyardError(
          500,
          'secret_unreadable',
          'A stored secret cannot be decrypted: the server key changed or the stored value was altered.',
        );
      }
    },
  };
}

/**
 * The server's key: `MODELYARD_SECRET_KEY` (base64 of 32 bytes) when set, else `<dataDir>/secret.key`, created with
 * 32 random bytes and mode 0600 on first use. Losing the key makes stored secrets unreadable (not the rest).
 */
export async function loadSecretKey(dataDir: string, fromEnv: string | undefined): Promise<Buffer> {
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new Error(`MODELYARD_SECRET_KEY must be the base64 of ${KEY_BYTES} bytes (got ${key.length} bytes)`);
    }
    return key;
  }
  const file = join(dataDir, KEY_FILE);
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte base64 key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(KEY_BYTES);
  // 'wx': two servers starting on one data directory must not each write their own key.
  try {
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSecretKey(dataDir, undefined);
    throw error;
  }
  await chmod(file, 0o600);
  return key;
}
