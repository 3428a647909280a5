#!/usr/bin/env node
// The `shinsou` command. Each sub-command lives in its own file under ./commands and registers
// itself on the program passed to it, so families of commands can grow without touching each other.
import { Command } from 'commander';
import { registerGoCommands } from './commands/go.js';
import { registerBenchCommands } from './commands/bench.js';
import { registerTrainCommands } from './commands/train.js';
import { registerLmCommands } from './commands/lm.js';
import { registerPlayCommands } from './commands/play.js';
import { registerWord2VecCommands } from './commands/word2vec.js';
import { registerSummaryCommands } from './commands/summary.js';
import { registerGanCommands } from './commands/gan.js';
import { registerTranslateCommands } from './commands/translate.js';
import { registerQuantizeCommands } from './commands/quantize.js';
import { registerExportCommands } from './commands/export.js';
import { relaunchWithMallocTuning } from '../node/malloc-tuning.js';
import { intArg } from './options.js';
import { setNumThreads } from '../backend/wasm/pool.js';
import { MAX_THREADS } from '../backend/wasm/names.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('shinsou')
    .description('shinsou: deep learning in TypeScript')
    .version('0.1.0')
    .option(
      '--threads <n>',
      `kernel threads for every command (1..${MAX_THREADS}; default: SHINSOU_THREADS or all cores)`,
      intArg('threads', 1, MAX_THREADS),
    )
    .hook('preAction', (cmd) => {
      const n = cmd.opts()['threads'] as number | undefined;
      if (n !== undefined) setNumThreads(n);
    });
  registerGoCommands(program);
  registerBenchCommands(program);
  registerTrainCommands(program);
  registerLmCommands(program);
  registerPlayCommands(program);
  registerWord2VecCommands(program);
  registerSummaryCommands(program);
  registerGanCommands(program);
  registerTranslateCommands(program);
  registerQuantizeCommands(program);
  registerExportCommands(program);
  return program;
}

// Training and benchmarks: large outputs would page-fault on every allocation with glibc's
// defaults (see malloc-tuning.ts); the other commands run as they are.
const heavy = process.argv.slice(2).some((a) => a === 'train' || a === 'bench'); // after any global options
if (!heavy || !relaunchWithMallocTuning()) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    });
}
