import { AppError } from '../../errors';

const PREVIEW_BYTES = 64 * 1024;

/**
 * Watches an upload go by, chunk after chunk, without keeping it: counts its bytes against the
 * limit, refuses binary content (a NUL byte) and anything that is not UTF-8 (a fatal streaming
 * decoder, so a character split between two chunks is fine), and keeps the first 64 KiB of
 * text for the header check.
 */
export class UploadInspector {
  bytes = 0;
  private preview = '';
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly maxBytes: number,
    private readonly tooLarge = () =>
      new AppError('payload_too_large', `The file is larger than the limit of ${maxBytes} bytes.`),
  ) {}

  /** Checks the next chunk and gives its text (a character split between chunks comes whole with the later one). */
  push(chunk: Uint8Array): string {
    this.bytes += chunk.byteLength;
    if (this.bytes > this.maxBytes) throw this.tooLarge();
    if (chunk.includes(0)) {
      throw new AppError(
        'unsupported_media_type',
        'The file holds binary data (NUL bytes): upload a CSV text file.',
      );
    }
    const text = this.decode(chunk, true);
    if (this.preview.length < PREVIEW_BYTES)
      this.preview += text.slice(0, PREVIEW_BYTES - this.preview.length);
    return text;
  }

  /** Checks that the file does not end inside a character. */
  end(): void {
    this.decode(new Uint8Array(), false);
  }

  /** The first 64 KiB of the file as text, BOM removed. */
  get text(): string {
    return this.preview;
  }

  get previewComplete(): boolean {
    return this.preview.length >= PREVIEW_BYTES;
  }

  private decode(chunk: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(chunk, { stream });
    } catch {
      throw new AppError(
        'unsupported_media_type',
        'The file is not UTF-8 text: save it as "CSV UTF-8" and upload it again.',
      );
    }
  }
}
