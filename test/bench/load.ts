import autocannon from 'autocannon';
import type { Figures } from './bench-kit.js';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  requests?: autocannon.Request[];
}

/** Drives a server with autocannon; answers req/s, p50 and p99 latency, and errors. */
export async function load(options: LoadOptions): Promise<Figures> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    headers: options.headers,
    requests: options.requests,
  });
  return {
    'req/s': result.requests.average,
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}
