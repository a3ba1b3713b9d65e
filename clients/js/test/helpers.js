// What the library's tests share: the mock binary they run and fake binaries that misbehave.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real binary: GLOBUS_MOCK_BINARY (make js-helper sets it to bin/mockserver). */
export const BINARY = process.env.GLOBUS_MOCK_BINARY;

/** A fresh temporary directory. */
export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'globus-mock-test-'));
}

/** Writes an executable shell script named name into dir and answers its path. */
export function script(dir, name, body) {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Whether a process is still there. */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
