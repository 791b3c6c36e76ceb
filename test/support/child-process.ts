import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Keeps all a child process prints, standard output and error together, as it comes. */
export function capturedOutput(child: ChildProcess): () => string {
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  return () => output;
}

/** Runs a built script to its end, `input` on its standard input: its exit code and its output. */
export async function runToEnd(
  script: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; input?: string },
): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = capturedOutput(child);
  child.stdin!.end(options.input ?? '');
  const [code] = await once(child, 'exit');
  return { code: code as number, output: output() };
}
