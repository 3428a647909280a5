import type { Readable, Writable } from 'node:stream';
import { type GtpEngine, preprocess } from '../../games/go/gtp/engine.js';

/**
 * The longest command line served (characters). Real commands are short (a `set_free_handicap`
 * listing every point of a 19x19 board is about 1.5 KB); a longer line is answered with a failure
 * and its characters past the limit are never held, so `shinsou gtp < /dev/zero` runs in bounded
 * memory.
 */
export const MAX_GTP_LINE = 64 * 1024;

/**
 * Runs a GTP engine over a pair of streams (stdin/stdout for `shinsou gtp`): one command per
 * line, answered strictly in order, until `quit` or end of input. Resolves when done.
 */
export async function serveGtp(engine: GtpEngine, input: Readable, output: Writable, maxLine = MAX_GTP_LINE): Promise<void> {
  for await (const line of boundedLines(input, maxLine)) {
    const response = line.overflow
      ? `?${/^(\d+)/.exec(preprocess(line.text))?.[1] ?? ''} line too long (over ${maxLine} characters)\n\n`
      : await engine.handle(line.text);
    if (response !== null) output.write(response);
    if (engine.quitRequested) break;
  }
}

/**
 * Splits a stream into lines (LF or CRLF; a last line without LF counts), keeping at most `max`
 * characters of each: `overflow` tells that more were dropped.
 */
export async function* boundedLines(input: AsyncIterable<unknown>, max: number): AsyncGenerator<{ text: string; overflow: boolean }> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let overflow = false;
  const take = (part: string): void => {
    if (overflow) return;
    if (text.length + part.length > max) {
      text += part.slice(0, max - text.length);
      overflow = true;
    } else text += part;
  };
  const emit = (): { text: string; overflow: boolean } => {
    const out = { text: text.endsWith('\r') ? text.slice(0, -1) : text, overflow };
    text = '';
    overflow = false;
    return out;
  };
  for await (const chunk of input) {
    const s = typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    let from = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
      take(s.slice(from, nl));
      yield emit();
      from = nl + 1;
    }
    take(s.slice(from));
  }
  take(decoder.decode());
  if (text !== '' || overflow) yield emit();
}
