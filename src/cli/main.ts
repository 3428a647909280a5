#!/usr/bin/env node
// The `shinsou` command. Each sub-command lives in its own file under ./commands and registers
// itself on the program passed to it, so families of commands can grow without touching each other.
import { Command } from 'commander';
import { registerGoCommands } from './commands/go.js';
import { registerBenchCommands } from './commands/bench.js';
import { registerTrainCommands } from './commands/train.js';
import { registerLmCommands } from './commands/lm.js';

export function buildProgram(): Command {
  const program = new Command();
  program.name('shinsou').description('shinsou: deep learning in TypeScript').version('0.1.0');
  registerGoCommands(program);
  registerBenchCommands(program);
  registerTrainCommands(program);
  registerLmCommands(program);
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
