/**
 * What the process reads of its environment besides its settings (AppConfig): kept here, beside
 * them, so that src/config is the one place that touches process.env.
 */

/** The shell's language for messages, as POSIX orders it: LC_ALL, LC_MESSAGES, then LANG. */
export function shellLanguage(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.LC_ALL || env.LC_MESSAGES || env.LANG || undefined;
}

/**
 * Runs `work` with TMPDIR set to `folder` (for a library that only writes to os.tmpdir()), and
 * puts TMPDIR back as it was afterwards.
 */
export async function withTemporaryFolder<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}
