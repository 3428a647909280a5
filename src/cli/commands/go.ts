import type { Command } from 'commander';
import { GtpEngine } from '../../games/go/gtp/engine.js';
import { serveGtp } from '../../node/go/gtp-serve.js';
import { RandomPlayer } from '../../games/go/players/random.js';
import { UctPlayer } from '../../games/go/players/uct.js';
import type { Player } from '../../games/go/players/player.js';
import { intArg, numArg } from '../options.js';
import { runMatch, formatSummary } from '../../node/go/match.js';
import { READ_LIMITS, readTextFileLimited } from '../../node/files.js';

/** Builds the genmove player named on the command line. */
export function makePlayer(kind: string, playouts: number, seed: number): Player {
  if (kind === 'random') return new RandomPlayer({ seed });
  if (kind === 'uct') return new UctPlayer({ playouts, seed });
  throw new Error(`--player must be random or uct, got '${kind}'`);
}

/** Registers `shinsou gtp` and `shinsou match`. */
export function registerGoCommands(program: Command): void {
  program
    .command('gtp')
    .description('run a Go engine speaking GTP v2 on stdin/stdout (for GoGui, Sabaki, match runners)')
    .option('--player <kind>', 'move generator: random | uct', 'uct')
    .option('--playouts <n>', 'UCT simulations per move', intArg('playouts', -Infinity), 1000)
    .option('--seed <n>', 'random seed', intArg('seed', -Infinity), 1)
    .option('--size <n>', 'initial board size', intArg('size', -Infinity), 19)
    .option('--komi <k>', 'initial komi', numArg('komi'), 7.5)
    .option('--superko', 'forbid positional repetition (default: simple ko, like GNU Go)', false)
    .action(async (o: { player: string; playouts: number; seed: number; size: number; komi: number; superko: boolean }) => {
      const engine = new GtpEngine({
        player: makePlayer(o.player, o.playouts, o.seed),
        size: o.size,
        komi: o.komi,
        superko: o.superko,
        readFile: (path) => readTextFileLimited(path, READ_LIMITS.sgf, 'SGF'),
      });
      await serveGtp(engine, process.stdin, process.stdout);
    });

  program
    .command('match')
    .description('play GTP engines against each other, alternating colours; writes SGF and prints wins with a 95% Wilson interval')
    .requiredOption('--black <cmd>', 'engine A command line (black in game 1)')
    .requiredOption('--white <cmd>', 'engine B command line (white in game 1)')
    .option('--games <n>', 'number of games', intArg('games', -Infinity), 2)
    .option('--size <n>', 'board size', intArg('size', -Infinity), 9)
    .option('--komi <k>', 'komi', numArg('komi'), 7)
    .option('--max-moves <n>', 'move cap per game (default 3 * size^2)', intArg('max-moves', -Infinity))
    .option('--out <dir>', 'directory for one SGF per game')
    .option('--quiet', 'no per-game progress on stderr', false)
    .action(
      async (o: {
        black: string;
        white: string;
        games: number;
        size: number;
        komi: number;
        maxMoves?: number;
        out?: string;
        quiet: boolean;
      }) => {
        const summary = await runMatch({
          black: o.black,
          white: o.white,
          games: o.games,
          size: o.size,
          komi: o.komi,
          ...(o.maxMoves !== undefined ? { maxMoves: o.maxMoves } : {}),
          ...(o.out !== undefined ? { outDir: o.out } : {}),
          onMove: o.quiet ? undefined : (g, m) => process.stderr.write(`\rgame ${g}/${o.games}, move ${m}   `),
          onGame: o.quiet
            ? undefined
            : (r, done, total) => {
                const note = `${r.note ? ` (${r.note})` : ''}${r.disputed ? ' [an engine claims another winner]' : ''}`;
                process.stderr.write(
                  `\rgame ${done}/${total}: black ${r.black}, ${r.result} by ${r.reason} after ${r.moves} moves; final_score A ${r.engineScores.A ?? '-'}, B ${r.engineScores.B ?? '-'}${note}\n`,
                );
              },
        });
        process.stdout.write(`${formatSummary(summary)}\n`);
      },
    );
}
