import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Secrets at rest (docs/design.md, rule 32): a sender's credentials are sealed with AES-256-GCM
 * under a key derived from SECRETS_KEY, and stored as a versioned blob:
 *
 *   version (1 byte, 1) | key id (8 bytes) | IV (12 random bytes) | GCM tag (16 bytes) | ciphertext
 *
 * Both the key and the key id come from SECRETS_KEY by HKDF-SHA256 with a fixed salt
 * (`wa-scheduler/secrets-at-rest/v1`) and an info string each (`aes-256-gcm key`, `key id`).
 * HKDF, not a slow KDF: SECRETS_KEY is a random secret of at least 32 characters, not a
 * password, and every process derives it at every start. The key id tells a blob sealed under
 * another key from a damaged one without trying the key; it reveals nothing of the key. The
 * additional data bind a blob to its header and to its sender's id, so that a blob copied onto
 * another sender's row does not open.
 */

const VERSION = 1;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
const SALT = 'wa-scheduler/secrets-at-rest/v1';

export type UnreadableReason = 'wrong_key' | 'damaged' | 'unknown_version';

/** A blob that does not open: under another key, altered, or of a version this code does not know. */
export class CredentialsUnreadable extends Error {
  constructor(readonly reason: UnreadableReason) {
    super(
      reason === 'wrong_key'
        ? 'the credentials were stored under another SECRETS_KEY'
        : reason === 'damaged'
          ? 'the stored credentials are damaged (their authentication tag does not match)'
          : 'the stored credentials are of a format this version does not know',
    );
    this.name = 'CredentialsUnreadable';
  }
}

/**
 * The key derived from SECRETS_KEY. It never prints itself: a log line or an error that holds
 * it by mistake shows `[CredentialsKey <id>]`.
 */
export class CredentialsKey {
  readonly #key: Buffer;
  readonly id: Buffer;

  constructor(secretsKey: string) {
    const derive = (info: string, length: number) =>
      Buffer.from(hkdfSync('sha256', secretsKey, SALT, info, length));
    this.#key = derive('aes-256-gcm key', 32);
    this.id = derive('key id', KEY_ID_BYTES);
  }

  /** Seals `value` (JSON) for the sender `senderId`. */
  seal(senderId: string, value: unknown): Buffer {
    const header = Buffer.concat([Buffer.from([VERSION]), this.id]);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(additionalData(header, senderId));
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
    ]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Opens a blob sealed for `senderId`; throws CredentialsUnreadable when it cannot. */
  open(senderId: string, blob: Buffer): unknown {
    if (blob.length < HEADER_BYTES + IV_BYTES + TAG_BYTES || blob[0] !== VERSION)
      throw new CredentialsUnreadable(blob[0] === VERSION ? 'damaged' : 'unknown_version');
    const header = blob.subarray(0, HEADER_BYTES);
    if (!timingSafeEqual(header.subarray(1), this.id)) throw new CredentialsUnreadable('wrong_key');
    const iv = blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
    const tag = blob.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAAD(additionalData(header, senderId));
    decipher.setAuthTag(tag);
    try {
      const plain = Buffer.concat([
        decipher.update(blob.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw new CredentialsUnreadable('damaged');
    }
  }

  toString(): string {
    return `[CredentialsKey ${this.id.toString('hex')}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function additionalData(header: Buffer, senderId: string): Buffer {
  return Buffer.concat([header, Buffer.from(`sender:${senderId}`, 'utf8')]);
}
