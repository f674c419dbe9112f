import { randomUUID } from 'node:crypto';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * An upload's checked text on local disk while the client sends it at its own pace, so that no
 * database connection waits for the client: the file reaches the database only once all of it
 * is here. Text is written in pieces of about `pieceChars` characters and read back in pieces
 * of at most that many.
 *
 * The file is unlinked as soon as it is opened: it has no name, and vanishes with its handle,
 * even when the process is killed. A stalled or refused upload leaves nothing anywhere.
 */
export class UploadSpool {
  private pending: string[] = [];
  private pendingChars = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly pieceChars: number,
  ) {}

  static async open(pieceChars: number): Promise<UploadSpool> {
    const file = path.join(tmpdir(), `wa-upload-${randomUUID()}.csv`);
    const handle = await open(file, 'wx+', 0o600);
    await unlink(file);
    return new UploadSpool(handle, pieceChars);
  }

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= this.pieceChars) await this.flush();
  }

  /** The whole text from its start, after what is still pending is written. */
  async *read(): AsyncGenerator<string> {
    await this.flush();
    // Bytes read at once: UTF-8 takes at least a byte a character, so a piece is at most
    // pieceChars characters (a character split between two reads comes whole with the later).
    yield* this.handle.createReadStream({
      start: 0,
      encoding: 'utf8',
      highWaterMark: this.pieceChars,
      autoClose: false,
    });
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  private async flush() {
    if (this.pendingChars === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    // At the handle's position, which each write moves on (writeFile writes it all).
    await this.handle.writeFile(text, 'utf8');
  }
}
