import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { GtpEngine } from '../../games/go/gtp/engine.js';

/**
 * Runs a GTP engine over a pair of streams (stdin/stdout for `shinsou gtp`): one command per
 * line, answered strictly in order, until `quit` or end of input. Resolves when done.
 */
export async function serveGtp(engine: GtpEngine, input: Readable, output: Writable): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
  for await (const line of rl) {
    const response = await engine.handle(line);
    if (response !== null) output.write(response);
    if (engine.quitRequested) break;
  }
  rl.close();
}
