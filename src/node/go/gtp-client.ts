import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** The longest reply accepted from an engine (characters), `showboard` of 19x19 being ~1 KB. */
export const MAX_GTP_REPLY = 1 << 20;

/** A `? message` reply from an engine. */
export class GtpError extends Error {
  constructor(
    readonly command: string,
    readonly reply: string,
    readonly engine: string,
  ) {
    super(`${engine}: '${command}' failed: ${reply}`);
    this.name = 'GtpError';
  }
}

/**
 * Splits a command line into argv like a POSIX shell would for simple cases: whitespace
 * separates words, single and double quotes group, backslash escapes the next character.
 * (No shell is involved, so killing the engine kills the engine, not a wrapper shell.)
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in command line: ${line}`);
  if (inWord) out.push(cur);
  return out;
}

/**
 * A GTP client driving an engine subprocess. Commands are sent one at a time; each `send`
 * resolves with the reply text (without `=`) or rejects with {@link GtpError}.
 */
export class GtpClient {
  readonly label: string;
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: { resolve: (s: string) => void; reject: (e: Error) => void; command: string } | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private exited: Error | null = null;
  private stderrTail = '';

  /** Starts `commandLine` (split with {@link splitCommandLine}). */
  constructor(commandLine: string, label = commandLine) {
    const argv = splitCommandLine(commandLine);
    if (argv.length === 0) throw new Error('GtpClient: empty engine command');
    this.label = label;
    this.proc = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (d: string) => this.onData(d));
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d: string) => {
      this.stderrTail = (this.stderrTail + d).slice(-2000);
    });
    const onGone = (why: string): void => {
      this.exited = new Error(`${this.label}: engine ${why}${this.stderrTail ? `; stderr: ${this.stderrTail.trim()}` : ''}`);
      this.waiting?.reject(this.exited);
      this.waiting = null;
    };
    this.proc.on('error', (e) => onGone(`could not start (${e.message})`));
    this.proc.on('exit', (code, signal) => onGone(`exited (code ${code}, signal ${signal})`));
    this.proc.stdin.on('error', () => {});
  }

  /** Sends one command and resolves with the reply text. */
  send(command: string): Promise<string> {
    const run = (): Promise<string> =>
      new Promise<string>((resolve, reject) => {
        if (this.exited) return reject(this.exited);
        this.waiting = { resolve, reject, command };
        this.proc.stdin.write(`${command}\n`);
      });
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private onData(d: string): void {
    this.buffer += d.replace(/\r/g, '');
    if (this.buffer.length > MAX_GTP_REPLY && this.buffer.indexOf('\n\n') < 0) {
      // An engine that floods its output without ending a reply is broken: stop it rather than
      // hold its output without limit.
      this.buffer = '';
      const e = new Error(`${this.label}: engine sent a reply longer than ${MAX_GTP_REPLY} characters without the ending blank line`);
      this.exited = e;
      this.waiting?.reject(e);
      this.waiting = null;
      this.proc.kill();
      return;
    }
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end < 0) return;
      const raw = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      // Skip stray blank lines before a reply.
      const text = raw.replace(/^\n+/, '');
      if (text === '') continue;
      const w = this.waiting;
      this.waiting = null;
      if (!w) continue;
      const m = /^([=?])\d*\s?([\s\S]*)$/.exec(text);
      if (!m) w.reject(new GtpError(w.command, `malformed reply: ${text}`, this.label));
      else if (m[1] === '=') w.resolve(m[2]!.trim());
      else w.reject(new GtpError(w.command, m[2]!.trim(), this.label));
    }
  }

  /** Sends `quit` (best effort) and makes sure the process is gone. */
  async close(): Promise<void> {
    if (!this.exited) {
      const quit = this.send('quit').catch(() => '');
      await Promise.race([quit, new Promise((r) => setTimeout(r, 2000))]);
    }
    if (!this.exited) this.proc.kill();
    this.proc.stdin.end();
  }
}
