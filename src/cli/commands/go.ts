import type { Command } from 'commander';

/** Registers `shinsou gtp` and `shinsou match` (filled in by the Go work). */
export function registerGoCommands(_program: Command): void {}
