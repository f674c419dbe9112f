import { randomUUID } from 'node:crypto';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A file in the temporary folder for what a slow client must not keep in memory nor on a
 * database connection: an upload while it arrives, an export's row ids while they are sent.
 * It is unlinked as soon as it is opened: it has no name, and vanishes with its handle, even
 * when the process is killed.
 */
export class TempFile {
  private constructor(private readonly handle: FileHandle) {}

  static async open(): Promise<TempFile> {
    const file = path.join(tmpdir(), `wa-scheduler-${randomUUID()}`);
    const handle = await open(file, 'wx+', 0o600);
    await unlink(file);
    return new TempFile(handle);
  }

  /** Writes at the end (the handle's position, which each write moves on; all of it is written). */
  append(data: string | Uint8Array): Promise<void> {
    return this.handle.writeFile(data);
  }

  /** Fills `target` from `position` on; answers the bytes read (fewer at the end of the file). */
  async readAt(position: number, target: Uint8Array): Promise<number> {
    const { bytesRead } = await this.handle.read(target, 0, target.length, position);
    return bytesRead;
  }

  /**
   * The file as UTF-8 text from its start, in pieces of at most `pieceBytes` bytes (so at most
   * that many characters; a character split between two reads comes whole with the later).
   */
  text(pieceBytes: number): AsyncIterable<string> {
    return this.handle.createReadStream({
      start: 0,
      encoding: 'utf8',
      highWaterMark: pieceBytes,
      autoClose: false,
    });
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
