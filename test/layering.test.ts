import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

/** Every source file of src/ (unit tests beside the code left out), relative to src/. */
function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [path.relative(SRC, full)]
      : [];
  });
}

const read = (file: string) => readFileSync(path.join(SRC, file), 'utf8');

describe('the shape of src/', () => {
  it('keeps no mutable state at module level: a running service owns its state', () => {
    // top-level `let`/`var`, and collections that nothing stops from growing
    const mutable =
      /^(export )?(let|var) |^(export )?const \w+ = (new (Map|Set|WeakMap|WeakSet)\b|\[\];)/;
    const found = sources().flatMap((file) =>
      read(file)
        .split('\n')
        .filter((line) => mutable.test(line))
        .map((line) => `${file}: ${line}`),
    );
    expect(found).toEqual([]);
  });

  it('has a schema that depends on no feature', () => {
    const outside = sources()
      .filter((file) => file.startsWith(`db${path.sep}schema`))
      .flatMap((file) =>
        [...read(file).matchAll(/from '(\.[^']+)'/g)]
          .map((match) => path.relative(SRC, path.resolve(SRC, path.dirname(file), match[1] ?? '')))
          .filter((target) => !target.startsWith('db'))
          .map((target) => `${file} imports ${target}`),
      );
    expect(outside).toEqual([]);
  });
});
